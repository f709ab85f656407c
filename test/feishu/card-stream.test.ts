import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CardStreamer, cleanText, summaryOf } from '../../src/feishu/card-stream.js';
import { createCardEntity } from '../../src/feishu/cardkit.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { defaultStreamCard } from '../../src/card/stream-card.js';
import { systemClock } from '../../src/io.js';
import { FakeClock } from '../helpers/clock.js';

let emu: RunningEmulator;
let client: FeishuClient;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  client = new FeishuClient({ baseUrl: emu.url, appId: app.app_id, appSecret: app.app_secret, timeoutMs: 5000, cache: null, now: () => emu.core.now() });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe('CardStreamer', () => {
  it('turns streaming mode on again before its 10 minutes run out, so a long stream is not cut off', async () => {
    const cardId = await createCardEntity(client, defaultStreamCard('long'));
    const since = emu.core.now();
    const streamer = new CardStreamer({ client, cardId, elementId: 'stream_text', intervalMs: 100, clock: { ...systemClock, now: () => emu.core.now() }, streamingSince: since });
    streamer.set('minute 0');
    await new Promise((r) => setTimeout(r, 150));
    // Past the platform's 10 minutes: without the renewal the next push would get 200850.
    emu.core.clock.advance(11 * 60 * 1000);
    streamer.set('minute 0, minute 11');
    await streamer.finish('done');
    const calls = emu.requests().filter((r) => r.path.includes('/cardkit/v1/cards/'));
    expect(calls.map((c) => `${c.path.split('/').pop()}:${c.code}`)).toEqual(['content:0', 'settings:0', 'content:0', 'settings:0']);
    expect((calls[1]!.body as any).settings).toContain('"streaming_mode":true');
    const entity = (await fetch(`${emu.url}/_emulator/cardkit/cards`).then((r) => r.json() as Promise<any>)).data.cards[0];
    expect(entity.card.body.elements[0].content).toBe('minute 0, minute 11');
    expect(entity.streaming_mode).toBe(false);
  });

  it('sends the last text once when a push is still in flight as the stream ends', async () => {
    // The push in flight reschedules itself when it ends; that timer and the last push fell due
    // together, and the same text went out twice a few milliseconds apart (issue 22's flake).
    const clock = new FakeClock();
    emu.reset();
    const cardId = await createCardEntity(client, defaultStreamCard('race'));
    const streamer = new CardStreamer({ client, cardId, elementId: 'stream_text', intervalMs: 300, clock });
    streamer.set('one');
    clock.advance(0);
    streamer.set('one two');
    const finished = streamer.finish('done');
    // Once the first push has come back, let 300 ms pass: everything due then fires together.
    const contentCalls = () => emu.requests().filter((r) => r.path.endsWith('/content'));
    while (contentCalls().length < 1 || clock.pending === 0) await new Promise((r) => setTimeout(r, 5));
    clock.auto();
    await finished;
    expect(contentCalls().map((c) => (c.body as any).content)).toEqual(['one', 'one two']);
  });

  it('cleans terminal output and summarises it on one line', () => {
    expect(cleanText('\u001b[1;31mred\u001b[0m\r\nnext\u0007 \u001b]0;title\u0007x')).toBe('red\nnext x');
    expect(summaryOf('  a\n\nb  ')).toBe('a b');
    expect(summaryOf('x'.repeat(100)).length).toBe(60);
  });
});
