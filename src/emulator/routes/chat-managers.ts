import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { ChatRecord, Store, UserRecord } from '../store.js';
import { fieldViolation } from '../validate.js';
import { chatChangeView, chatForBot, MEMBER_ID_TYPE, pageOf } from './chats.js';
import { chatUpdatedEvents } from '../chat-events.js';
import { inBackground } from '../message-events.js';
import { USER_ID_TYPE } from './contact.js';

const CHAT_ID = s.object({ chat_id: s.string() });
const USER_ONLY = 'the emulator issues tenant tokens only, so what a user token may do is not emulated';
const MANAGERS = {
  params: CHAT_ID,
  query: s.object({ member_id_type: MEMBER_ID_TYPE }),
  body: s.object({ manager_ids: s.optional(s.array(s.string(), { maxItems: 50 })) }),
};

/** The users and bots a manager list names; unknown ids are left for the store to count as invalid. */
function managerIds(store: Store, idType: string, ids: string[]): { users: UserRecord[]; bots: string[] } {
  if (idType === 'app_id') {
    if (ids.length > 5) throw fieldViolation('manager_ids', 'the maximum number of bots in manager_ids is 5', ids.length);
    return { users: [], bots: ids };
  }
  return { users: ids.map((id) => store.findUser(idType, id)).filter((u): u is UserRecord => !!u), bots: [] };
}

/** The manager lists after a change, users in the id type asked for (bots by app_id). */
function managerLists(store: Store, chat: ChatRecord, idType: string) {
  const users = [...chat.managers].map((id) => store.findUser('open_id', id)).filter((u): u is UserRecord => !!u);
  return { chat_managers: users.map((u) => store.userIdOf(u, idType === 'app_id' ? 'open_id' : idType)), chat_bot_managers: [...chat.bot_managers] };
}

function users(store: Store, idType: string, ids: string[] | undefined): UserRecord[] {
  return (ids ?? []).map((id) => store.findUser(idType, id)).filter((u): u is UserRecord => !!u);
}

export const chatManagerRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/managers/add_managers',
    title: '指定群管理员',
    notes: 'The owner only (232038); users who are members and bots in the chat (member_id_type=app_id, 5 per call); none of those is 232027; a group holds at most 10 managers (232040). Answers both manager lists.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.managers:write_only'],
    ...MANAGERS,
    errors: [232006, 232009, 232011, 232027, 232038, 232040],
    coverage: { partial: `super-large groups (20 managers) are not made by the emulator, so every group holds 10; ${USER_ONLY}` },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.member_id_type ?? 'open_id';
      const { users: people, bots } = managerIds(store, idType, body.manager_ids ?? []);
      store.changeManagers(app, chat, 'add', people, bots);
      return ok(managerLists(store, chat, idType));
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/managers/delete_managers',
    title: '删除群管理员',
    notes: 'The owner only (232038); ids that are not members are left out, none left is 232027. Answers both manager lists.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.managers:write_only'],
    ...MANAGERS,
    errors: [232006, 232009, 232011, 232027, 232038],
    coverage: { partial: USER_ONLY },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.member_id_type ?? 'open_id';
      const { users: people, bots } = managerIds(store, idType, body.manager_ids ?? []);
      store.changeManagers(app, chat, 'delete', people, bots);
      return ok(managerLists(store, chat, idType));
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/moderation',
    title: '获取群成员发言权限',
    notes: 'moderation_setting, and under moderator_list the members who may speak, page by page (page_size 1 to 100).',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.moderation:read', 'im:chat:readonly'],
    params: CHAT_ID,
    query: s.object({ user_id_type: USER_ID_TYPE, page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })), page_token: s.optional(s.string({ maxLength: 100 })) }),
    errors: [232001, 232006, 232009, 232011],
    coverage: { partial: `the page size default (20) is the emulator's choice: the docs do not give one; ${USER_ONLY}` },
    handle({ params, query, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.user_id_type ?? 'open_id';
      // The list means something only while the chat lets the listed members speak.
      const listed = chat.moderation === 'moderator_list' ? users(store, 'open_id', [...chat.moderators]) : [];
      const { page, page_token, has_more } = pageOf(listed, query.page_size ?? 20, query.page_token);
      return ok({ moderation_setting: chat.moderation, page_token, has_more, items: page.map((u) => ({ user_id_type: idType, user_id: store.userIdOf(u, idType), tenant_key: store.tenantKey })) });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v1/chats/:chat_id/moderation',
    title: '更新群发言权限',
    notes: 'The owner or the creating bot (232017); moderator ids that are not members are left out; an id in both lists is 232001.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:moderation:write_only'],
    params: CHAT_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      moderation_setting: s.optional(s.enum(['all_members', 'only_owner', 'moderator_list'])),
      moderator_added_list: s.optional(s.array(s.string())),
      moderator_removed_list: s.optional(s.array(s.string())),
    }),
    errors: [232001, 232006, 232009, 232011, 232017],
    coverage: {
      partial: `the creating bot acts as owner without the im:chat:operate_as_owner scope check; sending is not yet refused by the message routes; no meetings (232092) or banned chats (232060); ${USER_ONLY}`,
    },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.user_id_type ?? 'open_id';
      if (chat.chat_mode !== 'group') throw fail(232001, 'one-to-one chats have no moderation');
      const before = chatChangeView(store, chat);
      const listed = new Set(chat.moderators);
      store.setModeration(app, chat, body.moderation_setting, users(store, idType, body.moderator_added_list), users(store, idType, body.moderator_removed_list));
      // Who was put on or taken off the list of those who may speak, as the bots are told.
      const added = [...chat.moderators].filter((id) => !listed.has(id));
      const removed = [...listed].filter((id) => !chat.moderators.has(id));
      const people = (ids: string[]) => ids.map((id) => store.findUser('open_id', id)).filter((u): u is UserRecord => !!u);
      const after = chatChangeView(store, chat);
      inBackground(core, 'im.chat.updated_v1', () => chatUpdatedEvents(core, chat, { type: 'app', app }, before, after, { added: people(added), removed: people(removed) }));
      return ok();
    },
  }),
];
