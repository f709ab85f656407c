import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const chatId = () => t.emu.state().chats[0]!.chat_id;

/** A text message the first app's bot sends to the seeded group. */
async function sent(text = 'hello'): Promise<string> {
  const r = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

const react = (messageId: string, emoji: string) => answer(sdk().im.messageReaction.create({ path: { message_id: messageId }, data: { reaction_type: { emoji_type: emoji } } }));
const list = (messageId: string, params: Record<string, unknown> = {}) => answer(sdk().im.messageReaction.list({ path: { message_id: messageId }, params }));

describe('POST /open-apis/im/v1/messages/:message_id/reactions', () => {
  it('adds a reaction by the bot, which the list then shows', async () => {
    const id = await sent();
    const r = await react(id, 'THUMBSUP');
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ operator: { operator_id: t.app.app_id, operator_type: 'app' }, reaction_type: { emoji_type: 'THUMBSUP' } });
    expect(r.body.data.reaction_id).toMatch(/^[\w-]{16,}$/);
    const l = await list(id);
    expect(l.body.data.items.map((x: any) => x.reaction_id)).toEqual([r.body.data.reaction_id]);
  });

  it('refuses an emoji_type the docs do not list, and one in the wrong case (231001)', async () => {
    const id = await sent();
    for (const emoji of ['NOPE', 'thumbsup']) {
      const r = await react(id, emoji);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 231001, msg: expect.stringContaining('reaction type is invalid') });
    }
    expect((await react(id, 'EatingFood')).body.code).toBe(0);
  });

  it('refuses a recalled message and an unknown one (231003)', async () => {
    const id = await sent();
    await sdk().im.message.delete({ path: { message_id: id } });
    const r = await react(id, 'OK');
    expect(r.body).toMatchObject({ code: 231003, msg: expect.stringContaining('The message is not found, maybe not exist or deleted') });
    expect((await react('om_nothing', 'OK')).body.code).toBe(231003);
  });

  it('refuses a bot outside the chat (231002)', async () => {
    const id = await sent();
    const store = t.emu.core.store;
    store.chats.get(chatId())!.bots.delete(t.app.app_id);
    const r = await react(id, 'OK');
    expect(r.body).toMatchObject({ code: 231002, msg: 'The operator has no permission to react on the specific message.' });
  });

  it('answers the same reaction when the same operator adds the same emoji again', async () => {
    const id = await sent();
    const a = await react(id, 'OK');
    const b = await react(id, 'OK');
    expect(b.body.data.reaction_id).toBe(a.body.data.reaction_id);
    expect((await list(id)).body.data.items).toHaveLength(1);
  });

  it('keeps reactions within the store: a person reacts and unreacts through the store', async () => {
    const id = await sent();
    const store = t.emu.core.store;
    const alice = t.users[0]!;
    const m = store.messages.get(id)!;
    const r = store.react(m, { type: 'user', id: alice.open_id }, 'SMILE', 1000);
    expect(() => store.react(m, { type: 'user', id: t.users[2]!.open_id }, 'SMILE', 1000)).toThrow(/231002|no permission/);
    expect(() => store.unreact(m, { type: 'app', id: t.app.app_id }, r.reaction_id)).toThrow(/delete this reaction/);
    store.unreact(m, { type: 'user', id: alice.open_id }, r.reaction_id);
    expect(store.reactionsOf(id)).toEqual([]);
  });

  it('lets a message the cap drops take its reactions and pin with it', async () => {
    await t.restart({ settings: { maxMessages: 2 } });
    const first = await sent('first');
    await react(first, 'OK');
    await sdk().im.pin.create({ data: { message_id: first } });
    const store = t.emu.core.store;
    expect(store.reactionIndex.size).toBe(1);
    await sent('second');
    await sent('third');
    expect(store.messages.get(first)).toBeUndefined();
    expect(store.reactionsOf(first)).toEqual([]);
    expect(store.reactionIndex.size).toBe(0);
    expect(store.pins.has(first)).toBe(false);
  });
});

describe('GET /open-apis/im/v1/messages/:message_id/reactions', () => {
  it('pages, filters by reaction_type, and names people by the user_id_type asked for', async () => {
    const id = await sent();
    const store = t.emu.core.store;
    const [alice, bob] = t.users;
    store.react(store.messages.get(id)!, { type: 'user', id: alice!.open_id }, 'SMILE', 1)
    store.react(store.messages.get(id)!, { type: 'user', id: bob!.open_id }, 'OK', 2);
    await react(id, 'SMILE');
    const first = await list(id, { page_size: 2 });
    expect(first.body.data.items).toHaveLength(2);
    expect(first.body.data.has_more).toBe(true);
    const second = await list(id, { page_size: 2, page_token: first.body.data.page_token });
    expect(second.body.data).toMatchObject({ has_more: false, page_token: '' });
    expect(second.body.data.items).toHaveLength(1);
    const smiles = await list(id, { reaction_type: 'SMILE', user_id_type: 'union_id' });
    expect(smiles.body.data.items.map((x: any) => x.operator)).toEqual([
      { operator_id: alice!.union_id, operator_type: 'user' },
      { operator_id: t.app.app_id, operator_type: 'app' },
    ]);
  });

  it('refuses a bad page_token (231012), an unknown reaction_type (231001) and a page_size over 50', async () => {
    const id = await sent();
    expect((await list(id, { page_token: 'garbage' })).body).toMatchObject({ code: 231012, msg: 'The request has an invalid pageToken.' });
    expect((await list(id, { reaction_type: 'smile' })).body.code).toBe(231001);
    const big = await list(id, { page_size: 51 });
    expect(big.body.code).toBe(99992402);
    expect(big.body.error.field_violations[0].field).toBe('page_size');
  });
});

describe('DELETE /open-apis/im/v1/messages/:message_id/reactions/:reaction_id', () => {
  it('takes back the bot\'s own reaction', async () => {
    const id = await sent();
    const r = await react(id, 'OK');
    const d = await answer(sdk().im.messageReaction.delete({ path: { message_id: id, reaction_id: r.body.data.reaction_id } }));
    expect(d.body).toMatchObject({ code: 0, data: { reaction_id: r.body.data.reaction_id, reaction_type: { emoji_type: 'OK' } } });
    expect((await list(id)).body.data.items).toEqual([]);
  });

  it('refuses a reaction someone else added (231007), of another message (231010), or unknown (231011)', async () => {
    const id = await sent();
    const other = await sent('other');
    const store = t.emu.core.store;
    const theirs = store.react(store.messages.get(id)!, { type: 'user', id: t.users[0]!.open_id }, 'OK', 1);
    const del = (m: string, r: string) => answer(sdk().im.messageReaction.delete({ path: { message_id: m, reaction_id: r } }));
    expect((await del(id, theirs.reaction_id)).body).toMatchObject({ code: 231007, msg: 'The operator has no permission to delete this reaction.' });
    expect((await del(other, theirs.reaction_id)).body).toMatchObject({ code: 231010, msg: 'The reaction does not belong to the message.' });
    expect((await del(id, 'nope')).body).toMatchObject({ code: 231011, msg: 'The request has an invalid reaction_id.' });
    expect(store.reactionsOf(id)).toHaveLength(1);
  });
});

describe('POST /open-apis/im/v1/messages/reactions/batch_query', () => {
  it('answers each message\'s reactions and counts, and lists the ones it cannot answer', async () => {
    const a = await sent('a');
    const b = await sent('b');
    await react(a, 'OK');
    await react(a, 'SMILE');
    await react(b, 'OK');
    const r = await answer(
      sdk().im.messageReaction.batchQuery({
        data: { queries: [{ message_id: a }, { message_id: b }, { message_id: 'om_missing' }, { message_id: a, page_token: 'bad' }], page_size_per_message: 1 },
      }),
    );
    expect(r.status).toBe(200);
    const details = r.body.data.success_msg_reaction_details;
    expect(details[0]).toMatchObject({ message_id: a, has_more: true, message_reaction_items: [{ emoji_type: 'OK', operator: { operator_type: 'app' } }] });
    expect(details[1]).toMatchObject({ message_id: b, has_more: false });
    expect(r.body.data.success_msg_reaction_counts[0]).toEqual({ message_id: a, reaction_count: [{ reaction_type: 'OK', count: '1' }, { reaction_type: 'SMILE', count: '1' }] });
    expect(r.body.data.fail_msg_reaction_details).toEqual([
      { message_id: 'om_missing', fail_reason: 'invalid' },
      { message_id: a, fail_reason: 'invalid_page_token' },
    ]);
  });

  it('fails only the messages of a chat the bot is not in (no_permission), or one that is dissolved', async () => {
    const a = await sent();
    const store = t.emu.core.store;
    const chat = store.chats.get(chatId())!;
    chat.dissolved = true;
    const gone = await answer(sdk().im.messageReaction.batchQuery({ data: { queries: [{ message_id: a }] } }));
    expect(gone.body.data.fail_msg_reaction_details).toEqual([{ message_id: a, fail_reason: 'no_permission' }]);
    chat.dissolved = false;
    chat.bots.delete(t.app.app_id);
    const outside = await answer(sdk().im.messageReaction.batchQuery({ data: { queries: [{ message_id: a }] } }));
    expect(outside.body.data.fail_msg_reaction_details).toEqual([{ message_id: a, fail_reason: 'no_permission' }]);
  });

  it('filters by reaction_type and refuses an unknown one (231001) or no queries', async () => {
    const a = await sent();
    await react(a, 'OK');
    await react(a, 'SMILE');
    const r = await answer(sdk().im.messageReaction.batchQuery({ data: { queries: [{ message_id: a }], reaction_type: 'SMILE' } }));
    expect(r.body.data.success_msg_reaction_details[0].message_reaction_items.map((x: any) => x.emoji_type)).toEqual(['SMILE']);
    expect((await answer(sdk().im.messageReaction.batchQuery({ data: { queries: [{ message_id: a }], reaction_type: 'smile' } }))).body.code).toBe(231001);
    expect((await answer(sdk().im.messageReaction.batchQuery({ data: { queries: [] } }))).body.code).toBe(99992402);
  });
});
