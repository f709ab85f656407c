import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const A = 'cli_chats_a';
const B = 'cli_chats_b';
const { t, sdk } = sdkForFile({
  seed: {
    tenant_key: 'emu_tenant_chats',
    apps: [
      { app_id: A, app_secret: 'made-up-secret-a' },
      { app_id: B, app_secret: 'made-up-secret-b' },
    ],
    users: [
      { name: 'Alice Zhang', email: 'alice@example.com' },
      { name: 'Bob Li', email: 'bob@example.com' },
      { name: 'Carol Wang', email: 'carol@example.com' },
      { name: 'Dave Chen', email: 'dave@example.com', resigned: true },
    ],
    chats: [
      { name: 'Playground', chat_id: 'oc_playground', members: ['alice@example.com', 'bob@example.com'], bots: [A] },
      { name: 'Elsewhere', chat_id: 'oc_elsewhere', members: ['carol@example.com'], bots: [B] },
    ],
  } as any,
});

const user = (name: string) => t.users.find((u) => u.name.startsWith(name))!;
/** A group the bot of app `i` creates: owned by that bot, or by `owner` with the bot as its creator. */
async function group(name: string, opts: { owner?: string; members?: string[]; i?: number; body?: Record<string, unknown> } = {}) {
  const r = await sdk(opts.i ?? 0).im.chat.create({ data: { name, owner_id: opts.owner, user_id_list: opts.members, ...(opts.body ?? {}) } });
  return r.data!.chat_id!;
}

describe('GET /open-apis/im/v1/chats', () => {
  it("lists the bot's groups in pages, without one-to-one chats or other bots' chats", async () => {
    const made = [await group('one'), await group('two')];
    const first = await sdk().im.chat.list({ params: { page_size: 2 } });
    expect(first.data!.items!.map((c) => c.chat_id)).toEqual(['oc_playground', made[0]]);
    expect(first.data!.has_more).toBe(true);
    const second = await sdk().im.chat.list({ params: { page_size: 2, page_token: first.data!.page_token } });
    expect(second.data!.items!.map((c) => c.chat_id)).toEqual([made[1]]);
    expect(second.data!.has_more).toBe(false);
  });

  it('refuses a page size past 100 and a page token it never gave', async () => {
    const big = await answer(sdk().im.chat.list({ params: { page_size: 101 } }));
    expect(big.body.code).toBe(99992402);
    expect(big.body.error.field_violations[0].field).toBe('page_size');
    const token = await answer(sdk().im.chat.list({ params: { page_token: 'bm90LW91cnM' } }));
    expect([token.status, token.body.code]).toEqual([400, 232001]);
  });
});

describe('GET /open-apis/im/v1/chats/search', () => {
  it('is not taken by chats/:chat_id, and finds groups by name, i18n name and member name, public ones included', async () => {
    const mine = await group('Release train', { body: { i18n_names: { en_us: 'Shipping' } } });
    const open = await group('Open house', { i: 1, body: { chat_type: 'public' } });
    const byName = await sdk().im.chat.search({ params: { query: 'release' } });
    expect(byName.code).toBe(0);
    expect(byName.data!.items!.map((c) => c.chat_id)).toEqual([mine]);
    expect((await sdk().im.chat.search({ params: { query: 'shipping' } })).data!.items!.map((c) => c.chat_id)).toEqual([mine]);
    expect((await sdk().im.chat.search({ params: { query: 'Bob' } })).data!.items!.map((c) => c.chat_id)).toEqual(['oc_playground']);
    expect((await sdk().im.chat.search({ params: { query: 'house' } })).data!.items!.map((c) => c.chat_id)).toEqual([open]);
    // A private group of another bot stays hidden.
    expect((await sdk().im.chat.search({ params: { query: 'Elsewhere' } })).data!.items).toEqual([]);
  });

  it('finds nothing for an empty query or one past 64 characters, and pages', async () => {
    expect((await sdk().im.chat.search({ params: {} })).data!.items).toEqual([]);
    expect((await sdk().im.chat.search({ params: { query: 'p'.repeat(65) } })).data!.items).toEqual([]);
    await group('page a');
    await group('page b');
    const first = await sdk().im.chat.search({ params: { query: 'page', page_size: 1 } });
    expect(first.data!.has_more).toBe(true);
    const next = await sdk().im.chat.search({ params: { query: 'page', page_size: 1, page_token: first.data!.page_token } });
    expect(next.data!.items![0]!.name).toBe('page b');
  });
});

describe('POST /open-apis/im/v1/chats', () => {
  it('keeps the settings it is given and answers them', async () => {
    const r = await sdk().im.chat.create({ data: { name: 'Settings', edit_permission: 'only_owner', membership_approval: 'approval_required' } });
    expect(r.data).toMatchObject({ edit_permission: 'only_owner', membership_approval: 'approval_required', add_member_permission: 'all_members', moderation_permission: 'all_members' });
  });

  it('refuses a setting outside its values, naming the field, and more than 5 bots', async () => {
    const r = await answer(sdk().im.chat.create({ data: { name: 'x', urgent_setting: 'nobody' as any } }));
    expect(r.body.code).toBe(99992402);
    expect(r.body.error.field_violations[0]).toMatchObject({ field: 'urgent_setting', description: expect.stringContaining('only_owner, all_members') });
    const bots = await answer(sdk().im.chat.create({ data: { name: 'x', bot_id_list: [B, B, B, B, B, B] } }));
    expect(bots.body.code).toBe(99992402);
  });
});

describe('GET /open-apis/im/v1/chats/:chat_id', () => {
  it('shows counts and the manager lists', async () => {
    const r = await sdk().im.chat.get({ path: { chat_id: 'oc_playground' } });
    expect(r.data).toMatchObject({ name: 'Playground', user_count: '2', bot_count: '1', user_manager_id_list: [], bot_manager_id_list: [], moderation_permission: 'all_members' });
  });

  it('answers an unknown chat with 232006 and a chat the bot is not in with 232011', async () => {
    const unknown = await answer(sdk().im.chat.get({ path: { chat_id: 'oc_nothing' } }));
    expect([unknown.status, unknown.body.code, unknown.body.msg]).toEqual([400, 232006, 'Your request specifies a chat_id which is invalid.']);
    const out = await answer(sdk().im.chat.get({ path: { chat_id: 'oc_elsewhere' } }));
    expect([out.body.code, out.body.msg]).toEqual([232011, 'Operator can NOT be out of the chat.']);
  });
});

describe('PUT /open-apis/im/v1/chats/:chat_id', () => {
  it('changes name, description, i18n names and settings; get shows them', async () => {
    const chat = await group('Before');
    const r = await sdk().im.chat.update({
      path: { chat_id: chat },
      data: { name: 'After', description: 'new words', i18n_names: { en_us: 'After (en)' }, add_member_permission: 'only_owner', share_card_permission: 'not_allowed', urgent_setting: 'only_owner' },
    });
    expect(r.code).toBe(0);
    const got = await sdk().im.chat.get({ path: { chat_id: chat } });
    expect(got.data).toMatchObject({ name: 'After', description: 'new words', i18n_names: { en_us: 'After (en)' }, add_member_permission: 'only_owner', share_card_permission: 'not_allowed', urgent_setting: 'only_owner' });
    expect((await sdk().im.chat.list({})).data!.items!.find((c) => c.chat_id === chat)!.name).toBe('After');
  });

  it('hands the chat to a member; the bot then edits only what members may', async () => {
    const alice = user('Alice');
    const chat = await group('Handover', { members: [alice.open_id] });
    await sdk().im.chat.update({ path: { chat_id: chat }, data: { owner_id: alice.user_id }, params: { user_id_type: 'user_id' } });
    const got = await sdk().im.chat.get({ path: { chat_id: chat } });
    expect(got.data).toMatchObject({ owner_id: alice.open_id, owner_id_type: 'open_id' });
    // The bot still created the chat, which lets it change everything.
    expect((await sdk().im.chat.update({ path: { chat_id: chat }, data: { urgent_setting: 'only_owner' } })).code).toBe(0);
  });

  it('keeps a plain member bot to name, description, avatar and i18n names, and to nothing when editing is kept to the owner', async () => {
    expect((await sdk().im.chat.update({ path: { chat_id: 'oc_playground' }, data: { name: 'Renamed by a member' } })).code).toBe(0);
    const part = await answer(sdk().im.chat.update({ path: { chat_id: 'oc_playground' }, data: { name: 'x', membership_approval: 'approval_required' } }));
    expect([part.body.code, part.body.msg]).toEqual([232016, expect.stringContaining('Non-chat-owner or Non-chat-admin can only edit certain parts')]);
    expect(part.body.msg).toContain('membership_approval');
    t.emu.core.store.chats.get('oc_playground')!.extra.edit_permission = 'only_owner';
    const none = await answer(sdk().im.chat.update({ path: { chat_id: 'oc_playground' }, data: { name: 'y' } }));
    expect([none.body.code, none.body.msg]).toEqual([232002, 'No Permission: Only chat owner or admin can edit chat information in the current situation.']);
    expect((await sdk().im.chat.get({ path: { chat_id: 'oc_playground' } })).data!.name).toBe('Renamed by a member');
  });

  it('refuses a new owner outside the chat, an unknown owner, unpaired permissions, an unknown avatar and a public name in use', async () => {
    const chat = await group('Rules');
    const carol = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { owner_id: user('Carol').open_id } }));
    expect([carol.body.code, carol.body.msg]).toEqual([232012, 'New chat owner can NOT be out of the chat.']);
    const ghost = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { owner_id: 'ou_ghost' } }));
    expect(ghost.body.code).toBe(232035);
    const unpaired = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { add_member_permission: 'only_owner', share_card_permission: 'allowed' } }));
    expect(unpaired.body.code).toBe(232001);
    const avatar = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { avatar: 'img_v3_nothing' } }));
    expect([avatar.body.code, avatar.body.msg]).toEqual([232041, 'The avatar key is illegal.']);
    await group('Town square', { i: 1, body: { chat_type: 'public' } });
    const taken = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { chat_type: 'public', name: 'Town square' } }));
    expect(taken.body.code).toBe(232026);
    const short = await answer(sdk().im.chat.update({ path: { chat_id: chat }, data: { chat_type: 'public', name: 'T' } }));
    expect(short.body.code).toBe(232020);
    expect((await sdk().im.chat.get({ path: { chat_id: chat } })).data).toMatchObject({ name: 'Rules', chat_type: 'private' });
  });
});

describe('DELETE /open-apis/im/v1/chats/:chat_id', () => {
  it('dissolves a chat the bot owns or created, and refuses one it merely sits in', async () => {
    const chat = await group('Short-lived');
    expect((await sdk().im.chat.delete({ path: { chat_id: chat } })).code).toBe(0);
    expect((await answer(sdk().im.chat.get({ path: { chat_id: chat } }))).body.code).toBe(232009);
    const member = await answer(sdk().im.chat.delete({ path: { chat_id: 'oc_playground' } }));
    expect([member.body.code, member.body.msg]).toEqual([232017, 'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.']);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/link', () => {
  it('makes a week link by default, a year link and a permanent one', async () => {
    const now = Math.floor(t.emu.core.now() / 1000);
    const week = await sdk().im.chat.link({ path: { chat_id: 'oc_playground' }, data: {} });
    expect(week.data!.share_link).toMatch(/^https:\/\/applink\.feishu\.cn\/client\/chat\/chatter\/add_by_link\?link_token=[0-9a-f]{32}$/);
    expect(Number(week.data!.expire_time) - now).toBeGreaterThanOrEqual(7 * 86400 - 1);
    expect(Number(week.data!.expire_time) - now).toBeLessThanOrEqual(7 * 86400 + 1);
    expect(week.data!.is_permanent).toBe(false);
    const year = await sdk().im.chat.link({ path: { chat_id: 'oc_playground' }, data: { validity_period: 'year' } });
    expect(Number(year.data!.expire_time) - now).toBeGreaterThanOrEqual(365 * 86400 - 1);
    const forever = await sdk().im.chat.link({ path: { chat_id: 'oc_playground' }, data: { validity_period: 'permanently' } });
    expect(forever.data!.is_permanent).toBe(true);
    expect(t.emu.core.store.chatLinks.size).toBe(3);
  });

  it('refuses a member when sharing is kept to the owner, an unknown period and a chat the bot is not in', async () => {
    const chat = await group('Closed', { i: 1, body: { bot_id_list: [A] } });
    await sdk(1).im.chat.update({ path: { chat_id: chat }, data: { add_member_permission: 'only_owner', share_card_permission: 'not_allowed' } });
    const closed = await answer(sdk().im.chat.link({ path: { chat_id: chat }, data: {} }));
    expect([closed.body.code, closed.body.msg]).toEqual([232064, 'The operator is not a group owner or administrator, no permission to share chat link.']);
    expect((await sdk(1).im.chat.link({ path: { chat_id: chat }, data: {} })).code).toBe(0);
    const period = await answer(sdk().im.chat.link({ path: { chat_id: 'oc_playground' }, data: { validity_period: 'month' as any } }));
    expect(period.body.code).toBe(99992402);
    expect((await answer(sdk().im.chat.link({ path: { chat_id: 'oc_elsewhere' }, data: {} }))).body.code).toBe(232011);
  });
});

describe('GET /open-apis/im/v1/chats/:chat_id/members', () => {
  it('lists members in pages with the total', async () => {
    const first = await sdk().im.chatMembers.get({ path: { chat_id: 'oc_playground' }, params: { page_size: 1 } });
    expect(first.data).toMatchObject({ member_total: 2, has_more: true });
    expect(first.data!.items).toEqual([{ member_id_type: 'open_id', member_id: user('Alice').open_id, name: 'Alice Zhang', tenant_key: 'emu_tenant_chats' }]);
    const next = await sdk().im.chatMembers.get({ path: { chat_id: 'oc_playground' }, params: { page_size: 1, page_token: first.data!.page_token } });
    expect(next.data!.items![0]!.member_id).toBe(user('Bob').open_id);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/members', () => {
  it('adds users and bots, then get shows them', async () => {
    const chat = await group('Growing');
    await sdk().im.chatMembers.create({ path: { chat_id: chat }, data: { id_list: [user('Carol').open_id] } });
    await sdk().im.chatMembers.create({ path: { chat_id: chat }, params: { member_id_type: 'app_id' }, data: { id_list: [B] } });
    expect((await sdk().im.chat.get({ path: { chat_id: chat } })).data).toMatchObject({ user_count: '1', bot_count: '2' });
    expect((await sdk(1).im.chatMembers.isInChat({ path: { chat_id: chat } })).data!.is_in_chat).toBe(true);
  });

  it('keeps adding to the owner and managers when the chat says so, and refuses more than 5 bots', async () => {
    const chat = await group('Kept', { i: 1, body: { bot_id_list: [A] } });
    await sdk(1).im.chat.update({ path: { chat_id: chat }, data: { add_member_permission: 'only_owner', share_card_permission: 'not_allowed' } });
    const r = await answer(sdk().im.chatMembers.create({ path: { chat_id: chat }, data: { id_list: [user('Carol').open_id] } }));
    expect(r.body.code).toBe(232017);
    const bots = await answer(sdk(1).im.chatMembers.create({ path: { chat_id: chat }, params: { member_id_type: 'app_id' }, data: { id_list: ['a', 'b', 'c', 'd', 'e', 'f'] } }));
    expect(bots.body.code).toBe(99992402);
  });
});

describe('DELETE /open-apis/im/v1/chats/:chat_id/members', () => {
  it('lets a bot take itself out of a chat it does not manage, and refuses it others', async () => {
    const others = await answer(sdk().im.chatMembers.delete({ path: { chat_id: 'oc_playground' }, data: { id_list: [user('Bob').open_id] } }));
    expect(others.body.code).toBe(232017);
    expect((await sdk().im.chatMembers.delete({ path: { chat_id: 'oc_playground' }, params: { member_id_type: 'app_id' }, data: { id_list: [A] } })).code).toBe(0);
    expect((await sdk().im.chatMembers.isInChat({ path: { chat_id: 'oc_playground' } })).data!.is_in_chat).toBe(false);
  });

  it("refuses to remove the chat's owner", async () => {
    const alice = user('Alice');
    const chat = await group('Owned', { owner: alice.open_id });
    const r = await answer(sdk().im.chatMembers.delete({ path: { chat_id: chat }, data: { id_list: [alice.open_id] } }));
    expect([r.body.code, r.body.msg]).toEqual([232076, "Can't kick chat owner."]);
  });
});

describe('GET /open-apis/im/v1/chats/:chat_id/members/is_in_chat', () => {
  it("answers for the token's bot, false for a chat it is not in, and 232006 for an unknown chat", async () => {
    expect((await sdk().im.chatMembers.isInChat({ path: { chat_id: 'oc_playground' } })).data).toEqual({ is_in_chat: true });
    expect((await sdk().im.chatMembers.isInChat({ path: { chat_id: 'oc_elsewhere' } })).data).toEqual({ is_in_chat: false });
    expect((await answer(sdk().im.chatMembers.isInChat({ path: { chat_id: 'oc_nothing' } }))).body.code).toBe(232006);
  });
});

describe('PATCH /open-apis/im/v1/chats/:chat_id/members/me_join', () => {
  it('joins a public group, and refuses a private one and one that asks for approval', async () => {
    const open = await group('Open doors', { i: 1, body: { chat_type: 'public' } });
    expect((await sdk().im.chatMembers.meJoin({ path: { chat_id: open } })).code).toBe(0);
    expect((await sdk().im.chatMembers.isInChat({ path: { chat_id: open } })).data!.is_in_chat).toBe(true);
    const priv = await answer(sdk().im.chatMembers.meJoin({ path: { chat_id: 'oc_elsewhere' } }));
    expect([priv.body.code, priv.body.msg]).toEqual([232008, expect.stringContaining('Your request specifies a chat whose type is NOT supported currently')]);
    const asks = await group('Knock first', { i: 1, body: { chat_type: 'public', membership_approval: 'approval_required' } });
    const r = await answer(sdk().im.chatMembers.meJoin({ path: { chat_id: asks } }));
    expect([r.body.code, r.body.msg]).toEqual([232075, 'The public group needs to apply to join, and users or bots are not allowed to actively join the group.']);
  });
});
