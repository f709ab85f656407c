import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { send } from '../../src/http/request.js';
import { CARD_BIN, emulatorEnv, Sandbox } from '../helpers/cli.js';

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

/** Runs the CLI in a child that writes, on exit, which built-in and CommonJS modules it loaded. */
function runTraced(args: string[], input: string): Promise<{ code: number; stdout: string; loaded: { builtin: string[]; cjs: string[] } }> {
  const trace = join(sb.dir, 'trace.json');
  const script = `
    const { writeFileSync } = require('node:fs');
    const Module = require('node:module');
    process.on('exit', () => writeFileSync(${JSON.stringify(trace)}, JSON.stringify({ builtin: process.moduleLoadList, cjs: Object.keys(Module._cache) })));
    process.argv = [process.argv[0], ${JSON.stringify(CARD_BIN)}, ...${JSON.stringify(args)}];
    import(${JSON.stringify(`file://${CARD_BIN}`)});
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1', ...sb.env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, loaded: JSON.parse(readFileSync(trace, 'utf8')) }));
    child.stdin.end(input);
  });
}

describe('the HTTP layer', () => {
  it('a warm scripted send makes exactly one request and loads neither fetch nor the undici package', async () => {
    const chat = emu.state().chats[0]!.chat_id;
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'one request' }] } });
    expect((await sb.run(['token'])).code).toBe(0); // caches the token on disk
    const before = emu.requests().length;
    const r = await runTraced(['send', '-', '--to', chat, '--json'], card);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    const made = emu.requests().slice(before);
    expect(made.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /open-apis/im/v1/messages']);
    // Node's fetch is its internal copy of undici, loaded on first use of fetch.
    expect(r.loaded.builtin.filter((m) => /undici|fetch/i.test(m))).toEqual([]);
    expect(r.loaded.builtin).toContain('NativeModule http');
    expect(r.loaded.cjs.filter((p) => p.includes(`${'/node_modules/'}undici/`))).toEqual([]);
  });

  it('maps a refused connection and a timeout to network errors, and keeps plain http to loopback', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      await expect(send({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 150 })).rejects.toMatchObject({ type: 'network', code: 'timeout', exitCode: 4 });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
    await expect(send({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 1000 })).rejects.toMatchObject({ type: 'network', code: 'ECONNREFUSED' });
    await expect(send({ method: 'GET', url: 'http://open.example.invalid/x', timeoutMs: 1000 })).rejects.toMatchObject({ type: 'usage', exitCode: 2 });
  });

  it('logs the request with credentials in the query redacted, and bounds the answer', async () => {
    const lines: string[] = [];
    const res = await send({ method: 'GET', url: `${emu.url}/_emulator/state?company_token=sekrit-value`, headers: { authorization: 'Bearer t-sekrit' }, timeoutMs: 2000, log: (l) => lines.push(l) });
    expect(res.status).toBe(200);
    expect(lines.join('\n')).toContain('company_token=<redacted>');
    expect(lines.join('\n')).not.toContain('sekrit');
    await expect(send({ method: 'GET', url: `${emu.url}/_emulator/state`, timeoutMs: 2000, maxResponseBytes: 10 })).rejects.toMatchObject({ code: 'response_too_large' });
  });

  it('tries once more on a fresh connection when a reused one was closed, but only for a request safe to repeat', async () => {
    const { createServer } = await import('node:http');
    let answered = 0;
    let seen = 0;
    const perSocket = new WeakMap<object, number>();
    // Answers the first request on each connection; drops the connection on any later one.
    const server = createServer((req, res) => {
      seen++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        answered++;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      expect((await send({ method: 'GET', url, timeoutMs: 2000 })).status).toBe(200);
      expect((await send({ method: 'GET', url, timeoutMs: 2000 })).status).toBe(200);
      expect({ seen, answered }).toEqual({ seen: 3, answered: 2 });
      await expect(send({ method: 'POST', url, body: '{}', timeoutMs: 2000 })).rejects.toMatchObject({ type: 'network', code: 'ECONNRESET' });
      expect({ seen, answered }).toEqual({ seen: 4, answered: 2 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
