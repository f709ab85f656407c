import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TestEmulatorError, type TestEmulator } from '../../src/testing/index.js';
import { FakeClock } from '../helpers/clock.js';

/**
 * Streaming through the official SDK's CardKit calls, read with the testing library: the text a
 * card shows at any point, and a wait that ends when streaming mode closes (the bot closed it, or
 * the platform did 10 minutes on) or names the last sequence when it does not.
 */
const clock = new FakeClock();
let emu: TestEmulator;
let client: lark.Client;
let alice: string;

const streamingCard = {
  schema: '2.0',
  config: { streaming_mode: true },
  header: { title: { tag: 'plain_text', content: 'Answer' } },
  body: { elements: [{ tag: 'markdown', content: '', element_id: 'answer' }, { tag: 'markdown', content: '', element_id: 'sources' }] },
};

beforeAll(async () => {
  emu = await startEmulator({ clock, rateLimits: false });
  const app = emu.app();
  alice = emu.user('alice@example.com').openId;
  client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
});
afterAll(() => emu?.close());

/** A streaming card entity sent to Alice: its card_id, its message, and the next sequence to use. */
async function streamingMessage() {
  const created = await client.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(streamingCard) } });
  const cardId = created.data!.card_id!;
  const sent = await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice, msg_type: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: cardId } }) } });
  let seq = 0;
  const push = async (elementId: string, content: string) => {
    const r = await client.cardkit.v1.cardElement.content({ path: { card_id: cardId, element_id: elementId }, data: { content, sequence: ++seq } });
    expect(r.code).toBe(0);
  };
  const close = async () => {
    const r = await client.cardkit.v1.card.settings({ path: { card_id: cardId }, data: { settings: JSON.stringify({ config: { streaming_mode: false } }), sequence: ++seq } });
    expect(r.code).toBe(0);
  };
  return { cardId, messageId: sent.data!.message_id!, push, close, seq: () => seq };
}

describe('testing library: streaming', () => {
  it('reads the streamed text at any point, per element or all of it', async () => {
    const s = await streamingMessage();
    expect(emu.streamedText(s.messageId)).toBe('');
    await s.push('answer', 'Hel');
    expect(emu.streamedText(s.messageId)).toBe('Hel');
    await s.push('answer', 'Hello, world');
    await s.push('sources', '[1] docs');
    expect(emu.streamedText(s.messageId)).toBe('Hello, world\n[1] docs');
    expect(emu.streamedText(emu.message(s.messageId), 'answer')).toBe('Hello, world');
    expect(() => emu.streamedText(s.messageId, 'nope')).toThrow(/no text was streamed into element "nope".*streamed into: answer, sources/);
  });

  it('waitForStreamEnd resolves when the bot turns streaming mode off, not before', async () => {
    const s = await streamingMessage();
    let done = false;
    const ended = emu.waitForStreamEnd(s.messageId).then((m) => ((done = true), m));
    await s.push('answer', 'partial');
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await s.push('answer', 'complete answer');
    await s.close();
    const m = await ended;
    expect((m.card as any).config.streaming_mode).toBe(false);
    expect(emu.streamedText(m)).toBe('complete answer');
    // Already closed: resolves at once.
    await expect(emu.waitForStreamEnd(m)).resolves.toMatchObject({ messageId: s.messageId });
  });

  it('resolves when the platform closes streaming 10 minutes after it was turned on, on the emulator\'s clock', async () => {
    const s = await streamingMessage();
    await s.push('answer', 'left open');
    let done = false;
    const ended = emu.waitForStreamEnd(s.messageId, { timeoutMs: 2000 }).then((m) => ((done = true), m));
    clock.advance(9 * 60 * 1000);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    clock.advance(60 * 1000);
    const m = await ended;
    expect((m.card as any).config.streaming_mode).toBe(false);
  });

  it('rejects after its timeout naming the last sequence and what the card shows', async () => {
    const s = await streamingMessage();
    await s.push('answer', 'one');
    await s.push('answer', 'one two');
    await s.push('answer', 'one two three');
    const err = await emu.waitForStreamEnd(s.messageId, { timeoutMs: 30 }).catch((e) => e);
    expect(err).toBeInstanceOf(TestEmulatorError);
    expect(err.message).toBe(`card ${s.cardId} of ${s.messageId} was still streaming after 30 ms; the last sequence it took was 3, and it shows "one two three"`);
  });

  it('says so for a message that was not sent from a card entity', async () => {
    const sent = await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) } });
    const id = sent.data!.message_id!;
    await expect(emu.waitForStreamEnd(id)).rejects.toThrow(`${id} was not sent from a CardKit card entity (card_id), so it does not stream`);
    expect(() => emu.streamedText('om_nope')).toThrow(/no message om_nope/);
  });
});
