import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';

/**
 * Every `card …` command line the README and docs/ show, in shell blocks and in inline code, names a
 * command that exists and only options that command (or every command) takes. The runnable examples
 * are run by readme-examples.test.ts; this covers the many that cannot run offline (a real tenant, a
 * handler on :3000), so a renamed or removed flag cannot linger in the docs.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** Global options that take a value, so the word after them is not the command's name. */
const GLOBAL_WITH_VALUE = new Set(['--profile', '--base-url', '--app-id', '--app-secret', '--timeout']);

export interface CommandLine {
  where: string;
  words: string[];
}

/** The `card …` command lines of a page: shell lines (each part of a pipe or list) and inline code. */
export function commandLines(page: string, markdown: string): CommandLine[] {
  const found: CommandLine[] = [];
  let fence: string | null = null;
  let heredoc: string | null = null;
  const take = (text: string, line: number) => {
    for (let part of text.split(/\|\||&&|[|;&]|\$\(/)) {
      part = part.replace(/(^|\s)#.*$/, '').trim();
      part = part.replace(/^\$ /, '').replace(/^(\w+=\S*\s+)+/, '').replace(/^(npx|xargs)\s+(--no\s+--\s+)?/, '');
      if (/^card(\s|$)/.test(part)) found.push({ where: `${page}:${line}`, words: part.split(/\s+/).slice(1) });
    }
  };
  for (const [i, raw] of markdown.split('\n').entries()) {
    const fenceMark = /^\s*```(\w*)/.exec(raw);
    if (fenceMark && !heredoc) {
      fence = fence === null ? fenceMark[1]! : null;
      continue;
    }
    if (fence === 'sh') {
      if (heredoc) {
        if (raw.trim() === heredoc) heredoc = null;
        continue;
      }
      const doc = /<<-?\s*(['"]?)(\w+)\1/.exec(raw);
      if (doc) heredoc = doc[2]!;
      take(raw, i + 1);
    } else if (fence === null) {
      for (const m of raw.matchAll(/`([^`]+)`/g)) take(m[1]!, i + 1);
    }
  }
  return found;
}

/** What is wrong with one command line against the program, or null. */
export function checkLine(program: Command, words: string[]): string | null {
  const globals = new Set(program.options.flatMap((o) => [o.long, o.negate ? o.long : null].filter(Boolean) as string[]));
  let cmd: Command = program;
  let i = 0;
  // Global options may come before the command.
  while (i < words.length && words[i]!.startsWith('--')) i += GLOBAL_WITH_VALUE.has(words[i]!.split('=')[0]!) && !words[i]!.includes('=') ? 2 : 1;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-') || w.startsWith('[') || w.startsWith('<') || w.startsWith('…')) break;
    // `card profile add|list|use` and `card chat list` name sub-commands; anything else is an argument.
    const names = w.split('|');
    const sub = cmd.commands.find((c) => names.includes(c.name()));
    if (!sub) {
      if (cmd === program) return `no command "${w}"`;
      if (cmd.commands.length && !cmd.registeredArguments.length) return `"${cmd.name()}" has no sub-command "${w}"`;
      break;
    }
    cmd = sub;
  }
  const known = new Set([...globals, '--help', '--version']);
  for (const o of cmd.options) if (o.long) known.add(o.long);
  for (const w of words) {
    if (w === '--' || w === '--…') break; // what follows is another program's command line
    const flag = /^\[?(--[a-z][a-z0-9-]*)/.exec(w)?.[1];
    if (flag && !known.has(flag)) return `card ${cmd.name()} has no option ${flag}`;
  }
  return null;
}

let program: Command;
beforeAll(async () => {
  program = await buildProgram('0.0.0');
});

describe('the command lines in the README and docs/', () => {
  const lines = PAGES.flatMap((page) => commandLines(page, readFileSync(join(ROOT, page), 'utf8')));

  it('finds them', () => {
    expect(lines.length).toBeGreaterThan(100);
  });

  it('name commands and options that exist', () => {
    const wrong = lines.map((l) => [l, checkLine(program, l.words)] as const).filter(([, e]) => e).map(([l, e]) => `${l.where}: card ${l.words.join(' ')}\n  ${e}`);
    expect(wrong).toEqual([]);
  });

  it('never put an expectation on an event, whose answer has no body to expect anything of', () => {
    const events = new Set(readdirSync(join(ROOT, 'fixtures/events')).map((f) => f.replace(/\.json$/, '')));
    const wrong = lines
      .filter((l) => l.words[0] === 'replay-callback' && l.words.some((w) => events.has(w)) && l.words.some((w) => w === '--expect' || w === '--expect-file'))
      .map((l) => `${l.where}: card ${l.words.join(' ')}`);
    expect(events.has('message-p2p')).toBe(true);
    expect(wrong).toEqual([]);
  });

  it('tells a wrong option and a wrong command from right ones', () => {
    const page = [
      '```sh',
      "$ cat > c.json <<'EOF'",
      'card not-this --inside-a-heredoc',
      'EOF',
      'echo x | npx card lint c.json --fromat json   # a typo',
      'card --profile ci sned c.json',
      '```',
      'Run `card profile add|list` or `card send --to R`.',
    ].join('\n');
    const found = commandLines('p.md', page);
    expect(found.map((l) => l.where)).toEqual(['p.md:5', 'p.md:6', 'p.md:8', 'p.md:8']);
    expect(found.map((l) => checkLine(program, l.words))).toEqual(['card lint has no option --fromat', 'no command "sned"', null, null]);
  });
});
