import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const button = (text: string) => ({
  schema: '2.0',
  body: { elements: [{ tag: 'markdown', content: text }, { tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { act: 'approve' } }] }] },
});

describe('events: the whole loop offline', () => {
  let c: EmulatorClient;
  const bots: WsBot[] = [];
  beforeAll(async () => {
    c = await withEmulator();
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) b.close();
    await c.call('PATCH', `/_emulator/apps/${c.app.app_id}`, { event_url: '', event_mode: 'ws' });
  });
  afterAll(async () => {
    await c.emu.close();
  });

  test('message → card → click → answer → update, over the long connection with the official SDK', async () => {
    const alice = c.users[0]!;
    const api = new lark.Client({ appId: c.app.app_id, appSecret: c.app.app_secret, domain: c.emu.url, logger: quiet } as any);
    const got: any[] = [];
    bots.push(
      await startWsBot(c.emu.url, c.app, {
        'im.message.receive_v1': async (data: any) => {
          got.push(data);
          await api.im.message.create({
            params: { receive_id_type: 'chat_id' },
            data: { receive_id: data.message.chat_id, msg_type: 'interactive', content: JSON.stringify(button(`You said: ${JSON.parse(data.message.content).text}`)) },
          });
        },
        'card.action.trigger': async (data: any) => ({
          toast: { type: 'success', content: 'Approved' },
          card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `Approved by ${data.operator.open_id}` }] } } },
        }),
      }),
    );
    const sent = await c.call('POST', `/_emulator/users/${alice.open_id}/messages`, { text: 'deploy please' });
    expect(sent.body.code).toBe(0);
    const { message, deliveries } = sent.body.data;
    expect(message.sender).toEqual({ type: 'user', open_id: alice.open_id });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ channel: 'ws', ok: true, status: 200, event_type: 'im.message.receive_v1' });
    expect(got[0].message).toMatchObject({ chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: 'deploy please' }), message_id: message.message_id });
    expect(got[0].sender.sender_id.open_id).toBe(alice.open_id);
    expect(got[0].event_type).toBe('im.message.receive_v1');

    // The user's message and the bot's card are both in the conversation.
    const inChat = (await c.call('GET', `/_emulator/messages?chat_id=${message.chat_id}`)).body.data.messages;
    expect(inChat.map((m: any) => m.msg_type)).toEqual(['text', 'interactive']);
    const inbox = (await c.call('GET', `/_emulator/inbox/messages?chat_id=${message.chat_id}`)).body.data.messages;
    expect(inbox.map((m: any) => m.from_user?.name ?? null)).toEqual([alice.name, null]);
    expect(inbox[0].text).toBe('deploy please');
    const card = inChat[1];
    expect(JSON.stringify(card.card)).toContain('You said: deploy please');

    // The bot cannot edit or recall what the user wrote, and a user's text has nothing to click.
    const token = await c.token();
    const userMsg = inChat[0].message_id;
    expect((await c.call('PUT', `/open-apis/im/v1/messages/${userMsg}`, { msg_type: 'text', content: JSON.stringify({ text: 'edited' }) }, token)).body.code).toBe(230071);
    expect((await c.call('DELETE', `/open-apis/im/v1/messages/${userMsg}`, undefined, token)).body.code).toBe(230026);
    const noCard = await c.call('POST', '/_emulator/inbox/click', { message_id: userMsg, action: { tag: 'button', value: {} } });
    expect(noCard.status).toBe(400);
    expect(noCard.body.msg).toMatch(/a user wrote/);
    // The Open API's GET and list show what the user wrote, sent by the user.
    const one = await c.call('GET', `/open-apis/im/v1/messages/${userMsg}`, undefined, token);
    expect(one.body.data.items[0].sender).toMatchObject({ id: alice.open_id, sender_type: 'user' });
    const listed = await c.call('GET', `/open-apis/im/v1/messages?container_id_type=chat&container_id=${message.chat_id}`, undefined, token);
    expect(listed.body.data.items.map((m: any) => m.sender.sender_type)).toEqual(['user', 'app']);
    const click = await c.call('POST', '/_emulator/inbox/click', { message_id: card.message_id, open_id: alice.open_id, action: { tag: 'button', value: { act: 'approve' } } });
    const i = click.body.data.interaction;
    expect(i).toMatchObject({ ok: true, channel: 'ws', applied: 'card', toast: { type: 'success', content: 'Approved' } });
    const updated = (await c.call('GET', `/_emulator/messages/${card.message_id}`)).body.data;
    expect(JSON.stringify(updated.card)).toContain(`Approved by ${alice.open_id}`);
    expect((await c.call('GET', '/_emulator/events')).body.data.events.length).toBeGreaterThan(0);
  });

  test('in a group a bot hears only @mentions, with the mention keys in the text', async () => {
    const got: any[] = [];
    bots.push(await startWsBot(c.emu.url, c.app, { 'im.message.receive_v1': async (d: any) => void got.push(d) }));
    const group = c.emu.state().chats.find((x) => x.bots.includes(c.app.app_id))!;
    const bob = c.users.find((u) => group.members.includes(u.open_id))!;
    const plain = await c.call('POST', `/_emulator/users/${bob.open_id}/messages`, { chat_id: group.chat_id, text: 'just chatting' });
    expect(plain.body.data.deliveries).toEqual([]);
    const mentioned = await c.call('POST', `/_emulator/users/${bob.open_id}/messages`, { chat_id: group.chat_id, text: 'status?', mentions: [c.app.app_id] });
    expect(mentioned.body.data.deliveries).toHaveLength(1);
    expect(got).toHaveLength(1);
    expect(got[0].message.chat_type).toBe('group');
    expect(JSON.parse(got[0].message.content).text).toBe('@_user_1 status?');
    expect(got[0].message.mentions[0]).toMatchObject({ key: '@_user_1', name: expect.any(String) });
    expect(got[0].message.mentions[0].id.open_id).toBe(c.emu.state().apps[0]!.bot_open_id);
    // The testing library's shorthand: mention_bot @mentions the chat's bots, and the id is at the top.
    const short = await c.call('POST', `/_emulator/users/${bob.open_id}/messages`, { chat_id: group.chat_id, p2p: false, app_id: null, text: 'ping', mention_bot: true });
    expect(short.body.data.message_id).toBe(short.body.data.message.message_id);
    expect(got).toHaveLength(2);
    expect(JSON.parse(got[1].message.content).text).toBe('@_user_1 ping');
    // A user outside the chat cannot post in it.
    const outsider = c.users.find((u) => !group.members.includes(u.open_id))!;
    expect((await c.call('POST', `/_emulator/users/${outsider.open_id}/messages`, { chat_id: group.chat_id, text: 'hi' })).status).toBe(400);
  });

  test('events to a webhook URL: url_verification first, then encrypted and signed as the platform does', async () => {
    const state = c.emu.state().apps[0]!;
    const received: any[] = [];
    let challenges = 0;
    const dispatcher = new lark.EventDispatcher({ encryptKey: state.encrypt_key!, verificationToken: state.verification_token!, logger: quiet } as any).register({
      'im.message.receive_v1': async (d: any) => void received.push(d),
      'im.chat.member.bot.added_v1': async (d: any) => void received.push(d),
    } as any);
    const sdkHandler = lark.adaptDefault('/events', dispatcher, { autoChallenge: true }) as any;
    const raw: string[] = [];
    const handler = await serve(async (req, res) => {
      const body = await readBody(req);
      raw.push(body);
      if (body.includes('encrypt') && !req.headers['x-lark-signature']) challenges++;
      // Hand the SDK the bytes we read.
      const { Readable } = await import('node:stream');
      const replay = Object.assign(Readable.from([Buffer.from(body)]), { headers: req.headers, method: req.method, url: req.url });
      sdkHandler(replay, res);
    });
    try {
      await c.call('PATCH', `/_emulator/apps/${c.app.app_id}`, { event_url: `${handler.url}/events`, event_mode: 'http' });
      const alice = c.users[0]!;
      const r = await c.call('POST', `/_emulator/users/${alice.open_id}/messages`, { text: 'over http' });
      expect(r.body.data.deliveries[0]).toMatchObject({ channel: 'http', ok: true, status: 200 });
      expect(challenges).toBe(1);
      expect(raw.every((b) => Object.keys(JSON.parse(b)).join() === 'encrypt')).toBe(true);
      expect(received[0].message.content).toBe(JSON.stringify({ text: 'over http' }));
      const group = c.emu.state().chats.find((x) => x.bots.includes(c.app.app_id))!;
      const added = await c.call('POST', `/_emulator/apps/${c.app.app_id}/events`, { event_type: 'im.chat.member.bot.added_v1', chat_id: group.chat_id });
      expect(added.body.data.delivery).toMatchObject({ ok: true, channel: 'http' });
      expect(challenges).toBe(1);
      expect(received[1]).toMatchObject({ event_type: 'im.chat.member.bot.added_v1', chat_id: group.chat_id });
    } finally {
      await handler.close();
    }
  });

  test('an event URL that fails the challenge gets no events, and says why', async () => {
    const handler = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"challenge":"wrong"}'));
    try {
      await c.call('PATCH', `/_emulator/apps/${c.app.app_id}`, { event_url: `${handler.url}/events`, event_mode: 'http' });
      const r = await c.call('POST', `/_emulator/users/${c.users[0]!.open_id}/messages`, { text: 'hello' });
      expect(r.body.data.deliveries[0].ok).toBe(false);
      expect(r.body.data.deliveries[0].error).toMatch(/url_verification.*challenge/);
    } finally {
      await handler.close();
    }
  });
});

describe('the testing library against the long connection', () => {
  test('sendText reaches a WSClient bot as im.message.receive_v1, p2p and with a group mention', async () => {
    const { startEmulator } = await import('../../src/testing/index.js');
    const emu = await startEmulator({ longConnection: true });
    const app = emu.app();
    const got: any[] = [];
    const bot = await startWsBot(emu.url, { app_id: app.appId, app_secret: app.appSecret }, { 'im.message.receive_v1': async (d: any) => void got.push(d) });
    try {
      const alice = emu.user('alice@example.com');
      const mine = await alice.sendText('p2p', 'hello from the library');
      expect(mine.messageId).toMatch(/^om_/);
      expect(got[0].message).toMatchObject({ chat_type: 'p2p', content: JSON.stringify({ text: 'hello from the library' }) });
      const group = [...(emu as any).running.core.store.chats.values()].find((c: any) => c.name === 'Card Playground');
      await alice.sendText(group.chat_id, 'status?', { mention: true });
      expect(got[1].message.mentions[0].id.open_id).toBe(app.botOpenId);
    } finally {
      bot.close();
      await emu.close();
    }
  });
});
