import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';
import { checkLine, commandLines, expectsOfEvent, shippedEventNames } from '../helpers/command-lines.js';

/**
 * Every `card …` command line the README and docs/ show, in shell blocks and in inline code, names a
 * command that exists and only options that command (or every command) takes. The runnable examples
 * are run by readme-examples.test.ts; this covers the many that cannot run offline (a real tenant, a
 * handler on :3000), so a renamed or removed flag cannot linger in the docs.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

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
    const events = shippedEventNames(ROOT);
    const wrong = lines.filter((l) => expectsOfEvent(l.words, events)).map((l) => `${l.where}: card ${l.words.join(' ')}`);
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
