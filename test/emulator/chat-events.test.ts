import { describe, expect, it } from 'vitest';
import { BotFailureError, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { CHAT_EVENT_KINDS, control, eventBots, recordingHandlers, type Got, sdkOf, seededApp as seeded, seedFor as seedOwnAppId } from '../helpers/event-bots.js';

/**
 * The events of a chat's life: a bot added or removed, people joining, leaving or withdrawn, a
 * group renamed or disbanded, a one-to-one chat opened. Each is caused by a person through the
 * control API, by the testing library's user, and (where the platform has one) by the bot's own
 * call to the chat API, and arrives parsed in the official SDK's typed handler, over the webhook
 * (signed and encrypted) and over the long connection.
 */
const KINDS = CHAT_EVENT_KINDS;

const other = loadDefaultSeed().apps[1]!;
const bots = eventBots();

/** Its own app id per test (the SDK caches tenant tokens per app id); the second app shares the first's keys. */
const seedFor = (appId: string) => seedOwnAppId(appId, (seed) => Object.assign(seed.apps[1], { encrypt_key: seeded.encrypt_key, verification_token: seeded.verification_token }));

const handlersInto = (got: Got, failing: string[] = []) => recordingHandlers(KINDS, got, failing);

async function withWebhookBot(appId: string, failing: string[] = []): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.webhookBot(handlersInto(got, failing), { seed: seedFor(appId) }), got };
}

async function withWsBot(appId: string): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.wsBot(handlersInto(got), { seed: seedFor(appId) }), got };
}

/** The SDK's answer or its error's body, for calls the platform refuses. */
async function answer<T>(p: Promise<T>): Promise<any> {
  try {
    return await p;
  } catch (err) {
    return (err as { response?: { data?: unknown } }).response?.data ?? err;
  }
}

const last = (got: Got) => got.at(-1)!;

/** The testing library's user does each thing; the bot's typed handlers see each event. */
async function libraryCauses(e: TestEmulator, got: Got) {
  const appId = e.app().appId;
  const alice = e.user('alice@example.com');
  const bob = e.user('bob@example.com');
  const carol = e.user('carol@example.com');
  const aliceIds = { open_id: alice.openId };

  const p2p = await alice.openChat();
  expect(p2p.chatMode).toBe('p2p');
  expect(last(got)).toMatchObject({ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', data: { app_id: appId, chat_id: p2p.chatId, operator_id: aliceIds, last_message_id: '' } });
  const said = await alice.sendText('p2p', 'hello');
  await alice.openChat();
  expect(last(got).data).toMatchObject({ chat_id: p2p.chatId, last_message_id: said.messageId, last_message_create_time: String(said.createTime) });

  const group = await alice.createGroup('Launch', { bots: [appId], members: [bob] });
  expect(group).toMatchObject({ chatMode: 'group', name: 'Launch', ownerId: alice.openId, bots: [appId] });
  expect(group.members.sort()).toEqual([alice.openId, bob.openId].sort());
  expect(group.deliveries).toMatchObject([{ kind: 'im.chat.member.bot.added_v1', verdict: 'ok' }]);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.bot.added_v1', data: { chat_id: group.chatId, operator_id: aliceIds, external: false, name: 'Launch', i18n_names: { zh_cn: 'Launch' } } });

  await alice.addMember(group, carol);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.added_v1', data: { chat_id: group.chatId, operator_id: aliceIds, users: [{ name: 'Carol Wang', user_id: { open_id: carol.openId } }] } });
  const withdrawn = await alice.withdraw(group, carol);
  expect(withdrawn.members).not.toContain(carol.openId);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.withdrawn_v1', data: { users: [{ user_id: { open_id: carol.openId } }] } });

  await alice.renameChat(group, 'Launch day');
  expect(last(got)).toMatchObject({ kind: 'im.chat.updated_v1', data: { chat_id: group.chatId, operator_id: aliceIds, after_change: { name: 'Launch day' }, before_change: { name: 'Launch' } } });
  expect(Object.keys(last(got).data.after_change)).toEqual(['name']);

  await alice.removeMember(group, bob);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.deleted_v1', data: { operator_id: aliceIds, users: [{ user_id: { open_id: bob.openId } }] } });
  await alice.addMember(group, bob);
  await bob.leave(group);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.deleted_v1', data: { operator_id: { open_id: bob.openId }, users: [{ user_id: { open_id: bob.openId } }] } });

  // A bot removed hears of it, and no longer sees the chat.
  await alice.removeBot(group);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.bot.deleted_v1', data: { chat_id: group.chatId, operator_id: aliceIds, name: 'Launch day' } });
  const client = sdkOf(e);
  expect((await answer(client.im.chat.get({ path: { chat_id: group.chatId } }))).code).toBe(232011);
  await alice.addBot(group);
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.bot.added_v1', data: { chat_id: group.chatId } });

  await alice.disband(group);
  expect(last(got)).toMatchObject({ kind: 'im.chat.disbanded_v1', data: { chat_id: group.chatId, operator_id: aliceIds, name: 'Launch day' } });
  // A disbanded chat takes no messages, from people or bots.
  await expect(alice.sendText(group.chatId, 'anyone?')).rejects.toThrow(/field validation failed \(code 99992402\)/);
  const sent = await answer(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: group.chatId, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) } }));
  // The send API answers a chat that is gone as one the bot is not in.
  expect(sent.code).toBe(230002);
}

/** The same actions through the control API, as the inbox makes them: answered with the deliveries. */
async function controlCauses(e: TestEmulator, got: Got, transport: string) {
  const appId = e.app().appId;
  const alice = e.user('alice@example.com');
  const bob = e.user('bob@example.com');
  const me = `/_emulator/users/${alice.openId}`;

  const opened = await control(e, 'POST', `${me}/p2p`, { app_id: appId });
  expect(opened.data).toMatchObject({ chat_id: expect.stringMatching(/^oc_/), deliveries: [{ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', transport, verdict: 'ok' }] });
  expect(last(got).data.chat_id).toBe(opened.data.chat_id);

  const made = await control(e, 'POST', `${me}/chats`, { name: 'Ops', bots: [appId] });
  expect(made.code).toBe(0);
  const chatId = made.data.chat.chat_id as string;
  expect(made.data.deliveries).toMatchObject([{ kind: 'im.chat.member.bot.added_v1', verdict: 'ok' }]);
  const added = await control(e, 'POST', `${me}/chats/${chatId}/members`, { users: [bob.openId] });
  expect(added.data.deliveries).toMatchObject([{ kind: 'im.chat.member.user.added_v1', verdict: 'ok' }]);
  expect(last(got).data.users[0].user_id.open_id).toBe(bob.openId);
  const withdrawn = await control(e, 'POST', `${me}/chats/${chatId}/members/withdraw`, { users: [bob.openId] });
  expect(withdrawn.data.deliveries).toMatchObject([{ kind: 'im.chat.member.user.withdrawn_v1', verdict: 'ok' }]);
  await control(e, 'POST', `${me}/chats/${chatId}/members`, { users: [bob.openId] });
  const removed = await control(e, 'DELETE', `${me}/chats/${chatId}/members/${bob.openId}`);
  expect(removed.data.deliveries).toMatchObject([{ kind: 'im.chat.member.user.deleted_v1', verdict: 'ok' }]);
  const described = await control(e, 'PATCH', `${me}/chats/${chatId}`, { description: 'on call' });
  expect(described.data.deliveries).toMatchObject([{ kind: 'im.chat.updated_v1', verdict: 'ok' }]);
  expect(last(got).data).toMatchObject({ after_change: { description: 'on call' }, before_change: { description: '' } });
  const botOut = await control(e, 'DELETE', `${me}/chats/${chatId}/members/${appId}`);
  expect(botOut.data.deliveries).toMatchObject([{ kind: 'im.chat.member.bot.deleted_v1', verdict: 'ok' }]);
  expect(botOut.data.chat.bots).toEqual([]);
  const botIn = await control(e, 'POST', `${me}/chats/${chatId}/members`, { bots: [appId] });
  expect(botIn.data.deliveries).toMatchObject([{ kind: 'im.chat.member.bot.added_v1', verdict: 'ok' }]);
  const gone = await control(e, 'DELETE', `${me}/chats/${chatId}`);
  expect(gone.data).toMatchObject({ chat: { dissolved: true }, deliveries: [{ kind: 'im.chat.disbanded_v1', verdict: 'ok' }] });
  expect(last(got)).toMatchObject({ kind: 'im.chat.disbanded_v1', data: { chat_id: chatId } });
}

/** The bot's own calls to the chat API: the events go out behind the answer (`idle()` waits for them). */
async function apiCauses(e: TestEmulator, got: Got) {
  const client = sdkOf(e);
  const appId = e.app().appId;
  const bot = { open_id: e.app().botOpenId };
  const alice = e.user('alice@example.com');
  const carol = e.user('carol@example.com');

  const made = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: 'Release train', chat_type: 'public', owner_id: alice.openId, user_id_list: [alice.openId] } });
  const chatId = made.data!.chat_id!;
  await e.idle();
  const before = got.length;
  // The creating bot made the chat: it is not told it was added.
  expect(got.slice(before)).toEqual([]);

  await client.im.chatMembers.create({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' }, data: { id_list: [carol.openId] } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.added_v1', data: { chat_id: chatId, operator_id: bot, users: [{ user_id: { open_id: carol.openId } }] } });

  await client.im.chat.update({ path: { chat_id: chatId }, data: { name: 'Release train 2', edit_permission: 'only_owner' } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.updated_v1', data: { operator_id: bot, after_change: { name: 'Release train 2', edit_permission: 'only_owner' }, before_change: { name: 'Release train', edit_permission: 'all_members' } } });

  await client.im.chatModeration.update({ path: { chat_id: chatId }, params: { user_id_type: 'open_id' }, data: { moderation_setting: 'moderator_list', moderator_added_list: [carol.openId] } });
  await e.idle();
  expect(last(got)).toMatchObject({
    kind: 'im.chat.updated_v1',
    data: { after_change: { moderation_permission: 'moderator_list' }, before_change: { moderation_permission: 'all_members' }, moderator_list: { added_member_list: [{ user_id: { open_id: carol.openId } }], removed_member_list: [] } },
  });

  await client.im.chatMembers.delete({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' }, data: { id_list: [carol.openId] } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.user.deleted_v1', data: { users: [{ user_id: { open_id: carol.openId } }] } });

  // The bot leaves the public group (told it was removed), then joins it again (told it was added).
  await client.im.chatMembers.delete({ path: { chat_id: chatId }, params: { member_id_type: 'app_id' }, data: { id_list: [appId] } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.bot.deleted_v1', data: { chat_id: chatId, operator_id: bot } });
  await client.im.chatMembers.meJoin({ path: { chat_id: chatId } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.member.bot.added_v1', data: { chat_id: chatId, operator_id: bot, name: 'Release train 2' } });

  await client.im.chat.delete({ path: { chat_id: chatId } });
  await e.idle();
  expect(last(got)).toMatchObject({ kind: 'im.chat.disbanded_v1', data: { chat_id: chatId, operator_id: bot } });
}

describe('chat events to an EventDispatcher on a webhook', () => {
  it('every kind reaches its typed handler, from the testing library, the control API and the chat API', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60c01');
    await libraryCauses(e, got);
    await controlCauses(e, got, 'webhook');
    await apiCauses(e, got);
    expect(new Set(got.map((g) => g.kind))).toEqual(new Set(KINDS));
    expect(e.deliveries({ category: 'event' }).every((d) => d.transport === 'webhook' && d.verdict === 'ok')).toBe(true);
  });

  it('a bot joining is told to that bot alone; people joining, a rename and a disband to every bot in the group', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60c02');
    const first = e.app().appId;
    const alice = e.user('alice@example.com');
    const group = await alice.createGroup('Two bots', { bots: [first] });
    got.length = 0;
    await alice.addBot(group, other.app_id);
    expect(got.map((g) => [g.kind, g.data.app_id])).toEqual([['im.chat.member.bot.added_v1', other.app_id]]);
    got.length = 0;
    await alice.addMember(group, 'bob@example.com');
    await alice.renameChat(group, 'Two bots, renamed');
    await alice.removeBot(group, other.app_id);
    await alice.disband(group);
    expect(got.map((g) => `${g.kind} ${g.data.app_id}`)).toEqual([
      `im.chat.member.user.added_v1 ${first}`,
      `im.chat.member.user.added_v1 ${other.app_id}`,
      `im.chat.updated_v1 ${first}`,
      `im.chat.updated_v1 ${other.app_id}`,
      `im.chat.member.bot.deleted_v1 ${other.app_id}`,
      `im.chat.disbanded_v1 ${first}`,
    ]);

    // A bot creating a group with another bot in it: the invited bot is told, by the creator's bot ids.
    got.length = 0;
    await sdkOf(e).im.chat.create({ data: { name: 'Made by a bot', bot_id_list: [other.app_id] } });
    await e.idle();
    expect(got.map((g) => [g.kind, g.data.app_id])).toEqual([['im.chat.member.bot.added_v1', other.app_id]]);
    expect(got[0]!.data.operator_id).toMatchObject({ open_id: e.app().botOpenId, user_id: '' });
  });

  it('a handler that fails makes the action reject with BotFailureError, after the change was made', async () => {
    const { emu: e } = await withWebhookBot('cli_a1b2c3d4e5f60c03', ['im.chat.member.bot.added_v1', 'im.chat.access_event.bot_p2p_chat_entered_v1']);
    const alice = e.user('alice@example.com');
    const failed = await alice.createGroup('Broken', { bots: [e.app().appId] }).catch((x) => x);
    expect(failed).toBeInstanceOf(BotFailureError);
    expect(failed.message).toContain('im.chat.member.bot.added_v1 handler is down');
    expect(failed.deliveries[0]).toMatchObject({ kind: 'im.chat.member.bot.added_v1', verdict: 'failed', answer: { status: 500 } });
    const opened = await alice.openChat().catch((x) => x);
    expect(opened).toBeInstanceOf(BotFailureError);
    expect(opened.deliveries[0]).toMatchObject({ kind: 'im.chat.access_event.bot_p2p_chat_entered_v1', verdict: 'failed' });
  });
});

describe("the chat API's answer", () => {
  it('is not held by the events it causes: they are delivered behind it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handlers = {
      'im.chat.member.user.added_v1': async () => {
        await gate;
        return {};
      },
    };
    const emu = await bots.webhookBot(handlers, { seed: seedFor('cli_a1b2c3d4e5f60e01') });
    const client = sdkOf(emu);
    const chatId = (await client.im.chat.list({})).data!.items![0]!.chat_id!;
    const carol = emu.user('carol@example.com');
    const added = await client.im.chatMembers.create({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' }, data: { id_list: [carol.openId] } });
    expect(added.code).toBe(0);
    // Answered while the bot still holds the event.
    expect(emu.deliveries({ kind: 'im.chat.member.user.added_v1' })).toEqual([]);
    release();
    await emu.idle();
    expect(emu.deliveries({ kind: 'im.chat.member.user.added_v1' })).toMatchObject([{ verdict: 'ok', transport: 'webhook' }]);
  });
});

describe('chat events to a WSClient on the long connection', () => {
  it('every kind reaches its typed handler, from the testing library, the control API and the chat API', async () => {
    const { emu: e, got } = await withWsBot('cli_a1b2c3d4e5f60d01');
    await libraryCauses(e, got);
    await controlCauses(e, got, 'long_connection');
    await apiCauses(e, got);
    expect(new Set(got.map((g) => g.kind))).toEqual(new Set(KINDS));
    expect(e.deliveries({ category: 'event' }).filter((d) => d.app_id === e.app().appId).every((d) => d.transport === 'long_connection' && d.verdict === 'ok')).toBe(true);
  });
});

describe("the platform's rules for a person's actions on a chat", () => {
  it('only members act, only the owner disbands, only owner and managers remove others, the owner cannot leave, a disbanded chat takes nothing', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60c04');
    const alice = e.user('alice@example.com');
    const bob = e.user('bob@example.com');
    const carol = e.user('carol@example.com');
    const group = await alice.createGroup('Rules', { bots: [e.app().appId], members: [bob] });
    const path = (who: string, rest = '') => `/_emulator/users/${who}/chats/${group.chatId}${rest}`;
    got.length = 0;

    const outsider = await control(e, 'POST', path(carol.openId, '/members'), { users: [carol.openId] });
    expect(outsider).toMatchObject({ code: 232011 });
    expect(outsider.msg).toContain('Carol Wang is not a member of');
    expect((await control(e, 'PATCH', path(carol.openId), { name: 'mine' })).code).toBe(232011);
    await expect(carol.leave(group)).rejects.toThrow(/not a member/);

    const notOwner = await control(e, 'DELETE', path(bob.openId));
    expect(notOwner.code).toBe(232017);
    expect(notOwner.msg).toContain('only the owner');
    expect((await control(e, 'DELETE', path(bob.openId, `/members/${alice.openId}`))).code).toBe(232076);
    expect((await control(e, 'DELETE', path(bob.openId, `/members/${e.app().appId}`))).code).toBe(232017);
    const ownerLeaves = await control(e, 'DELETE', path(alice.openId, `/members/${alice.openId}`));
    expect(ownerLeaves.code).toBe(232076);
    expect(ownerLeaves.msg).toContain('hand it to another member');
    // Bob did not add Carol: he cannot withdraw her invitation.
    await alice.addMember(group, carol);
    const notHis = await control(e, 'POST', path(bob.openId, '/members/withdraw'), { users: [carol.openId] });
    expect(notHis.code).toBe(99992402);
    expect(JSON.stringify(notHis)).toContain('users[0]');

    expect((await control(e, 'POST', '/_emulator/users/ou_nobody/chats', { name: 'x' })).code).toBe(404);
    expect((await control(e, 'POST', `/_emulator/users/${alice.openId}/chats/oc_nothing/members`, { users: [bob.openId] })).code).toBe(404);
    const badBot = await control(e, 'POST', path(alice.openId, '/members'), { bots: ['cli_nothing'] });
    expect(JSON.stringify(badBot)).toContain('bots[0]');
    expect((await control(e, 'POST', `/_emulator/users/${alice.openId}/chats`, {})).code).toBe(99992402);
    // What was refused told the bot nothing; Alice adding Carol did.
    expect(got.map((g) => g.kind)).toEqual(['im.chat.member.user.added_v1']);

    await alice.disband(group);
    expect((await control(e, 'PATCH', path(alice.openId), { name: 'again' })).code).toBe(232009);
    expect((await control(e, 'POST', path(alice.openId, '/members'), { users: [carol.openId] })).code).toBe(232009);
    expect((await control(e, 'POST', `/_emulator/users/${alice.openId}/messages`, { chat_id: group.chatId, text: 'hello?' })).code).toBe(99992402);
  });

  it("a chat's settings keep adding and editing to its owner and managers", async () => {
    const { emu: e } = await withWebhookBot('cli_a1b2c3d4e5f60c05');
    const client = sdkOf(e);
    const alice = e.user('alice@example.com');
    const bob = e.user('bob@example.com');
    const made = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: 'Locked', owner_id: alice.openId, user_id_list: [alice.openId, bob.openId] } });
    const chatId = made.data!.chat_id!;
    await client.im.chat.update({ path: { chat_id: chatId }, data: { edit_permission: 'only_owner', add_member_permission: 'only_owner', share_card_permission: 'not_allowed' } });
    const rename = await control(e, 'PATCH', `/_emulator/users/${bob.openId}/chats/${chatId}`, { name: 'Unlocked' });
    expect(rename.code).toBe(232002);
    const add = await control(e, 'POST', `/_emulator/users/${bob.openId}/chats/${chatId}/members`, { users: ['ou_x'] });
    expect(add.code).toBe(232017);
    // The owner may do both.
    await alice.renameChat(chatId, 'Still locked');
    await alice.addMember(chatId, 'carol@example.com');
    expect((await client.im.chat.get({ path: { chat_id: chatId } })).data!.name).toBe('Still locked');
    // A chat a bot owns keeps its bot.
    const botOwned = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: 'Bot-owned', user_id_list: [alice.openId] } });
    const ownerOut = await control(e, 'DELETE', `/_emulator/users/${alice.openId}/chats/${botOwned.data!.chat_id}/members/${e.app().appId}`);
    expect(ownerOut.code).toBe(232076);
  });
});
