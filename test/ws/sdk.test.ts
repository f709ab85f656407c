import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createRequire } from 'node:module';
import type * as WsModule from 'ws';
import { withEmulator, sharedCard, type EmulatorClient } from '../helpers/emulator.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

const { WebSocket } = createRequire(import.meta.url)('ws') as typeof WsModule;

/** The official SDK's WSClient + EventDispatcher against the emulator's long connection. */
describe('long connection with the official Node SDK', () => {
  let c: EmulatorClient;
  let token: string;
  let messageId: string;
  const bots: WsBot[] = [];
  const bot = async (handlers: Record<string, (d: any) => unknown>) => {
    const b = await startWsBot(c.emu.url, c.app, handlers);
    bots.push(b);
    return b;
  };
  const click = async (value: Record<string, unknown> = { act: 'ok' }) => {
    const r = await c.call('POST', '/_emulator/inbox/click', { message_id: messageId, action: { tag: 'button', value } });
    expect(r.body.code).toBe(0);
    return r.body.data.interaction;
  };
  const waitForConnections = async (n: number) => {
    for (let i = 0; i < 50 && c.emu.core.ws.connections().length !== n; i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.emu.core.ws.connections()).toHaveLength(n);
  };

  beforeAll(async () => {
    c = await withEmulator();
    token = await c.token();
    const alice = c.users[0]!.open_id;
    const sent = await c.send(token, 'open_id', alice, { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'OK' }, behaviors: [{ type: 'callback', value: { act: 'ok' } }] }] } });
    messageId = sent.body.data.message_id;
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) b.close();
    await waitForConnections(0);
    await c.call('PATCH', '/_emulator/ws/settings', { answer_ms: 3000, fragment_bytes: 32768, max_connections: 50 });
    await c.call('PATCH', `/_emulator/apps/${c.app.app_id}`, { ws_card_frames: false });
  });
  afterAll(async () => {
    await c.emu.close();
  });

  test('the endpoint refuses wrong credentials and hands out a URL the SDK parses', async () => {
    const bad = await c.call('POST', '/callback/ws/endpoint', { AppID: c.app.app_id, AppSecret: 'wrong' });
    expect(bad.body.code).toBe(514);
    const lower = await c.call('POST', '/callback/ws/endpoint', { app_id: c.app.app_id, app_secret: c.app.app_secret });
    expect(lower.body.code).toBe(514);
    const good = await c.call('POST', '/callback/ws/endpoint', { AppID: c.app.app_id, AppSecret: c.app.app_secret });
    expect(good.body.code).toBe(0);
    const url = new URL(good.body.data.URL);
    expect(url.protocol).toBe('ws:');
    expect(url.pathname).toBe('/ws/v2');
    // The device id is not the first parameter (the Node SDK's qs.parse over the whole URL).
    expect([...url.searchParams.keys()][0]).not.toBe('device_id');
    expect(url.searchParams.get('service_id')).toMatch(/^\d+$/);
    expect(good.body.data.ClientConfig).toMatchObject({ PingInterval: 120, ReconnectCount: -1 });
  });

  test('an inbox click is answered over the connection; the toast and the card are applied', async () => {
    let seen: any = null;
    await bot({
      'card.action.trigger': async (data: any) => {
        seen = data;
        return { toast: { type: 'success', content: `done: ${data.action.value.act}` }, card: { type: 'raw', data: sharedCard('Approved') } };
      },
    });
    const i = await click({ act: 'approve' });
    expect(i.channel).toBe('ws');
    expect(i.frame_type).toBe('event');
    expect(i.device_id).toMatch(/^\d+$/);
    expect(i.problems).toEqual([]);
    expect(i.ok).toBe(true);
    expect(i.toast).toEqual({ type: 'success', content: 'done: approve' });
    expect(i.applied).toBe('card');
    expect(seen.context.open_message_id).toBe(messageId);
    expect(seen.token).toBe(i.card_token);
    const m = await c.call('GET', `/_emulator/messages/${messageId}`);
    expect(JSON.stringify(m.body.data.card)).toContain('Approved');
  });

  test('a large payload is split into fragments and arrives whole', async () => {
    await c.call('PATCH', '/_emulator/ws/settings', { fragment_bytes: 1000 });
    const big = 'x'.repeat(20_000);
    let got = 0;
    await bot({
      'card.action.trigger': async (data: any) => {
        got = String(data.action.value.big).length;
        return { toast: { type: 'info', content: String(got) } };
      },
    });
    const direct = await c.emu.core.ws.deliver(c.app.app_id, { schema: '2.0', header: { event_type: 'card.action.trigger', event_id: 'e1' }, event: { action: { tag: 'button', value: { big } } } });
    expect(direct.fragments).toBeGreaterThan(20);
    expect(direct.status).toBe(200);
    expect(got).toBe(20_000);
    const i = await click({ big });
    expect(i.ok).toBe(true);
    expect(i.toast.content).toBe('20000');
  });

  test('a handler that throws, answers late or answers badly gives the client error', async () => {
    let mode = 'throw';
    await bot({
      'card.action.trigger': async () => {
        if (mode === 'throw') throw new Error('boom');
        if (mode === 'late') await new Promise((r) => setTimeout(r, 700));
        if (mode === 'bad') return { toast: { type: 'great', content: 'x' }, cards: {} };
        return {};
      },
    });
    const thrown = await click();
    expect(thrown.ok).toBe(false);
    expect(thrown.status).toBe(500);
    expect(JSON.stringify(thrown.problems)).toContain('200671');

    mode = 'bad';
    const bad = await click();
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p: any) => p.path)).toEqual(expect.arrayContaining(['$.toast.type', '$.cards']));
    expect(bad.toast).toBeNull();

    mode = 'late';
    await c.call('PATCH', '/_emulator/ws/settings', { answer_ms: 300 });
    const late = await click();
    expect(late.ok).toBe(false);
    expect(late.status).toBeNull();
    expect(JSON.stringify(late.problems)).toContain('200341');
  });

  test('type=card frames are dropped by the SDK, and the inbox says so', async () => {
    let called = false;
    await bot({ 'card.action.trigger': async () => ((called = true), {}) });
    await c.call('PATCH', `/_emulator/apps/${c.app.app_id}`, { ws_card_frames: true });
    await c.call('PATCH', '/_emulator/ws/settings', { answer_ms: 300 });
    const i = await click();
    expect(called).toBe(false);
    expect(i.frame_type).toBe('card');
    expect(i.ok).toBe(false);
    expect(i.problems[0].message).toMatch(/type=card frame.*drop/);
  });

  test('two clients of one app share the traffic, each message to one of them', async () => {
    const counts = [0, 0];
    await bot({ 'card.action.trigger': async () => (counts[0]++, {}) });
    await bot({ 'card.action.trigger': async () => (counts[1]++, {}) });
    await waitForConnections(2);
    for (let n = 0; n < 24; n++) await click();
    expect(counts[0] + counts[1]).toBe(24);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
  });

  test('a click with no client connected says so', async () => {
    const i = await click();
    expect(i.ok).toBe(false);
    expect(i.error).toMatch(/no client of cli_\w+ is connected/);
  });

  test('the connection limit refuses the upgrade with the platform\'s handshake headers', async () => {
    await c.call('PATCH', '/_emulator/ws/settings', { max_connections: 1 });
    await bot({});
    const ep = await c.call('POST', '/callback/ws/endpoint', { AppID: c.app.app_id, AppSecret: c.app.app_secret });
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const ws = new WebSocket(ep.body.data.URL);
      ws.on('unexpected-response', (_req, r) => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
      ws.on('open', () => reject(new Error('opened past the limit')));
      ws.on('error', () => undefined);
    });
    expect(res.status).toBe(403);
    expect(res.headers['handshake-status']).toBe('514');
    expect(res.headers['handshake-autherrcode']).toBe('1000040350');
    // A ticket is good for one upgrade only.
    const reused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(ep.body.data.URL);
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(reused).toBe(403);
  });
});

describe('long connection: what the emulator refuses', () => {
  test('a web page of another origin cannot open the long connection', async () => {
    const c = await withEmulator();
    try {
      const ep = await c.call('POST', '/callback/ws/endpoint', { AppID: c.app.app_id, AppSecret: c.app.app_secret });
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(ep.body.data.URL, { origin: 'http://evil.example' });
        ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
        ws.on('open', () => reject(new Error('opened from another origin')));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(403);
      expect(c.emu.core.ws.connections()).toHaveLength(0);
    } finally {
      await c.emu.close();
    }
  });
});
