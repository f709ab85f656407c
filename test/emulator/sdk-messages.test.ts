import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { EmulatorClient, legacyCard, sharedCard } from '../helpers/emulator.js';

/**
 * The message APIs a bot calls beyond send and PATCH, through the official SDK pointed at the
 * emulator: each succeeds, and refuses with the platform's codes.
 */
let emu: RunningEmulator;
let client: lark.Client;
let raw: EmulatorClient;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  // A cache per client: the SDK's default cache is shared, and each test has a new emulator.
  const store = new Map<string | symbol, { value: unknown; expire?: number }>();
  const cache = {
    set: async (key: string | symbol, value: unknown, expire?: number) => (store.set(key, { value, expire }), true),
    get: async (key: string | symbol) => {
      const e = store.get(key);
      return e && (!e.expire || e.expire > Date.now()) ? e.value : undefined;
    },
  };
  client = new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: emu.url, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.fatal, cache: cache as any });
  raw = new EmulatorClient(emu);
});
afterEach(async () => {
  await emu.close();
});

const user = (email: string) => emu.state().users.find((u) => u.email === email)!;
const chatId = () => emu.state().chats[0]!.chat_id;
/** The SDK rejects on HTTP 4xx: the platform's body is in the axios error. */
const failure = (p: Promise<unknown>) => p.then((ok) => ({ status: 200, data: ok as any }), (e: any) => ({ status: e?.response?.status, data: e?.response?.data }));

async function sendCard(card: unknown = sharedCard('hello')) {
  const r = await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(card) } });
  expect(r.code).toBe(0);
  return r.data!.message_id!;
}

async function sendText(text = 'hi') {
  const r = await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

describe('reply', () => {
  it('replies, in a thread on request, and GET shows parent, root and thread ids', async () => {
    const root = await sendCard();
    const first = await client.im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: JSON.stringify({ text: 'first' }) } });
    expect(first.code).toBe(0);
    expect(first.data).toMatchObject({ parent_id: root, root_id: root, thread_id: '', chat_id: chatId() });
    const threaded = await client.im.message.reply({ path: { message_id: first.data!.message_id! }, data: { msg_type: 'interactive', content: JSON.stringify(sharedCard('in thread')), reply_in_thread: true } });
    expect(threaded.data).toMatchObject({ parent_id: first.data!.message_id, root_id: root });
    expect(threaded.data!.thread_id).toMatch(/^omt_/);
    const got = await client.im.message.get({ path: { message_id: threaded.data!.message_id! } });
    expect(got.data!.items![0]).toMatchObject({ parent_id: first.data!.message_id, root_id: root, thread_id: threaded.data!.thread_id });
    // A reply to a message in a thread stays there without asking.
    const inThread = await client.im.message.reply({ path: { message_id: threaded.data!.message_id! }, data: { msg_type: 'text', content: '{"text":"x"}' } });
    expect(inThread.data!.thread_id).toBe(threaded.data!.thread_id);
  });

  it('sends one reply per uuid, and refuses recalled parents and bad cards', async () => {
    const root = await sendCard();
    const a = await client.im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: '{"text":"x"}', uuid: 'reply-once' } });
    const b = await client.im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: '{"text":"x"}', uuid: 'reply-once' } });
    expect(b.data!.message_id).toBe(a.data!.message_id);
    const badCard = await failure(client.im.message.reply({ path: { message_id: root }, data: { msg_type: 'interactive', content: JSON.stringify({ elements: [{ tag: 'bogus' }] }) } }));
    expect([badCard.status, badCard.data.code]).toEqual([400, 230099]);
    expect(badCard.data.msg).toMatch(/ErrCode: 200621; ErrPath: ROOT -> elements -> \[0\]\(tag: bogus\) -> tag;/);
    await client.im.message.delete({ path: { message_id: root } });
    const recalled = await failure(client.im.message.reply({ path: { message_id: root }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect([recalled.status, recalled.data.code]).toEqual([400, 230011]);
    const unknown = await failure(client.im.message.reply({ path: { message_id: 'om_missing' }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect(unknown.data).toMatchObject({ code: 230001, msg: 'Your request contains an invalid request parameter, ext=message_id does not exist' });
  });
});

describe('recall', () => {
  it('recalls its own message; afterwards GET shows it deleted and everything else is 230011', async () => {
    const id = await sendCard();
    const r = await client.im.message.delete({ path: { message_id: id } });
    expect(r).toMatchObject({ code: 0, data: {} });
    const got = await client.im.message.get({ path: { message_id: id } });
    expect(got.data!.items![0]!.deleted).toBe(true);
    for (const again of [
      client.im.message.delete({ path: { message_id: id } }),
      client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(sharedCard('x')) } }),
    ]) {
      expect((await failure(again)).data).toMatchObject({ code: 230011, msg: 'The message is recalled.' });
    }
  });

  it('refuses after the recall window with 230009', async () => {
    const id = await sendCard();
    emu.core.clock.advance(25 * 3600 * 1000);
    const token = await raw.token();
    const r = await raw.call('DELETE', `/open-apis/im/v1/messages/${id}`, undefined, token);
    expect([r.status, r.body.code, r.body.msg]).toEqual([400, 230009, 'Message can only be recalled within one days.']);
  });
});

describe('PUT (edit)', () => {
  it('edits text, and refuses cards as the platform does', async () => {
    const id = await sendText('before');
    const r = await client.im.message.update({ path: { message_id: id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'after' }) } });
    expect(r.code).toBe(0);
    const got = await client.im.message.get({ path: { message_id: id } });
    expect(got.data!.items![0]).toMatchObject({ updated: true, body: { content: '{"text":"after"}' } });
    // The SDK's updateByCard sends PUT with an interactive card: the platform refuses it.
    const card = await sendCard();
    const viaPut = await failure(client.im.message.update({ path: { message_id: card }, data: { msg_type: 'interactive', content: JSON.stringify(sharedCard('x')) } }));
    expect([viaPut.status, viaPut.data.code]).toEqual([400, 230001]);
    expect(viaPut.data.msg).toContain('ext=invalid msg_type');
    const textOverCard = await failure(client.im.message.update({ path: { message_id: card }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect(textOverCard.data).toMatchObject({ code: 230054, msg: 'This operation is not supported for this message type.' });
  });

  it('allows 20 edits and no more', async () => {
    const id = await sendText();
    for (let i = 0; i < 20; i++) {
      expect((await client.im.message.update({ path: { message_id: id }, data: { msg_type: 'text', content: JSON.stringify({ text: `v${i}` }) } })).code).toBe(0);
    }
    const r = await failure(client.im.message.update({ path: { message_id: id }, data: { msg_type: 'text', content: '{"text":"v21"}' } }));
    expect(r.data).toMatchObject({ code: 230072, msg: 'The message has reached the number of times it can be edited.' });
  });
});

describe('list', () => {
  it('lists a chat in pages, oldest first or newest first, within a time range', async () => {
    const ids = [await sendText('a'), await sendText('b'), await sendText('c')];
    const page1 = await client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), page_size: 2 } });
    expect(page1.data!.items!.map((m) => m.message_id)).toEqual(ids.slice(0, 2));
    expect(page1.data!.has_more).toBe(true);
    const page2 = await client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), page_size: 2, page_token: page1.data!.page_token } });
    expect(page2.data!.items!.map((m) => m.message_id)).toEqual([ids[2]]);
    expect(page2.data!.has_more).toBe(false);
    const desc = await client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), sort_type: 'ByCreateTimeDesc' } });
    expect(desc.data!.items!.map((m) => m.message_id)).toEqual([...ids].reverse());
    const future = String(Math.floor(emu.core.now() / 1000) + 3600);
    const none = await client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), start_time: future } });
    expect(none.data!.items).toEqual([]);
    const bad = await failure(client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), page_size: 51 } }));
    expect(bad.data).toMatchObject({ code: 99992402, error: { field_violations: [{ field: 'page_size' }] } });
  });
});

describe('urgent', () => {
  it('buzzes chat members in-app, reports non-members, and needs the message to be its own', async () => {
    const id = await sendCard();
    const alice = user('alice@example.com');
    const carol = user('carol@example.com');
    const r = await client.im.message.urgentApp({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: [alice.open_id, carol.open_id] } });
    expect(r).toMatchObject({ code: 0, data: { invalid_user_id_list: [carol.open_id] } });
    const sms = await client.im.message.urgentSms({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: [alice.open_id] } });
    expect(sms.code).toBe(0);
    const phone = await client.im.message.urgentPhone({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: [alice.open_id] } });
    expect(phone.code).toBe(0);
    const nobody = await failure(client.im.message.urgentApp({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: [carol.open_id] } }));
    expect([nobody.status, nobody.data.code]).toEqual([400, 230001]);
  });
});

describe('GET content', () => {
  it('shows the legacy digest of a card by default and the card with user_card_content', async () => {
    const v1 = { config: { update_multi: true }, header: { title: { tag: 'plain_text', content: 'Title' } }, elements: [{ tag: 'markdown', content: '**bold**' }, { tag: 'hr' }] };
    const id = await sendCard(v1);
    const digest = await client.im.message.get({ path: { message_id: id } });
    expect(JSON.parse(digest.data!.items![0]!.body!.content!)).toEqual({ title: 'Title', elements: [[{ tag: 'text', text: '**bold**' }], [{ tag: 'hr' }]] });
    const full = await client.im.message.get({ path: { message_id: id }, params: { card_msg_content_type: 'user_card_content' } as any });
    expect(JSON.parse(full.data!.items![0]!.body!.content!)).toEqual(v1);
    // A 2.0 card reads back by default as the "upgrade your client" placeholder, in full only on request.
    const v2 = { schema: '2.0', header: { title: { tag: 'plain_text', content: 'New' } }, body: { elements: [{ tag: 'markdown', content: 'hidden' }] } };
    const id2 = await sendCard(v2);
    const placeholder = JSON.parse((await client.im.message.get({ path: { message_id: id2 } })).data!.items![0]!.body!.content!);
    expect(placeholder).toEqual({ title: 'New', elements: [[{ tag: 'text', text: '请升级至最新版本客户端，以查看内容' }], [{ tag: 'img', image_key: 'img_v3_emulator_upgrade_placeholder' }]] });
    const listed = await client.im.message.list({ params: { container_id_type: 'chat', container_id: chatId(), card_msg_content_type: 'user_card_content' } as any });
    expect(JSON.parse(listed.data!.items!.at(-1)!.body!.content!)).toEqual(v2);
  });
});

describe('card validation', () => {
  it('refuses {} and a 1.0 card with an unknown tag with 230099 / 200621', async () => {
    for (const card of [{}, { elements: [{ tag: 'bogus' }] }]) {
      const r = await failure(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(card) } }));
      expect([r.status, r.data.code]).toEqual([400, 230099]);
      expect(r.data.msg).toMatch(/^Failed to create card content, ext=ErrCode: 200621; /);
    }
    expect(emu.messages()).toHaveLength(0);
    const id = await sendCard(legacyCard('x', true));
    const patch = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify({ config: { update_multi: true }, elements: [{ tag: 'bogus' }] }) } }));
    expect(patch.data.code).toBe(230099);
  });

  it('stores such cards when settings.cardRules is false', async () => {
    const off = await raw.call('PATCH', '/_emulator/settings', { card_rules: false });
    expect(off.body.data.cardRules).toBe(false);
    expect((await raw.call('PATCH', '/_emulator/settings', { card_rules: 'no' })).status).toBe(400);
    const id = await sendCard({ elements: [{ tag: 'bogus' }] });
    expect(emu.messages().find((m) => m.message_id === id)!.card).toEqual({ elements: [{ tag: 'bogus' }] });
  });

  it('answers 230025 with the platform text', async () => {
    const big = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(40_000) }] } };
    const r = await failure(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(big) } }));
    expect(r.data.code).toBe(230025);
    expect(r.data.msg).toMatch(/^The length of the message content reaches its limit, ext=/);
  });
});

describe('ephemeral cards', () => {
  const send = (data: Record<string, unknown>) => failure(client.request({ method: 'POST', url: '/open-apis/ephemeral/v1/send', data }));

  it('sends to a member of a group and deletes once', async () => {
    const alice = user('alice@example.com');
    const r = await send({ chat_id: chatId(), open_id: alice.open_id, msg_type: 'interactive', card: sharedCard('only you') });
    expect(r.data).toMatchObject({ code: 0, msg: 'ok' });
    const id = r.data.data.message_id;
    expect(id).toMatch(/^om_/);
    // Not a message the API can read back or update.
    expect(emu.messages()).toHaveLength(0);
    const patch = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(sharedCard('x')) } }));
    expect(patch.data.code).toBe(230001);
    expect(patch.data.msg).toContain('ephemeral');
    const del = await failure(client.request({ method: 'POST', url: '/open-apis/ephemeral/v1/delete', data: { message_id: id } }));
    expect(del.data).toMatchObject({ code: 0, msg: 'ok' });
    const again = await failure(client.request({ method: 'POST', url: '/open-apis/ephemeral/v1/delete', data: { message_id: id } }));
    expect(again.data.code).toBe(18051);
  });

  it('takes 1.0, 2.0 and template cards by email or user_id too', async () => {
    const alice = user('alice@example.com');
    for (const [key, value, card] of [
      ['email', alice.email, legacyCard('v1')],
      ['user_id', alice.user_id, { type: 'template', data: { template_id: 'AAqDemoApprov', template_variable: { applicant: 'A', amount: 1 } } }],
    ] as const) {
      const r = await send({ chat_id: chatId(), [key]: value, msg_type: 'interactive', card });
      expect(r.data.code, key).toBe(0);
    }
  });

  it('refuses a string card, a non-member, a p2p chat and a bad card', async () => {
    const alice = user('alice@example.com');
    const carol = user('carol@example.com');
    const asString = await send({ chat_id: chatId(), open_id: alice.open_id, msg_type: 'interactive', card: JSON.stringify(sharedCard()) });
    expect(asString.data.code).toBe(230001);
    const outsider = await send({ chat_id: chatId(), open_id: carol.open_id, msg_type: 'interactive', card: sharedCard() });
    expect(outsider.data.code).toBe(230001);
    expect(outsider.data.msg).toContain('not a member');
    const dm = await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice.open_id, msg_type: 'text', content: '{"text":"x"}' } });
    const p2p = await send({ chat_id: dm.data!.chat_id, open_id: alice.open_id, msg_type: 'interactive', card: sharedCard() });
    expect(p2p.data.code).toBe(230001);
    const bad = await send({ chat_id: chatId(), open_id: alice.open_id, msg_type: 'interactive', card: { elements: [{ tag: 'bogus' }] } });
    expect(bad.data.code).toBe(230099);
  });
});

describe('batch send', () => {
  const batch = (data: Record<string, unknown>) => failure(client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send/', data }));

  it('sends to users with a bm- id, lists invalid ids, and its cards cannot be updated', async () => {
    const alice = user('alice@example.com');
    const bob = user('bob@example.com');
    const r = await batch({ msg_type: 'interactive', card: sharedCard('to all'), open_ids: [alice.open_id, 'ou_nobody'], union_ids: [bob.union_id], department_ids: ['od-x'] });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ code: 0, data: { invalid_open_ids: ['ou_nobody'], invalid_union_ids: [], invalid_department_ids: ['od-x'] } });
    expect(r.data.data.message_id).toMatch(/^bm-/);
    const sent = emu.messages();
    expect(sent).toHaveLength(2);
    const patch = await failure(client.im.message.patch({ path: { message_id: sent[0]!.message_id }, data: { content: JSON.stringify(sharedCard('x')) } }));
    expect(patch.data.code).toBe(230001);
    expect(patch.data.msg).toContain('batch_send');
    const batchId = r.data.data.message_id;
    const progress = await client.im.batchMessage.getProgress({ path: { batch_message_id: batchId } });
    expect(progress.data).toMatchObject({ batch_message_send_progress: { valid_user_ids_count: 2, success_user_ids_count: 2 }, batch_message_recall_progress: { recall: false, recall_count: 0 } });
    const recall = await client.im.batchMessage.delete({ path: { batch_message_id: batchId } });
    expect(recall.code).toBe(0);
    expect(emu.messages().every((m) => m.deleted)).toBe(true);
    const after = await client.im.batchMessage.getProgress({ path: { batch_message_id: batchId } });
    expect(after.data!.batch_message_recall_progress).toEqual({ recall: true, recall_count: 2 });
    const unknown = await failure(client.im.batchMessage.getProgress({ path: { batch_message_id: 'bm-nope' } }));
    expect(unknown.data).toMatchObject({ code: 230030, msg: 'The message id is invalid, record not found.' });
  });

  it('answers errors with HTTP 200 and its own codes', async () => {
    const none = await batch({ msg_type: 'text', content: { text: 'x' } });
    expect([none.status, none.data.code]).toEqual([200, 10003]);
    const badCard = await batch({ msg_type: 'interactive', card: { elements: [{ tag: 'bogus' }] }, open_ids: [user('alice@example.com').open_id] });
    expect([badCard.status, badCard.data.code]).toEqual([200, 11246]);
    expect(badCard.data.msg).toContain('ErrCode: 200621');
    const text = await batch({ msg_type: 'text', content: { text: 'hello' }, user_ids: [user('alice@example.com').user_id] });
    expect(text.data.code).toBe(0);
  });
});

describe('chats', () => {
  it('creates with settings kept and returned, leaves a bot owner out, lists and disbands', async () => {
    const created = await client.im.chat.create({
      data: { name: 'settings', group_message_type: 'thread', join_message_visibility: 'only_owner', membership_approval: 'approval_required', edit_permission: 'only_owner' } as any,
    });
    expect(created.code).toBe(0);
    expect(created.data).toMatchObject({ group_message_type: 'thread', join_message_visibility: 'only_owner', membership_approval: 'approval_required', edit_permission: 'only_owner', leave_message_visibility: 'all_members' });
    expect(created.data).not.toHaveProperty('owner_id');
    const got = await client.im.chat.get({ path: { chat_id: created.data!.chat_id! } });
    expect(got.data).toMatchObject({ group_message_type: 'thread', join_message_visibility: 'only_owner' });
    const badMode = await failure(client.im.chat.create({ data: { name: 'x', chat_mode: 'p2p' } as any }));
    expect([badMode.status, badMode.data.code]).toEqual([400, 232001]);
    const list = await client.im.chat.list({ params: { page_size: 1 } });
    expect(list.data!.items!.map((c) => c.chat_id)).toEqual([chatId()]);
    expect(list.data!.has_more).toBe(true);
    const next = await client.im.chat.list({ params: { page_size: 1, page_token: list.data!.page_token } });
    expect(next.data!.items!.map((c) => c.chat_id)).toEqual([created.data!.chat_id]);
    // A topic group takes no ephemeral cards.
    const alice = user('alice@example.com');
    await client.im.chatMembers.create({ path: { chat_id: created.data!.chat_id! }, params: { member_id_type: 'open_id' }, data: { id_list: [alice.open_id] } });
    const eph = await failure(client.request({ method: 'POST', url: '/open-apis/ephemeral/v1/send', data: { chat_id: created.data!.chat_id, open_id: alice.open_id, msg_type: 'interactive', card: sharedCard() } }));
    expect(eph.data.code).toBe(230001);
    expect((await client.im.chat.delete({ path: { chat_id: created.data!.chat_id! } })).code).toBe(0);
    const after = await client.im.chat.list({});
    expect(after.data!.items!.map((c) => c.chat_id)).toEqual([chatId()]);
  });
});

describe('chat create errors', () => {
  it('answers the documented codes and texts for public names and resigned users', async () => {
    const empty = await failure(client.im.chat.create({ data: { chat_type: 'public' } }));
    expect(empty.data).toMatchObject({ code: 232042, msg: "Public group chat's name should not be empty." });
    const short = await failure(client.im.chat.create({ data: { chat_type: 'public', name: 'x' } }));
    expect(short.data).toMatchObject({ code: 232020, msg: 'Name can NOT be less than two characters for public chats.' });
    const resigned = await failure(client.im.chat.create({ data: { name: 'x', user_id_list: [user('dave@example.com').open_id] } }));
    expect(resigned.data).toMatchObject({ code: 232022, msg: 'User has already resigned.' });
  });
});

describe('230099 texts', () => {
  it('follow the documented sub-code messages', async () => {
    const send = (card: unknown) =>
      failure(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: JSON.stringify(card) } }));
    expect((await send({ type: 'template', data: { template_id: 'AAqNoSuchThing' } })).data.msg).toBe(
      'Failed to create card content, ext=ErrCode: 200380; ErrMsg: template does not exist, please confirm whether this template has been released; ErrorValue: templateID: AAqNoSuchThing; ',
    );
    expect((await send({ type: 'template', data: { template_id: 'AAqDemoApprov', template_variable: { amount: 'lots' } } })).data.msg).toBe(
      'Failed to create card content, ext=ErrCode: 200732; ErrMsg: the actual type of the variable is inconsistent with the specified type in the template. Please check the type of the variable; ErrorValue: amount, specifiedType: number, actualType: string; ',
    );
    const unparsable = await failure(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'interactive', content: '{"elements": [' } }));
    expect(unparsable.data.msg).toMatch(/^Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err, please check whether the card json is correct; ErrorValue: /);
  });
});

describe('delayed update', () => {
  it('updates with a callback token through the SDK, runs the card rules, and checks the scope', async () => {
    const id = await sendCard();
    const minted = await raw.call('POST', '/_emulator/card-tokens', { message_id: id });
    const token = minted.body.data.token;
    const bad = await failure(client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card: { elements: [{ tag: 'bogus' }] } } }));
    expect(bad.data.code).toBe(11311);
    const ok = await failure(client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card: sharedCard('later') } }));
    expect(ok.data).toMatchObject({ code: 0, msg: 'ok' });
    // An app without a message scope is refused before the token is looked at.
    const narrow = await raw.call('POST', '/open-apis/interactive/v1/card/update', { token, card: sharedCard('x') }, await raw.token(1));
    expect(narrow.body.code).toBe(99991672);
    expect(narrow.body.error.permission_violations.map((v: any) => v.subject)).toContain('im:message:update');
  });
});

describe("another app's messages", () => {
  it('are not buzzed (230012), recalled (230026) or edited (230071) by this bot', async () => {
    const card = await sendCard();
    const text = await sendText();
    // As if the other seeded app had sent them into the same chat.
    const other = emu.state().apps[1]!.app_id;
    for (const id of [card, text]) emu.core.store.messages.get(id)!.app_id = other;
    const alice = user('alice@example.com');
    const buzz = await failure(client.im.message.urgentApp({ path: { message_id: card }, params: { user_id_type: 'open_id' }, data: { user_id_list: [alice.open_id] } }));
    expect(buzz.data).toMatchObject({ code: 230012, msg: 'Bot is NOT the sender of the message.' });
    const recall = await failure(client.im.message.delete({ path: { message_id: card } }));
    expect(recall.data).toMatchObject({ code: 230026, msg: 'No permission to recall this message.' });
    const edit = await failure(client.im.message.update({ path: { message_id: text }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect(edit.data).toMatchObject({ code: 230071, msg: 'The operator is not the sender of the message.' });
  });
});

describe('per-receiver limit', () => {
  it('counts only requests that pass validation', async () => {
    // A clock that stands still: every request falls in the same second.
    const still = new EmulatorClient(await startEmulator({ port: 0, now: () => 1_800_000_000_000 }));
    try {
      const token = await still.token();
      const chat = still.emu.state().chats[0]!.chat_id;
      for (let i = 0; i < 6; i++) {
        const r = await still.send(token, 'chat_id', chat, { elements: [{ tag: 'bogus' }] });
        expect(r.body.code).toBe(230099);
      }
      // Six refused cards did not use up the chat's 5 messages a second; the sixth good one is over it.
      for (let i = 0; i < 5; i++) expect((await still.send(token, 'chat_id', chat, sharedCard('fine'))).body.code).toBe(0);
      expect((await still.send(token, 'chat_id', chat, sharedCard('fine'))).body.code).toBe(230020);
    } finally {
      await still.emu.close();
    }
  });
});

describe('ephemeral rate limit', () => {
  it('allows 40 sends a second to one group, then answers 230020', async () => {
    const still = new EmulatorClient(await startEmulator({ port: 0, now: () => 1_800_000_000_000, settings: { rateLimits: { appPerSecond: 1000, appPerMinute: 100_000, receiverPerSecond: 5, messagePatchPerSecond: 5 } } }));
    try {
      const token = await still.token();
      const chat = still.emu.state().chats[0]!.chat_id;
      const alice = still.users.find((u) => u.email === 'alice@example.com')!;
      const send = () => still.call('POST', '/open-apis/ephemeral/v1/send', { chat_id: chat, open_id: alice.open_id, msg_type: 'interactive', card: sharedCard() }, token);
      for (let i = 0; i < 40; i++) expect((await send()).body.code).toBe(0);
      const over = await send();
      expect([over.body.code, over.headers.get('x-ogw-ratelimit-limit')]).toEqual([230020, '40']);
    } finally {
      await still.emu.close();
    }
  });
});
