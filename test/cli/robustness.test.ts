import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('bare commands show their help', () => {
  it.each([[[]], [['profile']], [['fixtures']], [['--profile', 'x']]])('card %j', async (args) => {
    const r = await sb.run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: card/);
    expect(r.stdout).toContain('Commands:');
  });
});

describe('--uuid ""', () => {
  it('is refused by create-chat too: an empty key would create a chat on every retry', async () => {
    const r = await sb.run(['create-chat', '--name', 'x', '--uuid', ''], { env: { CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--uuid must not be empty');
  });
});

describe('a receiver file', () => {
  it('over 64 MiB is refused before it is read, naming the file and the bound', async () => {
    const { openSync, ftruncateSync, closeSync } = await import('node:fs');
    const { join } = await import('node:path');
    const big = join(sb.dir, 'big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 65 * 1024 * 1024); // sparse: no disk is spent
    closeSync(fd);
    const r = await sb.run(['send', '-', '--to-file', big], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}', env: { CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('big.csv is 65 MiB: a receiver file may hold at most 64 MiB');
  });
});

describe('--timeout', () => {
  it('refuses a value past what a timer can hold with exit 2, naming the flag and the range', async () => {
    const r = await sb.run(['token', '--timeout', '9999999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout must be between 1 ms and 2147483647 ms');
    expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
  });

  it('names CARD_TIMEOUT when that is where a bad value came from, with no stack', async () => {
    const r = await sb.run(['token'], { env: { CARD_TIMEOUT: '0' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CARD_TIMEOUT must be between 1 ms and 2147483647 ms');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a closed stdout', () => {
  it('is a normal end: no EPIPE stack, exit 0', async () => {
    const child = spawn(process.execPath, [CARD_BIN, '--help'], { env: { PATH: process.env.PATH ?? '', HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Close the reading end before the help is written, as `| head -0` would.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});

describe('a promise left pending with nothing alive', () => {
  it('ends as a network error (exit 4) with a message, not exit 13 in silence', async () => {
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    // Stands in for a request whose socket vanished: the run never settles and no handle is left.
    const script = `import { runCli } from ${JSON.stringify(cli)};
      process.exit(await runCli(['--json', 'token'], { run: () => new Promise(() => {}) }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(4);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { type: 'network', code: 'connection_lost' } });
  });
});

describe('an error nothing catches', () => {
  async function runWith(body: string, args: string[]) {
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    const script = `import { runCli } from ${JSON.stringify(cli)};
      process.exit(await runCli(${JSON.stringify(args)}, { run: () => { ${body}; return new Promise(() => setInterval(() => {}, 1000)); } }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }

  it('a connection reset thrown from a socket event is a network error: exit 4, no stack', async () => {
    const r = await runWith(`setTimeout(() => { throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }); }, 10)`, ['token']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the connection failed: read ECONNRESET [ECONNRESET]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('any other stray rejection is a bug: exit 70 and one JSON document, no stack', async () => {
    const r = await runWith(`Promise.reject(new Error('boom'))`, ['--json', 'token']);
    expect(r.code).toBe(70);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { type: 'internal', message: 'internal error: boom' } });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('untrusted text on the terminal', () => {
  const ESC = '\u001b';
  it('a --to value with an OSC title change and a screen clear reaches stderr defused; --json stays valid', async () => {
    const evil = `ou_${ESC}]0;owned\u0007${ESC}[2J`;
    const human = await sb.run(['send', '--to', evil, '-'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('receiver "ou_');
    expect(human.stderr).not.toContain(ESC);
    expect(human.stderr).not.toContain('\u0007');
    const json = await sb.run(['send', '--to', evil, '--json', '-'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(json.code).toBe(2);
    expect(json.json.error.message).toContain(evil);
  });

  it('with colour forced on, card\'s own colours pass and an injected one does not', async () => {
    const r = await sb.run(['send', '--to', `ou_${ESC}[8mhidden`, '-'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}', env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${ESC}[31m✗${ESC}[39m`);
    expect(r.stderr).toContain('ou_\\u001b[8mhidden');
    expect(r.stderr).not.toContain(`${ESC}[8m`);
  });

  it('a CSV cell with escapes is defused in the bulk error message', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(sb.dir, 'evil.csv');
    writeFileSync(file, `to,name\n"x${ESC}]0;owned\u0007${ESC}c",A\n`);
    const r = await sb.run(['send', '--to-file', file, '-'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}', env: { CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('of no known shape');
    expect(r.stderr).not.toContain(ESC);
  });
});
