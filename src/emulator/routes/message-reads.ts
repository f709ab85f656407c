import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { peekExtra, unknownMessage } from '../message-extras.js';
import { pageOffset, pageToken } from './messages.js';

/** A sender may ask who read its message for 7 days after sending it. */
const READ_STATUS_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Who read a message the bot sent, from the store's read state (Store.markRead). */
export const messageReadRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/messages/:message_id/read_users',
    title: '消息发送者查询消息已读状态',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:readonly', 'im:message:basic'],
    params: s.object({ message_id: s.string() }),
    query: s.object({
      user_id_type: s.enum(['open_id', 'union_id', 'user_id']),
      page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })),
      page_token: s.optional(s.string()),
    }),
    errors: [230001, 230002, 230012, 230033, 230110, 232009],
    notes: "The members who read one of the bot's own messages (reads are marked with `POST /_emulator/messages/:message_id/read`), paged; the bot must be in the chat, the message not recalled and at most 7 days old.",
    coverage: { partial: 'reads come from the control API (POST /_emulator/messages/:message_id/read); there are no external groups, so 230027 is never answered' },
    handle({ params, query, app, core }) {
      const store = core.store;
      const m = store.messages.get(params.message_id);
      if (!m) throw unknownMessage(store, params.message_id);
      if (m.deleted) throw fail(230110);
      if (m.app_id !== app.app_id || m.sender_open_id) throw fail(230012);
      if (!store.botChat(app, m.chat_id, 'message')) throw fail(230002);
      if (core.now() - m.create_time > READ_STATUS_WINDOW_MS) throw fail(230033);
      const readers = [...(peekExtra(m).reads ?? [])].sort((a, b) => a[1] - b[1]);
      const offset = pageOffset(query.page_token);
      const size = query.page_size ?? 20;
      const hasMore = offset + size < readers.length;
      const items = readers.slice(offset, offset + size).flatMap(([openId, at]) => {
        const user = store.findUser('open_id', openId);
        return user ? [{ user_id_type: query.user_id_type, user_id: store.userIdOf(user, query.user_id_type), timestamp: String(at), tenant_key: store.tenantKey }] : [];
      });
      return ok({ items, has_more: hasMore, ...(hasMore ? { page_token: pageToken(offset + size) } : {}) });
    },
  }),
];
