import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { fail } from '../catalogue/errors.js';
import type { AppRecord, ChatRecord, Store, UserRecord } from '../store.js';
import { checkFields, fieldViolation, objectBody, queryBool, queryEnum } from '../validate.js';

const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;
const MEMBER_ID_TYPES = ['open_id', 'union_id', 'user_id', 'app_id'] as const;
const MAX_BOTS_PER_CHAT = 15;
const CHAT_UUID_WINDOW_MS = 10 * 3600 * 1000;

/** Settings chat create takes and echoes back, with the value each has when not given. */
const CHAT_SETTINGS: Record<string, { values: readonly string[] | null; fallback: unknown }> = {
  group_message_type: { values: ['chat', 'thread'], fallback: 'chat' },
  join_message_visibility: { values: ['only_owner', 'all_members', 'not_anyone'], fallback: 'all_members' },
  leave_message_visibility: { values: ['only_owner', 'all_members', 'not_anyone'], fallback: 'all_members' },
  membership_approval: { values: ['no_approval_required', 'approval_required'], fallback: 'no_approval_required' },
  urgent_setting: { values: ['only_owner', 'all_members'], fallback: 'all_members' },
  video_conference_setting: { values: ['only_owner', 'all_members'], fallback: 'all_members' },
  edit_permission: { values: ['only_owner', 'all_members'], fallback: 'all_members' },
  hide_member_count_setting: { values: ['all_members', 'only_owner'], fallback: 'all_members' },
  restricted_mode_setting: { values: null, fallback: undefined },
};

function chatView(store: Store, chat: ChatRecord, idType: string, opts: { omitBotOwner?: boolean } = {}) {
  const owner = chat.owner_open_id ? store.findUser('open_id', chat.owner_open_id) : undefined;
  const settings: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(CHAT_SETTINGS)) {
    const v = chat.extra[key] ?? rule.fallback;
    if (v !== undefined) settings[key] = v;
  }
  // Chat create leaves the owner out of its answer when the bot itself owns the chat.
  const ownerFields = !owner && opts.omitBotOwner ? {} : { owner_id: owner ? store.userIdOf(owner, idType) : (chat.owner_app_id ?? ''), owner_id_type: owner ? idType : 'app_id' };
  return {
    chat_id: chat.chat_id,
    avatar: '',
    name: chat.name,
    description: chat.description,
    i18n_names: chat.extra.i18n_names ?? {},
    ...ownerFields,
    chat_mode: chat.chat_mode,
    chat_type: chat.chat_type,
    external: false,
    tenant_key: store.tenantKey,
    moderation_permission: 'all_members',
    ...settings,
  };
}

/** A chat the calling bot may act in: it exists, is not dissolved, and the bot is a member. */
function chatForBot(ctx: RouteContext): ChatRecord {
  const chat = ctx.core.store.botChat(ctx.app, ctx.params.chat_id!, 'chat');
  if (!chat) throw fail(232006);
  return chat;
}

function usable(app: AppRecord, u: UserRecord | undefined): u is UserRecord {
  return !!u && !u.resigned && (!app.availability || app.availability.has(u.open_id));
}

function unavailable(ids: string[]): PlatformError {
  return new PlatformError(400, 232043, `Your request contains unavailable ids: [${ids.join(', ')}].`, {
    field_violations: ids.map((id) => ({ field: 'id_list', value: id, description: 'the id does not exist or is outside the app\'s availability range' })),
  });
}

export const chatRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/chats',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat:readonly'],
    handle(ctx) {
      const store = ctx.core.store;
      const idType = queryEnum(ctx.query, 'user_id_type', USER_ID_TYPES, 'open_id');
      const pageSize = Number(ctx.query.get('page_size') ?? 20);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw fieldViolation('page_size', 'page_size must be 1 to 100', ctx.query.get('page_size'));
      const sort = ctx.query.get('sort_type') ?? 'ByCreateTimeAsc';
      if (sort !== 'ByCreateTimeAsc' && sort !== 'ByActiveTimeDesc') throw fieldViolation('sort_type', 'sort_type must be ByCreateTimeAsc or ByActiveTimeDesc', sort);
      const token = ctx.query.get('page_token');
      let offset = 0;
      if (token) {
        const m = /^c(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
        if (!m) throw new PlatformError(400, 232001, 'Your request contains an invalid request parameter: page_token.');
        offset = Number(m[1]);
      }
      // The group chats the bot is in; one-to-one chats are not listed.
      const chats = [...store.chats.values()]
        .filter((c) => c.chat_mode === 'group' && !c.dissolved && c.bots.has(ctx.app.app_id))
        .sort((a, b) => a.create_time - b.create_time);
      if (sort === 'ByActiveTimeDesc') chats.reverse();
      const page = chats.slice(offset, offset + pageSize);
      const hasMore = offset + pageSize < chats.length;
      const items = page.map((c) => {
        const v = chatView(store, c, idType);
        return { chat_id: v.chat_id, avatar: v.avatar, name: v.name, description: v.description, owner_id: v.owner_id, owner_id_type: v.owner_id_type, external: false, tenant_key: v.tenant_key, chat_status: 'normal' };
      });
      return { body: { code: 0, msg: 'success', data: { items, page_token: hasMore ? Buffer.from(`c${offset + pageSize}`).toString('base64url') : '', has_more: hasMore } } };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/chats',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat:create'],
    handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const idType = queryEnum(ctx.query, 'user_id_type', USER_ID_TYPES, 'open_id');
      const setBotManager = queryBool(ctx.query, 'set_bot_manager');
      const uuid = ctx.query.get('uuid');
      if (uuid && uuid.length > 50) throw fieldViolation('uuid', 'uuid is longer than 50 characters', uuid.length);
      const body = checkFields<{
        name?: string;
        description?: string;
        owner_id?: string;
        user_id_list?: string[];
        bot_id_list?: string[];
        chat_type?: string;
        chat_mode?: string;
        i18n_names?: Record<string, string>;
      }>(objectBody(ctx.body), {
        name: { type: 'string' },
        description: { type: 'string' },
        owner_id: { type: 'string' },
        user_id_list: { type: 'string[]', maxItems: 50 },
        bot_id_list: { type: 'string[]', maxItems: 5 },
        chat_type: { type: 'string' },
        chat_mode: { type: 'string' },
        i18n_names: { type: 'object' },
      });
      if (body.chat_mode !== undefined && body.chat_mode !== 'group') {
        throw new PlatformError(400, 232001, 'Your request contains an invalid request parameter: chat_mode can only be group.');
      }
      const raw = objectBody(ctx.body);
      const settings: Record<string, unknown> = {};
      for (const [key, rule] of Object.entries(CHAT_SETTINGS)) {
        const v = raw[key];
        if (v === undefined || v === null) continue;
        if (rule.values ? typeof v !== 'string' || !rule.values.includes(v) : typeof v !== 'object' || Array.isArray(v)) {
          throw new PlatformError(400, 232001, `Your request contains an invalid request parameter: ${key}${rule.values ? ` must be one of ${rule.values.join(', ')}` : ' must be an object'}.`);
        }
        settings[key] = v;
      }
      if (body.chat_type !== undefined && !['private', 'public'].includes(body.chat_type)) {
        throw new PlatformError(400, 232001, 'Your request contains an invalid request parameter: chat_type.');
      }
      if (body.chat_type === 'public' && !body.name) throw new PlatformError(400, 232042, "Public group chat's name should not be empty.");
      if (body.chat_type === 'public' && [...body.name!].length < 2) throw new PlatformError(400, 232020, 'Name can NOT be less than two characters for public chats.');
      const now = core.now();
      const uuidKey = uuid ? `${app.app_id}\0${body.owner_id ?? ''}\0${uuid}` : null;
      if (uuidKey) {
        const seen = store.chatUuids.get(uuidKey);
        const chat = seen && now - seen.at < CHAT_UUID_WINDOW_MS ? store.chats.get(seen.chat_id) : undefined;
        if (chat && !chat.dissolved) return { body: { code: 0, msg: 'success', data: chatView(store, chat, idType, { omitBotOwner: true }) } };
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
        throw new PlatformError(400, 232022, 'User has already resigned.', {
          field_violations: resigned.map((id) => ({ field: 'user_id_list', value: id, description: 'the user has resigned' })),
        });
      }
      if (bad.length) throw unavailable(bad);
      if (bots.size > MAX_BOTS_PER_CHAT) throw new PlatformError(400, 232001, `A chat can hold at most ${MAX_BOTS_PER_CHAT} bots.`);
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
      Object.assign(chat.extra, settings);
      if (setBotManager && owner) chat.bot_managers.add(app.app_id);
      store.chats.set(chat.chat_id, chat);
      if (uuidKey) store.chatUuids.set(uuidKey, { chat_id: chat.chat_id, at: now });
      return { body: { code: 0, msg: 'success', data: chatView(store, chat, idType, { omitBotOwner: true }) } };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/chats/:chat_id',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat:readonly'],
    handle(ctx) {
      const chat = chatForBot(ctx);
      const idType = queryEnum(ctx.query, 'user_id_type', USER_ID_TYPES, 'open_id');
      const { chat_id: _omit, ...view } = chatView(ctx.core.store, chat, idType);
      const data = { ...view, user_count: String(chat.members.size), bot_count: String(chat.bots.size) };
      return { body: { code: 0, msg: 'success', data } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/open-apis/im/v1/chats/:chat_id',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat:delete'],
    handle(ctx) {
      const chat = chatForBot(ctx);
      if (chat.owner_app_id !== ctx.app.app_id && chat.creator_app_id !== ctx.app.app_id) {
        throw new PlatformError(400, 232017, 'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.');
      }
      chat.dissolved = true;
      return { body: { code: 0, msg: 'success', data: {} } };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/chats/:chat_id/members',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat:readonly', 'im:chat.members:read'],
    handle(ctx) {
      const chat = chatForBot(ctx);
      const idType = queryEnum(ctx.query, 'member_id_type', USER_ID_TYPES, 'open_id');
      const store = ctx.core.store;
      const items = [...chat.members].map((openId) => {
        const u = store.findUser('open_id', openId)!;
        return { member_id_type: idType, member_id: store.userIdOf(u, idType), name: u.name, tenant_key: store.tenantKey };
      });
      return { body: { code: 0, msg: 'success', data: { items, page_token: '', has_more: false, member_total: items.length } } };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/chats/:chat_id/members',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat.members:write_only'],
    handle(ctx) {
      const chat = chatForBot(ctx);
      const store = ctx.core.store;
      const idType = queryEnum(ctx.query, 'member_id_type', MEMBER_ID_TYPES, 'open_id');
      const succeedType = ctx.query.get('succeed_type') ?? '0';
      if (!['0', '1', '2'].includes(succeedType)) throw fieldViolation('succeed_type', 'succeed_type must be 0, 1 or 2', succeedType);
      const body = checkFields<{ id_list: string[] }>(objectBody(ctx.body), {
        id_list: { type: 'string[]', required: true, maxItems: idType === 'app_id' ? 5 : 50 },
      });
      const invalid: string[] = [];
      const notExisted: string[] = [];
      const toAdd: Array<() => void> = [];
      for (const id of body.id_list) {
        if (idType === 'app_id') {
          if (store.apps.has(id)) toAdd.push(() => chat.bots.add(id));
          else notExisted.push(id);
          continue;
        }
        const u = store.findUser(idType, id);
        if (!u) notExisted.push(id);
        else if (u.resigned || (ctx.app.availability && !ctx.app.availability.has(u.open_id))) invalid.push(id);
        else toAdd.push(() => chat.members.add(u.open_id));
      }
      // 0: missing ids fail the call but resigned ones are skipped; 2: anything invalid fails it.
      if (succeedType === '0' && notExisted.length) throw unavailable(notExisted);
      if (succeedType === '2' && (notExisted.length || invalid.length)) throw unavailable([...notExisted, ...invalid]);
      if (toAdd.length === 0 && succeedType !== '1') {
        throw new PlatformError(400, 232027, 'There are no valid members in the ID list specified in your request.');
      }
      toAdd.forEach((add) => add());
      if (chat.bots.size > MAX_BOTS_PER_CHAT) throw new PlatformError(400, 232001, `A chat can hold at most ${MAX_BOTS_PER_CHAT} bots.`);
      return {
        body: { code: 0, msg: 'success', data: { invalid_id_list: invalid, not_existed_id_list: notExisted, pending_approval_id_list: [] } },
      };
    },
  },
  {
    method: 'DELETE',
    pattern: '/open-apis/im/v1/chats/:chat_id/members',
    auth: 'tenant',
    scopes: ['im:chat', 'im:chat.members:write_only'],
    handle(ctx) {
      const chat = chatForBot(ctx);
      if (!ctx.core.store.canManage(ctx.app, chat)) {
        throw new PlatformError(400, 232017, 'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.');
      }
      const store = ctx.core.store;
      const idType = queryEnum(ctx.query, 'member_id_type', MEMBER_ID_TYPES, 'open_id');
      const body = checkFields<{ id_list: string[] }>(objectBody(ctx.body), {
        id_list: { type: 'string[]', required: true, maxItems: idType === 'app_id' ? 5 : 50 },
      });
      const invalid: string[] = [];
      for (const id of body.id_list) {
        if (idType === 'app_id') {
          if (!chat.bots.delete(id)) invalid.push(id);
          continue;
        }
        const u = store.findUser(idType, id);
        if (!u || !chat.members.delete(u.open_id)) invalid.push(id);
      }
      return { body: { code: 0, msg: 'success', data: { invalid_id_list: invalid } } };
    },
  },
];
