import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const A = 'cli_managers_a';
const B = 'cli_managers_b';
const { t, sdk } = sdkForFile({
  seed: {
    apps: [
      { app_id: A, app_secret: 'made-up-secret-a' },
      { app_id: B, app_secret: 'made-up-secret-b' },
    ],
    users: Array.from({ length: 12 }, (_, i) => ({ name: `Member ${i}`, email: `m${i}@example.com` })),
    chats: [{ name: 'Seeded', chat_id: 'oc_seeded', members: ['m0@example.com'], bots: [A] }],
  } as any,
});

const ids = (n: number, from = 0) => t.users.slice(from, from + n).map((u) => u.open_id);
/** A group the bot of app A owns, with the first `n` users and bot B in it. */
async function owned(n = 3): Promise<string> {
  return (await sdk().im.chat.create({ data: { name: 'Managed', user_id_list: ids(n), bot_id_list: [B] } })).data!.chat_id!;
}

describe('POST /open-apis/im/v1/chats/:chat_id/managers/add_managers', () => {
  it('makes members and bots managers; the answer and chat get show them', async () => {
    const chat = await owned();
    const users = await sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: ids(2) } });
    expect(users.data).toEqual({ chat_managers: ids(2), chat_bot_managers: [] });
    const bots = await sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, params: { member_id_type: 'app_id' }, data: { manager_ids: [B] } });
    expect(bots.data!.chat_bot_managers).toEqual([B]);
    const got = await sdk().im.chat.get({ path: { chat_id: chat } });
    expect(got.data).toMatchObject({ user_manager_id_list: ids(2), bot_manager_id_list: [B] });
    // A bot manager may now do what managers do: change settings only managers may.
    expect((await sdk(1).im.chat.update({ path: { chat_id: chat }, data: { urgent_setting: 'only_owner' } })).code).toBe(0);
  });

  it('is for the owner only, and needs at least one member in the list', async () => {
    const notOwner = await answer(sdk().im.chatManagers.addManagers({ path: { chat_id: 'oc_seeded' }, data: { manager_ids: ids(1) } }));
    expect([notOwner.body.code, notOwner.body.msg]).toEqual([232038, 'The operator is not chat owner, no permission to complete the request.']);
    const chat = await owned(1);
    const outsider = await answer(sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: ids(1, 5) } }));
    expect([outsider.body.code, outsider.body.msg]).toEqual([232027, 'There are no valid members in the ID list specified in your request.']);
  });

  it('holds 10 managers at most, and refuses more than 50 ids or 5 bots', async () => {
    const chat = await owned(12);
    await sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: ids(10) } });
    const eleventh = await answer(sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: ids(1, 10) } }));
    expect([eleventh.body.code, eleventh.body.msg]).toEqual([232040, expect.stringContaining('The chat managers has reached the limit of maximum number')]);
    expect((await sdk().im.chat.get({ path: { chat_id: chat } })).data!.user_manager_id_list).toHaveLength(10);
    const many = await answer(sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: Array.from({ length: 51 }, (_, i) => `ou_${i}`) } }));
    expect(many.body.code).toBe(99992402);
    const bots = await answer(sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, params: { member_id_type: 'app_id' }, data: { manager_ids: ['a', 'b', 'c', 'd', 'e', 'f'] } }));
    expect(bots.body.code).toBe(99992402);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/managers/delete_managers', () => {
  it('takes managers away; chat get shows the rest', async () => {
    const chat = await owned();
    await sdk().im.chatManagers.addManagers({ path: { chat_id: chat }, data: { manager_ids: ids(2) } });
    const r = await sdk().im.chatManagers.deleteManagers({ path: { chat_id: chat }, data: { manager_ids: ids(1) } });
    expect(r.data).toEqual({ chat_managers: ids(1, 1), chat_bot_managers: [] });
    expect((await sdk().im.chat.get({ path: { chat_id: chat } })).data!.user_manager_id_list).toEqual(ids(1, 1));
  });

  it('is for the owner only', async () => {
    const r = await answer(sdk().im.chatManagers.deleteManagers({ path: { chat_id: 'oc_seeded' }, data: { manager_ids: ids(1) } }));
    expect(r.body.code).toBe(232038);
  });
});

describe('GET /open-apis/im/v1/chats/:chat_id/moderation', () => {
  it('answers all_members for a new chat, and the moderators page by page under moderator_list', async () => {
    const chat = await owned(3);
    expect((await sdk().im.chatModeration.get({ path: { chat_id: chat } })).data).toMatchObject({ moderation_setting: 'all_members', items: [], has_more: false });
    await sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderation_setting: 'moderator_list', moderator_added_list: ids(3) } });
    const first = await sdk().im.chatModeration.get({ path: { chat_id: chat }, params: { page_size: 2, user_id_type: 'user_id' } });
    expect(first.data).toMatchObject({ moderation_setting: 'moderator_list', has_more: true });
    expect(first.data!.items!.map((i) => i.user_id)).toEqual(t.users.slice(0, 2).map((u) => u.user_id));
    const next = await sdk().im.chatModeration.get({ path: { chat_id: chat }, params: { page_size: 2, page_token: first.data!.page_token } });
    expect(next.data!.items!.map((i) => i.user_id)).toEqual(ids(1, 2));
  });

  it('refuses a chat the bot is not in', async () => {
    const chat = (await sdk(1).im.chat.create({ data: { name: 'B only' } })).data!.chat_id!;
    expect((await answer(sdk().im.chatModeration.get({ path: { chat_id: chat } }))).body.code).toBe(232011);
  });
});

describe('PUT /open-apis/im/v1/chats/:chat_id/moderation', () => {
  it('sets the setting, adds and removes moderators (non-members left out); chat get shows the setting', async () => {
    const chat = await owned(3);
    await sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderation_setting: 'moderator_list', moderator_added_list: [...ids(2), ids(1, 9)[0]!] } });
    await sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderator_removed_list: ids(1) } });
    const got = await sdk().im.chatModeration.get({ path: { chat_id: chat } });
    expect(got.data!.items!.map((i) => i.user_id)).toEqual(ids(1, 1));
    await sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderation_setting: 'only_owner' } });
    expect((await sdk().im.chat.get({ path: { chat_id: chat } })).data!.moderation_permission).toBe('only_owner');
  });

  it('is for the owner or the creating bot, and refuses an id in both lists or an unknown setting', async () => {
    const member = await answer(sdk().im.chatModeration.update({ path: { chat_id: 'oc_seeded' }, data: { moderation_setting: 'only_owner' } }));
    expect([member.body.code, member.body.msg]).toEqual([232017, 'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.']);
    const chat = await owned(2);
    const both = await answer(sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderator_added_list: ids(1), moderator_removed_list: ids(1) } }));
    expect(both.body.code).toBe(232001);
    const setting = await answer(sdk().im.chatModeration.update({ path: { chat_id: chat }, data: { moderation_setting: 'everyone' } }));
    expect(setting.body.error.field_violations[0].field).toBe('moderation_setting');
  });
});
