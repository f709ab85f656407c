import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedFixtures } from '../../src/callback/fixtures.js';
import { buildProgram } from '../../src/program.js';
import { CARD_BIN } from '../helpers/cli.js';
import { checkLine, expectsOfEvent, shellCommandLines, shippedEventNames, type CommandLine } from '../helpers/command-lines.js';

/**
 * Every example in every command's --help, and every command line `card demo` prints, is true for
 * someone who installed the package in their own project: it names commands and options that
 * exist (the check the docs get), never expects an answer of an event, names shipped fixtures by
 * the name `card fixtures list` shows, and names no path that exists only in a clone of card.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let program: Command;
let shipped: Set<string>;
const events = shippedEventNames(ROOT);
beforeAll(async () => {
  program = await buildProgram('0.0.0');
  shipped = new Set((await shippedFixtures()).map((f) => f.name));
});

/** A help screen as commander writes it, at a width that does not wrap example lines. */
function helpOf(cmd: Command): string {
  let text = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => (text += s), getOutHasColors: () => false, getOutHelpWidth: () => 400 });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return text;
}

function commands(cmd: Command, path: string[] = []): Array<{ path: string; cmd: Command }> {
  return [{ path: ['card', ...path].join(' '), cmd }, ...cmd.commands.flatMap((sub) => commands(sub, [...path, sub.name()]))];
}

/** The command a line runs, and its words past the command's name. */
function commandOf(words: string[]): { cmd: Command; rest: string[] } {
  let cmd = program;
  let i = 0;
  for (; i < words.length; i++) {
    const sub = cmd.commands.find((c) => c.name() === words[i]);
    if (!sub) break;
    cmd = sub;
  }
  return { cmd, rest: words.slice(i) };
}

/** Arguments that are not options or their values. */
function positionals(cmd: Command, words: string[]): string[] {
  const out: string[] = [];
  const options = [...cmd.options, ...program.options];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') break;
    if (w.startsWith('-')) {
      const o = options.find((x) => x.long === w.split('=')[0] || x.short === w);
      if (o && (o.required || o.optional) && !w.includes('=')) i++;
      continue;
    }
    out.push(w);
  }
  return out;
}

const unquote = (w: string) => w.replace(/^["']|["']$/g, '');
/** Words that name a file or folder: with a slash (not a URL) or a file extension. */
const pathWords = (words: string[]) =>
  words.map(unquote).filter((w) => !w.startsWith('-') && !w.includes('://') && !w.includes('=') && !w.includes('$') && (w.includes('/') || /\.(json|csv|png|jpe?g|md|log|html|sarif)$/.test(w)));

/** What is wrong with one example line, or null. */
function problemOf(line: CommandLine): string | null {
  const wrong = checkLine(program, line.words);
  if (wrong) return wrong;
  if (expectsOfEvent(line.words, events)) return 'an expectation on an event, whose answer has no body: it can never pass';
  for (const w of pathWords(line.words)) {
    if (!isAbsolute(w) && existsSync(join(ROOT, w))) return `"${w}" exists only in a clone of card, not in a project that installed it`;
  }
  const { cmd, rest } = commandOf(line.words);
  if (cmd.name() === 'replay-callback' || (cmd.name() === 'show' && cmd.parent?.name() === 'fixtures')) {
    for (const name of positionals(cmd, rest)) {
      if (!name.includes('/') && !name.includes('.') && !shipped.has(name)) return `"${name}" is no shipped fixture (card fixtures list)`;
    }
  }
  return null;
}

describe("every command's help", () => {
  it('has examples', () => {
    const examples = commands(program).flatMap(({ cmd }) => helpOf(cmd).split('\n').filter((l) => l.startsWith('  $ ')));
    expect(examples.length).toBeGreaterThan(30);
  });

  it('shows examples that are true in a project that installed card', () => {
    const wrong: string[] = [];
    for (const { path, cmd } of commands(program)) {
      for (const example of helpOf(cmd).split('\n').filter((l) => l.startsWith('  $ '))) {
        for (const line of shellCommandLines(`${path} --help`, example)) {
          const problem = problemOf(line);
          if (problem) wrong.push(`${line.where}: card ${line.words.join(' ')}\n  ${problem}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names no path that exists only in a clone of card, examples or not', () => {
    const wrong: string[] = [];
    for (const { path, cmd } of commands(program)) {
      for (const w of pathWords(helpOf(cmd).split(/[\s`(),]+/))) if (!isAbsolute(w) && existsSync(join(ROOT, w))) wrong.push(`${path} --help: ${w}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the check tells a false example from a true one', () => {
    const lines = [
      '  $ card replay-callback button message-p2p --ws --base-url http://127.0.0.1:3001 --expect toast.type=success',
      '  $ card replay-callback fixtures/callbacks --url http://localhost:3000/card',
      '  $ card send fixtures/cards/approval.v2.json --to oc_xxx',
      '  $ card replay-callback buton --url http://localhost:3000/card',
      '  $ card lint card.json --fromat json',
      '  $ card replay-callback button form-submit fixtures/recorded --url http://localhost:3000/card --concurrency 8',
    ];
    expect(lines.map((l) => problemOf(shellCommandLines('x', l)[0]!))).toEqual([
      'an expectation on an event, whose answer has no body: it can never pass',
      '"fixtures/callbacks" exists only in a clone of card, not in a project that installed it',
      '"fixtures/cards/approval.v2.json" exists only in a clone of card, not in a project that installed it',
      '"buton" is no shipped fixture (card fixtures list)',
      'card lint has no option --fromat',
      null,
    ]);
  });
});

describe('card demo, run in a project of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'card-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints command lines that run from there', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, CARD_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' };
    const { stdout } = await promisify(execFile)(process.execPath, [CARD_BIN, 'demo'], { cwd: dir, env });
    // A step shows its command, then `→` and what came of it; the Next block, a description after a gap.
    const lines = stdout
      .split('\n')
      .map((l) => l.trim().replace(/\s+→.*$/, '').replace(/\s{2,}\S.*$/, ''))
      .flatMap((l, i) => shellCommandLines(`demo:${i + 1}`, l))
      .filter((l) => !l.words[0]?.endsWith(':'));
    expect(lines.map((l) => l.words[0])).toEqual(expect.arrayContaining(['token', 'lookup-user', 'create-chat', 'send', 'update', 'emulator']));
    const wrong: string[] = [];
    for (const line of lines) {
      const problem = checkLine(program, line.words);
      if (problem) wrong.push(`${line.where}: card ${line.words.join(' ')}\n  ${problem}`);
      for (const w of pathWords(line.words)) if (!existsSync(resolve(dir, w))) wrong.push(`${line.where}: card ${line.words.join(' ')}\n  "${w}" does not exist where the demo ran`);
    }
    expect(wrong).toEqual([]);
  });
});
