import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { jsonTooDeep } from '../../src/emulator/http.js';
import { startEmulator as startServer } from '../../src/emulator/server.js';
import { loadDefaultSeed, SeedError, validateSeed } from '../../src/emulator/seed.js';
import { startEmulator as startTestEmulator } from '../../src/testing/emulator.js';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';

const c = emulatorForFile();

/** A raw request, so Host and Origin can be anything a browser or an attacker would send. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string, port = c.emu.port): Promise<{ status: number; text: string; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers }, setHost: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes straight onto a socket, for request lines no HTTP client would write. */
function rawSocket(bytes: string, port = c.emu.port): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.end(bytes));
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
  });
}

describe('the emulator trusts only loopback and its own origin', () => {
  it('refuses control and inbox requests from a page on another origin', async () => {
    const before = c.emu.core.now();
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1', 'https://127.0.0.1:' + c.emu.port]) {
      const clock = await raw('POST', '/_emulator/clock', { origin, 'content-type': 'text/plain' }, '{"advance_seconds":3600}');
      expect(clock.status).toBe(403);
      expect(clock.json.msg).toMatch(/Refused/);
      expect((await raw('POST', '/_emulator/reset', { origin })).status).toBe(403);
      expect((await raw('GET', '/_emulator/state', { origin })).status).toBe(403);
      expect((await raw('POST', '/_emulator/inbox/click', { origin }, '{"message_id":"om_x","action":{"tag":"button"}}')).status).toBe(403);
      expect((await raw('GET', '/_emulator/inbox/events', { origin })).status).toBe(403);
    }
    expect(Math.abs(c.emu.core.now() - before)).toBeLessThan(60_000);
  });

  it('refuses a foreign Host (DNS rebinding) on the control API and the inbox page', async () => {
    for (const host of [`evil.example:${c.emu.port}`, 'evil.example', '192.168.1.20', '']) {
      const state = await raw('GET', '/_emulator/state', { host });
      expect(state.status).toBe(403);
      expect(state.text).not.toContain(c.app.app_secret);
      expect((await raw('GET', '/', { host })).status).toBe(403);
    }
  });

  it('serves its own pages: loopback names, with or without its own Origin', async () => {
    const port = c.emu.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await raw('GET', '/_emulator/state', { host })).status).toBe(200);
      expect((await raw('GET', '/', { host, origin: `http://${host}` })).status).toBe(200);
    }
    const ok = await raw('POST', '/_emulator/clock', { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' }, '{"advance_seconds":0}');
    expect(ok.status).toBe(200);
  });

  it('serves the inbox with a CSP that runs only its own script, and forbids framing', async () => {
    const res = await fetch(`${c.emu.url}/`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

/** The default seed's published credentials, as a rebinding page would send them. */
const tokenBody = () => JSON.stringify({ app_id: c.app.app_id, app_secret: c.app.app_secret });
const FOREIGN_HOSTS = () => [`evil.example:${c.emu.port}`, 'evil.example', '192.168.1.20', 'localhost.evil.example', ''];

/** A WebSocket upgrade request for a fresh ticket of the first app, under the given headers. */
async function upgradeRequest(headers: Record<string, string>): Promise<string> {
  const ep = await raw('POST', '/callback/ws/endpoint', { 'content-type': 'application/json' }, JSON.stringify({ AppID: c.app.app_id, AppSecret: c.app.app_secret }));
  expect(ep.json.code).toBe(0);
  const target = new URL(ep.json.data.URL);
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, 'connection: Upgrade', 'upgrade: websocket', 'sec-websocket-version: 13', `sec-websocket-key: ${Buffer.from('0123456789abcdef').toString('base64')}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return rawSocket(`${lines.join('\r\n')}\r\n\r\n`);
}

describe('every route answers only to names the emulator serves (DNS rebinding)', () => {
  it('refuses the token route under a foreign Host, naming the Host and --allow-host', async () => {
    for (const host of FOREIGN_HOSTS()) {
      const r = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host, 'content-type': 'application/json' }, tokenBody());
      expect(r.status, host).toBe(403);
      expect(r.json, host).toMatchObject({ code: 403, error: { log_id: expect.any(String) } });
      expect(r.text).not.toContain('tenant_access_token"');
      expect(r.json.msg).toContain(JSON.stringify(host));
    }
    const named = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host: 'evil.example:1234', 'content-type': 'application/json' }, tokenBody());
    expect(named.json.msg).toContain('--allow-host evil.example');
    // Loopback names, as SDKs on this machine call it, still get a token.
    const port = c.emu.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const ok = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host, 'content-type': 'application/json' }, tokenBody());
      expect(ok.json.code, host).toBe(0);
    }
  });

  it('refuses an authenticated Open API route under a foreign Host, even with a valid token', async () => {
    const token = await c.token();
    const chat = c.emu.state().chats[0]!.chat_id;
    const before = c.emu.messages().length;
    const send = await raw('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { host: `evil.example:${c.emu.port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ receive_id: chat, msg_type: 'text', content: '{"text":"hi"}' }));
    expect(send.status).toBe(403);
    expect(c.emu.messages().length).toBe(before);
    const list = await raw('GET', `/open-apis/im/v1/messages?container_id_type=chat&container_id=${chat}`, { host: 'evil.example', authorization: `Bearer ${token}` });
    expect(list.status).toBe(403);
    expect(list.json.code).toBe(403);
  });

  it('refuses the long-connection endpoint and the WebSocket upgrade under a foreign Host', async () => {
    const ep = await raw('POST', '/callback/ws/endpoint', { host: 'evil.example', 'content-type': 'application/json' }, JSON.stringify({ AppID: c.app.app_id, AppSecret: c.app.app_secret }));
    expect(ep.status).toBe(403);
    expect(ep.text).not.toContain('ticket');
    // A valid ticket does not help a page under another name.
    const refused = await upgradeRequest({ host: `evil.example:${c.emu.port}` });
    expect(refused).toMatch(/^HTTP\/1\.1 403/);
    expect(refused).toContain('--allow-host evil.example');
    expect(c.emu.core.ws.connections()).toHaveLength(0);
    const crossOrigin = await upgradeRequest({ host: `127.0.0.1:${c.emu.port}`, origin: 'http://evil.example' });
    expect(crossOrigin).toMatch(/^HTTP\/1\.1 403/);
    // The same upgrade under a loopback name is accepted.
    const ok = await upgradeRequest({ host: `127.0.0.1:${c.emu.port}` });
    expect(ok).toMatch(/^HTTP\/1\.1 101/);
  });

  it('refuses the token route to a page on another origin', async () => {
    for (const origin of ['http://evil.example', 'null', `http://evil.example:${c.emu.port}`, `https://127.0.0.1:${c.emu.port}`]) {
      const r = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { origin, 'content-type': 'text/plain' }, tokenBody());
      expect(r.status, origin).toBe(403);
      expect(r.json.msg).toMatch(/Refused: a request from the web page/);
    }
    const own = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { origin: `http://127.0.0.1:${c.emu.port}`, 'content-type': 'application/json' }, tokenBody());
    expect(own.json.code).toBe(0);
  });

  it('answers names given in allowHosts (startEmulator and the testing library), and no others', async () => {
    const server = await startServer({ allowHosts: ['host.example', 'Other.Example.'] });
    const lib = await startTestEmulator({ allowHosts: ['host.example'] });
    try {
      const libApp = lib.app();
      const targets = [
        { port: server.port, app_id: server.state().apps[0]!.app_id, app_secret: server.state().apps[0]!.app_secret },
        { port: Number(new URL(lib.url).port), app_id: libApp.appId, app_secret: libApp.appSecret },
      ];
      for (const { port, ...creds } of targets) {
        const body = JSON.stringify(creds);
        const ok = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host: `host.example:${port}`, 'content-type': 'application/json' }, body, port);
        expect(ok.json.code).toBe(0);
        const evil = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host: `evil.example:${port}`, 'content-type': 'application/json' }, body, port);
        expect(evil.status).toBe(403);
      }
      expect((await raw('GET', '/_emulator/state', { host: `other.example:${server.port}` }, undefined, server.port)).status).toBe(200);
    } finally {
      await server.close();
      await lib.close();
    }
    await expect(startServer({ allowHosts: ['http://x/'] })).rejects.toThrow(/allowHosts/);
  });

  it('answers names given with card emulator --allow-host, and refuses a malformed one with exit 2', async () => {
    const sb = new Sandbox();
    const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0', '--json', '--allow-host', 'host.example', '--allow-host', 'second.example'], { env: { PATH: process.env.PATH, HOME: sb.dir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = JSON.parse((await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value);
      const port = Number(new URL(ready.url).port);
      const body = JSON.stringify({ app_id: ready.apps[0].app_id, app_secret: ready.apps[0].app_secret });
      for (const host of [`host.example:${port}`, 'second.example']) {
        const ok = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host, 'content-type': 'application/json' }, body, port);
        expect(ok.json.code, host).toBe(0);
      }
      const evil = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', { host: `evil.example:${port}`, 'content-type': 'application/json' }, body, port);
      expect(evil.status).toBe(403);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    for (const bad of ['http://host.example/', '*.example', '']) {
      const r = await sb.run(['emulator', '--port', '0', '--allow-host', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--allow-host');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    sb.cleanup();
  });
});

describe('the emulator survives absurd input', () => {
  it('answers bad percent-encoding with a 400 in the platform envelope, no stack', async () => {
    const r = await raw('GET', '/_emulator/messages/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 9499, error: { log_id: expect.any(String) } });
    expect(r.text).not.toMatch(/at .*\.js:\d+/);
    const api = await raw('GET', '/open-apis/im/v1/messages/%ZZ', { authorization: 'Bearer x' });
    expect(api.status).toBe(400);
  });

  it('refuses a body nested 20 000 levels deep with a 400, no stack', async () => {
    const token = await c.token();
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const r = await raw('POST', '/open-apis/im/v1/messages?receive_id_type=open_id', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, `{"receive_id":"ou_x","msg_type":"interactive","content":${JSON.stringify(deep)},"x":${deep}}`);
    expect(r.status).toBe(400);
    expect(r.json.msg).toMatch(/nested deeper/);
    expect(r.text).not.toMatch(/at .*\.js:\d+/);
    expect(jsonTooDeep('{"a":"[[[[[[[["}', 2)).toBe(false);
    expect(jsonTooDeep('[[[', 2)).toBe(true);
  });

  it('validates every control input, and keeps serving after a batch of absurd requests', async () => {
    const bad: Array<[string, string, string]> = [
      ['POST', '/_emulator/clock', '{"advance_seconds":1e308}'],
      ['POST', '/_emulator/clock', '{"advance_seconds":-1e308}'],
      ['POST', '/_emulator/clock', '{"advance_seconds":"soon"}'],
      ['POST', '/_emulator/clock', '{"advance_seconds":315360000000}'],
      ['POST', '/_emulator/clock', '[]'],
      ['POST', '/_emulator/clock', 'not json'],
      ['PATCH', '/_emulator/settings', '{"token_ttl_seconds":1e308}'],
      ['PATCH', '/_emulator/settings', '{"token_ttl_seconds":-5}'],
      ['PATCH', '/_emulator/settings', '{"rate_limits":{"appPerSecond":-1}}'],
      ['PATCH', '/_emulator/settings', '{"rate_limits":{"__proto__":{"x":1}}}'],
      ['PATCH', '/_emulator/settings', '{"rate_limits":[1,2]}'],
      ['PATCH', '/_emulator/settings', '{"faults":"slow_ms=1e308"}'],
      ['PATCH', '/_emulator/settings', '{"maxBodyBytes":0}'],
      ['POST', '/_emulator/card-tokens', '{"message_id":{"$ne":1}}'],
      ['POST', '/_emulator/inbox/click', '{"message_id":"om_x","action":{"tag":"button"},"open_id":{"a":1}}'],
      ['POST', '/_emulator/inbox/click', '{"message_id":"om_nope","action":{"tag":"button"}}'],
    ];
    for (const [method, path, body] of bad) {
      const r = await raw(method, path, { 'content-type': 'application/json' }, body);
      expect(r.status, `${method} ${path} ${body}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path} ${body}`).toBeLessThan(500);
    }
    const settings = (await raw('GET', '/_emulator/settings')).json.data;
    expect(settings.tokenTtlSeconds).toBe(7200);
    expect(settings.maxBodyBytes).toBe(2 * 1024 * 1024);
    expect(Number.isFinite(c.emu.core.now())).toBe(true);

    // Malformed requests on the wire: the server answers or hangs up, and lives on.
    await rawSocket('GET // HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
    await rawSocket('GET /%%%/../..\\..\\ HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
    await rawSocket('GARBAGE\r\n\r\n');
    await rawSocket(`POST /_emulator/clock HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 999999999\r\nconnection: close\r\n\r\n{`);
    await rawSocket('GET /open-apis/im/v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
    const big = await raw('POST', '/_emulator/clock', { 'content-type': 'application/json' }, `{"advance_seconds":1,"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);

    // Still serving, and still right.
    expect((await raw('GET', '/_emulator/state')).status).toBe(200);
    const token = await c.token();
    expect(token).toMatch(/^t-/);
  });
});

describe('a seed is bounded and typed like any input', () => {
  const base = () => structuredClone(loadDefaultSeed()) as any;
  it.each([
    ['$.users[0].email', (s: any) => (s.users[0].email = 5)],
    ['$.users[0].open_id', (s: any) => (s.users[0].open_id = '../x')],
    ['$.apps[0].callback_url', (s: any) => (s.apps[0].callback_url = 'javascript:alert(1)')],
    ['$.apps[1].app_id', (s: any) => (s.apps[1].app_id = s.apps[0].app_id)],
    ['$.apps[0].encrypt_key', (s: any) => (s.apps[0].encrypt_key = { k: 1 })],
    ['$.chats[0].members', (s: any) => (s.chats[0].members = 'alice')],
    ['$.users', (s: any) => (s.users = Array.from({ length: 10_001 }, (_, i) => ({ name: 'u', email: `u${i}@example.com` })))],
  ])('names %s', (path, spoil) => {
    const seed = base();
    spoil(seed);
    expect(() => validateSeed(seed)).toThrow(SeedError);
    expect(() => validateSeed(seed)).toThrow(path);
  });
  it('accepts the default seed', () => {
    expect(() => validateSeed(base())).not.toThrow();
  });
});
