import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedPackage } from '../helpers/installed-package.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, unknown> };
const run = promisify(execFile);

let project: string;
let env: NodeJS.ProcessEnv;

/*
 * The package as a bot project gets it (test/helpers/installed-package.ts: packed once per run,
 * installed from the tarball into an empty project), run there with npx.
 */
beforeAll(async () => {
  ({ project, env } = await installedPackage());
}, 300_000);

/**
 * `card` as the project's bin link gives it: what npx runs, without npm's own start-up (most of a
 * second of CPU a call). The first case and the emulator's run through npx itself.
 */
const card = (args: string[]) => run(join(project, 'node_modules/.bin/card'), args, { cwd: project, env });

// Each case runs card once or twice, some through npx (npm's start-up, then card's): seconds each when both cores are busy.
describe('the packed package, installed in another project', { timeout: 90_000 }, () => {
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
    const file = join(project, 'node_modules', pkg.name, 'fixtures/cards/approval.v2.json');
    const r = await card(['lint', file, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    writeFileSync(join(project, 'bad.json'), JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'no_such_tag' }] } }));
    const bad = await card(['lint', 'bad.json']).catch((e: { code: number }) => e);
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
    const r = await card(['demo']);
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
