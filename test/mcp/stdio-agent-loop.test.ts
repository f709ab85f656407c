import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { mcpSession, type Session } from '../helpers/mcp.js';
import { sdkClient } from '../helpers/sdk.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * `card mcp` as an agent meets it: a real `card` process (dist/, after `npm run build`) driven by
 * the official MCP SDK's client over stdio, and a bot on the official Node SDK's WSClient
 * against the emulator the server starts.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const APPROVAL = {
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: 'Leave request' } },
  body: {
    elements: [
      { tag: 'markdown', content: 'Alice asks for 2 days off' },
      { tag: 'button', element_id: 'approve_btn', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { act: 'approve' } }] },
      { tag: 'button', element_id: 'break_btn', text: { tag: 'plain_text', content: 'Break' }, behaviors: [{ type: 'callback', value: { act: 'break' } }] },
    ],
  },
};

const sb = new Sandbox();
let s: Session;
let bot: WsBot | null = null;
beforeAll(async () => {
  s = await mcpSession(sb);
});
afterAll(async () => {
  bot?.close();
  await s?.close();
  sb.cleanup();
});

describe('card mcp over stdio, with the official MCP client', () => {
  it('lists every tool, each with an input schema, and the shipped schemas as resources', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['inbox_chat', 'inbox_choose', 'inbox_click', 'inbox_fill', 'inbox_list', 'inbox_menu', 'inbox_paste_link', 'inbox_react', 'inbox_read', 'inbox_recall', 'inbox_say', 'inbox_screenshot', 'inbox_send', 'inbox_show', 'inbox_wait', 'lint_card', 'list_fixtures', 'preview_card', 'replay_callback', 'send_card', 'start_emulator', 'stop_emulator'].sort(),
    );
    expect(tools.find((t) => t.name === 'send_card')!.inputSchema.required).toEqual(['card', 'to']);
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('card://schemas/card-v2.0.json');
    const schema = await s.client.readResource({ uri: 'card://schemas/card-v2.0.json' });
    expect(JSON.parse((schema.contents[0] as { text: string }).text)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schemas/card-v2.0.json'), 'utf8')));
  });

  it('lint_card names the JSON path of each problem, for an object and for text (with line and column)', async () => {
    const broken = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'ok' }, { tag: 'button', text: 7 }] } };
    const asObject = await s.call('lint_card', { card: broken });
    expect(asObject.isError).toBe(false);
    expect(asObject.data.ok).toBe(false);
    expect(asObject.data.problems.map((p: any) => p.pointer)).toContain('/body/elements/1/text');
    const asText = await s.call('lint_card', { card: '{"schema": "2.0",\n "body": {"elements": [}\n}' });
    expect(asText.data.problems[0]).toMatchObject({ rule: 'json', line: 2 });
    const good = await s.call('lint_card', { card: JSON.stringify(APPROVAL) });
    expect(good.data).toMatchObject({ ok: true, errors: 0 });
  });

  it('bad tool input is an error naming the field', async () => {
    const noCard = await s.call('lint_card', { card: 42 });
    expect(noCard.isError).toBe(true);
    expect(noCard.text).toMatch(/expected a card.* at card/);
    const noTo = await s.call('send_card', { card: APPROVAL });
    expect(noTo.isError).toBe(true);
    expect(noTo.text).toMatch(/\bat to\b/);
    const badId = await s.call('inbox_click', { message_id: 'not-a-message', target: 'Approve' });
    expect(badId.isError).toBe(true);
    expect(badId.text).toMatch(/a message id \(om_…\) at message_id/);
    const badUrl = await s.call('start_emulator', { callback_url: 'ftp://x' });
    expect(badUrl.text).toMatch(/callback_url must be an http\(s\) URL at callback_url/);
    // Before an emulator runs, the inbox says what to do first.
    const early = await s.call('inbox_list', {});
    expect(early.isError).toBe(true);
    expect(early.text).toContain('start_emulator');
  });

  it('starts an emulator; a WSClient bot answers a click on a sent card; inbox_click reads the toast and the new card', async () => {
    const started = await s.call('start_emulator', {});
    expect(started.isError).toBe(false);
    const { url, apps, chats } = started.data;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const app = apps[0];
    expect(app.app_secret).toBeTruthy();
    expect(app.callback).toBe('long connection');
    const seen: any[] = [];
    bot = await startWsBot(url, app, {
      'card.action.trigger': async (data: any) => {
        seen.push(data);
        if (data.action.value.act === 'break') return { toast: { type: 'fireworks', content: 'oops' } };
        const done = structuredClone(APPROVAL);
        done.header.title.content = 'Leave request: approved';
        done.body.elements = [{ tag: 'markdown', content: `Approved by ${data.operator.open_id}` }] as any;
        return { toast: { type: 'success', content: '已批准' }, card: { type: 'raw', data: done } };
      },
    });
    const chat = chats[0].chat_id;
    const sent = await s.call('send_card', { card: APPROVAL, to: chat });
    expect(sent.isError, sent.text).toBe(false);
    const id = sent.data.message_id;
    expect(id).toMatch(/^om_/);

    const listed = await s.call('inbox_list', { chat });
    expect(listed.data.messages.at(-1)).toMatchObject({ message_id: id, sender: 'Card Demo Bot', type: 'interactive', text: 'Leave request · Alice asks for 2 days off' });
    const shown = await s.call('inbox_show', { message_id: id });
    expect(shown.data.card.title).toBe('Leave request');
    expect(shown.data.card.elements.map((e: any) => [e.n, e.kind, e.text, e.element_id])).toEqual([
      [1, 'button', 'Approve', 'approve_btn'],
      [2, 'button', 'Break', 'break_btn'],
    ]);

    const clicked = await s.call('inbox_click', { message_id: id, target: 'Approve', as: 'bob@example.com' });
    expect(clicked.isError, clicked.text).toBe(false);
    expect(clicked.data).toMatchObject({ ok: true, channel: 'ws', toast: { type: 'success', content: '已批准' }, card_changed: true });
    expect(clicked.data.card.title).toBe('Leave request: approved');
    expect(seen[0].action.value).toEqual({ act: 'approve' });
    const after = await s.call('inbox_show', { message_id: id });
    expect(after.data).toMatchObject({ updated: true, last_toast: { content: '已批准' } });
    expect(after.data.card.text[0]).toMatch(/^Approved by ou_/);
  });

  it('an answer that breaks the rules is a tool error saying why; an unknown target lists what is there', async () => {
    const [last] = (await s.call('inbox_list', { limit: 1 })).data.messages;
    const send = await s.call('send_card', { card: APPROVAL, to: last.chat_id });
    const broken = await s.call('inbox_click', { message_id: send.data.message_id, target: '#2' });
    expect(broken.isError).toBe(true);
    expect(broken.data.ok).toBe(false);
    expect(broken.data.why).toMatch(/toast\.type/);
    const unknown = await s.call('inbox_click', { message_id: send.data.message_id, target: 'Reject' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('"Approve"');
    const nobody = await s.call('inbox_click', { message_id: send.data.message_id, target: 'Approve', as: 'zed@example.com' });
    expect(nobody.text).toMatch(/^as: no seeded person "zed@example.com"; the people: Alice Zhang/);
  });

  it('inbox_say writes as a person and returns the bot\'s reply', async () => {
    const state = (await s.call('start_emulator', {})).data;
    expect(state.already_running).toBe(true);
    const sdk = sdkClient(state.url, state.apps[0]);
    bot?.close();
    bot = await startWsBot(state.url, state.apps[0], {
      'im.message.receive_v1': async (data: any) => {
        const text = JSON.parse(data.message.content).text as string;
        await sdk.im.message.reply({ path: { message_id: data.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: `echo: ${text}` }) } });
      },
    });
    const said = await s.call('inbox_say', { to: 'carol@example.com', text: 'hello bot' });
    expect(said.isError, said.text).toBe(false);
    expect(said.data.sent).toMatchObject({ sender: 'Carol Wang', text: 'hello bot' });
    expect(said.data.replies[0]).toMatchObject({ sender: 'Card Demo Bot', text: 'echo: hello bot' });
    bot.close();
    bot = null;
    const stranger = await s.call('inbox_say', { to: 'zed@example.com', text: 'hi' });
    expect(stranger.text).toMatch(/^to: no seeded person "zed@example.com"; the people: Alice Zhang \(alice@example.com\)/);
    const silent = await s.call('inbox_say', { to: state.chats[0].chat_id, text: 'anyone?', reply_timeout_ms: 200 });
    expect(silent.isError).toBe(true);
    expect(silent.data.why).toMatch(/sent nothing .* within 200 ms/);
  });

  it('inbox_choose picks an option, inbox_fill submits a form, inbox_wait gets a message the bot sends later', async () => {
    const state = (await s.call('start_emulator', {})).data;
    const sdk = sdkClient(state.url, state.apps[0]);
    let summarySent: Promise<unknown> = Promise.resolve();
    bot?.close();
    bot = await startWsBot(state.url, state.apps[0], {
      'card.action.trigger': async (data: any) => {
        const a = data.action;
        if (a.form_value) {
          // The answer comes now; a summary follows as a new message after it.
          summarySent = new Promise((resolve) => setImmediate(resolve)).then(() => sdk.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: data.context.open_chat_id, msg_type: 'text', content: JSON.stringify({ text: `filed: ${a.form_value.reason}` }) } }));
          return { toast: { type: 'success', content: `form ${JSON.stringify(a.form_value)}` } };
        }
        return { toast: { type: 'info', content: `picked ${a.option}` } };
      },
    });
    const card = {
      schema: '2.0',
      body: {
        elements: [
          { tag: 'select_static', element_id: 'size', placeholder: { tag: 'plain_text', content: 'Size' }, options: [{ text: { tag: 'plain_text', content: 'Large' }, value: 'l' }, { text: { tag: 'plain_text', content: 'Small' }, value: 's' }] },
          {
            tag: 'form',
            name: 'leave',
            elements: [
              { tag: 'input', name: 'reason', required: true, placeholder: { tag: 'plain_text', content: 'Reason' } },
              { tag: 'button', name: 'send', text: { tag: 'plain_text', content: 'Submit' }, form_action_type: 'submit' },
            ],
          },
        ],
      },
    };
    const chat = state.chats[0].chat_id;
    const { data: sent } = await s.call('send_card', { card, to: chat });
    const chosen = await s.call('inbox_choose', { message_id: sent.message_id, target: 'size', option: 'Small' });
    expect(chosen.data).toMatchObject({ ok: true, toast: { content: 'picked s' }, card_changed: false });
    const noOption = await s.call('inbox_choose', { message_id: sent.message_id, target: 'size', option: 'Huge' });
    expect(noOption.text).toContain('its options: l (Large), s (Small)');
    const empty = await s.call('inbox_fill', { message_id: sent.message_id, values: {} });
    expect(empty.text).toContain('required field "reason"');
    const filled = await s.call('inbox_fill', { message_id: sent.message_id, values: { reason: 'trip' }, submit: 'Submit' });
    expect(filled.data).toMatchObject({ ok: true, toast: { content: 'form {"reason":"trip"}' } });
    // The summary came before this call (the bot sent it after answering): the wait still returns it.
    await summarySent;
    const later = await s.call('inbox_wait', { chat, timeout_ms: 5000 });
    expect(later.data).toMatchObject({ sender: 'Card Demo Bot', type: 'text', text: 'filed: trip' });
    const nothing = await s.call('inbox_wait', { chat, timeout_ms: 100 });
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toContain('no bot message or update in');
    bot.close();
    bot = null;
  });

  it('stop_emulator stops it; the inbox then asks for start_emulator', async () => {
    expect((await s.call('stop_emulator')).data).toEqual({ stopped: true });
    expect((await s.call('inbox_list')).text).toContain('start_emulator');
  });

  it('list_fixtures lists the shipped callbacks', async () => {
    const r = await s.call('list_fixtures');
    expect(r.data.fixtures.map((f: any) => f.name)).toContain('button');
  });
});

describe('the MCP SDK stays off every other command\'s path', () => {
  it('only the mcp files of the bundle name the SDK or zod', () => {
    const dir = join(ROOT, 'dist/bundle');
    const naming = readdirSync(dir)
      .filter((f) => f.endsWith('.cjs'))
      .filter((f) => /@modelcontextprotocol|require\("zod"\)/.test(readFileSync(join(dir, f), 'latin1')));
    expect(naming.length).toBeGreaterThan(0);
    expect(naming.filter((f) => !f.startsWith('mcp.'))).toEqual([]);
  });
});
