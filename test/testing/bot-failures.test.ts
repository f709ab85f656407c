import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { BotFailureError, startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * A bot whose handlers throw: the testing library's actions reject and name the failure (the
 * webhook's HTTP status and the first line of its body, the long connection's ack code and what
 * the client then shows), instead of resolving and leaving a wait to time out in silence.
 */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;
const button = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { act: 'approve' } }] }] } };

const boom = (what: string) => async () => {
  throw new Error(what);
};

/** A webhook bot on the official SDK's dispatcher (test/helpers/handler.ts). */
const webhookBot = (dispatcher: lark.EventDispatcher) => dispatcherWebhook(dispatcher, seeded.encrypt_key!);

let emu: TestEmulator | undefined;
let stop: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stop.splice(0)) await s();
  await emu?.close();
  emu = undefined;
});

async function sendCard(e: TestEmulator, to = 'alice@example.com'): Promise<string> {
  const app = e.app();
  const client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: e.url, loggerLevel: lark.LoggerLevel.fatal });
  const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: to, msg_type: 'interactive', content: JSON.stringify(button) } });
  return r.data!.message_id!;
}

describe('a webhook handler that throws', () => {
  it('makes click and sendText reject with HTTP 500 and the first line of the body', async () => {
    const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register({
      'im.message.receive_v1': boom('expense service is down'),
      'card.action.trigger': boom('approval store is down'),
    } as any);
    const bot = await serve(webhookBot(dispatcher));
    stop.push(bot.close);
    // Its own app id: the SDK caches tokens per app id for the whole process.
    const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, 'cli_a1b2c3d4e5f60718'));
    emu = await startEmulator({ seed, callbackUrl: `${bot.url}/webhook`, rateLimits: false });
    const alice = emu.user('alice@example.com');

    const id = await sendCard(emu);
    const click = await alice.click(id, { text: 'Approve' }).catch((e) => e);
    expect(click).toBeInstanceOf(BotFailureError);
    expect(click.message).toContain('HTTP 500: Error: approval store is down');
    expect(click.message).toContain('200671');
    // Only the first line of the stack: the rest is the bot's business.
    expect(click.message).not.toContain('    at ');
    expect(click.deliveries[0]).toMatchObject({ category: 'callback', kind: 'card.action.trigger', transport: 'webhook', verdict: 'failed', client_code: 200671, answer: { status: 500 } });

    const sent = await alice.sendText('p2p', 'expense 42').catch((e) => e);
    expect(sent).toBeInstanceOf(BotFailureError);
    expect(sent.message).toContain('im.message.receive_v1');
    expect(sent.message).toContain('HTTP 500: Error: expense service is down');
    expect(sent.message).toMatch(/attempt 1 of 5/);
    expect(sent.message).toMatch(/sent again at /);

    // The log holds both, with what came back.
    const log = emu.deliveries();
    expect(log.map((d) => [d.category, d.kind, d.verdict])).toEqual([
      ['callback', 'card.action.trigger', 'failed'],
      ['event', 'im.message.receive_v1', 'failed'],
    ]);
    expect(log[1]!.answer!.body.split('\n')[0]).toBe('Error: expense service is down');
    expect(log[1]!.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(log[1]!.target).toBe(`${bot.url}/webhook`);
    expect(log[1]!.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('a click the bot answers resolves with the delivery; a wait that times out lists the deliveries since it began', async () => {
    let fail = false;
    const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register({
      'card.action.trigger': async () => {
        if (fail) throw new Error('approval store is down');
        return { toast: { type: 'success', content: 'Approved' } };
      },
      'im.message.receive_v1': boom('expense service is down'),
    } as any);
    const bot = await serve(webhookBot(dispatcher));
    stop.push(bot.close);
    const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, 'cli_a1b2c3d4e5f60729'));
    emu = await startEmulator({ seed, callbackUrl: `${bot.url}/webhook`, rateLimits: false });
    const alice = emu.user('alice@example.com');
    const id = await sendCard(emu);
    const ok = await alice.click(id, { text: 'Approve' });
    expect(ok.toast).toEqual({ type: 'success', content: 'Approved' });
    expect(ok.delivery).toMatchObject({ verdict: 'ok', reason: null, answer: { status: 200 }, transport: 'webhook', attempt: 1, max_attempts: 1 });

    await emu.waitForMessage((m) => m.messageId === id, { timeoutMs: 100 });
    const waiting = emu.waitForMessage((m) => m.text === 'never', { timeoutMs: 300 });
    fail = true;
    await alice.sendText('p2p', 'hello').catch(() => undefined);
    const err = await waiting.catch((e) => e);
    expect(err.message).toContain('Deliveries to the bot since this wait began:');
    expect(err.message).toMatch(/im\.message\.receive_v1 over webhook .*attempt 1 of 5: failed: HTTP 500: Error: expense service is down/);
    // The click before the wait is not listed.
    expect(err.message).not.toContain('card.action.trigger');
  });
});

describe('a long-connection handler that throws', () => {
  it('makes click reject with code 200671 and sendText with the ack code 500', async () => {
    emu = await startEmulator({ longConnection: true, rateLimits: false, seed: JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, 'cli_a1b2c3d4e5f6073a')) });
    const app = emu.app();
    const bot: WsBot = await startWsBot(emu.url, { app_id: app.appId, app_secret: app.appSecret }, {
      'im.message.receive_v1': boom('expense service is down'),
      'card.action.trigger': boom('approval store is down'),
    });
    stop.push(bot.close);
    const alice = emu.user('alice@example.com');

    const id = await sendCard(emu);
    const click = await alice.click(id, { text: 'Approve' }).catch((e) => e);
    expect(click).toBeInstanceOf(BotFailureError);
    expect(click.message).toContain('code 200671: the handler answered a status other than 200');
    expect(click.message).toContain('ack said 500');
    expect(click.deliveries[0]).toMatchObject({ transport: 'long_connection', answer: { status: 500 }, client_code: 200671 });
    expect(click.deliveries[0].device_id).toBeTruthy();

    const sent = await alice.sendText('p2p', 'expense 42').catch((e) => e);
    expect(sent).toBeInstanceOf(BotFailureError);
    expect(sent.message).toMatch(/im\.message\.receive_v1 over long connection .*attempt 1 of 5: failed: the long-connection ack said 500, not 200/);
    expect(emu.deliveries({ category: 'event' })).toHaveLength(1);
  });

  it('names a handler that does not answer in time', async () => {
    emu = await startEmulator({ longConnection: true, rateLimits: false, seed: JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, 'cli_a1b2c3d4e5f6074b')) });
    // The platform waits 3 s; a shorter limit keeps the test quick and reads the same.
    (emu as any).running.core.ws.settings.answerMs = 200;
    const app = emu.app();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bot = await startWsBot(emu.url, { app_id: app.appId, app_secret: app.appSecret }, { 'card.action.trigger': () => held.then(() => ({})) });
    stop.push(bot.close, release);
    const id = await sendCard(emu);
    const err = await emu.user('alice@example.com').click(id, { text: 'Approve' }).catch((e) => e);
    expect(err).toBeInstanceOf(BotFailureError);
    expect(err.message).toContain('no answer in 0.2 s');
    expect(err.message).toContain('200341');
  });
});
