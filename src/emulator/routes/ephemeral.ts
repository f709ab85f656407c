import type { Route } from '../core.js';
import { openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { newId } from '../ids.js';
import { resolveCardWithRules } from '../card-content.js';
import { invalidParam } from '../message-extras.js';
import { wrongType } from '../validate.js';

/** The ephemeral API's own limit: 40 sends a second per group (on top of the app's limits). */
export const EPHEMERAL_PER_CHAT_PER_SECOND = 40;

const SCOPES = ['im:message', 'im:message:send_as_bot', 'im:message:update'];

/**
 * Cards shown in a group to one member only ("仅特定人可见"). They are not messages the API can
 * read back, list or update: they live beside the store's messages, and only delete reaches them.
 * Both routes answer `msg: "ok"`, as this API does.
 */
export const ephemeralRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/ephemeral/v1/send',
    title: '发送仅特定人可见的消息卡片',
    tokens: ['tenant'],
    scopes: SCOPES,
    body: s.object({
      chat_id: s.string({ minLength: 1 }),
      open_id: s.optional(s.string()),
      user_id: s.optional(s.string()),
      email: s.optional(s.string()),
      msg_type: s.string({ minLength: 1 }),
      // Checked by the handler: a card given as its JSON text gets this API's own refusal.
      card: s.any(),
    }),
    errors: [230001, 230002, 230020, 230025, 230099, 232009],
    notes: 'A card shown to one member of a normal group chat (not a one-to-one chat or a topic group): `chat_id`, then one of `open_id`, `user_id`, `email` (in that order of precedence); `msg_type: interactive` and `card` as an object (1.0, 2.0 or a template), checked as a send checks it; answers `{"code":0,"msg":"ok","data":{"message_id"}}`; 40 sends a second per group. The card cannot be read, listed or updated through the message routes.',
    coverage: { partial: "whether the app is available to the target user (the app's availability) is not checked" },
    handle({ body, app, core }) {
      const store = core.store;
      if (typeof body.card === 'string') throw invalidParam('card must be a JSON object, not a string');
      if (typeof body.card !== 'object' || body.card === null || Array.isArray(body.card)) throw wrongType('card');
      if (body.msg_type !== 'interactive') throw invalidParam('msg_type must be interactive');
      const chat = store.chats.get(body.chat_id);
      if (!chat) throw invalidParam('chat_id does not exist');
      if (chat.dissolved) throw fail(232009);
      if (chat.chat_mode !== 'group' || chat.extra.group_message_type === 'thread') {
        throw invalidParam('ephemeral cards can only be sent to normal group chats (not p2p chats or topic groups)');
      }
      store.botChat(app, chat.chat_id, 'message');
      // open_id, then user_id, then email: the first one given is the target.
      const [idType, id] = body.open_id ? ['open_id', body.open_id] : body.user_id ? ['user_id', body.user_id] : body.email ? ['email', body.email] : [null, null];
      if (!idType || !id) throw invalidParam('one of open_id, user_id or email is required');
      const user = store.findUser(idType, id);
      if (!user || !chat.members.has(user.open_id)) throw invalidParam(`the ${idType} ${id} is not a member of the chat`);
      const card = resolveCardWithRules(store, app, body.card, core.settings.cardRules);
      const now = core.now();
      if (core.settings.rateLimits) {
        const v = store.ephemeralRate.take(chat.chat_id, EPHEMERAL_PER_CHAT_PER_SECOND, now);
        if (!v.ok) throw fail(230020, undefined, {}, { 'X-Ogw-Ratelimit-Limit': String(v.limit), 'X-Ogw-Ratelimit-Reset': String(v.resetSeconds) });
      }
      const messageId = newId.message();
      store.addEphemeral({ message_id: messageId, app_id: app.app_id, chat_id: chat.chat_id, open_id: user.open_id, card, content: JSON.stringify(body.card), create_time: now, deleted: false });
      core.events.emit('ephemeral', { message_id: messageId, chat_id: chat.chat_id });
      return { body: { code: 0, msg: 'ok', data: { message_id: messageId } } };
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/ephemeral/v1/delete',
    title: '删除仅特定人可见的消息卡片',
    tokens: ['tenant'],
    scopes: SCOPES,
    body: s.object({ message_id: s.string({ minLength: 1 }) }),
    errors: [230001, 230027, 18051],
    notes: '`message_id` of an ephemeral card the app sent; deleting it a second time answers `18051`.',
    coverage: 'full',
    handle({ body, app, core }) {
      const rec = core.store.ephemeral.get(body.message_id);
      if (!rec) throw invalidParam('message_id is not an ephemeral card');
      if (rec.app_id !== app.app_id) throw fail(230027, 'only the app that sent an ephemeral card can delete it.');
      if (rec.deleted) throw fail(18051, '(the message was already deleted)');
      rec.deleted = true;
      core.events.emit('ephemeral', { message_id: rec.message_id, chat_id: rec.chat_id });
      return { body: { code: 0, msg: 'ok' } };
    },
  }),
];
