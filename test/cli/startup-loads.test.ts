import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CARD_BIN, emulatorEnv } from '../helpers/cli.js';

/**
 * What a real `card` process loads, from a trace taken inside it: ES modules through a loader
 * hook, CommonJS modules from require's cache, and the generated validators from the files opened.
 * Start-up cost is what gets loaded, so this holds the fast paths in place without timing anything.
 */
const dir = mkdtempSync(join(tmpdir(), 'card-trace-'));
const HOOKS = join(dir, 'hooks.mjs');
const REGISTER = join(dir, 'register.mjs');
const PRELOAD = join(dir, 'preload.cjs');
writeFileSync(HOOKS, `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.CARD_TRACE) appendFileSync(process.env.CARD_TRACE + '.esm', url + '\\n');
  return next(url, context);
}\n`);
writeFileSync(REGISTER, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(HOOKS).href)});\n`);
writeFileSync(PRELOAD, `const fs = require('node:fs');
const read = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) { if (typeof file === 'string' && file.includes('/generated/')) read.push(file); return readFileSync.call(this, file, ...rest); };
const openSync = fs.openSync;
fs.openSync = function (file, ...rest) { if (typeof file === 'string' && file.includes('/generated/')) read.push(file); return openSync.call(this, file, ...rest); };
process.on('exit', () => fs.writeFileSync(process.env.CARD_TRACE, JSON.stringify({ cjs: Object.keys(require.cache), read })));\n`);

interface Trace {
  esm: string[];
  cjs: string[];
  read: string[];
  stdout: string;
  code: number | null;
}

function traced(args: string[], env: Record<string, string>, input = ''): Promise<Trace> {
  const out = join(dir, `trace-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--import', pathToFileURL(REGISTER).href, '--require', PRELOAD, CARD_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, CARD_CONFIG_DIR: join(dir, 'config'), CARD_TRACE: out, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const { cjs, read } = JSON.parse(readFileSync(out, 'utf8')) as { cjs: string[]; read: string[] };
      const esm = readFileSync(`${out}.esm`, 'utf8').trim().split('\n');
      resolve({ esm, cjs, read, stdout, code });
    });
  });
}

const packages = (t: Trace) => new Set([...t.esm, ...t.cjs].map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what a card process loads', () => {
  it('card --help: the recorded screens, not commander or the command tree', async () => {
    const t = await traced(['--help'], { NO_COLOR: '1' });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^Usage: card \[options\] \[command\]/);
    expect(packages(t)).toEqual(new Set());
    // The renderer comes from the CLI bundle (startup-bundle.test.ts), not the module build.
    expect(t.esm.filter((u) => u.includes('/dist/'))).toEqual([]);
  });

  it('a scripted send of a small 2.0 card: commander, its own command, one validator, nothing heavy', async () => {
    const env = emulatorEnv(emu.url, emu.state().apps[0]!);
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hello' }] } });
    const chat = emu.state().chats[0]!.chat_id;
    expect((await traced(['token'], env)).code).toBe(0);
    const t = await traced(['send', '-', '--to', chat, '--json'], env, card);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).ok).toBe(true);
    // No colour library when output is not a terminal, no profile store when the environment
    // holds the credentials, no spinner, protobuf, browser or schema compiler for one send.
    // commander is inside the CLI bundle (startup-bundle.test.ts holds which of its files load).
    expect(packages(t)).toEqual(new Set());
    // One validator pack, opened once (its units are read from it as the card needs them: validator-pack.test.ts).
    expect(t.read.map((f) => f.replace(/.*\/generated\//, ''))).toEqual(['card-v2.0.pack']);
    expect(t.esm.filter((u) => u.includes('/dist/'))).toEqual([]);
  });
});
