import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/clock.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { CHAT_EVENT_KINDS, MESSAGE_EVENT_KINDS, quietLogger, recordingHandlers, type Got } from '../helpers/event-bots.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/**
 * `card inbox react | unreact | read | recall | send | chat …`: a person's actions in a running
 * emulator, each causing its event at a bot built on the official SDK's EventDispatcher over the
 * (signed, encrypted) webhook; the delivery printed, exit 5 when the bot fails it, exit 2 for bad
 * input naming the flag or argument, exit 1 when the emulator refuses the action.
 */
// A clock that never moves by itself: a failed event's re-send (15 s later) never fires mid-file.
const clock = new FakeClock();
const t = emulatorForFile({ settings: { rateLimits: false }, now: () => clock.now(), timers: clock });

const KINDS = ['im.message.receive_v1', ...MESSAGE_EVENT_KINDS, ...CHAT_EVENT_KINDS, 'application.bot.menu_v6', 'url.preview.get'];
/** The bot's answer to url.preview.get: an inline title and a card; `previewBroken` makes it one the client refuses. */
let previewBroken = false;
const previewOf = (data: any) => (previewBroken
  ? { inline: { title: 42 } }
  : { inline: { title: `Request ${String(data.context?.url ?? '').split('/').pop()}` }, card: { type: 'card_json', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'waiting for approval' }] } } } });
const got: Got = [];
/** Event kinds the bot fails (its handler throws: the SDK's webhook answers 500). */
const failing = new Set<string>();

let webhook: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  const app = t.app;
  const handlers = recordingHandlers(KINDS, got, failing, (k, data) => (k === 'url.preview.get' ? previewOf(data) : {}));
  const dispatcher = new lark.EventDispatcher({ encryptKey: app.encrypt_key ?? '', verificationToken: app.verification_token ?? '', logger: quietLogger } as any).register(handlers as any);
  webhook = await serve(dispatcherWebhook(dispatcher, app.encrypt_key ?? ''));
});
afterAll(() => webhook?.close());

beforeEach(async () => {
  got.length = 0;
  failing.clear();
  previewBroken = false;
  const r = await t.call('PATCH', `/_emulator/apps/${t.app.app_id}`, { event_mode: 'http', event_url: `${webhook.url}/events`, callback_mode: 'http', callback_url: `${webhook.url}/callbacks` });
  expect(r.body.code).toBe(0);
});

const person = (email: string) => t.users.find((u) => u.email === email)!;
const group = () => t.emu.state().chats.find((c) => c.chat_mode === 'group')!.chat_id;

async function botSends(text: string, to = 'alice@example.com'): Promise<string> {
  const r = await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: to, msg_type: 'text', content: JSON.stringify({ text }) }, await t.token());
  expect(r.body.code, JSON.stringify(r.body)).toBe(0);
  return r.body.data.message_id;
}

/** The parts of a --json outcome that change run to run, made fixed for a snapshot. */
function steady(data: any): any {
  return JSON.parse(JSON.stringify(data), (k, v) => {
    if (k === 'ms' && typeof v === 'number') return '<ms>';
    if (k === 'event_id' && typeof v === 'string') return '<event_id>';
    if (typeof v === 'string' && /^(om|oc|ou)_\w+$/.test(v)) return `<${v.slice(0, 2)}>`;
    if (typeof v === 'string') return v.replace(/\b(om|oc)_\w+/g, '<$1>').replace(/\d+ ms\b/g, '<n> ms');
    return v;
  });
}

describe('card inbox react, unreact, read', () => {
  it('react tells the bot, prints the delivery; --json is the outcome', async () => {
    const id = await botSends('your expense was approved');
    const human = await t.sb.run(['inbox', 'react', id, 'THUMBSUP']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^✓ Alice Zhang reacted THUMBSUP to ${id}\\n  ✓ im\\.message\\.reaction\\.created_v1 → Card Demo Bot: HTTP 200 in \\d+ ms\\n$`));
    expect(got).toMatchObject([{ kind: 'im.message.reaction.created_v1', data: { message_id: id, reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user', user_id: { open_id: person('alice@example.com').open_id } } }]);
    const json = await t.sb.run(['inbox', 'react', id, 'DONE', '--as', 'alice@example.com', '--json']);
    expect(json.code).toBe(0);
    expect(json.json.data.reaction.reaction_id).toMatch(/\w/);
    expect(steady({ ...json.json.data, reaction: { ...json.json.data.reaction, reaction_id: '<id>' } })).toMatchInlineSnapshot(`
      {
        "action": "react",
        "as": {
          "name": "Alice Zhang",
          "open_id": "<ou>",
        },
        "chat": null,
        "chat_id": "<oc>",
        "deliveries": [
          {
            "app_id": "cli_a0e1d2c3b4a59687",
            "bot": "Card Demo Bot",
            "channel": "http",
            "event_id": "<event_id>",
            "kind": "im.message.reaction.created_v1",
            "ms": "<ms>",
            "ok": true,
            "reasons": [],
            "status": 200,
          },
        ],
        "message_id": "<om>",
        "new_messages": [],
        "ok": true,
        "reaction": {
          "emoji_type": "DONE",
          "reaction_id": "<id>",
        },
        "reasons": [],
        "summary": "Alice Zhang reacted DONE to <om>",
      }
    `);
  });

  it('unreact takes back the person\'s own reaction; one they did not give is exit 2 listing theirs', async () => {
    const id = await botSends('lunch at noon');
    expect((await t.sb.run(['inbox', 'react', id, 'THUMBSUP'])).code).toBe(0);
    const bob = await t.sb.run(['inbox', 'unreact', id, 'THUMBSUP', '--as', 'bob@example.com']);
    expect([bob.code, bob.stderr]).toEqual([2, expect.stringContaining(`Bob Li has no THUMBSUP reaction on ${id}`)]);
    const other = await t.sb.run(['inbox', 'unreact', id, 'SMILE', '--json']);
    expect(other.code).toBe(2);
    expect(other.json.error.details.reactions).toEqual(['THUMBSUP']);
    const human = await t.sb.run(['inbox', 'unreact', id, 'THUMBSUP']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^✓ Alice Zhang took back THUMBSUP on om_\w+\n  ✓ im\.message\.reaction\.deleted_v1 → Card Demo Bot: HTTP 200/);
    expect(got.map((g) => g.kind)).toEqual(['im.message.reaction.created_v1', 'im.message.reaction.deleted_v1']);
    expect(got[1]!.data).toMatchObject({ message_id: id, reaction_type: { emoji_type: 'THUMBSUP' } });
  });

  it('read tells the bot that sent it one to one, the first time only', async () => {
    const id = await botSends('please read');
    const first = await t.sb.run(['inbox', 'read', id, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.data.deliveries).toMatchObject([{ kind: 'im.message.message_read_v1', ok: true, status: 200 }]);
    expect(got).toMatchObject([{ kind: 'im.message.message_read_v1', data: { message_id_list: [id], reader: { reader_id: { open_id: person('alice@example.com').open_id } } } }]);
    const again = await t.sb.run(['inbox', 'read', id]);
    expect(again.stdout).toBe(`✓ Alice Zhang read ${id}\n  no bot was told\n`);
  });

  it('bad input is exit 2 naming the argument or flag; an emoji the platform lacks is the emulator\'s refusal, exit 1', async () => {
    const id = await botSends('hello');
    const shape = await t.sb.run(['inbox', 'react', id, 'thumbs up!']);
    expect([shape.code, shape.stderr]).toEqual([2, expect.stringContaining('emoji_type')]);
    const who = await t.sb.run(['inbox', 'react', id, 'OK', '--as', 'nobody@example.com']);
    expect([who.code, who.stderr]).toEqual([2, expect.stringMatching(/--as: the emulator has no person "nobody@example.com"[\s\S]*alice@example\.com/)]);
    const message = await t.sb.run(['inbox', 'read', 'om_nope']);
    expect([message.code, message.stderr]).toEqual([2, expect.stringContaining('the emulator has no message om_nope')]);
    const refused = await t.sb.run(['inbox', 'react', id, 'NOT_AN_EMOJI', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.error.message).toMatch(/^the emulator refused: Alice Zhang reacting NOT_AN_EMOJI to om_\w+: .+ \(code \d+\)$/);
    expect(got).toEqual([]);
  });

  it('a bot that fails the event: exit 5, the delivery marked failed with why', async () => {
    failing.add('im.message.reaction.created_v1');
    const id = await botSends('hello');
    const r = await t.sb.run(['inbox', 'react', id, 'THUMBSUP']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/^✗ Alice Zhang reacted THUMBSUP to om_\w+\n  ✗ im\.message\.reaction\.created_v1 → Card Demo Bot: HTTP 500 in \d+ ms\n    HTTP 500: Error: im\.message\.reaction\.created_v1 handler is down/);
    expect(r.stderr).toContain('the bot\'s answer fails: Card Demo Bot (im.message.reaction.created_v1): HTTP 500');
    const json = await t.sb.run(['inbox', 'read', id, '--json']);
    expect(json.code).toBe(0);
  });
});

describe('card inbox recall', () => {
  it('the sender recalls their own message; the bot hears of it', async () => {
    const said = await t.sb.run(['inbox', 'say', 'alice@example.com', 'oops', '--json']);
    const id = said.json.data.message_id as string;
    got.length = 0;
    const r = await t.sb.run(['inbox', 'recall', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✓ Alice Zhang recalled om_\w+\n  ✓ im\.message\.recalled_v1 → Card Demo Bot: HTTP 200/);
    expect(got).toMatchObject([{ kind: 'im.message.recalled_v1', data: { message_id: id, recall_type: 'message_owner' } }]);
    const twice = await t.sb.run(['inbox', 'recall', id]);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('is already recalled')]);
  });

  it('only their own: a bot\'s message or another person\'s is exit 2', async () => {
    const bots = await botSends('from the bot');
    const r = await t.sb.run(['inbox', 'recall', bots]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('was sent by the bot Card Demo Bot: a person recalls only their own messages')]);
    const said = await t.sb.run(['inbox', 'say', 'alice@example.com', 'mine', '--json']);
    const other = await t.sb.run(['inbox', 'recall', said.json.data.message_id, '--as', 'bob@example.com']);
    expect([other.code, other.stderr]).toEqual([2, expect.stringContaining('--as: Bob Li did not send')]);
    expect(got.filter((g) => g.kind === 'im.message.recalled_v1')).toEqual([]);
  });
});

describe('card inbox send', () => {
  const file = (name: string, bytes: Buffer | string) => {
    mkdirSync(dirname(join(t.sb.dir, name)), { recursive: true });
    writeFileSync(join(t.sb.dir, name), bytes);
    return name;
  };
  /** Files are named relative to the run's working directory: the sandbox's. */
  const send = (args: string[]) => t.sb.run(args, { cwd: t.sb.dir });
  const received = () => got.filter((g) => g.kind === 'im.message.receive_v1').map((g) => [g.data.message.message_type, g.data.message.message_type === 'merge_forward' ? g.data.message.content : JSON.parse(g.data.message.content)]);

  it('every kind from files and flags reaches the bot as im.message.receive_v1 of its type', async () => {
    const runs = [
      ['--image', file('pic.png', PNG_1X1)],
      ['--file', file('reports/2026/report.csv', 'a,b\n1,2\n')],
      ['--audio', file('hi.opus', oggOpus(2500))],
      ['--video', file('clip.mp4', mp4(4000)), '--cover', 'pic.png'],
      ['--sticker'],
      ['--share-user', 'bob@example.com'],
      ['--share-chat', group()],
      ['--location', 'Sunny Cafe, Xuhui,31.2304,121.4737'],
      ['--todo', 'file the expense'],
    ];
    for (const flags of runs) {
      const r = await send(['inbox', 'send', 'alice@example.com', ...flags]);
      expect(r.code, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^✓ Alice Zhang sent om_\w+ \(\w+\) in oc_\w+\n  ✓ im\.message\.receive_v1 → Card Demo Bot: HTTP 200/);
    }
    const kinds = received();
    expect(kinds.map(([type]) => type)).toEqual(['image', 'file', 'audio', 'media', 'sticker', 'share_user', 'share_chat', 'location', 'todo']);
    // Only the file's own name travels, never the path to it.
    expect(kinds[1]![1].file_name).toBe('report.csv');
    expect(kinds[2]![1]).toMatchObject({ duration: 2500 });
    expect(kinds[3]![1]).toMatchObject({ file_name: 'clip.mp4', duration: 4000 });
    expect(kinds[5]![1]).toEqual({ user_id: person('bob@example.com').open_id });
    expect(kinds[7]![1]).toMatchObject({ name: 'Sunny Cafe, Xuhui', latitude: '31.2304', longitude: '121.4737' });
    const ids = got.filter((g) => g.kind === 'im.message.receive_v1').map((g) => g.data.message.message_id).slice(0, 2);
    const merged = await send(['inbox', 'send', 'alice@example.com', '--merge-forward', ids.join(','), '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(received().at(-1)![0]).toBe('merge_forward');
  });

  it('a post in a group @mentions the bots, so the bot hears it; its picture is read from the path', async () => {
    file('pic.png', PNG_1X1);
    file('post.json', JSON.stringify({ title: '周报', content: [[{ tag: 'text', text: 'done: ' }], [{ tag: 'img', image: 'pic.png' }]] }));
    const r = await send(['inbox', 'send', group(), '--post', 'post.json', '--as', 'bob@example.com', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ ok: true, action: 'send', as: { name: 'Bob Li' }, chat_id: group(), deliveries: [{ kind: 'im.message.receive_v1', ok: true }] });
    const post = got.at(-1)!.data.message;
    expect(post.message_type).toBe('post');
    expect(JSON.stringify(JSON.parse(post.content).content)).toContain('"tag":"img"');
  });

  it('bad input is exit 2 naming the flags: none, two, a missing file, a bad location, a cover alone, a broken post', async () => {
    const none = await send(['inbox', 'send', 'alice@example.com', '--json']);
    expect(none.code).toBe(2);
    expect(none.json.error.message).toMatch(/^say what to send: one of --image, --file, .*--merge-forward$/);
    expect(none.json.error.hint).toContain('card inbox say');
    const two = await send(['inbox', 'send', 'alice@example.com', '--todo', 'x', '--sticker']);
    expect([two.code, two.stderr]).toEqual([2, expect.stringContaining('give one kind of message, not --sticker and --todo')]);
    const missing = await send(['inbox', 'send', 'alice@example.com', '--image', 'nope.png']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--image: picture nope.png does not exist')]);
    const where = await send(['inbox', 'send', 'alice@example.com', '--location', 'Cafe,north,121']);
    expect([where.code, where.stderr]).toEqual([2, expect.stringContaining('--location')]);
    const cover = await send(['inbox', 'send', 'alice@example.com', '--todo', 'x', '--cover', file('c.png', PNG_1X1)]);
    expect([cover.code, cover.stderr]).toEqual([2, expect.stringContaining('--cover goes with --video')]);
    file('bad.json', '{"title": "x",\n "content": [[}');
    const post = await send(['inbox', 'send', 'alice@example.com', '--post', 'bad.json']);
    expect([post.code, post.stderr]).toEqual([2, expect.stringContaining('bad.json:2:')]);
    const ids = await send(['inbox', 'send', 'alice@example.com', '--merge-forward', 'om_a,hello']);
    expect([ids.code, ids.stderr]).toEqual([2, expect.stringContaining('--merge-forward')]);
    const chat = await send(['inbox', 'send', 'oc_nope', '--todo', 'x']);
    expect([chat.code, chat.stderr]).toEqual([2, expect.stringContaining('the emulator has no chat oc_nope')]);
    expect(got).toEqual([]);
  });

  it('the emulator\'s refusal (a group that does not exist, shared) is exit 1 naming the field', async () => {
    const r = await send(['inbox', 'send', 'alice@example.com', '--share-chat', 'oc_nope', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.message).toMatch(/^the emulator refused: Alice Zhang sending a share_chat message to the chat with Card Demo Bot: .*share_chat\.chat_id/);
  });
});

describe('card inbox chat', () => {
  it('a group\'s life: create, rename, add, withdraw, remove, leave, remove-bot, add-bot, disband; each event at the bot', async () => {
    const created = await t.sb.run(['inbox', 'chat', 'create', 'Trip planning', '--bot', '--member', 'bob@example.com', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const chat = created.json.data.chat.chat_id as string;
    expect(steady(created.json.data)).toMatchInlineSnapshot(`
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
          "members": [
            "<ou>",
            "<ou>",
          ],
          "name": "Trip planning",
          "owner_open_id": "<ou>",
        },
        "chat_id": "<oc>",
        "deliveries": [
          {
            "app_id": "cli_a0e1d2c3b4a59687",
            "bot": "Card Demo Bot",
            "channel": "http",
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
    const steps: Array<[string[], string, RegExp]> = [
      [['rename', chat, 'Trip 2027'], 'im.chat.updated_v1', /^✓ Alice Zhang renamed Trip planning \(oc_\w+\) to "Trip 2027"\n  chat oc_\w+ "Trip 2027": 2 people, bots: cli_a0e1d2c3b4a59687\n  ✓ im\.chat\.updated_v1 → Card Demo Bot: HTTP 200/],
      [['add', chat, 'carol@example.com'], 'im.chat.member.user.added_v1', /^✓ Alice Zhang added Carol Wang to Trip 2027/],
      [['withdraw', chat, 'carol@example.com'], 'im.chat.member.user.withdrawn_v1', /^✓ Alice Zhang withdrew the invitation of Carol Wang to/],
      [['add', chat, 'Carol Wang'], 'im.chat.member.user.added_v1', /^✓ Alice Zhang added Carol Wang to/],
      [['remove', chat, 'carol@example.com'], 'im.chat.member.user.deleted_v1', /^✓ Alice Zhang removed Carol Wang from/],
      [['leave', chat, '--as', 'bob@example.com'], 'im.chat.member.user.deleted_v1', /^✓ Bob Li left Trip 2027 \(oc_\w+\)\n  chat oc_\w+ "Trip 2027": 1 person/],
      [['remove-bot', chat], 'im.chat.member.bot.deleted_v1', /^✓ Alice Zhang removed Card Demo Bot from .*\n  chat .*bots: none\n/],
      [['add-bot', chat, 'Card Demo Bot'], 'im.chat.member.bot.added_v1', /^✓ Alice Zhang added Card Demo Bot to/],
      [['disband', chat], 'im.chat.disbanded_v1', /^✓ Alice Zhang disbanded Trip 2027 \(oc_\w+\)\n  chat oc_\w+ "Trip 2027": disbanded\n  ✓ im\.chat\.disbanded_v1/],
    ];
    for (const [args, kind, printed] of steps) {
      got.length = 0;
      const r = await t.sb.run(['inbox', 'chat', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(printed);
      expect(got.map((g) => g.kind), args.join(' ')).toEqual([kind]);
      expect(got[0]!.data.chat_id).toBe(chat);
    }
  });

  it('open: the one-to-one chat with the bot, which hears the person entered', async () => {
    const r = await t.sb.run(['inbox', 'chat', 'open', '--as', 'carol@example.com', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ action: 'chat.open', as: { name: 'Carol Wang' }, chat: { chat_mode: 'p2p', bots: [t.app.app_id] }, deliveries: [{ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', ok: true }] });
    expect(got).toMatchObject([{ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', data: { chat_id: r.json.data.chat_id, operator_id: { open_id: person('carol@example.com').open_id } } }]);
  });

  it('a refusal by the platform\'s rules is exit 1 with its code; unknown chats, bots and people are exit 2 listing what exists', async () => {
    const chat = group();
    const disband = await t.sb.run(['inbox', 'chat', 'disband', chat, '--as', 'bob@example.com', '--json']);
    expect(disband.code).toBe(1);
    expect(disband.json.error.code).toBe(232017);
    expect(disband.json.error.message).toMatch(/^the emulator refused: Bob Li disbanded oc_\w+: .*\(code 232017\)$/);
    const noChat = await t.sb.run(['inbox', 'chat', 'rename', 'oc_nope', 'x', '--json']);
    expect(noChat.code).toBe(2);
    expect(noChat.json.error.details.chats).toContain(chat);
    const noBot = await t.sb.run(['inbox', 'chat', 'add-bot', chat, 'Nobody Bot']);
    expect([noBot.code, noBot.stderr]).toEqual([2, expect.stringContaining('cli_a0e1d2c3b4a59687 Card Demo Bot')]);
    const noPerson = await t.sb.run(['inbox', 'chat', 'add', chat, 'zed@example.com']);
    expect([noPerson.code, noPerson.stderr]).toEqual([2, expect.stringContaining('person: the emulator has no person "zed@example.com"')]);
    // Three levels down (card inbox chat leave), a usage error is still exit 2 naming the flag.
    const leave = await t.sb.run(['inbox', 'chat', 'leave', chat]);
    expect([leave.code, leave.stderr]).toEqual([2, expect.stringContaining("required option '--as <person>' not specified")]);
    const bare = await t.sb.run(['inbox', 'chat']);
    expect([bare.code, bare.stdout]).toEqual([0, expect.stringContaining('open [options] [bot]')]);
    expect(got).toEqual([]);
  });

  it('a bot that fails the event: exit 5, the chat still changed', async () => {
    failing.add('im.chat.member.bot.added_v1');
    const r = await t.sb.run(['inbox', 'chat', 'create', 'Ops', '--bot', 'cli_a0e1d2c3b4a59687']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/✗ im\.chat\.member\.bot\.added_v1 → Card Demo Bot: HTTP 500/);
    expect(t.emu.state().chats.some((c) => c.name === 'Ops')).toBe(true);
  });
});

describe('card inbox menu and paste-link', () => {
  it('menu: the app gets application.bot.menu_v6 with the key; a key its menu lacks is exit 2 listing the keys', async () => {
    const r = await t.sb.run(['inbox', 'menu', 'Card Demo Bot', 'new_expense', '--as', 'bob@example.com']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✓ Bob Li pressed "new_expense" in the menu of Card Demo Bot\n  ✓ application\.bot\.menu_v6 → Card Demo Bot: HTTP 200 in \d+ ms\n$/);
    expect(got).toMatchObject([{ kind: 'application.bot.menu_v6', data: { event_key: 'new_expense', operator: { operator_id: { open_id: person('bob@example.com').open_id } } } }]);
    const bad = await t.sb.run(['inbox', 'menu', 'Card Demo Bot', 'nope', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.message).toBe('event_key: Card Demo Bot\'s bot menu has no item with event_key "nope"; its keys: my_approvals, new_expense, new_leave, help');
    const noBot = await t.sb.run(['inbox', 'menu', 'Nobody', 'help']);
    expect([noBot.code, noBot.stderr]).toEqual([2, expect.stringContaining('bot: the emulator has no bot "Nobody"')]);
    failing.add('application.bot.menu_v6');
    const failed = await t.sb.run(['inbox', 'menu', 'cli_a0e1d2c3b4a59687', 'help']);
    expect(failed.code).toBe(5);
    expect(failed.stdout).toContain('✗ application.bot.menu_v6 → Card Demo Bot: HTTP 500');
  });

  it('paste-link: the bot previews a link its URL rules match; the preview is printed and in --json', async () => {
    const r = await t.sb.run(['inbox', 'paste-link', 'alice@example.com', 'https://approvals.example.com/requests/42']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✓ Alice Zhang sent the link https:\/\/approvals\.example\.com\/requests\/42 as om_\w+ in oc_\w+\n  preview by Card Demo Bot: "Request 42" with a card\n  ✓ im\.message\.receive_v1 → Card Demo Bot: HTTP 200 in \d+ ms\n  ✓ url\.preview\.get → Card Demo Bot: HTTP 200/);
    expect(got.map((g) => g.kind).sort()).toEqual(['im.message.receive_v1', 'url.preview.get']);
    expect(got.find((g) => g.kind === 'url.preview.get')!.data.context).toMatchObject({ url: 'https://approvals.example.com/requests/42' });
    const json = await t.sb.run(['inbox', 'paste-link', group(), 'https://approvals.example.com/requests/7', '--as', 'bob@example.com', '--json']);
    expect(json.json.data).toMatchObject({ ok: true, action: 'paste-link', chat_id: group(), previews: [{ app_id: t.app.app_id, bot: 'Card Demo Bot', ok: true, title: 'Request 7', card: true, problems: [] }] });
    const other = await t.sb.run(['inbox', 'paste-link', 'alice@example.com', 'https://elsewhere.example.org/x']);
    // One to one the bot hears the message; no URL rule matches, so nobody is asked for a preview.
    expect([other.code, other.stdout]).toEqual([0, expect.not.stringContaining('preview by')]);
  });

  it('paste-link: a preview the client refuses is exit 5 naming the path; a link that is not http(s) is exit 2', async () => {
    previewBroken = true;
    const r = await t.sb.run(['inbox', 'paste-link', 'alice@example.com', 'https://approvals.example.com/requests/9']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/preview by Card Demo Bot refused by the client:\n    \S*inline\S*/);
    const bad = await t.sb.run(['inbox', 'paste-link', 'alice@example.com', 'ftp://example.com/x']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('url')]);
  });
});
