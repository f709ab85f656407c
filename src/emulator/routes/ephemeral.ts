import type { Route } from '../core.js';
import { PlatformError } from '../http.js';
import { newId } from '../ids.js';
import { resolveCardWithRules } from '../card-content.js';
import { invalidParam } from '../message-extras.js';

/** The ephemeral API's own limit: 40 sends a second per group (on top of the app's limits). */
export const EPHEMERAL_PER_CHAT_PER_SECOND = 40;
import { checkFields, objectBody } from '../validate.js';

/**
 * Cards shown in a group to one member only ("仅特定人可见"). They are not messages the API can
 * read back, list or update: they live beside the store's messages, and only delete reaches them.
 */
export const ephemeralRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/ephemeral/v1/send',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    async handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const raw = objectBody(ctx.body);
      if (typeof raw.card === 'string') throw invalidParam('card must be a JSON object, not a string');
      const body = checkFields<{ chat_id: string; open_id?: string; user_id?: string; email?: string; msg_type: string; card: unknown }>(raw, {
        chat_id: { type: 'string', required: true },
        open_id: { type: 'string' },
        user_id: { type: 'string' },
        email: { type: 'string' },
        msg_type: { type: 'string', required: true },
        card: { type: 'object', required: true },
      });
      if (body.msg_type !== 'interactive') throw invalidParam('msg_type must be interactive');
      const chat = store.chats.get(body.chat_id);
      if (!chat) throw invalidParam('chat_id does not exist');
      if (chat.dissolved) throw new PlatformError(400, 232009, 'Your request specifies a chat which has already been dissolved.');
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
        if (!v.ok) {
          throw new PlatformError(400, 230020, 'This operation triggers the frequency limit.', {}, {
            'X-Ogw-Ratelimit-Limit': String(v.limit),
            'X-Ogw-Ratelimit-Reset': String(v.resetSeconds),
          });
        }
      }
      const messageId = newId.message();
      store.addEphemeral({ message_id: messageId, app_id: app.app_id, chat_id: chat.chat_id, open_id: user.open_id, card, content: JSON.stringify(body.card), create_time: now, deleted: false });
      core.events.emit('ephemeral', { message_id: messageId, chat_id: chat.chat_id });
      return { body: { code: 0, msg: 'ok', data: { message_id: messageId } } };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/ephemeral/v1/delete',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    handle(ctx) {
      const body = checkFields<{ message_id: string }>(objectBody(ctx.body), { message_id: { type: 'string', required: true } });
      const rec = ctx.core.store.ephemeral.get(body.message_id);
      if (!rec) throw invalidParam('message_id is not an ephemeral card');
      if (rec.app_id !== ctx.app.app_id) throw new PlatformError(400, 230027, 'Lack of necessary permissions: only the app that sent an ephemeral card can delete it.');
      if (rec.deleted) throw new PlatformError(400, 18051, '消息已删除 (the message was already deleted)');
      rec.deleted = true;
      ctx.core.events.emit('ephemeral', { message_id: rec.message_id, chat_id: rec.chat_id });
      return { body: { code: 0, msg: 'ok' } };
    },
  },
];
