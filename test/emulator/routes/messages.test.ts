import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';
import { legacyCard, sharedCard } from '../../helpers/emulator.js';

const { t, sdk } = sdkForFile();

const user = (email: string) => t.users.find((u) => u.email === email)!;
const chatId = () => t.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
const text = (s: string) => JSON.stringify({ text: s });
const advance = (seconds: number) => t.call('POST', '/_emulator/clock', { advance_seconds: seconds });
const markRead = (messageId: string, openId: string) => t.call('POST', `/_emulator/messages/${messageId}/read`, { open_id: openId });

async function sendText(receiveIdType: 'chat_id' | 'open_id' = 'chat_id', receiveId = chatId(), words = 'hello') {
  const r = await sdk().im.message.create({ params: { receive_id_type: receiveIdType }, data: { receive_id: receiveId, msg_type: 'text', content: text(words) } });
  return r.data!.message_id!;
}

/** The first field a 99992402 answer names. */
const violated = (r: { body: any }) => r.body.error?.field_violations?.[0]?.field;

describe('POST /open-apis/im/v1/messages', () => {
  it('sends through the SDK and reads back through GET', async () => {
    const id = await sendText('chat_id', chatId(), 'hi there');
    const got = await sdk().im.message.get({ path: { message_id: id } });
    expect(got.data!.items![0]!.body!.content).toBe(text('hi there'));
  });

  it('names the field its schema refuses: a missing receive_id, a uuid over 50 characters, an unknown receive_id_type', async () => {
    const missing = await answer(sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { msg_type: 'text', content: text('x') } as any }));
    expect([missing.status, missing.body.code, violated(missing)]).toEqual([400, 99992402, 'receive_id']);
    const uuid = await answer(sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'text', content: text('x'), uuid: 'u'.repeat(51) } }));
    expect([uuid.body.code, violated(uuid)]).toEqual([99992402, 'uuid']);
    expect(uuid.body.error.field_violations[0].description).toBe('uuid is longer than 50 characters');
    const type = await answer(sdk().im.message.create({ params: { receive_id_type: 'phone' as any }, data: { receive_id: chatId(), msg_type: 'text', content: text('x') } }));
    expect(violated(type)).toBe('receive_id_type');
    const wrong = await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: chatId(), msg_type: 'text', content: { text: 'x' } }, await t.token());
    expect(wrong.body).toMatchObject({ code: 9499, msg: expect.stringContaining('content') });
    expect(t.emu.messages()).toHaveLength(0);
  });

  it('answers an unknown open_id with 99992351 and a resigned user with 230013', async () => {
    const unknown = await answer(sdk().im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_nobody', msg_type: 'text', content: text('x') } }));
    expect(unknown.body).toMatchObject({ code: 99992351, msg: 'open ids not existed: [ou_nobody]' });
    const resigned = await answer(sdk().im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'dave@example.com', msg_type: 'text', content: text('x') } }));
    expect(resigned.body).toMatchObject({ code: 230013, msg: 'Bot has NO availability to this user.' });
  });
});

describe('POST /open-apis/im/v1/messages/:message_id/reply', () => {
  it('replies through the SDK and refuses a uuid over 50 characters naming it', async () => {
    const parent = await sendText();
    const r = await sdk().im.message.reply({ path: { message_id: parent }, data: { msg_type: 'text', content: text('re') } });
    expect(r.data!.parent_id).toBe(parent);
    const long = await answer(sdk().im.message.reply({ path: { message_id: parent }, data: { msg_type: 'text', content: text('re'), uuid: 'u'.repeat(51) } }));
    expect([long.body.code, violated(long)]).toEqual([99992402, 'uuid']);
    const flag = await t.call('POST', `/open-apis/im/v1/messages/${parent}/reply`, { msg_type: 'text', content: text('re'), reply_in_thread: 'yes' }, await t.token());
    expect(flag.body).toMatchObject({ code: 9499, msg: expect.stringContaining('reply_in_thread') });
  });
});

describe('GET /open-apis/im/v1/messages', () => {
  it('lists through the SDK and names the query field its schema refuses', async () => {
    await sendText();
    const list = await sdk().im.message.list({ params: { container_id_type: 'chat', container_id: chatId() } });
    expect(list.data!.items).toHaveLength(1);
    const noType = await t.call('GET', `/open-apis/im/v1/messages?container_id=${chatId()}`, undefined, await t.token());
    expect([noType.body.code, violated(noType)]).toEqual([99992402, 'container_id_type']);
    const time = await t.call('GET', `/open-apis/im/v1/messages?container_id_type=chat&container_id=${chatId()}&start_time=yesterday`, undefined, await t.token());
    expect(violated(time)).toBe('start_time');
    const sort = await answer(sdk().im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), sort_type: 'ByName' as any } }));
    expect(violated(sort)).toBe('sort_type');
  });
});

describe('GET /open-apis/im/v1/messages/:message_id', () => {
  it('names card_msg_content_type when it is not a view the platform knows', async () => {
    const id = await sendText();
    const bad = await t.call('GET', `/open-apis/im/v1/messages/${id}?card_msg_content_type=html`, undefined, await t.token());
    expect([bad.body.code, violated(bad)]).toEqual([99992402, 'card_msg_content_type']);
    const good = await answer(sdk().im.message.get({ path: { message_id: id }, params: { card_msg_content_type: 'user_card_content' } as any }));
    expect(good.body.code).toBe(0);
  });
});

describe('PATCH /open-apis/im/v1/messages/:message_id', () => {
  it('updates a shared card through the SDK and names a missing content', async () => {
    const sent = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(sharedCard('v1')) } });
    const id = sent.data!.message_id!;
    const r = await sdk().im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(sharedCard('v2')) } });
    expect(r.code).toBe(0);
    expect(t.emu.messages()[0]!.versions).toHaveLength(2);
    const missing = await answer(sdk().im.message.patch({ path: { message_id: id }, data: {} as any }));
    expect([missing.body.code, violated(missing)]).toEqual([99992402, 'content']);
  });
});

describe('PUT /open-apis/im/v1/messages/:message_id', () => {
  it('edits text through the SDK and answers a content of the wrong JSON type with 9499 naming it', async () => {
    const id = await sendText();
    const r = await sdk().im.message.update({ path: { message_id: id }, data: { msg_type: 'text', content: text('edited') } });
    expect(r.data!.body!.content).toBe(text('edited'));
    const wrong = await t.call('PUT', `/open-apis/im/v1/messages/${id}`, { msg_type: 'text', content: 5 }, await t.token());
    expect(wrong.body).toMatchObject({ code: 9499, msg: expect.stringContaining('content') });
    const empty = await answer(sdk().im.message.update({ path: { message_id: id }, data: { msg_type: '', content: text('x') } }));
    expect(empty.body.error.field_violations[0]).toMatchObject({ field: 'msg_type', description: 'msg_type must not be empty' });
  });
});

describe('DELETE /open-apis/im/v1/messages/:message_id', () => {
  it('recalls through the SDK; past the window it answers 230009, and an unknown id 230001', async () => {
    const id = await sendText();
    expect((await sdk().im.message.delete({ path: { message_id: id } })).code).toBe(0);
    expect(t.emu.messages()[0]!.deleted).toBe(true);
    const late = await sendText();
    await advance(25 * 3600);
    const r = await answer(sdk().im.message.delete({ path: { message_id: late } }));
    expect(r.body).toMatchObject({ code: 230009, msg: 'Message can only be recalled within one days.' });
    const unknown = await answer(sdk().im.message.delete({ path: { message_id: 'om_nothing' } }));
    expect(unknown.body.code).toBe(230001);
  });
});

/** The three urgent routes share their rules; each is named in its own describe. */
function urgentCases(kind: 'app' | 'sms' | 'phone') {
  const call = ({ app: 'urgentApp', sms: 'urgentSms', phone: 'urgentPhone' } as const)[kind];
  it('buzzes a member through the SDK and names user_id_list past 200 ids and a bad user_id_type', async () => {
    const id = await sendText();
    const alice = user('alice@example.com');
    const r = await sdk().im.message[call]({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: [alice.open_id, 'ou_stranger'] } });
    expect(r.data!.invalid_user_id_list).toEqual(['ou_stranger']);
    const many = await answer(sdk().im.message[call]({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: Array.from({ length: 201 }, (_, i) => `ou_${i}`) } }));
    expect([many.body.code, violated(many)]).toEqual([99992402, 'user_id_list']);
    const type = await answer(sdk().im.message[call]({ path: { message_id: id }, params: { user_id_type: 'mobile' as any }, data: { user_id_list: [alice.open_id] } }));
    expect(violated(type)).toBe('user_id_type');
  });
}

describe('PATCH /open-apis/im/v1/messages/:message_id/urgent_app', () => urgentCases('app'));
describe('PATCH /open-apis/im/v1/messages/:message_id/urgent_sms', () => urgentCases('sms'));
describe('PATCH /open-apis/im/v1/messages/:message_id/urgent_phone', () => urgentCases('phone'));

const batchSend = async (data: Record<string, unknown>) => t.call('POST', '/open-apis/message/v4/batch_send', data, await t.token());

describe('POST /open-apis/message/v4/batch_send', () => {
  it('sends through the SDK client and refuses a bad field in its own envelope (HTTP 200, 10003 naming it)', async () => {
    const alice = user('alice@example.com');
    const sent = await answer(sdk().request({ method: 'POST', url: '/open-apis/message/v4/batch_send', data: { msg_type: 'text', content: { text: 'all' }, open_ids: [alice.open_id] } }));
    expect(sent.body.data.message_id).toMatch(/^bm-/);
    const bad = await batchSend({ msg_type: 'text', content: { text: 'x' }, open_ids: 'ou_x' });
    expect([bad.status, bad.body.code, bad.body.msg]).toEqual([200, 10003, 'invalid param: open_ids must be an array of strings']);
  });
});

async function batchTo(...emails: string[]) {
  const r = await sdk().request({ method: 'POST', url: '/open-apis/message/v4/batch_send', data: { msg_type: 'text', content: { text: 'notice' }, open_ids: emails.map((e) => user(e).open_id) } });
  return (r as any).data.message_id as string;
}

describe('GET /open-apis/im/v1/batch_messages/:batch_message_id/get_progress', () => {
  it('counts the receivers who read their message', async () => {
    const batch = await batchTo('alice@example.com', 'bob@example.com');
    const alicesCopy = t.emu.messages().find((m) => m.receive_id === user('alice@example.com').open_id)!;
    expect((await markRead(alicesCopy.message_id, user('alice@example.com').open_id)).status).toBe(200);
    const r = await sdk().im.batchMessage.getProgress({ path: { batch_message_id: batch } });
    expect(r.data!.batch_message_send_progress).toEqual({ valid_user_ids_count: 2, success_user_ids_count: 2, read_user_ids_count: 1 });
  });
});

describe('GET /open-apis/im/v1/batch_messages/:batch_message_id/read_user', () => {
  it('answers the read and total counts as strings, with msg "ok"', async () => {
    const batch = await batchTo('alice@example.com', 'bob@example.com');
    const before = await answer(sdk().im.batchMessage.readUser({ path: { batch_message_id: batch } }));
    expect(before.body).toEqual({ code: 0, msg: 'ok', data: { read_user: { read_count: '0', total_count: '2' } } });
    for (const m of t.emu.messages()) await markRead(m.message_id, m.receive_id);
    const after = await sdk().im.batchMessage.readUser({ path: { batch_message_id: batch } });
    expect(after.data!.read_user).toEqual({ read_count: '2', total_count: '2' });
  });

  it('answers 230030 to an unknown batch, 230012 to another app and 230001 after 30 days', async () => {
    const unknown = await answer(sdk().im.batchMessage.readUser({ path: { batch_message_id: 'bm-none' } }));
    expect(unknown.body).toMatchObject({ code: 230030, msg: 'The message id is invalid, record not found.' });
    const batch = await batchTo('alice@example.com');
    t.emu.core.store.batches.get(batch)!.app_id = 'cli_someone_else';
    const other = await answer(sdk().im.batchMessage.readUser({ path: { batch_message_id: batch } }));
    expect(other.body).toMatchObject({ code: 230012, msg: 'Bot is NOT the sender of the message.' });
    const old = await batchTo('bob@example.com');
    await advance(31 * 24 * 3600);
    const late = await answer(sdk().im.batchMessage.readUser({ path: { batch_message_id: old } }));
    expect(late.body.code).toBe(230001);
  });
});

describe('DELETE /open-apis/im/v1/batch_messages/:batch_message_id', () => {
  it('recalls every message of the batch through the SDK', async () => {
    const batch = await batchTo('alice@example.com', 'bob@example.com');
    expect((await sdk().im.batchMessage.delete({ path: { batch_message_id: batch } })).code).toBe(0);
    expect(t.emu.messages().every((m) => m.deleted)).toBe(true);
  });
});

describe('POST /open-apis/ephemeral/v1/send', () => {
  it('sends through the SDK client in its own envelope and names a missing chat_id', async () => {
    const alice = user('alice@example.com');
    const r = await answer(sdk().request({ method: 'POST', url: '/open-apis/ephemeral/v1/send', data: { chat_id: chatId(), open_id: alice.open_id, msg_type: 'interactive', card: sharedCard('you') } }));
    expect(r.body).toMatchObject({ code: 0, msg: 'ok', data: { message_id: expect.stringMatching(/^om_/) } });
    const missing = await answer(sdk().request({ method: 'POST', url: '/open-apis/ephemeral/v1/send', data: { open_id: alice.open_id, msg_type: 'interactive', card: sharedCard() } }));
    expect([missing.body.code, violated(missing)]).toEqual([99992402, 'chat_id']);
  });
});

describe('POST /open-apis/ephemeral/v1/delete', () => {
  it('deletes once, then answers 18051, and names a missing message_id', async () => {
    const alice = user('alice@example.com');
    const sent = await answer(sdk().request({ method: 'POST', url: '/open-apis/ephemeral/v1/send', data: { chat_id: chatId(), open_id: alice.open_id, msg_type: 'interactive', card: sharedCard() } }));
    const del = () => answer(sdk().request({ method: 'POST', url: '/open-apis/ephemeral/v1/delete', data: { message_id: sent.body.data.message_id } }));
    expect((await del()).body).toEqual({ code: 0, msg: 'ok' });
    expect((await del()).body).toMatchObject({ code: 18051, msg: '消息已删除 (the message was already deleted)' });
    const missing = await answer(sdk().request({ method: 'POST', url: '/open-apis/ephemeral/v1/delete', data: {} }));
    expect([missing.body.code, violated(missing)]).toEqual([99992402, 'message_id']);
  });
});

describe('POST /open-apis/interactive/v1/card/update', () => {
  it('updates with a callback token through the SDK client, and names a missing token and a card of the wrong type', async () => {
    const sent = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(legacyCard('v1', true)) } });
    const token = (await t.call('POST', '/_emulator/card-tokens', { message_id: sent.data!.message_id })).body.data.token;
    const r = await answer(sdk().request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card: legacyCard('v2', true) } }));
    expect(r.body).toEqual({ code: 0, msg: 'ok' });
    const missing = await answer(sdk().request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { card: legacyCard() } }));
    expect([missing.body.code, violated(missing)]).toEqual([99992402, 'token']);
    const wrong = await t.call('POST', '/open-apis/interactive/v1/card/update', { token, card: JSON.stringify(legacyCard()) }, await t.token());
    expect(wrong.body).toMatchObject({ code: 9499, msg: expect.stringContaining('card') });
    const bad = await answer(sdk().request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: 'x-1', card: legacyCard() } }));
    expect(bad.body).toMatchObject({ code: 300020, msg: 'token is invalid: a card token starts with "c-".' });
  });
});

describe('GET /open-apis/im/v1/messages/:message_id/read_users', () => {
  it('lists who read the message, in the id type asked for, oldest read first, in pages', async () => {
    const id = await sendText();
    const [alice, bob] = [user('alice@example.com'), user('bob@example.com')];
    const none = await sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id' } });
    expect(none.data!.items).toEqual([]);
    const readAt = (await markRead(id, bob.open_id)).body.data.reads[0].at;
    await advance(5);
    const aliceAt = (await markRead(id, alice.open_id)).body.data.reads[1].at;
    expect(aliceAt - readAt).toBeGreaterThanOrEqual(5000);
    // A second read keeps the first time.
    await markRead(id, bob.open_id);
    const r = await sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'union_id' } });
    expect(r.data!.items).toEqual([
      { user_id_type: 'union_id', user_id: bob.union_id, timestamp: String(readAt), tenant_key: t.emu.state().tenant_key },
      { user_id_type: 'union_id', user_id: alice.union_id, timestamp: String(aliceAt), tenant_key: t.emu.state().tenant_key },
    ]);
    const page1 = await sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id', page_size: 1 } });
    expect([page1.data!.items!.map((i) => i.user_id), page1.data!.has_more]).toEqual([[bob.open_id], true]);
    const page2 = await sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id', page_size: 1, page_token: page1.data!.page_token } });
    expect([page2.data!.items!.map((i) => i.user_id), page2.data!.has_more]).toEqual([[alice.open_id], false]);
  });

  it('refuses a missing user_id_type, a recalled message (230110), another sender (230012) and after 7 days (230033)', async () => {
    const id = await sendText();
    const noType = await t.call('GET', `/open-apis/im/v1/messages/${id}/read_users`, undefined, await t.token());
    expect([noType.body.code, violated(noType)]).toEqual([99992402, 'user_id_type']);
    const size = await answer(sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id', page_size: 101 } }));
    expect(violated(size)).toBe('page_size');
    t.emu.core.store.messages.get(id)!.app_id = 'cli_someone_else';
    const other = await answer(sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id' } }));
    expect(other.body).toMatchObject({ code: 230012, msg: 'Bot is NOT the sender of the message.' });
    const recalled = await sendText();
    await sdk().im.message.delete({ path: { message_id: recalled } });
    const gone = await answer(sdk().im.message.readUsers({ path: { message_id: recalled }, params: { user_id_type: 'open_id' } }));
    expect(gone.body).toMatchObject({ code: 230110, msg: 'Action unavailable as the message has been deleted.' });
    const old = await sendText();
    await advance(7 * 24 * 3600 + 1);
    const late = await answer(sdk().im.message.readUsers({ path: { message_id: old }, params: { user_id_type: 'open_id' } }));
    expect(late.body).toMatchObject({ code: 230033, msg: 'Get the reading status must be done within 7 days after the message is sent.' });
  });

  it('takes reads only from members of the chat, through the control API', async () => {
    const id = await sendText();
    const stranger = await markRead(id, user('carol@example.com').open_id);
    expect(stranger.status).toBe(400);
    expect((await markRead('om_none', user('alice@example.com').open_id)).status).toBe(404);
    expect((await t.call('POST', `/_emulator/messages/${id}/read`, {})).body.code).toBe(99992402);
  });
});

describe('POST /open-apis/im/v1/messages/:message_id/push_follow_up', () => {
  const bubbles = [{ content: 'Yes', i18n_contents: [{ language: 'en_us' as const, content: 'Yes' }, { language: 'zh_cn' as const, content: '是' }] }, { content: 'No' }];

  it("adds bubbles under the bot's latest p2p message, kept on the message", async () => {
    const id = await sendText('open_id', user('alice@example.com').open_id);
    const r = await sdk().im.message.pushFollowUp({ path: { message_id: id }, data: { follow_ups: bubbles } });
    expect(r.code).toBe(0);
    expect(t.emu.core.store.messages.get(id)!.extra!.follow_ups!.map((f) => [f.content, f.i18n_contents.length])).toEqual([['Yes', 2], ['No', 0]]);
    const again = await answer(sdk().im.message.pushFollowUp({ path: { message_id: id }, data: { follow_ups: bubbles } }));
    expect(again.body).toMatchObject({ code: 230008, msg: 'follow up already exist.' });
  });

  it('refuses a group message (230003), an older message (230006), one past 600 s (230002) and a recalled one (230004)', async () => {
    const group = await sendText();
    expect((await answer(sdk().im.message.pushFollowUp({ path: { message_id: group }, data: { follow_ups: bubbles } }))).body).toMatchObject({ code: 230003, msg: 'only support p2p chat.' });
    const alice = user('alice@example.com').open_id;
    const first = await sendText('open_id', alice, 'one');
    await sendText('open_id', alice, 'two');
    const older = await answer(sdk().im.message.pushFollowUp({ path: { message_id: first }, data: { follow_ups: bubbles } }));
    expect(older.body).toMatchObject({ code: 230006, msg: expect.stringMatching(/^only support latest message/) });
    const latest = await sendText('open_id', alice, 'three');
    await advance(601);
    const expired = await answer(sdk().im.message.pushFollowUp({ path: { message_id: latest }, data: { follow_ups: bubbles } }));
    expect(expired.body).toMatchObject({ code: 230002, msg: expect.stringMatching(/^expired message/) });
    const recalled = await sendText('open_id', alice, 'four');
    await sdk().im.message.delete({ path: { message_id: recalled } });
    expect((await answer(sdk().im.message.pushFollowUp({ path: { message_id: recalled }, data: { follow_ups: bubbles } }))).body.code).toBe(230004);
  });

  it('names the field its schema refuses: more than 3 bubbles, a text over 200 characters, an unknown language', async () => {
    const id = await sendText('open_id', user('alice@example.com').open_id);
    const push = (follow_ups: unknown) => answer(sdk().im.message.pushFollowUp({ path: { message_id: id }, data: { follow_ups: follow_ups as any } }));
    expect(violated(await push([{ content: 'a' }, { content: 'b' }, { content: 'c' }, { content: 'd' }]))).toBe('follow_ups');
    expect(violated(await push([{ content: 'x'.repeat(201) }]))).toBe('follow_ups[0].content');
    expect(violated(await push([{ content: 'x', i18n_contents: [{ language: 'xx_yy', content: 'x' }] }]))).toBe('follow_ups[0].i18n_contents[0].language');
    expect(t.emu.core.store.messages.get(id)!.extra?.follow_ups).toBeUndefined();
  });
});

describe('POST /open-apis/im/v1/messages/search', () => {
  it("answers a tenant token with the platform's refusal (the route takes user tokens only)", async () => {
    const r = await answer(sdk().im.message.search({ data: { query: 'hello' } }));
    expect([r.status, r.body.code]).toEqual([400, 99991663]);
    expect(r.body.msg).toContain('user_access_token');
  });
});
