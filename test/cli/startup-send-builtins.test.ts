import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CARD_BIN, emulatorEnv, Sandbox } from '../helpers/cli.js';

/**
 * What a scripted send of a card from stdin loads beyond what it needs: each built-in module
 * outside Node's start-up snapshot is compiled at every start, and each bundle file is read and
 * deserialized. The trace is written by the real process on exit.
 */
let emu: RunningEmulator;
let sb: Sandbox;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  sb = new Sandbox(emulatorEnv(emu.url, emu.state().apps[0]!));
});
afterAll(async () => {
  await emu.close();
  sb.cleanup();
});

function traced(args: string[], input: string): Promise<{ code: number; stdout: string; builtins: string[]; files: string[] }> {
  const trace = join(sb.dir, 'trace.json');
  const script = `
    const { writeFileSync } = require('node:fs');
    process.on('exit', () => {
      const bundle = require(${JSON.stringify(join(CARD_BIN, '../../dist/bundle/loader.cjs'))});
      writeFileSync(${JSON.stringify(trace)}, JSON.stringify({ builtins: process.moduleLoadList, files: bundle.loadedFiles().map((f) => f.name) }));
    });
    process.argv = [process.argv[0], ${JSON.stringify(CARD_BIN)}, ...${JSON.stringify(args)}];
    require(${JSON.stringify(CARD_BIN)});
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: sb.envFor(), stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, ...(JSON.parse(readFileSync(trace, 'utf8')) as { builtins: string[]; files: string[] }) }));
    child.stdin.end(input);
  });
}

describe('a scripted send from stdin', () => {
  it('loads neither fs/promises, perf_hooks, crypto nor the markdown renderer', async () => {
    const chat = emu.state().chats[0]!.chat_id;
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hello' }] } });
    expect((await sb.run(['token'])).code).toBe(0);
    const r = await traced(['send', '-', '--to', chat, '--json'], card);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(r.builtins.filter((m) => /^NativeModule (fs\/promises|internal\/fs\/promises|perf_hooks|internal\/perf\/performance|readline|internal\/readline\/interface|crypto|internal\/crypto\/hash)$/.test(m))).toEqual([]);
    expect(r.builtins).toContain('NativeModule http');
    // The renderer (and the colour table it needs) is bundled where preview and the inbox load it.
    const bundleText = r.files.map((f) => readFileSync(join(CARD_BIN, '../../dist/bundle', f), 'latin1')).join('\n');
    expect(bundleText).not.toContain('function renderMarkdown(');
    expect(bundleText).toContain('function datetimeMillis(');
  });
});
