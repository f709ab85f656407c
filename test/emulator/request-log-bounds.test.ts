import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

let client: EmulatorClient | null = null;
afterEach(async () => {
  await client?.emu.close();
  client = null;
});

/** `[{},{},…]` of about `bytes` bytes: cheap to send, millions of objects once parsed. */
const emptyObjects = (bytes: number) => `[${Array(Math.floor(bytes / 3)).fill('{}').join(',')}]`;

describe('the request log under a flood of large bodies', () => {
  it('keeps a capped excerpt and the size of a large body, never the parsed tree', async () => {
    client = await withEmulator({ settings: { requestLogBodyBytes: 1024 } });
    const big = emptyObjects(200_000);
    const r = await client.call('POST', TOKEN_PATH, undefined, null, big);
    expect(r.status).toBe(400);
    const [entry] = client.emu.requests();
    expect(entry!.body).toBeNull();
    expect(entry!.body_bytes).toBe(Buffer.byteLength(big));
    expect(entry!.body_excerpt).toBe(big.slice(0, 1024));
    // The control API shows the same summary.
    const page = (await client.call('GET', '/_emulator/requests')).body.data.requests;
    expect(page[0]).toMatchObject({ body: null, body_bytes: big.length, body_excerpt: big.slice(0, 1024) });
  });

  it('shows a small JSON body parsed, afresh on each read', async () => {
    client = await withEmulator();
    const app = client.app;
    await client.call('POST', TOKEN_PATH, { app_id: app.app_id, app_secret: app.app_secret });
    const entry = client.emu.requests()[0]!;
    expect(entry.body).toEqual({ app_id: app.app_id, app_secret: app.app_secret });
    expect(entry.body_excerpt).toBeNull();
    // A test that changes what it read does not change the log.
    (entry.body as Record<string, unknown>).app_id = 'changed';
    expect((entry.body as Record<string, unknown>).app_id).toBe(app.app_id);
    const page = (await client.call('GET', '/_emulator/requests')).body.data.requests;
    expect(page[0].body).toEqual({ app_id: app.app_id, app_secret: app.app_secret });
  });

  it('shows a body that is not JSON as an excerpt of its text', async () => {
    client = await withEmulator();
    await client.call('POST', TOKEN_PATH, undefined, null, '{"app_id": nope');
    const entry = client.emu.requests()[0]!;
    expect([entry.body, entry.body_excerpt, entry.body_bytes]).toEqual([null, '{"app_id": nope', 15]);
  });

  it('holds at most requestLogBytes, dropping the oldest entries first', async () => {
    client = await withEmulator({ settings: { requestLogBodyBytes: 4096, requestLogBytes: 32 * 1024 } });
    const big = emptyObjects(30_000);
    for (let i = 0; i < 30; i++) await client.call('POST', `${TOKEN_PATH}?n=${i}`, undefined, null, big);
    const log = client.emu.core.requestLog();
    expect(log.bytes).toBeLessThanOrEqual(32 * 1024);
    const kept = client.emu.requests();
    // Far fewer than the 5,000 entries the count bound allows; the newest are the ones kept.
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.length).toBeLessThan(10);
    expect(kept.at(-1)!.query).toEqual({ n: '29' });
    expect(kept.map((e) => e.seq)).toEqual(kept.map((_, i) => 31 - kept.length + i));
  });

  it('keeps 64 KiB of a body by default, within the byte bound', async () => {
    client = await withEmulator({ settings: { requestLogBytes: 256 * 1024 } });
    const big = emptyObjects(200_000);
    for (let i = 0; i < 8; i++) await client.call('POST', TOKEN_PATH, undefined, null, big);
    const total = client.emu.requests().reduce((n, e) => n + (e.body_excerpt?.length ?? 0), 0);
    // 64 KiB a body by default, and the log as a whole within its byte bound.
    expect(client.emu.requests().every((e) => (e.body_excerpt?.length ?? 0) === 64 * 1024)).toBe(true);
    expect(total).toBeLessThanOrEqual(256 * 1024);
    expect(client.emu.core.requestLog().bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it('refuses log bounds that are not whole positive numbers', async () => {
    await expect(startEmulator({ settings: { requestLogBytes: 0 } })).rejects.toThrow(/settings.requestLogBytes must be a whole number of at least 1/);
    await expect(startEmulator({ settings: { requestLogBodyBytes: Number.NaN } })).rejects.toThrow(/settings.requestLogBodyBytes/);
  });
});
