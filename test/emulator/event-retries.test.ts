import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { BotFailureError, startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { deliverEvent } from '../../src/emulator/delivery.js';
import { EVENT_RETRY_DELAYS_MS } from '../../src/emulator/delivery-log.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { FakeClock } from '../helpers/clock.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';

/**
 * Delivery as the platform does it: an event the bot fails is sent again after 15 s, 5 min, 1 h
 * and 6 h with the same event_id, on the emulator's clock (a test moves it, nothing waits), and
 * a bot that de-duplicates by event_id can be shown to handle it once. Callbacks are never re-sent.
 */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;
const MIN = 60_000;

/** A webhook bot on the official SDK's dispatcher; a handler that throws becomes HTTP 500. */
function webhookBot(handler: (data: any) => Promise<unknown>) {
  const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register({
    'im.message.receive_v1': handler,
    'card.action.trigger': async () => {
      throw new Error('approval store is down');
    },
  } as any);
  return dispatcherWebhook(dispatcher, seeded.encrypt_key!);
}

let emu: TestEmulator | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await emu?.close();
  emu = undefined;
});

let apps = 0;

async function setUp(handler: (data: any) => Promise<unknown>, clock?: FakeClock) {
  const bot = await serve(webhookBot(handler));
  stops.push(bot.close);
  // An app id of its own per emulator: the SDK caches tokens per app id for the whole process.
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, `cli_b1b2c3d4e5f607${String(++apps).padStart(2, '0')}`));
  emu = await startEmulator({ seed, eventUrl: `${bot.url}/events`, callbackUrl: `${bot.url}/callbacks`, rateLimits: false, clock });
  return emu;
}

describe('a failed event is sent again on the platform\'s schedule', () => {
  it('after 15 s, 5 min, 1 h and 6 h, with the same event_id, and no more after the last', async () => {
    const clock = new FakeClock();
    const got: Array<{ event_id: string; at: number }> = [];
    const e = await setUp(async (d) => {
      got.push({ event_id: d.event_id, at: clock.now() });
      throw new Error('database is down');
    }, clock);
    const start = clock.now();
    await expect(e.user('alice@example.com').sendText('p2p', 'expense 42')).rejects.toBeInstanceOf(BotFailureError);
    expect(got).toHaveLength(1);

    // Just short of each interval nothing is sent; at it, the next attempt goes out.
    let elapsed = 0;
    for (const [i, delay] of EVENT_RETRY_DELAYS_MS.entries()) {
      clock.advance(delay - 1);
      await e.idle();
      expect(got).toHaveLength(i + 1);
      clock.advance(1);
      await e.idle();
      expect(got).toHaveLength(i + 2);
      elapsed += delay;
      expect(got[i + 1]!.at - start).toBe(elapsed);
    }
    expect(EVENT_RETRY_DELAYS_MS).toEqual([15_000, 5 * MIN, 60 * MIN, 360 * MIN]);
    // After the fifth attempt there is none: a day later the bot has still seen five.
    clock.advance(24 * 60 * MIN);
    await e.idle();
    expect(got).toHaveLength(5);
    expect(new Set(got.map((g) => g.event_id)).size).toBe(1);

    const attempts = e.deliveries({ kind: 'im.message.receive_v1' });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.every((a) => a.event_id === got[0]!.event_id && a.verdict === 'failed' && a.reason === 'HTTP 500: Error: database is down')).toBe(true);
    expect(attempts.map((a) => a.retry_at && Date.parse(a.retry_at) - Date.parse(a.time))).toEqual([...EVENT_RETRY_DELAYS_MS, null]);
  });

  it('a bot that de-duplicates by event_id handles it once; one that does not, twice', async () => {
    const clock = new FakeClock();
    const seen = new Set<string>();
    const handled: string[] = [];
    let calls = 0;
    let dedupe = true;
    const e = await setUp(async (d) => {
      calls++;
      if (dedupe && seen.has(d.event_id)) return;
      seen.add(d.event_id);
      handled.push(d.message.message_id);
      // The work is done, then the bot dies before answering: the platform sends it again.
      if (calls === 1 || (!dedupe && calls === 3)) throw new Error('crashed after handling');
    }, clock);
    const alice = e.user('alice@example.com');
    const err = await alice.sendText('p2p', 'expense 42').catch((x) => x);
    expect(err).toBeInstanceOf(BotFailureError);
    clock.advance(15_000);
    await e.idle();
    expect(calls).toBe(2);
    expect(handled).toHaveLength(1);
    const [first, second] = e.deliveries({ category: 'event' });
    expect(second!.event_id).toBe(first!.event_id);
    expect([first!.verdict, second!.verdict]).toEqual(['failed', 'ok']);
    expect(second!.retry_at).toBeNull();

    // Without de-duplication the same event is handled twice.
    dedupe = false;
    handled.length = 0;
    await alice.sendText('p2p', 'expense 43').catch(() => undefined);
    clock.advance(15_000);
    await e.idle();
    expect(handled).toHaveLength(2);
    expect(new Set(handled).size).toBe(1);
  });
});

describe('GET /_emulator/deliveries', () => {
  it('lists each event with its attempts, and the clock route answers once due re-sends are done', async () => {
    let fail = true;
    const e = await setUp(async () => {
      if (fail) throw new Error('database is down');
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${e.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return (await res.json()) as any;
    };
    await e.user('alice@example.com').sendText('p2p', 'hello').catch(() => undefined);
    let listed = (await call('GET', '/_emulator/deliveries?category=event')).data.deliveries;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'im.message.receive_v1', category: 'event', state: 'retrying' });
    expect(listed[0].attempts).toHaveLength(1);
    expect(listed[0].attempts[0]).toMatchObject({ attempt: 1, max_attempts: 5, verdict: 'failed', transport: 'webhook', answer: { status: 500 }, reason: 'HTTP 500: Error: database is down' });

    fail = false;
    await call('POST', '/_emulator/clock', { advance_seconds: 15 });
    listed = (await call('GET', '/_emulator/deliveries?category=event')).data.deliveries;
    expect(listed[0].state).toBe('delivered');
    expect(listed[0].attempts.map((a: any) => [a.attempt, a.verdict, a.event_id])).toEqual([
      [1, 'failed', listed[0].event_id],
      [2, 'ok', listed[0].event_id],
    ]);
    expect((await call('GET', '/_emulator/deliveries?state=retrying')).data.deliveries).toEqual([]);
    expect((await call('GET', '/_emulator/deliveries?state=nope')).code).toBe(99992402);
    // The event log of old lists the same attempts.
    expect((await call('GET', '/_emulator/events')).data.events.map((x: any) => x.ok)).toEqual([false, true]);
  });

  it('a card callback is never sent again, and a reset drops the re-sends still due', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const e = await setUp(async () => {
      calls++;
      throw new Error('database is down');
    }, clock);
    const app = e.app();
    const client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: e.url, loggerLevel: lark.LoggerLevel.fatal });
    const card = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { a: 1 } }] }] } };
    const sent = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(card) } });
    await expect(e.user('alice@example.com').click(sent.data!.message_id!, { text: 'Approve' })).rejects.toThrow(/HTTP 500: Error: approval store is down/);
    await e.user('alice@example.com').sendText('p2p', 'hello').catch(() => undefined);
    expect(calls).toBe(1);
    e.reset();
    clock.advance(7 * 60 * MIN);
    await e.idle();
    expect(calls).toBe(1);
    expect(e.deliveries()).toEqual([]);
  });

  it('the callback is logged once, with no re-send due', async () => {
    const clock = new FakeClock();
    const e = await setUp(async () => undefined, clock);
    const app = e.app();
    const client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: e.url, loggerLevel: lark.LoggerLevel.fatal });
    const card = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { a: 1 } }] }] } };
    const sent = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(card) } });
    await e.user('alice@example.com').click(sent.data!.message_id!, { text: 'Approve' }).catch(() => undefined);
    clock.advance(7 * 60 * MIN);
    await e.idle();
    const callbacks = e.deliveries({ category: 'callback' });
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ kind: 'card.action.trigger', attempt: 1, max_attempts: 1, retry_at: null, verdict: 'failed', client_code: 200671 });
    // The inbox's JSON carries each click's delivery.
    const inbox = (await (await fetch(`${e.url}/_emulator/inbox/interactions`)).json()) as any;
    expect(inbox.data.interactions[0].delivery).toMatchObject({ id: callbacks[0]!.id, reason: 'HTTP 500: Error: approval store is down' });
  });
});

describe('the re-sends waiting on the clock', () => {
  it('are bounded: past 500 a failed event is logged and says it will not be sent again', async () => {
    const clock = new FakeClock();
    // Long connection with no client connected: every event fails at once, and would be re-sent.
    emu = await startEmulator({ longConnection: true, rateLimits: false, clock });
    const core = (emu as any).running.core;
    const app = core.store.apps.get(emu.app().appId);
    const event = { schema: '2.0', header: { event_type: 'im.chat.access_event.bot_p2p_chat_entered_v1', app_id: app.app_id }, event: {} };
    const fire = () => deliverEvent(core, app, structuredClone(event));
    for (let i = 0; i < 500; i++) await fire();
    const last = await fire();
    expect(last.reason).toMatch(/no client of .* is connected.*; not sent again: 500 re-sends are already waiting$/);
    expect(last.retry_at).toBeNull();
    expect(emu.deliveries().filter((d) => d.retry_at !== null)).toHaveLength(500);
    // Once they have gone out (and failed again), the count is the same: each waits for its next turn.
    clock.advance(15_000);
    await emu.idle();
    expect(emu.deliveries({ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1' }).filter((d) => d.attempt === 2)).toHaveLength(500);
  });
});
