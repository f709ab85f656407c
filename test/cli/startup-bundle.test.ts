import { spawn } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CARD_BIN, emulatorEnv } from '../helpers/cli.js';

/**
 * bin/card.js runs the CLI from dist/bundle (scripts/build-bundle.mjs): CommonJS files compiled
 * from V8 code caches, with no ES module loader. A real process is traced from inside (a preload
 * that, at exit, asks the bundle loader what it loaded and lists Node's own modules): what a
 * start loads is what it costs, so this holds the fast path in place without timing anything.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOADER = join(ROOT, 'dist/bundle/loader.cjs');
const dir = mkdtempSync(join(tmpdir(), 'card-bundle-trace-'));
const PRELOAD = join(dir, 'preload.cjs');
writeFileSync(
  PRELOAD,
  `process.on('exit', () => {
  const loader = require.cache[${JSON.stringify(LOADER)}];
  require('node:fs').writeFileSync(process.env.CARD_TRACE, JSON.stringify({
    bundle: loader ? loader.exports.loadedFiles() : null,
    cjs: Object.keys(require.cache),
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
  }));
});\n`,
);

interface Trace {
  bundle: Array<{ name: string; cached: boolean }> | null;
  cjs: string[];
  builtins: string[];
  stdout: string;
  code: number | null;
}

function traced(args: string[], env: Record<string, string>, input = ''): Promise<Trace> {
  const out = join(dir, `trace-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--require', PRELOAD, CARD_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, CARD_CONFIG_DIR: join(dir, 'config'), CARD_TRACE: out, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...(JSON.parse(readFileSync(out, 'utf8')) as Omit<Trace, 'stdout' | 'code'>), stdout, code }));
  });
}

/** A bundle file's name without its content hash: `commands.send.run`. */
const named = (t: Trace) => (t.bundle ?? []).map((f) => f.name.replace(/-[\w-]{8}\.cjs$|\.cjs$/, ''));

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI bundle', () => {
  it('is built, with a code cache for each file the common commands load', () => {
    expect(existsSync(LOADER)).toBe(true);
    expect(existsSync(join(ROOT, 'dist/bundle/cli.cjs.v8cache'))).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, 'bin/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  // (The validator packs refuse a unit that is not ASCII when written: validator-pack.test.ts.)
  it('the files a send reads are ASCII, so they load as Latin-1 without UTF-8 decoding', () => {
    const bundle = readdirSync(join(ROOT, 'dist/bundle')).filter((f) => /^(cli|commands\.send\..*|commands\.declare-.*)\.cjs$/.test(f));
    const files = bundle.map((f) => join(ROOT, 'dist/bundle', f));
    expect(bundle.length).toBeGreaterThan(3);
    expect(files.filter((f) => !isAscii(readFileSync(f)))).toEqual([]);
  });

  it('reads a file as Latin-1 unless the build named it as not ASCII (the inbox page scripts are not)', () => {
    const all = readdirSync(join(ROOT, 'dist/bundle')).filter((f) => f.endsWith('.cjs') && f !== 'loader.cjs');
    const notAscii = all.filter((f) => !isAscii(readFileSync(join(ROOT, 'dist/bundle', f))));
    const named = /const UTF8_FILES = new Set\((\[.*?\])\);/.exec(readFileSync(LOADER, 'utf8'));
    expect(named).not.toBeNull();
    expect((JSON.parse(named![1]!) as string[]).sort()).toEqual(notAscii.sort());
    // Were it empty, the check above would pass with a loader that never decodes UTF-8.
    expect(notAscii.length).toBeGreaterThan(0);
    expect(notAscii.some((f) => readFileSync(join(ROOT, 'dist/bundle', f), 'utf8').includes('sending\u2026'))).toBe(true);
  });

  it('a warm scripted send runs from it: every file from its code cache, commander inside, no child_process, no ES modules', async () => {
    const env = emulatorEnv(emu.url, emu.state().apps[0]!);
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hello' }] } });
    const chat = emu.state().chats[0]!.chat_id;
    expect((await traced(['token'], env)).code).toBe(0);
    const t = await traced(['send', '-', '--to', chat, '--json'], env, card);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).ok).toBe(true);
    expect(t.bundle?.filter((f) => !f.cached)).toEqual([]);
    // Only its own command: the declaration and the run module of `send`, no other command's.
    expect(named(t).filter((n) => n.startsWith('commands.') && n !== 'commands.declare')).toEqual(['commands.send.command', 'commands.send.run']);
    // commander is in the bundle; node_modules are not read for a send.
    expect(t.cjs.filter((f) => f.includes('node_modules'))).toEqual([]);
    // Nothing from the module build, so no ES module loader: its modules are not even compiled.
    expect(t.builtins).not.toContain('internal/modules/esm/module_job');
    expect(t.builtins).not.toContain('child_process');
  });

  it('card --help and card --version run from it too', async () => {
    const help = await traced(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: card \[options\] \[command\]/);
    expect(named(help)).toEqual(['help']);
    const version = await traced(['--version'], {});
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(version.bundle?.every((f) => f.cached)).toBe(true);
    expect(named(version)).not.toContain('commands.declare');
  });

  it('requires only CommonJS packages: an ES-module-only one is imported, as the module build imports it', () => {
    const required = new Set<string>();
    for (const f of readdirSync(join(ROOT, 'dist/bundle')).filter((n) => n.endsWith('.cjs'))) {
      for (const m of readFileSync(join(ROOT, 'dist/bundle', f), 'latin1').matchAll(/\brequire\("(?!node:|\.)((?:@[\w.-]+\/)?[\w.-]+)[^"]*"\)/g)) required.add(m[1]!);
    }
    const esmOnly = [...required].filter((name) => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { type?: string; exports?: unknown };
      return pkg.type === 'module' && !JSON.stringify(pkg.exports ?? '').includes('"require"');
    });
    expect(required.size).toBeGreaterThan(0);
    expect(esmOnly).toEqual([]);
  });

  it('commands that load an ES module package work from it: profile add (conf), colour (chalk)', async () => {
    const add = await traced(['profile', 'add', 'bundle-check', '--app-id', 'cli_made_up_0001', '--app-secret-stdin', '--json'], {}, 'made-up-secret');
    expect(add.code, add.stdout).toBe(0);
    expect(JSON.parse(add.stdout).data).toMatchObject({ name: 'bundle-check' });
    const card = join(dir, 'card.json');
    writeFileSync(card, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }));
    const lint = await traced(['lint', card], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain('\u001b[');
  });
});
