import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';

/** Ephemeral cards in the inbox: shown only to the member they were sent to, and clickable by them alone. */
const c = emulatorForFile();
let handler: Awaited<ReturnType<typeof serve>>;
let received: unknown[];

beforeEach(async () => {
  received = [];
  handler = await serve(async (req, res) => {
    received.push(JSON.parse(await readBody(req)));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ toast: { type: 'success', content: 'done' }, card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'answered' }] } } } }));
  });
  c.emu.core.store.apps.get(c.app.app_id)!.callback_url = handler.url;
});
afterEach(async () => {
  await handler.close();
});

const user = (email: string) => c.users.find((u) => u.email === email)!;
const inbox = async (chatId: string, openId?: string) =>
  (await c.call('GET', `/_emulator/inbox/messages?chat_id=${chatId}${openId ? `&open_id=${openId}` : ''}`)).body.data.messages as any[];

describe('ephemeral cards in the inbox', () => {
  it('shows the card to its member only, lets only them click, and applies the answer for them', async () => {
    const token = await c.token();
    const chatId = c.emu.state().chats[0]!.chat_id;
    const alice = user('alice@example.com');
    const bob = user('bob@example.com');
    const card = { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Go' }, behaviors: [{ type: 'callback', value: { k: 'v' } }] }] } };
    const sent = await c.call('POST', '/open-apis/ephemeral/v1/send', { chat_id: chatId, open_id: alice.open_id, msg_type: 'interactive', card }, token);
    const id = sent.body.data.message_id;
    expect((await inbox(chatId)).map((m) => m.message_id)).not.toContain(id);
    expect((await inbox(chatId, bob.open_id)).map((m) => m.message_id)).not.toContain(id);
    const seen = (await inbox(chatId, alice.open_id)).find((m) => m.message_id === id);
    expect(seen).toMatchObject({ ephemeral: true, visible_to: alice.open_id });
    expect(seen.html).toContain('Go');

    const asBob = await c.call('POST', '/_emulator/inbox/click', { message_id: id, open_id: bob.open_id, action: { tag: 'button', value: { k: 'v' } } });
    expect(asBob.status).toBe(403);
    expect(received).toHaveLength(0);

    const asAlice = await c.call('POST', '/_emulator/inbox/click', { message_id: id, open_id: alice.open_id, action: { tag: 'button', value: { k: 'v' } } });
    expect(asAlice.body.data.interaction).toMatchObject({ ok: true, applied: 'card', operator: alice.open_id, message_id: id });
    expect(received).toHaveLength(1);
    // The callback names the ephemeral card, as the platform's does (the body itself is encrypted).
    expect(JSON.stringify(asAlice.body.data.interaction.request.payload)).toContain(id);
    expect((await inbox(chatId, alice.open_id)).find((m) => m.message_id === id).html).toContain('answered');

    await c.call('POST', '/open-apis/ephemeral/v1/delete', { message_id: id }, token);
    expect((await inbox(chatId, alice.open_id)).map((m) => m.message_id)).not.toContain(id);
  });

  it('refuses clicks on batch-sent cards', async () => {
    const token = await c.token();
    const r = await c.call('POST', '/open-apis/message/v4/batch_send/', { msg_type: 'interactive', card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } }, open_ids: [user('alice@example.com').open_id] }, token);
    expect(r.body.code).toBe(0);
    const m = c.emu.messages()[0]!;
    const click = await c.call('POST', '/_emulator/inbox/click', { message_id: m.message_id, action: { tag: 'button' } });
    expect(click.status).toBe(409);
    const mint = await c.call('POST', '/_emulator/card-tokens', { message_id: m.message_id });
    expect(mint.status).toBe(409);
    expect(received).toHaveLength(0);
  });

  it('refuses clicks on a recalled card: the platform sends no callback for it', async () => {
    const token = await c.token();
    const sent = await c.send(token, 'email', 'alice@example.com', { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } });
    const id = sent.body.data.message_id;
    expect((await c.call('DELETE', `/open-apis/im/v1/messages/${id}`, undefined, token)).body.code).toBe(0);
    const click = await c.call('POST', '/_emulator/inbox/click', { message_id: id, action: { tag: 'button', value: {} } });
    expect(click.status).toBe(409);
    expect(click.body.msg).toContain('recalled');
    expect(received).toHaveLength(0);
  });
});
