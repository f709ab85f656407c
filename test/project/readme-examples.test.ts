import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CARD_BIN, emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';

/**
 * The README's examples are true: every ```sh block marked `<!-- runnable -->` (or
 * `<!-- runnable exit=N -->`: its last command exits N) runs against an emulator with the
 * default seed, the README's own commands (`$ …`) in order, and each output line the README
 * shows must appear in what the command printed, ids, numbers, times and URLs aside.
 * A `$ cat FILE` the README shows is how a file comes to exist: it is written from the lines shown.
 */

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

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

const blocks = runnableBlocks(readFileSync(README, 'utf8'));
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe('README examples', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at README.md:%i is true', async (_line, block) => {
    const sb = new Sandbox();
    try {
      const bin = join(sb.dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'card'), `#!/bin/sh\nexec "${process.execPath}" "${CARD_BIN}" "$@"\n`);
      chmodSync(join(bin, 'card'), 0o755);
      const work = join(sb.dir, 'work');
      mkdirSync(work);
      symlinkSync(FIXTURES, join(work, 'fixtures'));
      const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1', ...emulatorEnv(emu.url, emu.state().apps[0]!) };
      for (const [i, step] of block.steps.entries()) {
        const cat = /^cat (\S+)$/.exec(step.command);
        if (cat && !existsSync(join(work, cat[1]!))) writeFileSync(join(work, cat[1]!), `${step.expected.join('\n')}\n`);
        const r = await sh(step.command, work, env);
        const want = i === block.steps.length - 1 ? block.exit : 0;
        expect(r.code, `README.md:${block.line} \`${step.command}\` exited ${r.code}:\n${r.out}`).toBe(want);
        const actual = r.out.split('\n').map(normalise);
        for (const line of step.expected) {
          expect(actual, `README.md:${block.line} \`${step.command}\` should print:\n${line}\nit printed:\n${r.out}`).toContain(normalise(line));
        }
      }
    } finally {
      sb.cleanup();
    }
  });
});
