import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';
import { mergedItems } from '../../../src/emulator/routes/forward.js';

const { t, sdk } = sdkForFile();

const chatId = () => t.emu.state().chats[0]!.chat_id;

async function sent(text = 'hello', receive: { type: 'chat_id' | 'open_id'; id: string } = { type: 'chat_id', id: chatId() }): Promise<string> {
  const r = await sdk().im.message.create({ params: { receive_id_type: receive.type }, data: { receive_id: receive.id, msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

/** The chat's messages as the list route gives them. */
async function chatMessages(id: string): Promise<any[]> {
  const r = await sdk().im.message.list({ params: { container_id_type: 'chat', container_id: id } });
  return r.data!.items!;
}

const forward = (messageId: string, type: string, receiveId: string, uuid?: string) =>
  answer(sdk().im.message.forward({ path: { message_id: messageId }, params: { receive_id_type: type as any, ...(uuid ? { uuid } : {}) }, data: { receive_id: receiveId } }));
const merge = (ids: string[], type: string, receiveId: string, uuid?: string) =>
  answer(sdk().im.message.mergeForward({ params: { receive_id_type: type as any, ...(uuid ? { uuid } : {}) }, data: { receive_id: receiveId, message_id_list: ids } }));

describe('POST /open-apis/im/v1/messages/:message_id/forward', () => {
  it('posts a copy to a person, which their chat with the bot then lists; a uuid answers once per target', async () => {
    const alice = t.users[0]!;
    const id = await sent('forward me');
    const arrivals: string[] = [];
    t.emu.core.events.on('message', (m) => arrivals.push(m.message_id));
    const r = await forward(id, 'open_id', alice.open_id, 'u-1');
    expect(r.status).toBe(200);
    const copy = r.body.data;
    expect(copy).toMatchObject({ msg_type: 'text', body: { content: JSON.stringify({ text: 'forward me' }) }, sender: { id: t.app.app_id, sender_type: 'app' } });
    expect(copy.message_id).not.toBe(id);
    expect(arrivals).toEqual([copy.message_id]);
    expect((await chatMessages(copy.chat_id)).map((m) => m.message_id)).toEqual([copy.message_id]);
    expect((await forward(id, 'open_id', alice.open_id, 'u-1')).body.data.message_id).toBe(copy.message_id);
    expect((await forward(id, 'chat_id', chatId(), 'u-1')).body.data.message_id).not.toBe(copy.message_id);
  });

  it('joins a thread when the target is a thread_id', async () => {
    const root = await sent('root');
    const reply = await sdk().im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: JSON.stringify({ text: 'in thread' }), reply_in_thread: true } });
    const threadId = reply.data!.thread_id!;
    const r = await forward(await sent('x'), 'thread_id', threadId);
    expect(r.body.data).toMatchObject({ thread_id: threadId, root_id: root, chat_id: chatId() });
  });

  it('refuses an unknown (230064) or recalled (230065) message, and a type that cannot be forwarded (230061)', async () => {
    expect((await forward('om_nothing', 'chat_id', chatId())).body).toMatchObject({ code: 230064, msg: expect.stringContaining('The message to be forwarded is invalid') });
    const id = await sent();
    await sdk().im.message.delete({ path: { message_id: id } });
    expect((await forward(id, 'chat_id', chatId())).body).toMatchObject({ code: 230065, msg: 'The message to be forwarded has been recalled.' });
    // A voice message a person sent (bots cannot send audio in the emulator), made the way a replayed event makes one.
    const made = await t.call('POST', '/_emulator/event-messages', {
      payload: { header: { event_type: 'im.message.receive_v1' }, event: { sender: { sender_id: { open_id: t.users[0]!.open_id } }, message: { chat_type: 'p2p', message_type: 'audio', content: JSON.stringify({ file_key: 'file_v3_x', duration: 1000 }) } } },
    }, await t.token());
    const audio = { data: { message_id: made.body.data.message_id as string } };
    expect((await forward(audio.data!.message_id!, 'chat_id', chatId())).body).toMatchObject({ code: 230061, msg: expect.stringContaining('The message type does not support forwarding') });
  });

  it('refuses an unknown target chat (230063), an unknown person (230034), and a bot outside the target (230002)', async () => {
    const id = await sent();
    expect((await forward(id, 'chat_id', 'oc_nothing')).body).toMatchObject({ code: 230063, msg: 'The chat_id of group to forward is invalid.' });
    expect((await forward(id, 'open_id', 'ou_nobody')).body.code).toBe(230034);
    const store = t.emu.core.store;
    const other = store.newChat({ name: 'No bots', description: '', members: new Set([t.users[0]!.open_id]), bots: new Set(), now: 0 });
    store.chats.set(other.chat_id, other);
    expect((await forward(id, 'chat_id', other.chat_id)).body).toMatchObject({ code: 230002, msg: 'The bot can not be outside the group.' });
    const bad = await answer(sdk().im.message.forward({ path: { message_id: id }, params: { receive_id_type: 'mobile' as any }, data: { receive_id: 'x' } }));
    expect(bad.body.code).toBe(99992402);
  });
});

describe('POST /open-apis/im/v1/messages/merge_forward', () => {
  it('posts one merged message carrying copies of the messages, and names the ones it skipped', async () => {
    const a = await sent('first');
    const b = await sent('second');
    const r = await merge([b, a, 'om_missing'], 'chat_id', chatId());
    expect(r.status).toBe(200);
    const m = r.body.data.message;
    expect(m).toMatchObject({ msg_type: 'merge_forward', body: { content: 'Merged and Forwarded Message' } });
    expect(r.body.data.invalid_message_id_list).toEqual(['om_missing']);
    expect((await chatMessages(chatId())).map((x) => x.message_id)).toContain(m.message_id);
    const store = t.emu.core.store;
    const items = mergedItems(store, store.messages.get(m.message_id)!);
    expect(items.map((x) => [x.body.content, x.upper_message_id])).toEqual([
      [JSON.stringify({ text: 'first' }), m.message_id],
      [JSON.stringify({ text: 'second' }), m.message_id],
    ]);
    expect(items.map((x) => x.message_id)).not.toContain(a);
    // GET of the merged message answers it and then its copies, as the SDK reads them.
    const got = await answer(sdk().im.message.get({ path: { message_id: m.message_id } }));
    expect(got.body.data.items.map((x: any) => [x.message_id, x.upper_message_id || null])).toEqual([[m.message_id, null], ...items.map((x) => [x.message_id, m.message_id])]);
    // A copy inside a merged message cannot be forwarded on by itself.
    expect((await forward(items[0]!.message_id, 'chat_id', chatId())).body.code).toBe(230061);
    // The merged message forwarded on carries the same copies.
    const again = await forward(m.message_id, 'open_id', t.users[0]!.open_id);
    expect(mergedItems(store, store.messages.get(again.body.data.message_id)!).map((x) => x.body.content)).toEqual(items.map((x) => x.body.content));
  });

  it('refuses messages from two chats (230069), all invalid (230064), all recalled (230065), more than 100', async () => {
    const inGroup = await sent('g');
    const inP2p = await sent('p', { type: 'open_id', id: t.users[0]!.open_id });
    expect((await merge([inGroup, inP2p], 'chat_id', chatId())).body).toMatchObject({ code: 230069, msg: 'Does not support forwarding messages from different groups.' });
    expect((await merge(['om_a', 'om_b'], 'chat_id', chatId())).body.code).toBe(230064);
    await sdk().im.message.delete({ path: { message_id: inGroup } });
    expect((await merge([inGroup], 'chat_id', chatId())).body.code).toBe(230065);
    const many = await merge(Array.from({ length: 101 }, (_, i) => `om_${i}`), 'chat_id', chatId());
    expect(many.body.code).toBe(99992402);
    expect(many.body.error.field_violations[0].field).toBe('message_id_list');
  });

  it('refuses thread messages mixed with others (230067)', async () => {
    const root = await sent('root');
    const reply = await sdk().im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: JSON.stringify({ text: 't' }), reply_in_thread: true } });
    const plain = await sent('plain');
    const r = await merge([reply.data!.message_id!, plain], 'chat_id', chatId());
    expect(r.body).toMatchObject({ code: 230067, msg: expect.stringContaining('not in compliance') });
  });
});

describe('POST /open-apis/im/v1/threads/:thread_id/forward', () => {
  it('posts the thread as one merged message', async () => {
    const root = await sent('root');
    const reply = await sdk().im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: JSON.stringify({ text: 'answer' }), reply_in_thread: true } });
    const r = await answer(sdk().im.thread.forward({ path: { thread_id: reply.data!.thread_id! }, params: { receive_id_type: 'open_id' }, data: { receive_id: t.users[1]!.open_id } }));
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ msg_type: 'merge_forward', body: { content: 'Merged and Forwarded Message' } });
    const store = t.emu.core.store;
    expect(mergedItems(store, store.messages.get(r.body.data.message_id)!).map((x) => x.body.content)).toEqual([JSON.stringify({ text: 'root' }), JSON.stringify({ text: 'answer' })]);
    expect((await chatMessages(r.body.data.chat_id)).map((m) => m.message_id)).toEqual([r.body.data.message_id]);
  });

  it('refuses an unknown thread (230064)', async () => {
    const r = await answer(sdk().im.thread.forward({ path: { thread_id: 'omt_nothing' }, params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId() } }));
    expect(r.body).toMatchObject({ code: 230064, msg: expect.stringContaining('no thread omt_nothing') });
  });
});
