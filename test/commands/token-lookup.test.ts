import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { emulatorEnv } from '../helpers/cli.js';
import { FakeClock } from '../helpers/clock.js';

const t = emulatorForFile();
const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';


const tokenCalls = () => t.emu.requests().filter((r) => r.path === TOKEN_PATH).length;

describe('card token', () => {
  it('fetches, then serves from the cache in a new process; the cache file is 0600', async () => {
    const first = await t.sb.run(['token']);
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toMatch(/^t-••••\w{2}$/);
    expect(first.stderr).toContain('fetched');
    const second = await t.sb.run(['token', '--json']);
    expect(second.json.data).toMatchObject({ source: 'cache', masked: true, app_id: t.emu.state().apps[0]!.app_id, base_url: t.emu.url });
    expect(second.json.data.expires_in_seconds).toBeGreaterThan(7000);
    expect(tokenCalls()).toBe(1);
    expect(statSync(join(t.sb.configDir, 'token-cache.json')).mode & 0o777).toBe(0o600);
  });

  it('--refresh fetches again; --reveal prints the whole token', async () => {
    await t.sb.run(['token']);
    const r = await t.sb.run(['token', '--refresh', '--reveal', '--json']);
    expect(r.json.data.source).toBe('fresh');
    expect(r.json.data.token).toMatch(/^t-emu[0-9a-f]{40}$/);
    expect(tokenCalls()).toBe(2);
  });

  it('exits 3 on wrong credentials, naming where they came from', async () => {
    const r = await t.sb.run(['token', '--json'], { env: { CARD_APP_SECRET: 'wrong-secret' } });
    expect(r.code).toBe(3);
    expect(r.json.error).toMatchObject({ type: 'auth', code: 10014 });
    expect(r.json.error.hint).toContain('env CARD_APP_SECRET');
    expect(r.json.error.log_id).toMatch(/^\d{14}/);
    expect(r.stdout + r.stderr).not.toContain('wrong-secret');
  });

  it('exits 4 when the base URL is unreachable, 2 when it is plain http off loopback', async () => {
    // A port that was free a moment ago: nothing listens there.
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const down = await t.sb.run(['token', '--json', '--base-url', `http://127.0.0.1:${closedPort}`], { env: { CARD_RETRIES: '0' } });
    expect(down.code).toBe(4);
    expect(down.json.error).toMatchObject({ type: 'network', code: 'ECONNREFUSED' });
    // fetch refused the ports browsers block (6000, …); the node:http layer reaches any port.
    const x11 = await t.sb.run(['token', '--json', '--base-url', 'http://127.0.0.1:6000'], { env: { CARD_RETRIES: '0' } });
    expect(x11.json.error?.code).not.toBe('bad_port');
    const insecure = await t.sb.run(['token', '--base-url', 'http://open.example.com']);
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain('plain http');
  });

  it('exits 4 on a timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    let asked = 0;
    silent.on('request', () => asked++);
    // The backoff between attempts is the run's clock (instant here); each attempt's 100 ms is the wall's.
    const r = await t.sb.run(['token', '--json', '--timeout', '100ms', '--base-url', `http://127.0.0.1:${port}`], { clock: new FakeClock().auto() });
    silent.closeAllConnections();
    silent.close();
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('timeout');
    expect(r.json.error.message).toContain('did not answer within 100 ms');
    // A token request is safe to repeat: it was tried again before the run gave up.
    expect(asked).toBeGreaterThan(1);
  });

  it('--verbose logs each request with method, URL, status, time and log id, and no secret', async () => {
    const r = await t.sb.run(['token', '--verbose']);
    expect(r.stderr).toMatch(new RegExp(`→ POST ${t.emu.url}${TOKEN_PATH}`));
    expect(r.stderr).toMatch(/← 200 code 0 \d+ ms, log id \d{14}[0-9A-F]+/);
    const secret = t.emu.state().apps[0]!.app_secret;
    const token = (await t.sb.run(['token', '--reveal'])).stdout.trim();
    expect(token).toMatch(/^t-emu/);
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain(token);
  });
});

describe('card lookup-user', () => {
  it('prints one row per input, tab-separated when piped', async () => {
    const r = await t.sb.run(['lookup-user', 'alice@example.com', '13800000002', '--include-resigned', 'dave@example.com']);
    expect(r.code).toBe(0);
    const users = t.emu.state().users;
    // No trailing tab when the status column is empty.
    expect(r.stdout).not.toMatch(/\t$/m);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t'))).toEqual([
      ['alice@example.com', users[0]!.open_id],
      ['13800000002', users[1]!.open_id],
      ['dave@example.com', users[3]!.open_id, 'resigned'],
    ]);
  });

  it('exits 1 when any is missing, unless --allow-missing', async () => {
    const r = await t.sb.run(['lookup-user', '--json', 'alice@example.com', 'ghost@example.com']);
    expect(r.code).toBe(1);
    expect(r.json.error.message).toContain('ghost@example.com');
    expect(r.json.error.details.users[1]).toMatchObject({ input: 'ghost@example.com', found: false, user_id: null });
    const ok = await t.sb.run(['lookup-user', '--json', '--allow-missing', '--user-id-type', 'union_id', 'alice@example.com', 'ghost@example.com']);
    expect(ok.code).toBe(0);
    expect(ok.json.data.users[0].user_id).toBe(t.emu.state().users[0]!.union_id);
  });

  it('batches more than 50 inputs and refuses ones that are neither email nor mobile', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `u${i}@example.com`);
    const r = await t.sb.run(['lookup-user', '--allow-missing', '--json', ...many]);
    expect(r.json.data.users).toHaveLength(60);
    expect(t.emu.requests().filter((q) => q.path.endsWith('batch_get_id'))).toHaveLength(2);
    const bad = await t.sb.run(['lookup-user', 'not-a-person']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"not-a-person" is neither an email address nor a mobile number');
  });

  it('exits 3 with the scopes and console link when the app lacks a scope', async () => {
    t.sb.env = emulatorEnv(t.emu.url, t.emu.state().apps[1]!);
    const r = await t.sb.run(['create-chat', '--json', '--name', 'x']);
    expect(r.code).toBe(3);
    expect(r.json.error.details.scopes).toEqual(['im:chat', 'im:chat:create']);
    expect(r.json.error.hint).toContain(`https://open.feishu.cn/app/${t.emu.state().apps[1]!.app_id}/auth?q=`);
  });
});
