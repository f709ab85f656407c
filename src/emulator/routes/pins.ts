import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, MessageRecord, PinRecord, Store } from '../store.js';

const WRITE_SCOPES = ['im:message', 'im:message.pins:write_only', 'im:message:send_as_bot'];
const READ_SCOPES = ['im:message', 'im:message.pins:read', 'im:message:readonly'];
/** Pin and unpin calls on one message per second, as the platform allows. */
const PIN_PER_MESSAGE_PER_SECOND = 5;
const LEFT_OUT = 'only app identity (the emulator issues no user tokens); no group setting that keeps pinning to owners and managers (230046) yet';

function pinView(p: PinRecord) {
  return {
    message_id: p.message_id,
    chat_id: p.chat_id,
    operator_id: p.operator.id,
    operator_id_type: p.operator.type === 'app' ? 'app_id' : 'open_id',
    create_time: String(p.create_time),
  };
}

function pinnedMessage(store: Store, messageId: string): MessageRecord {
  const m = store.messages.get(messageId);
  if (!m) throw fail(230001, `message_id ${messageId} does not exist.${store.droppedNote(messageId)}`);
  return m;
}

/** The message's chat, with the bot in it: gone is 230045, dissolved 232009, the bot outside 230002. */
function pinChat(store: Store, app: AppRecord, m: MessageRecord): void {
  if (!store.botChat(app, m.chat_id, 'message')) throw fail(230045);
}

/** At most 5 pin or unpin calls a second on one message (230047), unless rate limits are off. */
function takePinQuota(core: { settings: { rateLimits: unknown }; now(): number; store: Store }, messageId: string): void {
  if (!core.settings.rateLimits) return;
  if (!core.store.pinRate.take(messageId, PIN_PER_MESSAGE_PER_SECOND, core.now()).ok) throw fail(230047);
}

export const pinRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/pins',
    title: 'Pin 消息',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    body: s.object({ message_id: s.string({ minLength: 1 }) }),
    errors: [230001, 230002, 230011, 230045, 230047, 232009],
    notes: '`message_id` of a message in a chat the bot is in, not recalled; pinning a pinned message answers its pin; 5 pin changes a second per message.',
    coverage: { partial: LEFT_OUT },
    handle({ body, app, core }) {
      const store = core.store;
      const m = pinnedMessage(store, body.message_id);
      pinChat(store, app, m);
      if (m.deleted) throw fail(230011);
      takePinQuota(core, m.message_id);
      return ok({ pin: pinView(store.pin(m, { type: 'app', id: app.app_id }, core.now())) });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/pins/:message_id',
    title: '移除 Pin 消息',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: s.object({ message_id: s.string() }),
    errors: [230001, 230002, 230045, 230047, 232009],
    notes: 'Unpins; a message that is not pinned succeeds too; the bot must be in the chat; 5 pin changes a second per message.',
    coverage: { partial: LEFT_OUT },
    handle({ params, app, core }) {
      const store = core.store;
      const m = pinnedMessage(store, params.message_id);
      pinChat(store, app, m);
      takePinQuota(core, m.message_id);
      // Not pinned, or recalled: the platform answers success all the same.
      store.unpin(m.message_id);
      return ok();
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/pins',
    title: '获取群内 Pin 消息',
    tokens: ['tenant', 'user'],
    scopes: READ_SCOPES,
    query: s.object({
      chat_id: s.string({ minLength: 1 }),
      start_time: s.optional(s.string({ pattern: '^\\d{1,16}$', description: 'milliseconds' })),
      end_time: s.optional(s.string({ pattern: '^\\d{1,16}$', description: 'milliseconds' })),
      page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })),
      page_token: s.optional(s.string()),
    }),
    errors: [230001, 230002, 232009],
    notes: '`chat_id` of a chat the bot is in; newest first, with `start_time` / `end_time` in milliseconds (start before end) and `page_size` / `page_token`.',
    coverage: { partial: 'only app identity (the emulator issues no user tokens)' },
    handle({ query, app, core }) {
      const store = core.store;
      if (!store.botChat(app, query.chat_id, 'message')) throw fail(230001, `chat_id ${query.chat_id} does not exist`);
      const start = query.start_time === undefined ? -Infinity : Number(query.start_time);
      const end = query.end_time === undefined ? Infinity : Number(query.end_time);
      if (start >= end) throw fail(230001, 'start_time must be earlier than end_time');
      let offset = 0;
      if (query.page_token) {
        const decoded = /^n(\d{1,9})$/.exec(Buffer.from(query.page_token, 'base64url').toString('utf8'));
        if (!decoded) throw fail(230001, 'page_token is invalid');
        offset = Number(decoded[1]);
      }
      const size = query.page_size ?? 20;
      const all = store.pinsOf(query.chat_id).filter((p) => p.create_time >= start && p.create_time <= end);
      const has_more = offset + size < all.length;
      return ok({ items: all.slice(offset, offset + size).map(pinView), has_more, page_token: has_more ? Buffer.from(`n${offset + size}`).toString('base64url') : '' });
    },
  }),
];
