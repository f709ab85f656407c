import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/clock.js';
import { FIXTURES } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { serve } from '../helpers/handler.js';
import { PNG_1X1 } from '../helpers/images.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * `card inbox` against a running emulator, with a bot built on the official SDK answering over
 * a webhook and over the long connection: every subcommand, human and --json, and bad input.
 */
const t = emulatorForFile({ settings: { rateLimits: false } });
const approval = JSON.parse(readFileSync(join(FIXTURES, 'cards/approval.v2.json'), 'utf8'));
const approved = JSON.parse(readFileSync(join(FIXTURES, 'cards/approved.v2.json'), 'utf8'));
const feedback = JSON.parse(readFileSync(new URL('../cards/valid/feedback-form.v2.json', import.meta.url), 'utf8'));
/** A card with Chinese, emoji, a mention, an image, a select and a button whose text carries a control sequence. */
const sizesCard = (imgKey: string) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: '尺寸 🍵' } },
  body: {
    elements: [
      { tag: 'markdown', content: `Hi <at id=${t.users.find((u) => u.email === 'alice@example.com')!.open_id}></at>, pick one` },
      { tag: 'img', img_key: imgKey, alt: { tag: 'plain_text', content: 'a teapot' } },
      { tag: 'select_static', element_id: 'size', placeholder: { tag: 'plain_text', content: 'Size' }, options: [{ text: { tag: 'plain_text', content: 'Small' }, value: 's' }, { text: { tag: 'plain_text', content: 'Large' }, value: 'l' }], behaviors: [{ type: 'callback', value: { field: 'size' } }] },
      { tag: 'button', element_id: 'broken', text: { tag: 'plain_text', content: 'Break\u001b[31m' }, behaviors: [{ type: 'callback', value: { action: 'broken' } }] },
      { tag: 'input', element_id: 'note', name: 'note', placeholder: { tag: 'plain_text', content: 'Note' }, max_length: 10, behaviors: [{ type: 'callback', value: { field: 'note' } }] },
    ],
  },
});

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const seen: any[] = [];

/** The bot, the same over both transports: what it answers to clicks, and a reply to what people write. */
function answer(data: any): unknown {
  seen.push(data);
  const v = data.action?.value ?? {};
  if (v.action === 'approve') return { toast: { type: 'success', content: 'Approved' }, card: { type: 'raw', data: approved } };
  if (v.action === 'reject') return { toast: { type: 'error', content: 'Rejected' } };
  if (v.action === 'broken') return { toast: { type: 'ok-not-a-type', content: 'broken' } };
  if (data.action?.form_value) return { toast: { type: 'info', content: `got ${JSON.stringify(data.action.form_value)}` } };
  if (data.action?.input_value !== undefined) return { toast: { type: 'info', content: `typed ${data.action.input_value}` } };
  if (data.action?.option !== undefined) return { toast: { type: 'info', content: `chose ${data.action.option}` } };
  return {};
}
/** The bot's answer to a message: an echo in the same chat, sent before it acknowledges the event. */
async function echo(data: any) {
  seen.push(data);
  const text = JSON.parse(data.message.content).text as string;
  const r = await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: data.message.chat_id, msg_type: 'text', content: JSON.stringify({ text: `echo: ${text}` }) }, await t.token());
  if (r.body.code !== 0) throw new Error(`the echo failed: ${JSON.stringify(r.body)}`);
}

let webhook: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  const app = t.app;
  const keys = { encryptKey: app.encrypt_key ?? '', verificationToken: app.verification_token ?? '', logger: quiet } as any;
  const cards = lark.adaptDefault('/cards', new lark.CardActionHandler(keys, async (d: any) => answer(d)), { autoChallenge: true }) as any;
  const events = lark.adaptDefault('/events', new lark.EventDispatcher(keys).register({ 'im.message.receive_v1': echo }), { autoChallenge: true }) as any;
  webhook = await serve((req, res) => (req.url?.startsWith('/events') ? events(req, res) : cards(req, res)));
});
afterAll(() => webhook?.close());

const transports = [
  ['a webhook', 'http'],
  ['the long connection', 'ws'],
] as const;

describe.each(transports)('card inbox with a bot on %s', (_, mode) => {
  let bot: WsBot | null = null;
  beforeEach(async () => {
    seen.length = 0;
    const app = t.app;
    if (mode === 'http') {
      const r = await t.call('PATCH', `/_emulator/apps/${app.app_id}`, { callback_mode: 'http', event_mode: 'http', callback_url: `${webhook.url}/cards`, event_url: `${webhook.url}/events` });
      expect(r.body.code).toBe(0);
    } else {
      bot = await startWsBot(t.url, app, { 'card.action.trigger': async (d: any) => answer(d), 'im.message.receive_v1': echo });
    }
  });
  afterEach(() => {
    bot?.close();
    bot = null;
  });

  const imageKey = async () => {
    const file = join(t.sb.dir, 'teapot.png');
    writeFileSync(file, PNG_1X1);
    const r = await t.sb.run(['upload-image', file, '--json']);
    return r.json.data.image_key as string;
  };
  const send = async (card: unknown, to = 'alice@example.com') => {
    const r = await t.send(await t.token(), 'email', to, card);
    expect(r.body.code, JSON.stringify(r.body)).toBe(0);
    return r.body.data.message_id as string;
  };

  it('list: messages newest last, as text and as JSON; an unknown chat is exit 2 with the chats', async () => {
    const first = await send(approval);
    const second = await send(sizesCard(await imageKey()));
    const human = await t.sb.run(['inbox', 'list']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines.at(-2)).toMatch(new RegExp(`^${first}\\toc_\\w+\\tCard Demo Bot\\tinteractive\\tExpense approval — `));
    expect(lines.at(-1)).toContain(`${second}\t`);
    expect(lines.at(-1)).toContain('尺寸 🍵 — Hi @Alice Zhang, pick one');
    const json = await t.sb.run(['inbox', 'list', '--limit', '1', '--json']);
    expect(json.json.data.messages).toEqual([expect.objectContaining({ message_id: second, type: 'interactive', sender: { type: 'bot', id: t.app.app_id, name: 'Card Demo Bot' } })]);
    const bad = await t.sb.run(['inbox', 'list', '--chat', 'oc_nope', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.message).toBe('the emulator has no chat oc_nope');
    expect(bad.json.error.details.chats.length).toBeGreaterThan(0);
  });

  it('show: the card as text with its elements numbered; an unknown message is exit 2 with the newest', async () => {
    const id = await send(sizesCard(await imageKey()));
    const human = await t.sb.run(['inbox', 'show', id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('# 尺寸 🍵\nHi @Alice Zhang, pick one\n[image: a teapot]\n');
    expect(human.stdout).toContain('  #1 select_static  "Size"  element_id=size  value={"field":"size"}  options: s (Small), l (Large)');
    // The bot's text never reaches the terminal as a control sequence.
    expect(human.stdout).not.toContain('\u001b');
    const json = await t.sb.run(['inbox', 'show', id, '--json']);
    expect(json.json.data.elements.map((e: any) => [e.n, e.kind, e.element_id])).toEqual([[1, 'select_static', 'size'], [2, 'button', 'broken'], [3, 'input', 'note']]);
    expect(json.json.data.streaming).toBeNull();
    const bad = await t.sb.run(['inbox', 'show', 'om_nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the emulator has no message om_nope');
    expect(bad.stderr).toContain(id);
  });

  it('click: by text, element_id and #N; prints the toast and how the card changed', async () => {
    const id = await send(approval);
    const human = await t.sb.run(['inbox', 'click', id, 'Approve']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^✓ clicked #1 button "Approve" as Alice Zhang: /);
    expect(human.stdout).toContain('toast: success "Approved"\ncard: replaced by the answer');
    expect(seen.at(-1).action.value).toEqual({ action: 'approve', request_id: 'EXP-1024' });
    const again = await send(approval);
    const json = await t.sb.run(['inbox', 'click', again, '#2', '--as', 'bob@example.com', '--json']);
    expect(json.code).toBe(0);
    expect(json.json.data).toMatchObject({ ok: true, toast: { type: 'error', content: 'Rejected' }, card: { changed: false }, as: { name: 'Bob Li' }, element: { n: 2, element_id: 'reject_btn' }, channel: mode });
    const byId = await t.sb.run(['inbox', 'click', again, 'approve_btn', '--json']);
    expect(byId.json.data.card).toMatchObject({ changed: true, by: 'answer' });
    const shown = await t.sb.run(['inbox', 'show', again, '--json']);
    expect(shown.json.data.toasts.map((x: any) => [x.type, x.content])).toEqual([['error', 'Rejected'], ['success', 'Approved']]);
    expect(shown.json.data).toMatchObject({ updated: true, title: 'Expense approval' });
  });

  it('click: an unknown target or person is exit 2 with what exists; a broken answer is exit 5 naming why', async () => {
    const id = await send(approval);
    const target = await t.sb.run(['inbox', 'click', id, 'Nope', '--json']);
    expect(target.code).toBe(2);
    expect(target.json.error.details.available).toEqual(['#1 button "Approve" element_id=approve_btn value={"action":"approve","request_id":"EXP-1024"}', '#2 button "Reject" element_id=reject_btn value={"action":"reject","request_id":"EXP-1024"}']);
    const person = await t.sb.run(['inbox', 'click', id, 'Approve', '--as', 'nobody@example.com']);
    expect(person.code).toBe(2);
    expect(person.stderr).toContain('alice@example.com');
    const index = await t.sb.run(['inbox', 'click', id, '#9']);
    expect([index.code, index.stderr]).toEqual([2, expect.stringContaining('has no element #9')]);
    expect(seen).toEqual([]);
    const broken = await send(sizesCard(await imageKey()));
    const bad = await t.sb.run(['inbox', 'click', broken, 'broken']);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/^✗ clicked #2 button/);
    expect(bad.stderr).toContain('the bot\'s answer fails: the answer was refused: $.toast.type: "ok-not-a-type" is not a toast type; use one of info, success, error, warning (the client shows error 200672)');
  });

  it('choose and fill: options by text, forms with their checks', async () => {
    const id = await send(sizesCard(await imageKey()));
    const chose = await t.sb.run(['inbox', 'choose', id, 'size', 'Large', '--json']);
    expect(chose.json.data.toast).toEqual({ type: 'info', content: 'chose l' });
    const human = await t.sb.run(['inbox', 'choose', id, '#1', 's']);
    expect(human.stdout).toMatch(/^✓ chose in #1 select_static "Size" as Alice Zhang: .*\ntoast: info "chose s"\ncard: unchanged\n$/);
    const noOption = await t.sb.run(['inbox', 'choose', id, '#1', 'Huge', '--json']);
    expect(noOption.code).toBe(2);
    expect(noOption.json.error.details.available).toEqual(['s (Small)', 'l (Large)']);
    const typed = await t.sb.run(['inbox', 'fill', id, 'note=short', '--json']);
    expect(typed.json.data).toMatchObject({ ok: true, toast: { content: 'typed short' }, element: { n: 3, kind: 'input' } });
    const tooLong = await t.sb.run(['inbox', 'fill', id, 'note=far too long for it']);
    expect([tooLong.code, tooLong.stderr]).toEqual([2, expect.stringContaining('takes at most 10 characters')]);
    const form = await send(feedback);
    const filled = await t.sb.run(['inbox', 'fill', form, 'type=Bug', 'content=它崩溃了', 'contact_me=true']);
    expect(filled.code).toBe(0);
    expect(filled.stdout).toContain('toast: info "got {\\"type\\":\\"bug\\",\\"content\\":\\"它崩溃了\\",\\"seen_on\\":\\"2024-03-01 +0800\\",\\"contact_me\\":true}"');
    const missing = await t.sb.run(['inbox', 'fill', form, 'type=bug']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('required field "content"')]);
    const unknown = await t.sb.run(['inbox', 'fill', form, 'kind=bug', '--json']);
    expect(unknown.json.error.details.available).toEqual(['type (select_static)', 'content (input)', 'seen_on (date_picker)', 'contact_me (checker)']);
  });

  it('say: a person writes, the bot hears it and answers with a message', async () => {
    const human = await t.sb.run(['inbox', 'say', 'alice@example.com', 'hello 你好']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^✓ Alice Zhang wrote om_\w+ in oc_\w+\n  ✓ cli_a0e1d2c3b4a59687: /);
    expect(human.stdout).toMatch(/new message: om_\w+ Card Demo Bot in oc_\w+: echo: hello 你好/);
    const json = await t.sb.run(['inbox', 'say', 'Card Demo Bot', 'again', '--as', 'bob@example.com', '--json']);
    expect(json.json.data).toMatchObject({ ok: true, as: { name: 'Bob Li' }, deliveries: [{ ok: true, channel: mode }], new_messages: [{ text: 'echo: again' }] });
    const bad = await t.sb.run(['inbox', 'say', 'nobody', 'hi']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('bob@example.com')]);
    const group = t.emu.state().chats.find((c) => c.name === 'Card Playground')!;
    const outsider = t.users.find((u) => !group.members.includes(u.open_id))!;
    const notMember = await t.sb.run(['inbox', 'say', group.chat_id, 'hi', '--as', outsider.open_id, '--json']);
    expect(notMember.code).toBe(2);
    expect(notMember.json.error.message).toBe(`--as: ${outsider.name} is not in ${group.chat_id}, so cannot write there`);
    expect(notMember.json.error.details.people.length).toBe(group.members.length);
    // In a group the bot hears only an @mention: say @mentions it.
    const inGroup = await t.sb.run(['inbox', 'say', group.chat_id, 'status?', '--json']);
    expect(inGroup.json.data).toMatchObject({ ok: true, chat_id: group.chat_id, new_messages: [{ chat_id: group.chat_id, text: 'echo: @_user_1 status?' }] });
  });

  it('wait: the next message from the bot, read from the event stream', async () => {
    const listeners = () => t.emu.core.events.listenerCount('message');
    const before = listeners();
    const waiting = t.sb.run(['inbox', 'wait', '--from-bot', '--json']);
    while (listeners() <= before) await new Promise((r) => setImmediate(r));
    await t.sb.run(['inbox', 'say', 'alice@example.com', 'ping']);
    const got = await waiting;
    expect(got.code).toBe(0);
    expect(got.json.data).toMatchObject({ event: 'message', message: { sender: { type: 'bot' }, text: 'echo: ping' } });
    // The first wait's stream closes first, so the count below is the second's.
    while (listeners() > before) await new Promise((r) => setImmediate(r));
    const human = t.sb.run(['inbox', 'wait', '--from-bot']);
    while (listeners() <= before) await new Promise((r) => setImmediate(r));
    await t.sb.run(['inbox', 'say', 'bob@example.com', 'pong']);
    const shown = await human;
    expect(shown.stdout).toMatch(/^message\tom_\w+\toc_\w+\tCard Demo Bot\ttext\techo: pong\n$/);
  });
});

describe('card inbox: failures that are not the bot\'s answer', () => {
  it('a click whose callback URL does not answer is exit 5, naming why', async () => {
    const r = await t.call('PATCH', `/_emulator/apps/${t.app.app_id}`, { callback_mode: 'http', callback_url: 'http://127.0.0.1:9/cards' });
    expect(r.body.code).toBe(0);
    const token = await t.token();
    const id = (await t.send(token, 'email', 'alice@example.com', approval)).body.data.message_id;
    const res = await t.sb.run(['inbox', 'click', id, 'Approve', '--json']);
    expect(res.code).toBe(5);
    expect(res.json.error.message).toBe("the bot's answer fails: nothing is listening at http://127.0.0.1:9/cards: is the handler running? (the client shows error 200342)");
  });

  it('show: a streaming CardKit card says it streams, with the text pushed so far', async () => {
    const token = await t.token();
    const streaming = { schema: '2.0', config: { streaming_mode: true }, body: { elements: [{ tag: 'markdown', content: '', element_id: 'md' }] } };
    const created = await t.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(streaming) }, token);
    const cardId = created.body.data.card_id as string;
    const id = (await t.send(token, 'email', 'alice@example.com', { type: 'card', data: { card_id: cardId } })).body.data.message_id as string;
    const pushed = await t.call('PUT', `/open-apis/cardkit/v1/cards/${cardId}/elements/md/content`, { content: '正在思考…', sequence: 1, uuid: 'u1' }, token);
    expect(pushed.body.code).toBe(0);
    const human = await t.sb.run(['inbox', 'show', id]);
    expect(human.stdout).toContain(`正在思考…\n\nStreaming: on (card ${cardId})`);
    const json = await t.sb.run(['inbox', 'show', id, '--json']);
    expect(json.json.data.streaming).toMatchObject({ card_id: cardId, on: true });
  });

  it('a handler that answers HTTP 500 is exit 5, with the client\'s error named', async () => {
    const failing = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('{"msg":"boom"}');
    });
    try {
      await t.call('PATCH', `/_emulator/apps/${t.app.app_id}`, { callback_mode: 'http', callback_url: `${failing.url}/cards` });
      const id = (await t.send(await t.token(), 'email', 'alice@example.com', approval)).body.data.message_id;
      const res = await t.sb.run(['inbox', 'click', id, 'Approve']);
      expect(res.code).toBe(5);
      expect(res.stdout).toMatch(/^✗ clicked #1 button "Approve" as Alice Zhang: HTTP 500 in \d+ ms\n  HTTP 500: \{"msg":"boom"\} \(the client shows error 200671\)\ntoast: none\ncard: unchanged\n$/);
    } finally {
      await failing.close();
    }
  });

  it('a long-connection bot that does not acknowledge in time is exit 5', async () => {
    await t.call('PATCH', '/_emulator/ws/settings', { answer_ms: 50 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const bot = await startWsBot(t.url, t.app, { 'card.action.trigger': async () => held.then(() => ({})) });
    try {
      const id = (await t.send(await t.token(), 'email', 'alice@example.com', approval)).body.data.message_id;
      const res = await t.sb.run(['inbox', 'click', id, 'Approve', '--json']);
      expect(res.code).toBe(5);
      expect(res.json.error.details).toMatchObject({ ok: false, channel: 'ws' });
      expect(res.json.error.message).toBe("the bot's answer fails: no answer in 0.05 s (the client shows error 200341)");
    } finally {
      release();
      bot.close();
      await t.call('PATCH', '/_emulator/ws/settings', { answer_ms: 3000 });
    }
  });

  it('wait gives up on the command\'s clock with exit 4', async () => {
    const clock = new FakeClock();
    const running = t.sb.run(['inbox', 'wait', '--timeout', '2s', '--chat', t.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id], { clock });
    const listeners = t.emu.core.events.listenerCount('message');
    while (t.emu.core.events.listenerCount('message') === listeners) await new Promise((r) => setImmediate(r));
    clock.advance(2000);
    const res = await running;
    expect([res.code, res.stderr]).toEqual([4, expect.stringContaining('no message or update in oc_')]);
  });

  it('no emulator there is exit 4', async () => {
    const res = await t.sb.run(['inbox', 'list', '--base-url', 'http://127.0.0.1:9']);
    expect(res.code).toBe(4);
  });
});
