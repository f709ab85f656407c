import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

/**
 * Reads `card …` command lines out of pages and help text, and checks each against the program:
 * the command exists, it takes every option named, and no event replay expects an answer. Shared
 * by the test of the README and docs/ and the test of every command's help examples.
 */

/** Global options that take a value, so the word after them is not the command's name. */
const GLOBAL_WITH_VALUE = new Set(['--profile', '--base-url', '--app-id', '--app-secret', '--timeout']);

export interface CommandLine {
  where: string;
  words: string[];
}

/** The `card …` commands of one shell line: each part of a pipe or list, comments, `$ ` and `npx` aside. */
export function shellCommandLines(where: string, text: string): CommandLine[] {
  const found: CommandLine[] = [];
  for (let part of text.split(/\|\||&&|[|;&]|\$\(/)) {
    part = part.replace(/(^|\s)#.*$/, '').trim();
    part = part.replace(/^\$ /, '').replace(/^(\w+=\S*\s+)+/, '').replace(/^(npx|xargs)\s+(--no\s+--\s+)?/, '');
    if (/^card(\s|$)/.test(part)) found.push({ where, words: part.split(/\s+/).slice(1) });
  }
  return found;
}

/** The `card …` command lines of a page: shell lines (each part of a pipe or list) and inline code. */
export function commandLines(page: string, markdown: string): CommandLine[] {
  const found: CommandLine[] = [];
  let fence: string | null = null;
  let heredoc: string | null = null;
  const take = (text: string, line: number) => found.push(...shellCommandLines(`${page}:${line}`, text));
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

/** Names of the shipped event fixtures: their answer is an ack with no body. */
export function shippedEventNames(root: string): Set<string> {
  return new Set(readdirSync(join(root, 'fixtures/events')).map((f) => f.replace(/\.json$/, '')));
}

/** Whether a line replays an event and expects something of its answer, which can never pass. */
export function expectsOfEvent(words: string[], events: Set<string>): boolean {
  return words[0] === 'replay-callback' && words.some((w) => events.has(w)) && words.some((w) => w === '--expect' || w === '--expect-file');
}
