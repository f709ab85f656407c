import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
import { installedPackage } from '../helpers/installed-package.js';

/**
 * The README's and docs/' examples are true where a bot developer runs them: in a project that
 * installed the packed package. Every ```sh block marked `<!-- runnable -->` (or
 * `<!-- runnable exit=N -->`: its last command exits N) runs in a fresh copy of that project
 * (its own package.json, the installed node_modules, `node_modules/.bin` on the PATH, so `card`
 * and `npx card` both run the installed copy) against one emulator with the default seed: the
 * page's own commands (`$ …`) in order, and each output line the page shows must appear in what
 * the command printed, ids, numbers, times and URLs aside.
 * A `$ cat FILE` the page shows is how a file comes to exist: it is written from the lines shown;
 * a here-document (`$ cat > card.json <<'EOF'` … `EOF`) is part of its command.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Step {
  command: string;
  expected: string[];
}
interface Block {
  line: number;
  exit: number;
  steps: Step[];
}

export function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- runnable(?: exit=(\d+))? -->$/.exec(lines[i]!.trim());
    if (!marker || lines[i + 1]?.trim() !== '```sh') continue;
    const block: Block = { line: i + 3, exit: Number(marker[1] ?? 0), steps: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim() !== '```'; j++) {
      const text = lines[j]!;
      if (text.startsWith('$ ')) {
        let command = text.slice(2);
        while (command.endsWith('\\') && j + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++j]!.trim()}`;
        // A here-document is part of its command, up to its terminator.
        const heredoc = /<<-?\s*(['"]?)(\w+)\1/.exec(command);
        if (heredoc) {
          while (j + 1 < lines.length && lines[j + 1]!.trim() !== '```') {
            command += `\n${lines[++j]!}`;
            if (lines[j]!.trim() === heredoc[2]) break;
          }
        }
        block.steps.push({ command, expected: [] });
      } else if (block.steps.length && text.trim()) block.steps[block.steps.length - 1]!.expected.push(text);
    }
    blocks.push(block);
    i = j;
  }
  return blocks;
}

/** What may differ from run to run: ids, numbers, times, the emulator's URL, whitespace. */
export function normalise(text: string): string {
  return text
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, '<url>')
    .replace(/\b(ou|oc|om|on)_[0-9a-z]{6,}/g, '$1_<id>')
    .replace(/\bimg_v(\d)_[0-9a-z-]+…?/g, 'img_v$1_<key>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/•+\w{0,2}/g, '•…')
    // A spinner's final mark (a terminal) where a pipe gets the plain line.
    .replace(/^[✔⚠✖] /, '')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

function sh(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const blocks = PAGES.flatMap((page) => runnableBlocks(readFileSync(join(ROOT, page), 'utf8')).map((b) => ({ page, ...b })));
let emu: RunningEmulator;
let project: string;
let npmEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  ({ project, env: npmEnv } = await installedPackage());
  emu = await startEmulator({ port: 0 });
}, 300_000);
afterAll(async () => {
  await emu?.close();
});

describe('the examples in the README and docs/, run in an installed project', () => {
  it('has runnable examples on the README and on the reference pages', () => {
    expect(blocks.filter((b) => b.page === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.page !== 'README.md').length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))('the block at %s is true', async (where, block) => {
    const sb = new Sandbox();
    try {
      // A bot project of its own for each block: files one block writes never meet another's.
      const work = join(sb.dir, 'my-bot');
      mkdirSync(work);
      copyFileSync(join(project, 'package.json'), join(work, 'package.json'));
      symlinkSync(join(project, 'node_modules'), join(work, 'node_modules'));
      // `npx card …` runs the project's node_modules/.bin/card (the package test runs the real npx to
      // show that); npm's own start-up would cost seconds a command here, so this npx goes straight there.
      const bin = join(sb.dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = card ]; then shift; exec "${join(work, 'node_modules', '.bin', 'card')}" "$@"; fi\necho "npx $1: only npx card is used by the examples" >&2\nexit 127\n`, { mode: 0o755 });
      const env = {
        PATH: `${bin}:${join(work, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        HOME: sb.dir,
        CARD_CONFIG_DIR: sb.configDir,
        NO_COLOR: '1',
        npm_config_cache: npmEnv.npm_config_cache ?? '',
        npm_config_update_notifier: 'false',
        ...emulatorEnv(emu.url, emu.state().apps[0]!),
      };
      for (const [i, step] of block.steps.entries()) {
        const cat = /^cat (\S+)$/.exec(step.command);
        if (cat && !existsSync(join(work, cat[1]!))) writeFileSync(join(work, cat[1]!), `${step.expected.join('\n')}\n`);
        const r = await sh(step.command, work, env);
        const want = i === block.steps.length - 1 ? block.exit : 0;
        expect(r.code, `${where} \`${step.command}\` exited ${r.code}:\n${r.out}`).toBe(want);
        const actual = r.out.split('\n').map(normalise);
        for (const line of step.expected) {
          expect(actual, `${where} \`${step.command}\` should print:\n${line}\nit printed:\n${r.out}`).toContain(normalise(line));
        }
      }
    } finally {
      sb.cleanup();
    }
  });
});

describe('reading the runnable blocks', () => {
  it('takes a here-document into its command, and the lines after it as the output to expect', () => {
    const page = ['<!-- runnable exit=5 -->', '```sh', "$ cat > c.json <<'EOF'", '{"schema": "2.0"}', '$ not a command', 'EOF', '$ card lint c.json', 'c.json  (JSON 2.0)', '```'].join('\n');
    expect(runnableBlocks(page)).toEqual([
      {
        line: 3,
        exit: 5,
        steps: [
          { command: "cat > c.json <<'EOF'\n{\"schema\": \"2.0\"}\n$ not a command\nEOF", expected: [] },
          { command: 'card lint c.json', expected: ['c.json  (JSON 2.0)'] },
        ],
      },
    ]);
  });
});
