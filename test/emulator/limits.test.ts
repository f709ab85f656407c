import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { emulatorForFile, sharedCard } from '../helpers/emulator.js';

const c = emulatorForFile();

// A frozen wall clock puts every request in the same one-second window.
const frozen = () => Date.UTC(2026, 10, 23, 12, 0, 0, 100);

describe('rate limits', () => {
  it('answers the 51st request in a second with 429, 99991400 and the x-ogw-ratelimit headers', async () => {
    await c.restart({ now: frozen });
    const token = await c.token();
    const call = () => c.call('POST', '/open-apis/contact/v3/users/batch_get_id', { emails: ['alice@example.com'] }, token);
    for (let i = 0; i < 50; i++) expect((await call()).status).toBe(200);
    const limited = await call();
    expect([limited.status, limited.body.code, limited.body.msg]).toEqual([429, 99991400, 'request trigger frequency limit']);
    expect(limited.headers.get('x-ogw-ratelimit-limit')).toBe('50');
    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    await c.call('POST', '/_emulator/clock', { advance_seconds: 1 });
    expect((await call()).status).toBe(200);
  });

  it('limits one receiver to 5 messages a second with 230020', async () => {
    await c.restart({ now: frozen });
    const token = await c.token();
    for (let i = 0; i < 5; i++) expect((await c.send(token, 'email', 'alice@example.com', sharedCard())).body.code).toBe(0);
    const sixth = await c.send(token, 'email', 'alice@example.com', sharedCard());
    expect([sixth.status, sixth.body.code]).toEqual([400, 230020]);
    expect(sixth.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    // Another receiver is not affected.
    expect((await c.send(token, 'email', 'bob@example.com', sharedCard())).body.code).toBe(0);
    expect(c.emu.messages()).toHaveLength(6);
  });

  it('can be configured and switched off, at start or at run time', async () => {
    await c.restart({ now: frozen, settings: { rateLimits: { appPerSecond: 3, appPerMinute: 1000, receiverPerSecond: 5, messagePatchPerSecond: 5 } } });
    const token = await c.token();
    const call = () => c.call('POST', '/open-apis/contact/v3/users/batch_get_id', { emails: [] }, token);
    for (let i = 0; i < 3; i++) await call();
    expect((await call()).status).toBe(429);
    await c.call('PATCH', '/_emulator/settings', { rate_limits: false });
    for (let i = 0; i < 60; i++) expect((await call()).status).toBe(200);
  });
});

describe('bad requests never crash or hang the emulator', () => {
  it('answers each malformed request in the platform envelope, then keeps serving', async () => {
    await c.restart({ settings: { maxBodyBytes: 64 * 1024 } });
    const token = await c.token();
    const path = '/open-apis/im/v1/messages?receive_id_type=email';
    const cases: Array<{ raw: string; status: number; code: number }> = [
      { raw: '{"receive_id": ', status: 400, code: 9499 },
      { raw: 'not json at all', status: 400, code: 9499 },
      { raw: '[1,2,3]', status: 400, code: 9499 },
      { raw: '"a string"', status: 400, code: 9499 },
      { raw: 'null', status: 400, code: 9499 },
      { raw: '{}', status: 400, code: 99992402 },
      { raw: '{"receive_id": 5, "msg_type": "text", "content": "{}"}', status: 400, code: 9499 },
      { raw: '{"receive_id": "a@b.c", "msg_type": ["x"], "content": "{}"}', status: 400, code: 9499 },
      { raw: `{"receive_id": "alice@example.com", "msg_type": "interactive", "content": "\\ud800"}`, status: 400, code: 230099 },
      { raw: JSON.stringify({ receive_id: 'a@b.c', msg_type: 'text', content: 'x'.repeat(100 * 1024) }), status: 413, code: 9499 },
    ];
    for (const { raw, status, code } of cases) {
      const r = await c.call('POST', path, undefined, token, raw);
      expect([r.status, r.body.code], raw.slice(0, 40)).toEqual([status, code]);
      expect(r.body.error.log_id).toBeTruthy();
    }
    // Invalid UTF-8 and a connection that dies mid-body.
    const bytes = await fetch(c.emu.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(bytes.status).toBe(400);
    await new Promise<void>((resolve) => {
      const socket = connect(c.emu.port, '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 1000\r\ncontent-type: application/json\r\n\r\n{"recei`);
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('close', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const socket = connect(c.emu.port, '127.0.0.1', () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
      socket.on('data', (d) => expect(d.toString()).toContain('400'));
      socket.on('close', () => resolve());
    });
    const ok = await c.send(token, 'email', 'alice@example.com', sharedCard());
    expect(ok.body.code).toBe(0);
  });
});

describe('control API', () => {
  it('logs requests without secrets-bearing headers, and resets to the seed', async () => {
    await c.restart();
    const token = await c.token();
    await c.send(token, 'email', 'alice@example.com', sharedCard());
    const log = (await c.call('GET', '/_emulator/requests')).body.data.requests;
    expect(log.map((r: any) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /open-apis/auth/v3/tenant_access_token/internal 200',
      'POST /open-apis/im/v1/messages 200',
    ]);
    expect(log[1]).toMatchObject({ app_id: c.app.app_id, code: 0, query: { receive_id_type: 'email' }, body: { receive_id: 'alice@example.com' } });
    const filtered = (await c.call('GET', '/_emulator/requests?path=/open-apis/im/v1/messages')).body.data.requests;
    expect(filtered).toHaveLength(1);
    const messages = (await c.call('GET', '/_emulator/messages?receive_id=alice@example.com')).body.data.messages;
    expect(messages).toHaveLength(1);
    await c.call('POST', '/_emulator/reset');
    expect((await c.call('GET', '/_emulator/messages')).body.data.messages).toHaveLength(0);
    expect((await c.call('GET', '/_emulator/requests')).body.data.requests).toHaveLength(0);
    const stale = await c.send(token, 'email', 'alice@example.com', sharedCard());
    expect(stale.body.code).toBe(99991663);
  });

  it('rejects a seed with a clear path to what is wrong', async () => {
    await expect(startEmulator({ port: 0,  seed: { apps: [{ app_id: 'cli_x' }] } as any })).rejects.toThrow('$.apps[0].app_secret');
    await expect(startEmulator({ port: 0,  seed: '/nonexistent/seed.json' })).rejects.toThrow('cannot read seed file');
  });
});

describe('content nested without bound', () => {
  it('answers 230099 / 200621 to card and post content nested 12,000 deep, on every route that parses it, and keeps serving', async () => {
    await c.restart();
    const token = await c.token();
    const deep = `{"schema":"2.0","body":{"elements":${'['.repeat(12_000)}${']'.repeat(12_000)}}}`;
    const sent = await c.send(token, 'email', 'alice@example.com', sharedCard());
    expect(sent.body.code).toBe(0);
    const mid = sent.body.data.message_id;
    const created = await c.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(sharedCard()) }, token);
    expect(created.body.code).toBe(0);
    const cardId = created.body.data.card_id;
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'alice@example.com', msg_type: 'interactive', content: deep }],
      ['POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'alice@example.com', msg_type: 'post', content: deep }],
      ['POST', `/open-apis/im/v1/messages/${mid}/reply`, { msg_type: 'interactive', content: deep }],
      ['PATCH', `/open-apis/im/v1/messages/${mid}`, { content: deep }],
      ['POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: deep }],
      ['PUT', `/open-apis/cardkit/v1/cards/${cardId}`, { card: { type: 'card_json', data: deep }, sequence: 1 }],
    ];
    for (const [method, path, body] of cases) {
      const r = await c.call(method, path, body, token);
      expect([r.status, r.body.code], `${method} ${path}`).toEqual([400, 230099]);
      expect(r.body.msg).toContain('ErrCode: 200621');
    }
    // A card object in the body (ephemeral, batch send) is bounded by the body's own depth check.
    expect((await c.send(token, 'email', 'alice@example.com', sharedCard())).body.code).toBe(0);
  });
});
