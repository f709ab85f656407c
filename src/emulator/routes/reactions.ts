import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { MessageRecord, Operator, ReactionRecord, Store } from '../store.js';
import { USER_ID_TYPE } from './contact.js';
import { inBackground, reactionEvents } from '../message-events.js';

const WRITE_SCOPES = ['im:message', 'im:message.reactions:write_only'];
const READ_SCOPES = ['im:message.reactions:read', 'im:message:readonly'];
const MAX_PAGE = 50;
const DEFAULT_PAGE = 20;
/** The docs give no bound on batch_query's queries; the emulator keeps one so a call stays small. */
const MAX_BATCH_QUERIES = 50;


/** The message a reaction route names: unknown ids are 231003, as the platform answers them. */
export function reactionMessage(store: Store, messageId: string): MessageRecord {
  const m = store.messages.get(messageId);
  if (!m) throw fail(231003, `no message ${messageId}.${store.droppedNote(messageId)}`);
  return m;
}

/** The emulator issues tenant tokens only, so the operator of a call is the app's bot. */
const botOperator = (appId: string): Operator => ({ type: 'app', id: appId });

/** A reaction as the API shows it; a person is named by the id type asked for, an app by its app_id. */
function operatorView(store: Store, op: Operator, idType: string) {
  if (op.type === 'app') return { operator_id: op.id, operator_type: 'app' as const };
  const user = store.findUser('open_id', op.id);
  return { operator_id: user ? store.userIdOf(user, idType) : op.id, operator_type: 'user' as const };
}

function reactionView(store: Store, r: ReactionRecord, idType = 'open_id') {
  return { reaction_id: r.reaction_id, operator: operatorView(store, r.operator, idType), action_time: String(r.action_time), reaction_type: { emoji_type: r.emoji_type } };
}

/** Page tokens are the offset, opaque to callers; a token that is not one of ours is 231012. */
function pageStart(token: string | undefined): number {
  if (!token) return 0;
  const decoded = /^r(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!decoded) throw fail(231012);
  return Number(decoded[1]);
}

function page<T>(items: T[], start: number, size: number) {
  const has_more = start + size < items.length;
  return { items: items.slice(start, start + size), has_more, page_token: has_more ? Buffer.from(`r${start + size}`).toString('base64url') : '' };
}

/** The reactions a reader may list: the operator must be in the message's chat (231008). */
function readable(store: Store, operator: Operator, m: MessageRecord, emojiType: string | undefined): ReactionRecord[] {
  const { chat, member } = store.operatorChat(operator, m.chat_id);
  if (!chat) throw fail(231004);
  if (!member) throw fail(231008);
  if (m.deleted) throw fail(231003, 'the message was recalled');
  const all = store.reactionsOf(m.message_id);
  return emojiType === undefined ? all : all.filter((r) => r.emoji_type === emojiType);
}

export const reactionRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/:message_id/reactions',
    title: '添加消息表情回复',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: s.object({ message_id: s.string() }),
    body: s.object({ reaction_type: s.object({ emoji_type: s.string({ minLength: 1 }) }) }),
    errors: [231001, 231002, 231003, 231004, 232009],
    notes: "`reaction_type.emoji_type` is one of the 182 keys the platform documents, in their exact case (`THUMBSUP`, `EatingFood`, `LGTM`); the bot must be in the message's chat, and the message not recalled. Answers the reaction with its `reaction_id` and operator.",
    coverage: { partial: 'only app identity (the emulator issues no user tokens); adding the same emoji twice answers the first reaction and sends no second event (the docs do not say); the reacting bot hears its own reaction too (the docs do not say)' },
    handle({ params, body, app, core }) {
      const store = core.store;
      const m = reactionMessage(store, params.message_id);
      const before = store.reactionsOf(m.message_id).length;
      const now = core.now();
      const r = store.react(m, botOperator(app.app_id), body.reaction_type.emoji_type, now);
      if (store.reactionsOf(m.message_id).length > before) inBackground(core, 'im.message.reaction.created_v1', () => reactionEvents(core, m, r, 'created', now));
      return ok(reactionView(store, r));
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/messages/:message_id/reactions',
    title: '获取消息表情回复',
    tokens: ['tenant', 'user'],
    scopes: READ_SCOPES,
    params: s.object({ message_id: s.string() }),
    query: s.object({
      reaction_type: s.optional(s.string()),
      page_token: s.optional(s.string()),
      page_size: s.optional(s.integer({ minimum: 1, maximum: MAX_PAGE })),
      user_id_type: USER_ID_TYPE,
    }),
    errors: [231001, 231003, 231004, 231008, 231012, 232009],
    notes: "A message's reactions, optionally of one `reaction_type`, paged (`page_size`, `page_token`); the bot must be in the chat; a page token it never gave is refused.",
    coverage: { partial: 'only app identity (the emulator issues no user tokens); reactions are listed oldest first (the docs give no order)' },
    handle({ params, query, app, core }) {
      const store = core.store;
      const m = reactionMessage(store, params.message_id);
      if (query.reaction_type !== undefined && !store.isEmojiType(query.reaction_type)) throw fail(231001);
      const all = readable(store, botOperator(app.app_id), m, query.reaction_type);
      const p = page(all, pageStart(query.page_token), query.page_size ?? DEFAULT_PAGE);
      return ok({ items: p.items.map((r) => reactionView(store, r, query.user_id_type)), has_more: p.has_more, page_token: p.page_token });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/messages/:message_id/reactions/:reaction_id',
    title: '删除消息表情回复',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: s.object({ message_id: s.string(), reaction_id: s.string() }),
    errors: [231002, 231003, 231004, 231007, 231010, 231011, 232009],
    notes: "Only the bot's own reactions, and only on the message they belong to.",
    coverage: { partial: 'only app identity (the emulator issues no user tokens)' },
    handle({ params, app, core }) {
      const store = core.store;
      const m = reactionMessage(store, params.message_id);
      const r = store.unreact(m, botOperator(app.app_id), params.reaction_id);
      const now = core.now();
      inBackground(core, 'im.message.reaction.deleted_v1', () => reactionEvents(core, m, r, 'deleted', now));
      return ok(reactionView(store, r));
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/reactions/batch_query',
    title: '批量获取消息表情回复',
    tokens: ['tenant', 'user'],
    scopes: READ_SCOPES,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      queries: s.array(s.object({ message_id: s.optional(s.string()), page_token: s.optional(s.string()) }), { minItems: 1, maxItems: MAX_BATCH_QUERIES }),
      page_size_per_message: s.optional(s.integer({ minimum: 1, maximum: MAX_PAGE })),
      reaction_type: s.optional(s.string()),
    }),
    errors: [231001],
    notes: 'Reactions of several messages at once: `queries` of message ids (at most 50), up to `page_size_per_message` reactions each (default 20, at most 50), optionally of one `reaction_type`.',
    coverage: {
      partial: `only app identity (the emulator issues no user tokens); the docs give no bounds: at most ${MAX_BATCH_QUERIES} queries and ${MAX_PAGE} reactions per message here, ${DEFAULT_PAGE} by default`,
    },
    handle({ query, body, app, core }) {
      const store = core.store;
      if (body.reaction_type !== undefined && !store.isEmojiType(body.reaction_type)) throw fail(231001);
      const size = body.page_size_per_message ?? DEFAULT_PAGE;
      const operator = botOperator(app.app_id);
      const details: unknown[] = [];
      const counts: unknown[] = [];
      const failed: Array<{ message_id: string; fail_reason: 'invalid' | 'invalid_page_token' | 'no_permission' }> = [];
      for (const q of body.queries) {
        const messageId = q.message_id ?? '';
        const m = store.messages.get(messageId);
        if (!m) {
          failed.push({ message_id: messageId, fail_reason: 'invalid' });
          continue;
        }
        // A chat gone or dissolved fails this message only, as the rest of the batch goes through.
        const chat = store.chats.get(m.chat_id);
        if (!chat || chat.dissolved || !chat.bots.has(operator.id)) {
          failed.push({ message_id: messageId, fail_reason: 'no_permission' });
          continue;
        }
        let start: number;
        try {
          start = pageStart(q.page_token);
        } catch {
          failed.push({ message_id: messageId, fail_reason: 'invalid_page_token' });
          continue;
        }
        // A recalled message answers no reactions, and the rest of the batch still goes through.
        const all = m.deleted ? [] : store.reactionsOf(messageId).filter((r) => body.reaction_type === undefined || r.emoji_type === body.reaction_type);
        const p = page(all, start, size);
        details.push({
          message_id: messageId,
          has_more: p.has_more,
          page_token: p.page_token,
          message_reaction_items: p.items.map((r) => ({ reaction_id: r.reaction_id, operator: operatorView(store, r.operator, query.user_id_type ?? 'open_id'), action_time: String(r.action_time), emoji_type: r.emoji_type })),
        });
        const byType = new Map<string, number>();
        for (const r of all) byType.set(r.emoji_type, (byType.get(r.emoji_type) ?? 0) + 1);
        counts.push({ message_id: messageId, reaction_count: [...byType].map(([reaction_type, n]) => ({ reaction_type, count: String(n) })) });
      }
      return ok({ success_msg_reaction_details: details, success_msg_reaction_counts: counts, fail_msg_reaction_details: failed });
    },
  }),
];
