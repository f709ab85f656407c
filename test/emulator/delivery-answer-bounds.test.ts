import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { describeDelivery, MAX_ANSWER_EXCERPT_BYTES, utf8Excerpt } from '../../src/emulator/delivery-log.js';
import { serve } from '../helpers/handler.js';

/**
 * A delivery record keeps the start of the bot's answer and its size, not the whole answer: the
 * log holds up to a thousand records and an answer may be as large as a card. The verdict is still
 * reached on the whole answer.
 */
const button = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { act: 'approve' } }] }] } };

let emu: TestEmulator | undefined;
let stop: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stop.splice(0)) await s();
  await emu?.close();
  emu = undefined;
});

describe('the answer a delivery record keeps', () => {
  it('is an excerpt of a large answer with its byte count, and the whole answer was judged', async () => {
    // Valid JSON only as a whole: its first bytes are blank, so a verdict on the excerpt would fail it.
    const answer = ' '.repeat(3 * MAX_ANSWER_EXCERPT_BYTES) + JSON.stringify({ toast: { type: 'success', content: 'approved' } });
    const bot = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    stop.push(bot.close);
    const seeded = loadDefaultSeed();
    // Its own app id: the SDK caches tokens per app id for the whole process.
    const seed = JSON.parse(JSON.stringify(seeded).replaceAll(seeded.apps[0]!.app_id, 'cli_b0u0d0s0a0n0s0w0'));
    emu = await startEmulator({ seed, callbackUrl: `${bot.url}/callback`, rateLimits: false });
    const app = emu.app();
    const client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
    const sent = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(button) } });
    const result = await emu.user('alice@example.com').click(sent.data!.message_id!, { text: 'Approve' });
    expect(result.problems).toEqual([]);

    const [record] = emu.deliveries();
    expect(record).toMatchObject({ category: 'callback', verdict: 'ok' });
    expect(record!.answer!.bytes).toBe(Buffer.byteLength(answer));
    expect(record!.answer!.truncated).toBe(true);
    expect(Buffer.byteLength(record!.answer!.body)).toBeLessThanOrEqual(MAX_ANSWER_EXCERPT_BYTES);
    expect(answer.startsWith(record!.answer!.body)).toBe(true);
    expect(describeDelivery(record!)).toContain('ok (HTTP 200');
  });

  it('keeps a small answer whole', async () => {
    const bot = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    stop.push(bot.close);
    const seeded = loadDefaultSeed();
    const seed = JSON.parse(JSON.stringify(seeded).replaceAll(seeded.apps[0]!.app_id, 'cli_b0u0d0s0a0n0s0w1'));
    emu = await startEmulator({ seed, callbackUrl: `${bot.url}/callback`, rateLimits: false });
    const app = emu.app();
    const client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
    const sent = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(button) } });
    await emu.user('alice@example.com').click(sent.data!.message_id!, { text: 'Approve' });
    expect(emu.deliveries()[0]!.answer).toEqual({ status: 200, body: '{}', bytes: 2, truncated: false });
  });

  it('cuts on a character boundary', () => {
    // '€' is 3 bytes in UTF-8: a cut at 4 bytes would split the second one.
    expect(utf8Excerpt('€€€', 4)).toBe('€');
    expect(utf8Excerpt('€€€', 6)).toBe('€€');
    expect(utf8Excerpt('€€€', 100)).toBe('€€€');
    expect(utf8Excerpt('ab', 0)).toBe('');
  });
});
