import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { MAX_BOTS_PER_CHAT, type AppRecord, type ChatRecord, type Store, type UserRecord } from '../store.js';
import { fieldViolation } from '../validate.js';
import { USER_ID_TYPE } from './contact.js';
import type { ChatChange } from '../../callback/chat-events.js';
import { botIds, botsAddedEvents, botsDeletedEvents, chatUpdatedEvents, disbandedEvents, membersEvents, userIds, type ChatOperator } from '../chat-events.js';
import { inBackground } from '../message-events.js';

export const MEMBER_ID_TYPE = s.optional(s.enum(['open_id', 'union_id', 'user_id', 'app_id']));
const CHAT_UUID_WINDOW_MS = 10 * 3600 * 1000;
const PAGE_SIZE = s.optional(s.integer({ minimum: 1, maximum: 100 }));
const SEARCH_QUERY_MAX = 64;

const WHO = ['only_owner', 'all_members'] as const;
const VISIBILITY = ['only_owner', 'all_members', 'not_anyone'] as const;
const ANYONE = ['all_members', 'not_anyone'] as const;

/** The settings chat create and update take, each kept in the chat's `extra` and echoed by get. */
const SETTINGS = {
  group_message_type: s.optional(s.enum(['chat', 'thread'])),
  join_message_visibility: s.optional(s.enum(VISIBILITY)),
  leave_message_visibility: s.optional(s.enum(VISIBILITY)),
  membership_approval: s.optional(s.enum(['no_approval_required', 'approval_required'])),
  urgent_setting: s.optional(s.enum(WHO)),
  video_conference_setting: s.optional(s.enum(WHO)),
  edit_permission: s.optional(s.enum(WHO)),
  pin_manage_setting: s.optional(s.enum(WHO)),
  hide_member_count_setting: s.optional(s.enum(['all_members', 'only_owner'])),
  restricted_mode_setting: s.optional(
    s.object({
      status: s.optional(s.boolean()),
      screenshot_has_permission_setting: s.optional(s.enum(ANYONE)),
      download_has_permission_setting: s.optional(s.enum(ANYONE)),
      message_has_permission_setting: s.optional(s.enum(ANYONE)),
    }),
  ),
};
/** Settings only update takes. */
const UPDATE_SETTINGS = {
  add_member_permission: s.optional(s.enum(WHO)),
  share_card_permission: s.optional(s.enum(['allowed', 'not_allowed'])),
  at_all_permission: s.optional(s.enum(WHO)),
};
/** What a chat answers for a setting nobody set. */
const SETTING_DEFAULTS: Record<string, unknown> = {
  add_member_permission: 'all_members',
  share_card_permission: 'allowed',
  at_all_permission: 'all_members',
  edit_permission: 'all_members',
  group_message_type: 'chat',
  join_message_visibility: 'all_members',
  leave_message_visibility: 'all_members',
  membership_approval: 'no_approval_required',
  urgent_setting: 'all_members',
  video_conference_setting: 'all_members',
  pin_manage_setting: 'all_members',
  hide_member_count_setting: 'all_members',
};
const I18N_NAMES = s.optional(s.object({ zh_cn: s.optional(s.string()), en_us: s.optional(s.string()), ja_jp: s.optional(s.string()) }));

function pickSettings(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of names) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

/** The chat as create, get and update's readers see it. */
export function chatView(store: Store, chat: ChatRecord, idType: string, opts: { omitBotOwner?: boolean } = {}) {
  const owner = chat.owner_open_id ? store.findUser('open_id', chat.owner_open_id) : undefined;
  const settings: Record<string, unknown> = { ...SETTING_DEFAULTS };
  for (const k of [...Object.keys(SETTINGS), ...Object.keys(UPDATE_SETTINGS)]) if (chat.extra[k] !== undefined) settings[k] = chat.extra[k];
  // Chat create leaves the owner out of its answer when the bot itself owns the chat.
  const ownerFields = !owner && opts.omitBotOwner ? {} : { owner_id: owner ? store.userIdOf(owner, idType) : (chat.owner_app_id ?? ''), owner_id_type: owner ? idType : 'app_id' };
  return {
    chat_id: chat.chat_id,
    avatar: (chat.extra.avatar as string | undefined) ?? '',
    name: chat.name,
    description: chat.description,
    i18n_names: chat.extra.i18n_names ?? {},
    ...ownerFields,
    chat_mode: chat.chat_mode,
    chat_type: chat.chat_type,
    external: false,
    tenant_key: store.tenantKey,
    moderation_permission: chat.moderation,
    ...settings,
  };
}

/** The chat as im.chat.updated_v1 reports it: basic information, owner and permissions. */
export function chatChangeView(store: Store, chat: ChatRecord): ChatChange {
  const v = chatView(store, chat, 'open_id');
  const owner = chat.owner_open_id ? store.findUser('open_id', chat.owner_open_id) : undefined;
  const ownerApp = chat.owner_app_id ? store.apps.get(chat.owner_app_id) : undefined;
  const pick = (k: string) => v[k as keyof typeof v] as string;
  return {
    avatar: v.avatar,
    name: v.name,
    description: v.description,
    i18n_names: v.i18n_names as ChatChange['i18n_names'],
    add_member_permission: pick('add_member_permission'),
    share_card_permission: pick('share_card_permission'),
    at_all_permission: pick('at_all_permission'),
    edit_permission: pick('edit_permission'),
    membership_approval: pick('membership_approval'),
    join_message_visibility: pick('join_message_visibility'),
    leave_message_visibility: pick('leave_message_visibility'),
    moderation_permission: chat.moderation,
    ...(owner ? { owner_id: userIds(owner) } : ownerApp ? { owner_id: botIds(ownerApp) } : {}),
    ...(chat.extra.restricted_mode_setting ? { restricted_mode_setting: chat.extra.restricted_mode_setting as Record<string, unknown> } : {}),
    group_message_type: pick('group_message_type'),
  };
}

const byApp = (app: AppRecord): ChatOperator => ({ type: 'app', app });

/** A chat the calling bot may act in: it exists, is not dissolved, and the bot is a member. */
export function chatForBot(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = store.botChat(app, chatId, 'chat');
  if (!chat) throw fail(232006);
  return chat;
}

function usable(app: AppRecord, u: UserRecord | undefined): u is UserRecord {
  return !!u && !u.resigned && (!app.availability || app.availability.has(u.open_id));
}

function unavailable(ids: string[]) {
  return fail(232043, `[${ids.join(', ')}]`, {
    field_violations: ids.map((id) => ({ field: 'id_list', value: id, description: "the id does not exist or is outside the app's availability range" })),
  });
}

/** One page of `items` by an opaque offset token, as list, search and members page. */
export function pageOf<T>(items: T[], pageSize: number, token: string | undefined): { page: T[]; page_token: string; has_more: boolean } {
  let offset = 0;
  if (token) {
    const m = /^c(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw fail(232001, 'page_token is not one this route gave');
    offset = Number(m[1]);
  }
  const hasMore = offset + pageSize < items.length;
  return { page: items.slice(offset, offset + pageSize), page_token: hasMore ? Buffer.from(`c${offset + pageSize}`).toString('base64url') : '', has_more: hasMore };
}

function listItem(store: Store, chat: ChatRecord, idType: string) {
  const v = chatView(store, chat, idType);
  return { chat_id: v.chat_id, avatar: v.avatar, name: v.name, description: v.description, owner_id: v.owner_id, owner_id_type: v.owner_id_type, external: false, tenant_key: v.tenant_key, chat_status: 'normal' };
}

const CHAT_ID = s.object({ chat_id: s.string() });
const USER_ONLY = 'the emulator issues tenant tokens only, so what a user token sees and may do is not emulated';

export const chatRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats',
    title: '获取用户或机器人所在的群列表',
    notes: "The bot's group chats (one-to-one chats are not listed), oldest first or newest first; page_size 1 to 100 (default 20); a page_token it never gave is 232001.",
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:readonly', 'im:chat:read', 'im:chat.group_info:readonly'],
    query: s.object({ user_id_type: USER_ID_TYPE, sort_type: s.optional(s.enum(['ByCreateTimeAsc', 'ByActiveTimeDesc'])), page_token: s.optional(s.string()), page_size: PAGE_SIZE }),
    errors: [232001],
    coverage: { partial: `ByActiveTimeDesc orders by creation, newest first (the emulator keeps no activity time); ${USER_ONLY}` },
    handle({ query, app, core }) {
      const store = core.store;
      // The group chats the bot is in; one-to-one chats are not listed.
      const chats = [...store.chats.values()].filter((c) => c.chat_mode === 'group' && !c.dissolved && c.bots.has(app.app_id)).sort((a, b) => a.create_time - b.create_time);
      if (query.sort_type === 'ByActiveTimeDesc') chats.reverse();
      const { page, page_token, has_more } = pageOf(chats, query.page_size ?? 20, query.page_token);
      return ok({ items: page.map((c) => listItem(store, c, query.user_id_type ?? 'open_id')), page_token, has_more });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/search',
    title: '搜索对用户或机器人可见的群列表',
    notes: "Groups the bot is in and public groups whose name, i18n name or a member's name holds the query; an empty query or one past 64 characters finds nothing; pages like the list.",
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:readonly', 'im:chat:read', 'im:chat.group_info:readonly'],
    query: s.object({ user_id_type: USER_ID_TYPE, query: s.optional(s.string()), page_token: s.optional(s.string()), page_size: PAGE_SIZE }),
    errors: [232001],
    coverage: { partial: `the query matches names, i18n names and member names as case-insensitive text (no pinyin or multi-word fuzzy matching); ${USER_ONLY}` },
    handle({ query, app, core }) {
      const store = core.store;
      const q = (query.query ?? '').trim().replace(/^"(.*)"$/, '$1').toLowerCase();
      // An empty query, or one past 64 characters, finds nothing (the platform's answer, not an error).
      if (!q || [...q].length > SEARCH_QUERY_MAX) return ok({ items: [], page_token: '', has_more: false });
      const matches = (c: ChatRecord) =>
        [c.name, ...Object.values((c.extra.i18n_names as Record<string, string> | undefined) ?? {})].some((n) => n.toLowerCase().includes(q)) ||
        [...c.members].some((id) => store.findUser('open_id', id)?.name.toLowerCase().includes(q));
      // What the bot may see: the groups it is in, and public groups.
      const chats = [...store.chats.values()].filter((c) => c.chat_mode === 'group' && !c.dissolved && (c.bots.has(app.app_id) || c.chat_type === 'public') && matches(c)).sort((a, b) => a.create_time - b.create_time);
      const { page, page_token, has_more } = pageOf(chats, query.page_size ?? 20, query.page_token);
      return ok({ items: page.map((c) => ({ ...listItem(store, c, query.user_id_type ?? 'open_id'), chat_mode: 'group' })), page_token, has_more });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats',
    title: '创建群',
    notes: 'The bot owns the chat unless owner_id names a user; a public chat needs a name (232042) of 2 characters or more (232020); unknown ids are 232043, resigned ones 232022; at most 50 users, 5 bots per call and 15 bots per chat; one chat per uuid and owner for 10 hours.',
    tokens: ['tenant'],
    scopes: ['im:chat', 'im:chat:create'],
    query: s.object({ user_id_type: USER_ID_TYPE, set_bot_manager: s.optional(s.boolean()), uuid: s.optional(s.string({ maxLength: 50 })) }),
    body: s.object({
      avatar: s.optional(s.string()),
      name: s.optional(s.string()),
      description: s.optional(s.string()),
      i18n_names: I18N_NAMES,
      owner_id: s.optional(s.string()),
      user_id_list: s.optional(s.array(s.string(), { maxItems: 50 })),
      bot_id_list: s.optional(s.array(s.string(), { maxItems: 5 })),
      chat_mode: s.optional(s.string()),
      chat_type: s.optional(s.enum(['private', 'public'])),
      ...SETTINGS,
    }),
    errors: [232001, 232020, 232022, 232042, 232043],
    coverage: { partial: 'labels, toolkit_ids, chat_tags and external chats are not kept; no content review (232023) or tenant policies (232057, 232078, 232091); the bots it invites are told they were added, and nobody is told of the people it starts with (the event pages speak of joining a group that exists)' },
    handle({ query, body, app, core }) {
      const store = core.store;
      const idType = query.user_id_type ?? 'open_id';
      if (body.chat_mode !== undefined && body.chat_mode !== 'group') throw fail(232001, 'chat_mode can only be group');
      if (body.chat_type === 'public' && !body.name) throw fail(232042);
      if (body.chat_type === 'public' && [...body.name!].length < 2) throw fail(232020);
      const now = core.now();
      const uuidKey = query.uuid ? `${app.app_id}\0${body.owner_id ?? ''}\0${query.uuid}` : null;
      if (uuidKey) {
        const seen = store.chatUuids.get(uuidKey);
        const chat = seen && now - seen.at < CHAT_UUID_WINDOW_MS ? store.chats.get(seen.chat_id) : undefined;
        if (chat && !chat.dissolved) return ok(chatView(store, chat, idType, { omitBotOwner: true }));
      }
      const bad: string[] = [];
      let owner: UserRecord | undefined;
      if (body.owner_id) {
        owner = store.findUser(idType, body.owner_id);
        if (!usable(app, owner)) bad.push(body.owner_id);
      }
      const members = new Set<string>();
      for (const id of body.user_id_list ?? []) {
        const u = store.findUser(idType, id);
        if (usable(app, u)) members.add(u.open_id);
        else bad.push(id);
      }
      const bots = new Set<string>([app.app_id]);
      for (const id of body.bot_id_list ?? []) {
        if (store.apps.has(id)) bots.add(id);
        else bad.push(id);
      }
      // Unknown ids are named first; when every id is known, a resigned one has its own code.
      const resigned = bad.filter((id) => store.findUser(idType, id)?.resigned);
      if (bad.length && resigned.length === bad.length) {
        throw fail(232022, undefined, { field_violations: resigned.map((id) => ({ field: 'user_id_list', value: id, description: 'the user has resigned' })) });
      }
      if (bad.length) throw unavailable(bad);
      if (bots.size > MAX_BOTS_PER_CHAT) throw fail(232001, `a chat holds at most ${MAX_BOTS_PER_CHAT} bots`);
      // The platform states no bound on a tenant's chats; the emulator's own is answered as a refused request.
      if (!store.roomForChat()) throw fail(232001, store.chatCapNote());
      if (owner) members.add(owner.open_id);
      const chat = store.newChat({
        name: body.name ?? '',
        description: body.description ?? '',
        members,
        bots,
        now,
        owner_open_id: owner?.open_id ?? null,
        owner_app_id: owner ? null : app.app_id,
        creator_app_id: app.app_id,
      });
      if (body.chat_type === 'public') chat.chat_type = 'public';
      if (!body.name && chat.chat_type === 'private') chat.name = '(无主题)';
      if (body.i18n_names) chat.extra.i18n_names = body.i18n_names;
      if (body.avatar) chat.extra.avatar = body.avatar;
      Object.assign(chat.extra, pickSettings(body, Object.keys(SETTINGS)));
      if (query.set_bot_manager && owner) chat.bot_managers.add(app.app_id);
      store.chats.set(chat.chat_id, chat);
      if (uuidKey) store.chatUuids.set(uuidKey, { chat_id: chat.chat_id, at: now });
      // The bots it invited are told they were added; the creating bot made the chat, it was not added.
      const invited = [...bots].filter((id) => id !== app.app_id);
      if (invited.length) inBackground(core, 'im.chat.member.bot.added_v1', () => botsAddedEvents(core, chat, invited, byApp(app)));
      return ok(chatView(store, chat, idType, { omitBotOwner: true }));
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id',
    title: '获取群信息',
    notes: 'Unknown chat 232006, dissolved 232009, a bot outside it 232011; answers the settings, counts and manager lists.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:read', 'im:chat:readonly'],
    params: CHAT_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    errors: [232006, 232009, 232011],
    coverage: { partial: `a bot outside the chat is refused (232011) rather than shown the name, avatar and member count; ${USER_ONLY}` },
    handle({ params, query, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.user_id_type ?? 'open_id';
      const { chat_id: _omit, ...view } = chatView(store, chat, idType);
      const managers = [...chat.managers].map((id) => store.findUser('open_id', id)).filter((u): u is UserRecord => !!u);
      return ok({
        ...view,
        user_manager_id_list: managers.map((u) => store.userIdOf(u, idType)),
        bot_manager_id_list: [...chat.bot_managers],
        user_count: String(chat.members.size),
        bot_count: String(chat.bots.size),
      });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v1/chats/:chat_id',
    title: '更新群信息',
    notes: 'Group chats only (232008). Owner, managers and the creating bot change anything; other members only name, avatar, description and i18n names (232016), and nothing when edit_permission is only_owner (232002). add_member_permission and share_card_permission go together (232001); a new owner must be in the chat (232012); public names are unique (232026); an avatar is an image_key uploaded as avatar (232041).',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:update'],
    params: CHAT_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      avatar: s.optional(s.string()),
      name: s.optional(s.string()),
      description: s.optional(s.string()),
      i18n_names: I18N_NAMES,
      owner_id: s.optional(s.string()),
      chat_type: s.optional(s.enum(['private', 'public'])),
      ...SETTINGS,
      ...UPDATE_SETTINGS,
    }),
    errors: [232001, 232002, 232006, 232008, 232009, 232011, 232012, 232016, 232020, 232026, 232035, 232041, 232042],
    coverage: {
      partial: `the creating bot acts as owner without the im:chat:operate_as_owner scope check; labels and toolkit_ids are not kept; no content review (232023), tenant policies (232057, 232078, 232091) or meetings (232093); im.chat.updated_v1 reports only the fields that changed (the event page's example lists them all); ${USER_ONLY}`,
    },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      let owner: UserRecord | undefined;
      if (body.owner_id !== undefined) {
        owner = store.findUser(query.user_id_type ?? 'open_id', body.owner_id);
        if (!owner || owner.resigned) throw fail(232035, body.owner_id);
      }
      const before = chatChangeView(store, chat);
      store.updateChat(app, chat, {
        avatar: body.avatar,
        name: body.name,
        description: body.description,
        i18n_names: body.i18n_names,
        chat_type: body.chat_type,
        owner,
        settings: pickSettings(body, [...Object.keys(SETTINGS), ...Object.keys(UPDATE_SETTINGS)]),
      });
      const after = chatChangeView(store, chat);
      inBackground(core, 'im.chat.updated_v1', () => chatUpdatedEvents(core, chat, byApp(app), before, after));
      return ok();
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/chats/:chat_id',
    title: '解散群',
    notes: 'Group chats only (232008); the owning or creating bot dissolves it (232017); a dissolved chat answers 232009 afterwards.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:delete'],
    params: CHAT_ID,
    errors: [232006, 232008, 232009, 232011, 232017],
    coverage: { partial: `the creating bot dissolves without the im:chat:operate_as_owner scope check; ${USER_ONLY}` },
    handle({ params, app, core }) {
      const chat = chatForBot(core.store, app, params.chat_id);
      if (chat.chat_mode !== 'group') throw fail(232008);
      if (!core.store.actsAsOwner(app, chat)) throw fail(232017);
      chat.dissolved = true;
      inBackground(core, 'im.chat.disbanded_v1', () => disbandedEvents(core, chat, byApp(app)));
      return ok();
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/link',
    title: '获取群分享链接',
    notes: 'validity_period week (default), year or permanently; not for one-to-one chats (232062); a chat that keeps adding members to its owner and managers keeps its link to them (232064).',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:read', 'im:chat:readonly'],
    params: CHAT_ID,
    body: s.object({ validity_period: s.optional(s.enum(['week', 'year', 'permanently'])) }),
    errors: [232006, 232009, 232011, 232062, 232064],
    coverage: { partial: `the emulator makes no secret or team chats (232061, 232063); the link is kept but opening it is not emulated; ${USER_ONLY}` },
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      if (chat.chat_mode === 'p2p') throw fail(232062);
      // A chat that keeps adding members to its owner and managers keeps its link to them too.
      if (store.restricted(app, chat, 'add_member_permission') || store.restricted(app, chat, 'share_card_permission', 'not_allowed')) throw fail(232064);
      const period = body.validity_period ?? 'week';
      const nowS = Math.floor(core.now() / 1000);
      const expire = period === 'permanently' ? null : nowS + (period === 'week' ? 7 : 365) * 86400;
      const token = randomBytes(16).toString('hex');
      store.addChatLink(token, { chat_id: chat.chat_id, app_id: app.app_id, expire_time: expire });
      return ok({
        share_link: `https://applink.feishu.cn/client/chat/chatter/add_by_link?link_token=${token}`,
        expire_time: expire === null ? '0' : String(expire),
        is_permanent: expire === null,
      });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/members',
    title: '获取群成员列表',
    notes: "The chat's users (bots are not listed), page_size 1 to 100 (default 20), with member_total.",
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:readonly', 'im:chat.members:read', 'im:chat.group_info:readonly'],
    params: CHAT_ID,
    query: s.object({ member_id_type: s.optional(s.enum(['open_id', 'union_id', 'user_id'])), page_size: PAGE_SIZE, page_token: s.optional(s.string()) }),
    errors: [232001, 232006, 232009, 232011],
    coverage: { partial: USER_ONLY },
    handle({ params, query, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.member_id_type ?? 'open_id';
      const all = [...chat.members].map((id) => store.findUser('open_id', id)).filter((u): u is UserRecord => !!u);
      const { page, page_token, has_more } = pageOf(all, query.page_size ?? 20, query.page_token);
      const items = page.map((u) => ({ member_id_type: idType, member_id: store.userIdOf(u, idType), name: u.name, tenant_key: store.tenantKey }));
      return ok({ items, page_token, has_more, member_total: all.length });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/members',
    title: '将用户或机器人拉入群聊',
    notes: 'succeed_type 0 fails on unknown ids (232043) and skips unavailable ones, 1 skips both, 2 fails on either; nothing valid is 232027; at most 50 users or 5 bots per call and 15 bots per chat; a chat with add_member_permission only_owner takes additions from its owner and managers (232017).',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.members:write_only'],
    params: CHAT_ID,
    query: s.object({ member_id_type: MEMBER_ID_TYPE, succeed_type: s.optional(s.integer({ minimum: 0, maximum: 2 })) }),
    body: s.object({ id_list: s.array(s.string(), { maxItems: 50 }) }),
    errors: [232001, 232006, 232009, 232011, 232017, 232027, 232043],
    coverage: { partial: `no join approval (pending_approval_id_list stays empty), member limits or external users; people joining are told to the bots already in the chat, and bots joining to themselves; ${USER_ONLY}` },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.member_id_type ?? 'open_id';
      if (idType === 'app_id' && body.id_list.length > 5) throw fieldViolation('id_list', 'the maximum number of bots in id_list is 5', body.id_list.length);
      if (store.restricted(app, chat, 'add_member_permission')) throw fail(232017);
      const succeedType = query.succeed_type ?? 0;
      const invalid: string[] = [];
      const notExisted: string[] = [];
      const users: string[] = [];
      const bots: string[] = [];
      for (const id of body.id_list) {
        if (idType === 'app_id') {
          if (store.apps.has(id)) bots.push(id);
          else notExisted.push(id);
          continue;
        }
        const u = store.findUser(idType, id);
        if (!u) notExisted.push(id);
        else if (!usable(app, u)) invalid.push(id);
        else users.push(u.open_id);
      }
      // 0: missing ids fail the call but resigned ones are skipped; 2: anything invalid fails it.
      if (succeedType === 0 && notExisted.length) throw unavailable(notExisted);
      if (succeedType === 2 && (notExisted.length || invalid.length)) throw unavailable([...notExisted, ...invalid]);
      if (users.length + bots.length === 0 && succeedType !== 1) throw fail(232027);
      if (!store.botRoom(chat, bots)) throw fail(232001, `a chat holds at most ${MAX_BOTS_PER_CHAT} bots`);
      const joined = [...new Set(users)].filter((id) => !chat.members.has(id)).map((id) => store.findUser('open_id', id)!);
      const botsJoined = [...new Set(bots)].filter((id) => !chat.bots.has(id));
      const there = [...chat.bots];
      for (const id of users) chat.members.add(id);
      for (const id of bots) chat.bots.add(id);
      store.noteInvited(chat, joined.map((u) => u.open_id), null, core.now());
      if (joined.length || botsJoined.length) {
        inBackground(core, 'chat member events', async () => {
          await membersEvents(core, chat, 'added', joined, byApp(app), there);
          await botsAddedEvents(core, chat, botsJoined, byApp(app));
        });
      }
      return ok({ invalid_id_list: invalid, not_existed_id_list: notExisted, pending_approval_id_list: [] });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/chats/:chat_id/members',
    title: '将用户或机器人移出群聊',
    notes: 'The owner, managers and the creating bot remove others (232017); a bot may always remove itself; the owner cannot be removed (232076); ids not in the chat come back in invalid_id_list.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.members:write_only'],
    params: CHAT_ID,
    query: s.object({ member_id_type: MEMBER_ID_TYPE }),
    body: s.object({ id_list: s.array(s.string(), { maxItems: 50 }) }),
    errors: [232006, 232009, 232011, 232017, 232076],
    coverage: { partial: USER_ONLY },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      const idType = query.member_id_type ?? 'open_id';
      if (idType === 'app_id' && body.id_list.length > 5) throw fieldViolation('id_list', 'the maximum number of bots in id_list is 5', body.id_list.length);
      // Anyone may take themselves out; others are removed by the owner, a manager or the creating bot.
      const onlySelf = idType === 'app_id' && body.id_list.every((id) => id === app.app_id);
      if (!onlySelf && !store.canManage(app, chat)) throw fail(232017);
      const owners = body.id_list.filter((id) => (idType === 'app_id' ? id === chat.owner_app_id : store.findUser(idType, id)?.open_id === chat.owner_open_id && chat.owner_open_id !== null));
      if (owners.length) throw fail(232076);
      const invalid: string[] = [];
      const left: UserRecord[] = [];
      const botsLeft: string[] = [];
      for (const id of body.id_list) {
        if (idType === 'app_id') {
          if (store.removeBot(chat, id)) botsLeft.push(id);
          else invalid.push(id);
          continue;
        }
        const u = store.findUser(idType, id);
        if (u && chat.members.has(u.open_id)) {
          store.dropMembers(chat, [u.open_id]);
          left.push(u);
        } else invalid.push(id);
      }
      if (left.length || botsLeft.length) {
        inBackground(core, 'chat member events', async () => {
          await membersEvents(core, chat, 'deleted', left, byApp(app));
          await botsDeletedEvents(core, chat, botsLeft, byApp(app));
        });
      }
      return ok({ invalid_id_list: invalid });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/members/is_in_chat',
    title: '判断用户或机器人是否在群里',
    notes: "Whether the token's bot is in the chat (false for a dissolved one); an unknown chat is 232006.",
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat:readonly', 'im:chat.members:read', 'im:chat.group_info:readonly'],
    params: CHAT_ID,
    errors: [232006],
    coverage: { partial: USER_ONLY },
    handle({ params, app, core }) {
      const chat = core.store.chats.get(params.chat_id);
      if (!chat) throw fail(232006);
      // A dissolved chat has no members left.
      return ok({ is_in_chat: !chat.dissolved && chat.bots.has(app.app_id) });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v1/chats/:chat_id/members/me_join',
    title: '用户或机器人主动加入群聊',
    notes: 'The bot joins a public group (others 232008) that does not ask for approval (232075); joining twice is fine.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.members:write_only'],
    params: CHAT_ID,
    errors: [232001, 232006, 232008, 232009, 232075],
    coverage: { partial: `member limits (232013) are not kept; the joining bot is told it was added, as by itself; ${USER_ONLY}` },
    handle({ params, app, core }) {
      const store = core.store;
      const chat = store.chats.get(params.chat_id);
      if (!chat) throw fail(232006);
      if (chat.dissolved) throw fail(232009);
      if (chat.chat_mode !== 'group' || chat.chat_type !== 'public') throw fail(232008, 'only public groups can be joined');
      if (chat.bots.has(app.app_id)) return ok();
      if (chat.extra.membership_approval === 'approval_required') throw fail(232075);
      if (!store.botRoom(chat, [app.app_id])) throw fail(232001, `a chat holds at most ${MAX_BOTS_PER_CHAT} bots`);
      chat.bots.add(app.app_id);
      inBackground(core, 'im.chat.member.bot.added_v1', () => botsAddedEvents(core, chat, [app.app_id], byApp(app)));
      return ok();
    },
  }),
];
