import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, TestEmulatorError, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { FIXTURES } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';

/**
 * The testing library as a bot project uses it: a webhook bot built on the official SDK answers
 * clicks; the test acts as users and asserts on the answers, with no hand-built requests.
 */
const approval = JSON.parse(readFileSync(join(FIXTURES, 'cards/approval.v2.json'), 'utf8'));
const approved = JSON.parse(readFileSync(join(FIXTURES, 'cards/approved.v2.json'), 'utf8'));
const feedback = JSON.parse(readFileSync(new URL('../cards/valid/feedback-form.v2.json', import.meta.url), 'utf8'));
const selects = {
  schema: '2.0',
  body: {
    elements: [
      { tag: 'select_static', element_id: 'size', placeholder: { tag: 'plain_text', content: 'Size' }, options: [{ text: { tag: 'plain_text', content: 'Small' }, value: 's' }, { text: { tag: 'plain_text', content: 'Large' }, value: 'l' }], behaviors: [{ type: 'callback', value: { field: 'size' } }] },
      { tag: 'date_picker', element_id: 'day', placeholder: { tag: 'plain_text', content: 'Day' }, behaviors: [{ type: 'callback', value: { field: 'day' } }] },
      { tag: 'input', element_id: 'note', placeholder: { tag: 'plain_text', content: 'Note' }, max_length: 10, behaviors: [{ type: 'callback', value: { field: 'note' } }] },
      { tag: 'button', text: { tag: 'plain_text', content: 'Docs' }, behaviors: [{ type: 'open_url', default_url: 'https://example.com' }] },
      { tag: 'button', text: { tag: 'plain_text', content: 'Off' }, disabled: true, behaviors: [{ type: 'callback', value: { x: 1 } }] },
    ],
  },
};

let emu: TestEmulator;
let bot: Awaited<ReturnType<typeof serve>>;
let client: lark.Client;
const seen: any[] = [];

beforeAll(async () => {
  // A bot: answers Approve with a toast and the approved card, Reject with an error toast, forms with what they got.
  const seeded = loadDefaultSeed().apps[0]!;
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const handler = new lark.CardActionHandler({ encryptKey: seeded.encrypt_key, verificationToken: seeded.verification_token, logger } as any, async (data: any) => {
    seen.push(data);
    const v = data.action.value ?? {};
    if (v.action === 'approve') return { toast: { type: 'success', content: 'Approved' }, card: { type: 'raw', data: approved } };
    if (v.action === 'reject') return { toast: { type: 'error', content: 'Rejected' } };
    if (data.action.form_value) return { toast: { type: 'info', content: `got ${JSON.stringify(data.action.form_value)}` } };
    if (data.action.option !== undefined) return { toast: { type: 'info', content: `chose ${data.action.option}` } };
    if (data.action.input_value !== undefined) return { toast: { type: 'info', content: `typed ${data.action.input_value}` } };
    return { toast: { type: 'ok-not-a-type', content: 'broken' } };
  });
  bot = await serve(lark.adaptDefault('/webhook', handler, { autoChallenge: true }) as any);
  // Many sends to one person in a second would meet the per-receiver limit (5/s); tests switch it off.
  emu = await startEmulator({ callbackUrl: `${bot.url}/webhook`, rateLimits: false });
  const app = emu.app();
  expect(app.encryptKey).toBe(seeded.encrypt_key);
  client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
});
afterAll(async () => {
  await emu?.close();
  await bot?.close();
});
beforeEach(() => {
  seen.length = 0;
});

const sendCard = async (card: unknown, to = 'alice@example.com') => {
  const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: to, msg_type: 'interactive', content: JSON.stringify(card) } });
  return r.data!.message_id!;
};

describe('testing library: clicks', () => {
  it('clicks a button by its text; the answer\'s toast and card come back, judged', async () => {
    const id = await sendCard(approval);
    const r = await emu.user('alice@example.com').click(id, { text: 'Approve' });
    expect(r.toast).toEqual({ type: 'success', content: 'Approved' });
    expect(r.problems).toEqual([]);
    expect(r.card).toEqual(approved);
    expect(emu.message(id).card).toEqual(approved);
    // The bot saw the click from Alice, signed and encrypted with the app's keys (the SDK checked them).
    expect(seen[0].operator.open_id).toBe(emu.user('alice@example.com').openId);
    expect(seen[0].action.value).toEqual({ action: 'approve', request_id: 'EXP-1024' });
  });

  it('clicks by value and by element id', async () => {
    const id = await sendCard(approval);
    const bob = emu.user('bob@example.com');
    expect((await bob.click(id, { value: { action: 'reject' } })).toast).toEqual({ type: 'error', content: 'Rejected' });
    expect((await bob.click(id, { elementId: 'approve_btn' })).toast?.type).toBe('success');
    expect(seen.map((s) => s.operator.open_id)).toEqual([bob.openId, bob.openId]);
  });

  it('reports an answer the platform would refuse, as problems', async () => {
    const card = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Poke' }, behaviors: [{ type: 'callback', value: { poke: 1 } }] }] } };
    const id = await sendCard(card);
    const r = await emu.user('alice@example.com').click(id, { text: 'Poke' });
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.map((p) => p.path).join(' ')).toContain('toast');
  });

  it('says which buttons there are when the text matches none', async () => {
    const id = await sendCard(approval);
    const err = await emu.user('alice@example.com').click(id, { text: 'Approv' }).catch((e) => e);
    expect(err).toBeInstanceOf(TestEmulatorError);
    expect(err.message).toContain('nothing in');
    expect(err.message).toContain('matches text "Approv"');
    expect(err.message).toContain('"Approve"');
    expect(err.message).toContain('"Reject"');
    expect(seen).toHaveLength(0);
  });

  it('chooses, picks and types; refuses links, disabled buttons and bad values before sending', async () => {
    const id = await sendCard(selects);
    const alice = emu.user('alice@example.com');
    expect((await alice.choose(id, { elementId: 'size' }, 'Large')).toast?.content).toBe('chose l');
    expect((await alice.pick(id, { elementId: 'day' }, '2026-12-01')).toast?.content).toBe('chose 2026-12-01 +0800');
    expect((await alice.type(id, { elementId: 'note' }, 'hi there')).toast?.content).toBe('typed hi there');
    await expect(alice.choose(id, { elementId: 'size' }, 'Huge')).rejects.toThrow(/no option "Huge"; its options: s \(Small\), l \(Large\)/);
    await expect(alice.pick(id, { elementId: 'day' }, '01/12/2026')).rejects.toThrow(/takes yyyy-MM-dd/);
    await expect(alice.pick(id, { elementId: 'day' }, '2026-02-30')).rejects.toThrow(/not "2026-02-30"/);
    await expect(alice.type(id, { elementId: 'note' }, 'far too long for it')).rejects.toThrow(/at most 10 characters/);
    await expect(alice.click(id, { text: 'Docs' })).rejects.toThrow(/only opens a link/);
    await expect(alice.click(id, { text: 'Off' })).rejects.toThrow(/disabled/);
    expect(seen).toHaveLength(3);
  });

  it('submits a form with its values, applying the client\'s checks first', async () => {
    const id = await sendCard(feedback);
    const carol = emu.user('carol@example.com');
    const r = await carol.submitForm(id, { type: 'Bug', content: 'The button is blue', contact_me: true });
    expect(r.problems).toEqual([]);
    expect(seen[0].action.form_value).toEqual({ type: 'bug', content: 'The button is blue', seen_on: '2024-03-01 +0800', contact_me: true });
    expect(seen[0].action.name).toBe('submit');
    await expect(carol.submitForm(id, { type: 'bug' })).rejects.toThrow(/required field "content"/);
    await expect(carol.submitForm(id, { kind: 'bug' })).rejects.toThrow(/no field "kind"; its fields: type, content, seen_on, contact_me/);
    expect(seen).toHaveLength(1);
  });
});

describe('testing library: messages and waits', () => {
  // Each starts from the seed: a wait returns messages no earlier wait returned, and earlier tests sent some.
  beforeEach(() => emu.reset());

  it('waits for the next message the bot sends that matches', async () => {
    const waiting = emu.waitForMessage((m) => m.card !== null && JSON.stringify(m.card).includes('Expense approval'), { timeoutMs: 2000 });
    const id = await sendCard(approval, 'bob@example.com');
    const m = await waiting;
    expect(m.messageId).toBe(id);
    expect(m.msgType).toBe('interactive');
    expect(emu.messages({ chatId: m.chatId }).map((x) => x.messageId)).toContain(id);
  });

  it('a wait finds a message the bot sent before it was called, and the next wait moves on', async () => {
    const first = await sendCard(approval, 'carol@example.com');
    const second = await sendCard(approval, 'carol@example.com');
    const isApproval = (m: { card: unknown }) => JSON.stringify(m.card).includes('Expense approval');
    expect((await emu.waitForMessage(isApproval, { timeoutMs: 500 })).messageId).toBe(first);
    expect((await emu.waitForMessage(isApproval, { timeoutMs: 500 })).messageId).toBe(second);
    const err = await emu.waitForMessage(isApproval, { timeoutMs: 200 }).catch((e) => e);
    expect(err.message).toContain('Since the last wait the bot sent:\n  (nothing)');
  });

  it('a wait that times out says what the bot did send', async () => {
    const waiting = emu.waitForMessage((m) => m.text === 'never', { timeoutMs: 300 });
    await sendCard(approval, 'bob@example.com');
    const err = await waiting.catch((e) => e);
    expect(err).toBeInstanceOf(TestEmulatorError);
    expect(err.message).toContain('no matching message within 300 ms');
    expect(err.message).toContain('card "Expense approval"');
  });

  it('exposes the request log and the interactions', async () => {
    const id = await sendCard(approval);
    await emu.user('alice@example.com').click(id, { text: 'Approve' });
    expect(emu.requests().some((r) => r.path === '/open-apis/im/v1/messages')).toBe(true);
    const last = emu.interactions().at(-1)!;
    expect(last.message_id).toBe(id);
    expect(last.ok).toBe(true);
  });

  it('names what is not seeded', () => {
    expect(() => emu.user('nobody@example.com')).toThrow(/no seeded user "nobody@example.com"; the seed has alice@example.com/);
    expect(() => emu.app('cli_nope')).toThrow(/no seeded app/);
    expect(emu.app('Card Demo Bot').appId).toBe(emu.app().appId);
  });
});

describe('testing library: several emulators in one process', () => {
  it('runs two at once, each with its own state and port', async () => {
    const [a, b] = await Promise.all([startEmulator(), startEmulator({ seed: { apps: [{ app_id: 'cli_0123456789abcdef', app_secret: 'made-up' }], users: [{ name: 'Zed', email: 'zed@example.com' }] } })]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(b.app().appId).toBe('cli_0123456789abcdef');
      const c = new lark.Client({ appId: 'cli_0123456789abcdef', appSecret: 'made-up', domain: b.url, loggerLevel: lark.LoggerLevel.fatal });
      await c.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'zed@example.com', msg_type: 'text', content: JSON.stringify({ text: 'hi' }) } });
      expect(b.messages().map((m) => m.text)).toEqual(['hi']);
      expect(a.messages()).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('testing library: users write to the bot', () => {
  it('sends im.message.receive_v1 for p2p text and group @mentions, into the chat the bot opened', async () => {
    const seeded = loadDefaultSeed().apps[0]!;
    const events: any[] = [];
    const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
    const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key, verificationToken: seeded.verification_token, logger } as any).register({
      'im.message.receive_v1': async (data: any) => {
        events.push(data);
      },
    });
    const eventBot = await serve(lark.adaptDefault('/events', dispatcher, { autoChallenge: true }) as any);
    // Its own app id: the SDK caches tokens per app id for the whole process, and this file has another emulator.
    const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, 'cli_f0e1d2c3b4a59600'));
    const own = await startEmulator({ seed, eventUrl: `${eventBot.url}/events`, rateLimits: false });
    try {
      const app = own.app();
      const c = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: own.url, loggerLevel: lark.LoggerLevel.fatal });
      const alice = own.user('alice@example.com');
      // The bot greets Alice first: that opens the one-to-one chat she then writes in.
      const hello = await c.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice.openId, msg_type: 'text', content: JSON.stringify({ text: 'hello' }) } });
      const written = await alice.sendText('p2p', 'expense 42');
      expect(written.chatId).toBe(hello.data!.chat_id);
      expect(written.text).toBe('expense 42');
      const group = (await c.im.chat.list({ params: {} })).data!.items!.find((i: any) => i.name === 'Card Playground')!.chat_id!;
      await alice.sendText(group, 'please approve', { mention: true });
      expect(events).toHaveLength(2);
      expect(events[0].message).toMatchObject({ chat_type: 'p2p', chat_id: hello.data!.chat_id, message_type: 'text' });
      expect(JSON.parse(events[0].message.content).text).toBe('expense 42');
      expect(events[0].sender.sender_id.open_id).toBe(alice.openId);
      expect(events[1].message.chat_type).toBe('group');
      expect(events[1].message.mentions?.[0]?.id?.open_id).toBe(app.botOpenId);
      // What a user wrote is not something the bot sent.
      await expect(own.waitForMessage((m) => m.text === 'expense 42', { timeoutMs: 200 })).rejects.toThrow(/no matching message/);
      await expect(alice.sendText('oc_nope', 'x')).rejects.toThrow(/sending text as Alice Zhang failed/);
    } finally {
      await own.close();
      await eventBot.close();
    }
  });
});
