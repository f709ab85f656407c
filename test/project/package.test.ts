import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, unknown> };
const run = promisify(execFile);

let dir: string;
let project: string;
let env: NodeJS.ProcessEnv;

/*
 * The package as a bot project gets it: packed (from the dist `npm test` has just built),
 * installed from the tarball into an empty project, and run there with npx. Dependencies come
 * from npm's cache when it holds them (--prefer-offline); card itself never comes from the network.
 */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'card-pack-'));
  project = join(dir, 'bot');
  const cache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  // A throwaway HOME, so npm's user config and logs stay out of the user's; the cache is read.
  env = { PATH: process.env.PATH, HOME: dir, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env });
  const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  spawnSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true, type: 'module' }));
  await run('npm', ['install', '--save-dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], { cwd: project, env, timeout: 240_000 });
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package, installed in another project', () => {
  it('is named for what it is, and installs the card command', async () => {
    expect(pkg.name).not.toBe('card');
    // ./testing is exported exactly when the testing library is built.
    expect('./testing' in pkg.exports).toBe(existsSync(join(ROOT, 'dist/testing/index.js')));
    const installed = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(installed.devDependencies[pkg.name]).toMatch(/\.tgz$/);
    const r = await run('npx', ['--no', '--', 'card', '--version'], { cwd: project, env });
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lints a card with the schemas it ships', async () => {
    const card = join(project, 'node_modules', pkg.name, 'fixtures/cards/approval.v2.json');
    const r = await run('npx', ['--no', '--', 'card', 'lint', card, '--json'], { cwd: project, env });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    writeFileSync(join(project, 'bad.json'), JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'no_such_tag' }] } }));
    const bad = await run('npx', ['--no', '--', 'card', 'lint', 'bad.json'], { cwd: project, env }).catch((e: { code: number }) => e);
    expect((bad as { code: number }).code).toBe(5);
  });

  it('runs the emulator: the ready line, a working API, and a clean stop', async () => {
    const child = spawn('npx', ['--no', '--', 'card', 'emulator', '--port', '0', '--json'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
      });
      const ready = JSON.parse(line) as { url: string; apps: Array<{ app_id: string }> };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const state = (await (await fetch(`${ready.url}/_emulator/state`)).json()) as { data: { apps: Array<{ app_id: string }> } };
      expect(state.data.apps[0]!.app_id).toBe(ready.apps[0]!.app_id);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it("the demo's Next block names commands and files that work from the project", async () => {
    const r = await run('npx', ['--no', '--', 'card', 'demo'], { cwd: project, env });
    const send = /npx card send (\S+) --to/.exec(r.stdout);
    expect(send, r.stdout).not.toBeNull();
    expect(existsSync(resolve(project, send![1]!))).toBe(true);
    expect(r.stdout).not.toMatch(/^ {2}card /m);
  });

  it('exports the library: startEmulator from the package name', async () => {
    const script = `import('${pkg.name}').then(async (m) => { const e = await m.startEmulator({ port: 0 }); console.log(e.url); await e.close(); })`;
    const r = await run(process.execPath, ['-e', script], { cwd: project, env });
    expect(r.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('exports the testing library: <package>/testing starts an emulator a test can act on', async () => {
    const script = [
      `import('${pkg.name}/testing').then(async (t) => {`,
      '  const emu = await t.startEmulator();',
      '  const app = emu.app();',
      "  console.log(JSON.stringify({ url: emu.url, appId: app.appId, user: emu.user('alice@example.com').openId, messages: emu.messages().length, exports: Object.keys(t).sort() }));",
      '  await emu.close();',
      '})',
    ].join('\n');
    const r = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project, env });
    const out = JSON.parse(r.stdout.trim()) as { url: string; appId: string; user: string; messages: number; exports: string[] };
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.appId).toMatch(/^cli_/);
    expect(out.user).toMatch(/^ou_/);
    expect(out.messages).toBe(0);
    expect(out.exports).toEqual(expect.arrayContaining(['startEmulator', 'TestEmulator', 'TestEmulatorError', 'TestUser']));
    // The types ship beside it, where the export map says.
    expect(existsSync(join(project, 'node_modules', pkg.name, 'dist/testing/index.d.ts'))).toBe(true);
  });
});
