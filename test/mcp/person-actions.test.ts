import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { recordingHandlers, type Got } from '../helpers/event-bots.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mcpSession, type Session } from '../helpers/mcp.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * `card mcp`'s tools for a person's other actions (inbox_react, inbox_read, inbox_recall,
 * inbox_send, inbox_chat), over stdio with the official MCP client against a real `card` process
 * (dist/, after `npm run build`), and a bot on the official SDK's WSClient: each action's event
 * reaches the bot's typed handler, the answer carries the delivery, a failed one is a tool error.
 */
const KINDS = [
  'im.message.receive_v1',
  'im.message.reaction.created_v1',
  'im.message.reaction.deleted_v1',
  'im.message.message_read_v1',
  'im.message.recalled_v1',
  'im.chat.member.bot.added_v1',
  'im.chat.updated_v1',
  'im.chat.disbanded_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
  'application.bot.menu_v6',
  'url.preview.get',
];
const sb = new Sandbox();
let s: Session;
let bot: WsBot | null = null;
let state: any;
const got: Got = [];
const failing = new Set<string>();

beforeAll(async () => {
  s = await mcpSession(sb);
  state = (await s.call('start_emulator', {})).data;
  bot = await startWsBot(state.url, state.apps[0], recordingHandlers(KINDS, got, failing, (k) => (k === 'url.preview.get' ? { inline: { title: 'Request 42' } } : {})));
});
afterAll(async () => {
  bot?.close();
  await s?.close();
  sb.cleanup();
});
beforeEach(() => {
  got.length = 0;
  failing.clear();
});

const plainCard = (text: string) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: text }] } });
async function botSends(text: string, to = 'alice@example.com'): Promise<string> {
  const r = await s.call('send_card', { card: plainCard(text), to });
  expect(r.isError, r.text).toBe(false);
  return r.data.message_id;
}

describe('card mcp: a person\'s actions', () => {
  it('inbox_react (and undo), inbox_read: the events reach the bot; the answer is the delivery', async () => {
    const id = await botSends('your expense was approved');
    const reacted = await s.call('inbox_react', { message_id: id, emoji_type: 'THUMBSUP' });
    expect(reacted.isError, reacted.text).toBe(false);
    expect(reacted.data).toMatchObject({ ok: true, action: 'react', message_id: id, reaction: { emoji_type: 'THUMBSUP' }, deliveries: [{ kind: 'im.message.reaction.created_v1', channel: 'ws', ok: true }] });
    const undone = await s.call('inbox_react', { message_id: id, emoji_type: 'THUMBSUP', undo: true });
    expect(undone.data).toMatchObject({ ok: true, action: 'unreact', deliveries: [{ kind: 'im.message.reaction.deleted_v1', ok: true }] });
    const read = await s.call('inbox_read', { message_id: id, as: 'alice@example.com' });
    expect(read.data.deliveries).toMatchObject([{ kind: 'im.message.message_read_v1', ok: true }]);
    expect(got.map((g) => g.kind)).toEqual(['im.message.reaction.created_v1', 'im.message.reaction.deleted_v1', 'im.message.message_read_v1']);
    expect(got[0]!.data).toMatchObject({ message_id: id, reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user' });
    const none = await s.call('inbox_react', { message_id: id, emoji_type: 'THUMBSUP', undo: true });
    expect(none.isError).toBe(true);
    expect(none.text).toContain('Alice Zhang has no THUMBSUP reaction on');
  });

  it('inbox_recall: a person\'s own message only', async () => {
    const said = await s.call('inbox_say', { to: 'alice@example.com', text: 'oops', reply_timeout_ms: 0 });
    const id = said.data.sent.message_id as string;
    got.length = 0;
    const recalled = await s.call('inbox_recall', { message_id: id });
    expect(recalled.data).toMatchObject({ ok: true, summary: `Alice Zhang recalled ${id}`, deliveries: [{ kind: 'im.message.recalled_v1', ok: true }] });
    expect(got).toMatchObject([{ kind: 'im.message.recalled_v1', data: { message_id: id } }]);
    const bots = await botSends('mine');
    const refused = await s.call('inbox_recall', { message_id: bots });
    expect([refused.isError, refused.text]).toEqual([true, expect.stringContaining('a person recalls only their own messages')]);
  });

  it('inbox_send: a picture from a file and a location, each im.message.receive_v1; bad input names the field', async () => {
    writeFileSync(join(sb.dir, 'pic.png'), PNG_1X1);
    const pic = await s.call('inbox_send', { to: 'alice@example.com', image: 'pic.png' });
    expect(pic.isError, pic.text).toBe(false);
    expect(pic.data).toMatchObject({ ok: true, action: 'send', deliveries: [{ kind: 'im.message.receive_v1', ok: true }] });
    const place = await s.call('inbox_send', { to: 'Card Demo Bot', location: { name: 'Sunny Cafe', latitude: 31.2304, longitude: 121.4737 }, as: 'bob@example.com' });
    expect(place.data).toMatchObject({ ok: true, as: { name: 'Bob Li' } });
    expect(got.map((g) => g.data.message.message_type)).toEqual(['image', 'location']);
    const two = await s.call('inbox_send', { to: 'alice@example.com', image: 'pic.png', todo: 'x' });
    expect([two.isError, two.text]).toEqual([true, expect.stringContaining('give one kind of message, not image and todo')]);
    const missing = await s.call('inbox_send', { to: 'alice@example.com', image: 'nope.png' });
    expect([missing.isError, missing.text]).toEqual([true, expect.stringContaining('image: picture nope.png does not exist')]);
    const who = await s.call('inbox_send', { to: 'alice@example.com', share_user: 'zed@example.com' });
    expect([who.isError, who.text]).toEqual([true, expect.stringContaining('share_user: the emulator has no person "zed@example.com"')]);
    const as = await s.call('inbox_send', { to: 'Card Demo Bot', todo: 'x', as: 'zed@example.com' });
    expect([as.isError, as.text]).toEqual([true, expect.stringMatching(/^as: the emulator has no person/)]);
    expect(got).toHaveLength(2);
  });

  it('inbox_chat: create, rename, open; a refusal names its code; a missing field is named', async () => {
    const created = await s.call('inbox_chat', { action: 'create', name: 'Trip planning', bots: ['Card Demo Bot'], people: ['bob@example.com'] });
    expect(created.isError, created.text).toBe(false);
    const chat = created.data.chat.chat_id as string;
    expect({ ...created.data, chat: { ...created.data.chat, chat_id: '<oc>', members: created.data.chat.members.length, owner_open_id: '<ou>' }, chat_id: '<oc>', as: { ...created.data.as, open_id: '<ou>' }, deliveries: created.data.deliveries.map((d: any) => ({ ...d, event_id: '<event_id>', ms: '<ms>' })), summary: created.data.summary.replace(chat, '<oc>') }).toMatchInlineSnapshot(`
      {
        "action": "chat.create",
        "as": {
          "name": "Alice Zhang",
          "open_id": "<ou>",
        },
        "chat": {
          "bots": [
            "cli_a0e1d2c3b4a59687",
          ],
          "chat_id": "<oc>",
          "chat_mode": "group",
          "disbanded": false,
          "members": 2,
          "name": "Trip planning",
          "owner_open_id": "<ou>",
        },
        "chat_id": "<oc>",
        "deliveries": [
          {
            "app_id": "cli_a0e1d2c3b4a59687",
            "bot": "Card Demo Bot",
            "channel": "ws",
            "event_id": "<event_id>",
            "kind": "im.chat.member.bot.added_v1",
            "ms": "<ms>",
            "ok": true,
            "reasons": [],
            "status": 200,
          },
        ],
        "message_id": null,
        "new_messages": [],
        "ok": true,
        "reaction": null,
        "reasons": [],
        "summary": "Alice Zhang created the group "Trip planning" with Card Demo Bot and Bob Li: <oc>",
      }
    `);
    const renamed = await s.call('inbox_chat', { action: 'rename', chat, name: 'Trip 2027' });
    expect(renamed.data).toMatchObject({ ok: true, chat: { name: 'Trip 2027' }, deliveries: [{ kind: 'im.chat.updated_v1', ok: true }] });
    const refused = await s.call('inbox_chat', { action: 'disband', chat, as: 'bob@example.com' });
    expect([refused.isError, refused.text]).toEqual([true, expect.stringContaining('(code 232017)')]);
    const noChat = await s.call('inbox_chat', { action: 'disband' });
    expect([noChat.isError, noChat.text]).toEqual([true, expect.stringMatching(/^chat: disband needs the group's chat_id/)]);
    const noPerson = await s.call('inbox_chat', { action: 'add', chat, people: ['zed@example.com'] });
    expect([noPerson.isError, noPerson.text]).toEqual([true, expect.stringMatching(/^people: the emulator has no person "zed@example.com"/)]);
    const opened = await s.call('inbox_chat', { action: 'open', as: 'carol@example.com' });
    expect(opened.data).toMatchObject({ ok: true, chat: { chat_mode: 'p2p' }, deliveries: [{ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', ok: true }] });
    expect(got.map((g) => g.kind)).toEqual(['im.chat.member.bot.added_v1', 'im.chat.updated_v1', 'im.chat.access_event.bot_p2p_chat_entered_v1']);
    expect(got[0]!.data.chat_id).toBe(chat);
  });

  it('inbox_menu and inbox_paste_link: the menu event and the preview callback reach the bot', async () => {
    const pressed = await s.call('inbox_menu', { event_key: 'my_approvals' });
    expect(pressed.isError, pressed.text).toBe(false);
    expect(pressed.data).toMatchObject({ ok: true, action: 'menu', deliveries: [{ kind: 'application.bot.menu_v6', ok: true }] });
    const wrong = await s.call('inbox_menu', { event_key: 'nope', bot: 'Card Demo Bot' });
    expect([wrong.isError, wrong.text]).toEqual([true, expect.stringMatching(/^event_key: Card Demo Bot's bot menu has no item with event_key "nope"; its keys: my_approvals/)]);
    const pasted = await s.call('inbox_paste_link', { to: 'alice@example.com', url: 'https://approvals.example.com/requests/42' });
    expect(pasted.isError, pasted.text).toBe(false);
    expect(pasted.data).toMatchObject({ ok: true, action: 'paste-link', previews: [{ bot: 'Card Demo Bot', ok: true, title: 'Request 42', card: false }] });
    expect(got.map((g) => g.kind).sort()).toEqual(['application.bot.menu_v6', 'im.message.receive_v1', 'url.preview.get']);
    const notUrl = await s.call('inbox_paste_link', { to: 'alice@example.com', url: 'ftp://example.com/x' });
    expect([notUrl.isError, notUrl.text]).toEqual([true, expect.stringContaining('url')]);
  });

  it('a bot that fails the event makes the action a tool error carrying the failed delivery', async () => {
    failing.add('im.message.reaction.created_v1');
    const id = await botSends('hello');
    const r = await s.call('inbox_react', { message_id: id, emoji_type: 'DONE' });
    expect(r.isError).toBe(true);
    expect(r.data).toMatchObject({ ok: false, deliveries: [{ kind: 'im.message.reaction.created_v1', ok: false }] });
    expect(r.data.reasons[0]).toMatch(/^Card Demo Bot \(im\.message\.reaction\.created_v1\): /);
  });
});
