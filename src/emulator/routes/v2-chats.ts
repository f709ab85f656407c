import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, ChatRecord, Store } from '../store.js';

/**
 * Chat search (v2): the group chats a caller can find by name or by a member's name, as the
 * client's search box finds them. With a tenant token the caller is the app's bot.
 */

const SEARCH_TYPES = ['private', 'external', 'public_joined', 'public_not_joined'] as const;
type SearchType = (typeof SEARCH_TYPES)[number];

/** Where a chat falls among the search types, seen from the bot; null for a private chat it cannot see. */
function searchType(chat: ChatRecord, app: AppRecord): SearchType | null {
  const joined = chat.bots.has(app.app_id);
  if (chat.chat_type === 'public') return joined ? 'public_joined' : 'public_not_joined';
  return joined ? 'private' : null;
}

/** Names a query may match: the chat's own (each language) and, unless turned off, its members'. */
function matches(store: Store, chat: ChatRecord, query: string, byUser: boolean): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  const i18n = (chat.extra.i18n_names ?? {}) as Record<string, unknown>;
  const names = [chat.name, ...Object.values(i18n).filter((v): v is string => typeof v === 'string')];
  if (names.some((n) => n.toLowerCase().includes(q))) return true;
  if (!byUser) return false;
  for (const openId of chat.members) if (store.findUser('open_id', openId)?.name.toLowerCase().includes(q)) return true;
  return false;
}

function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  const m = /^s(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw fail(230001, 'page_token is not a token this search gave');
  return Number(m[1]);
}

export const chatSearchRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v2/chats/search',
    title: '搜索群组',
    tokens: ['user', 'tenant'],
    scopes: ['im:chat:read', 'im:chat', 'im:chat:readonly'],
    query: s.object({
      page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })),
      page_token: s.optional(s.string()),
      user_id_type: s.optional(s.enum(['open_id', 'union_id', 'user_id'])),
    }),
    body: s.object({
      query: s.optional(s.string({ maxLength: 64 })),
      filter: s.optional(
        s.object({
          search_types: s.optional(s.array(s.enum(SEARCH_TYPES), { maxItems: 4 })),
          member_ids: s.optional(s.array(s.string(), { maxItems: 50 })),
          is_manager: s.optional(s.boolean()),
          disable_search_by_user: s.optional(s.boolean()),
          chat_modes: s.optional(s.array(s.enum(['default', 'thread']), { maxItems: 2 })),
        }),
      ),
      sorter: s.optional(s.enum(['create_time_desc', 'update_time_desc', 'member_count_desc'])),
    }),
    errors: [230001],
    notes: "The bot's group chats whose name or a member's name holds `query`, with the filters and sorter the SDK names, paged.",
    coverage: {
      partial:
        'the route\'s docs page is not published: fields come from the SDK and the official CLI. Matching is a case-insensitive substring of the chat\'s names or (unless disable_search_by_user) a member\'s name, not the client\'s pinyin search; without search_types it finds the chats the bot is in (public_not_joined only when asked); filter.member_ids are open_ids; no chat is external; update_time is the create time (chats keep no update time yet); an empty query lists every chat the filters keep',
    },
    handle({ query, body, app, core }) {
      const store = core.store;
      const idType = query.user_id_type ?? 'open_id';
      const size = query.page_size ?? 20;
      const offset = pageOffset(query.page_token);
      const f = body.filter ?? {};
      const text = (body.query ?? '').trim().replace(/^"(.*)"$/, '$1');
      const types = new Set<SearchType>(f.search_types?.length ? f.search_types : ['private', 'public_joined']);
      const members = f.member_ids ?? [];
      for (const id of members) if (!store.findUser('open_id', id)) throw fail(230001, `filter.member_ids: ${id} is not a user`);
      const modes = f.chat_modes?.length ? new Set(f.chat_modes) : null;
      const visible = (c: ChatRecord) => {
        const type = searchType(c, app);
        return type !== null && types.has(type);
      };
      const found = [...store.chats.values()].filter(
        (c) =>
          c.chat_mode === 'group' &&
          !c.dissolved &&
          visible(c) &&
          (!modes || modes.has(c.extra.group_message_type === 'thread' ? 'thread' : 'default')) &&
          (!f.is_manager || store.canManage(app, c)) &&
          members.every((id) => c.members.has(id)) &&
          matches(store, c, text, f.disable_search_by_user !== true),
      );
      const count = (c: ChatRecord) => c.members.size + c.bots.size;
      if (body.sorter === 'member_count_desc') found.sort((a, b) => count(b) - count(a) || b.create_time - a.create_time);
      else found.sort((a, b) => b.create_time - a.create_time);
      const page = found.slice(offset, offset + size);
      const hasMore = offset + size < found.length;
      const items = page.map((c) => {
        const owner = c.owner_open_id ? store.findUser('open_id', c.owner_open_id) : undefined;
        return {
          id: c.chat_id,
          meta_data: {
            chat_id: c.chat_id,
            create_time: String(Math.floor(c.create_time / 1000)),
            update_time: String(Math.floor(c.create_time / 1000)),
            external: false,
            chat_mode: c.extra.group_message_type === 'thread' ? 'thread' : 'group',
            description: c.description,
            avatar: '',
            name: c.name,
            owner_id: owner ? store.userIdOf(owner, idType) : (c.owner_app_id ?? ''),
            owner_id_type: owner ? idType : 'app_id',
            tenant_key: store.tenantKey,
            chat_status: 'normal',
          },
        };
      });
      return ok({ items, total: found.length, has_more: hasMore, page_token: hasMore ? Buffer.from(`s${offset + size}`).toString('base64url') : '' });
    },
  }),
];
