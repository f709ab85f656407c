import { isSharedCard } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { newId } from '../ids.js';
import { storedVersion, type MessageRecord, type Store } from '../store.js';
import { checkMessageContent, isInlineCard } from '../card-content.js';
import { checkFields, objectBody, queryEnum } from '../validate.js';

const RECEIVE_ID_TYPES = ['open_id', 'union_id', 'user_id', 'email', 'chat_id'] as const;
const MESSAGE_UUID_WINDOW_MS = 3600 * 1000;
const PATCH_WINDOW_MS = 14 * 24 * 3600 * 1000;
const ID_SHAPES: Record<string, RegExp> = {
  open_id: /^ou_[0-9a-z]+$/i,
  union_id: /^on_[0-9a-z]+$/i,
  chat_id: /^oc_[0-9a-z]+$/i,
  email: /^[^@\s]+@[^@\s]+$/,
  user_id: /^\S+$/,
};

export function messageView(store: Store, m: MessageRecord) {
  const current = m.versions[m.versions.length - 1]!;
  return {
    message_id: m.message_id,
    root_id: '',
    parent_id: '',
    msg_type: m.msg_type,
    create_time: String(m.create_time),
    update_time: String(m.update_time),
    deleted: m.deleted,
    updated: m.updated,
    chat_id: m.chat_id,
    sender: { id: m.app_id, id_type: 'app_id', sender_type: 'app', tenant_key: store.tenantKey },
    body: { content: current.content },
    mentions: [],
    upper_message_id: '',
  };
}

function findMessage(ctx: RouteContext): MessageRecord {
  const m = ctx.core.store.messages.get(ctx.params.message_id!);
  if (!m) throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: the message_id does not exist.${ctx.core.store.droppedNote(ctx.params.message_id!)}`);
  if (m.deleted) throw new PlatformError(400, 230011, 'The message was recalled.');
  return m;
}

export const messageRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/messages',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:send'],
    handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const idType = queryEnum(ctx.query, 'receive_id_type', RECEIVE_ID_TYPES);
      const body = checkFields<{ receive_id: string; msg_type: string; content: string; uuid?: string }>(objectBody(ctx.body), {
        receive_id: { type: 'string', required: true },
        msg_type: { type: 'string', required: true },
        content: { type: 'string', required: true },
        uuid: { type: 'string', maxLength: 50 },
      });
      const now = core.now();
      const uuidKey = body.uuid ? `${app.app_id}\0${body.uuid}` : null;
      if (uuidKey) {
        const seen = store.messageUuids.get(uuidKey);
        if (seen && now - seen.at < MESSAGE_UUID_WINDOW_MS) {
          const first = store.messages.get(seen.message_id);
          if (first) return { body: { code: 0, msg: 'success', data: messageView(store, first) } };
        }
      }
      if (!ID_SHAPES[idType]!.test(body.receive_id)) {
        throw new PlatformError(400, 230034, `The receive_id is invalid: "${body.receive_id}" is not a valid ${idType}.`);
      }
      let chatId: string;
      if (idType === 'chat_id') {
        const chat = store.chats.get(body.receive_id);
        if (!chat || chat.dissolved || !chat.bots.has(app.app_id)) {
          throw new PlatformError(400, 230002, 'Bot/User can NOT be out of the chat.');
        }
        chatId = chat.chat_id;
      } else {
        const user = store.findUser(idType, body.receive_id);
        if (!user && idType === 'open_id') throw new PlatformError(400, 99992351, `open ids not existed: [${body.receive_id}]`);
        if (!user || user.resigned || (app.availability && !app.availability.has(user.open_id))) {
          throw new PlatformError(400, 230013, 'Bot has NO availability to this user.');
        }
        chatId = store.p2pChatFor(app, user, now).chat_id;
      }
      core.takeImQuota(`recv:${chatId}`, 'receiverPerSecond');
      const card = checkMessageContent(store, app, body.msg_type, body.content);
      const message: MessageRecord = {
        message_id: newId.message(),
        app_id: app.app_id,
        chat_id: chatId,
        msg_type: body.msg_type,
        receive_id: body.receive_id,
        receive_id_type: idType,
        uuid: body.uuid ?? null,
        create_time: now,
        update_time: now,
        updated: false,
        deleted: false,
        versions: [storedVersion(body.content, card, now, 'create', isInlineCard(card))],
        user_views: new Map(),
      };
      store.addMessage(message);
      if (uuidKey) store.messageUuids.set(uuidKey, { message_id: message.message_id, at: now });
      core.events.emit('message', message);
      return { body: { code: 0, msg: 'success', data: messageView(store, message) } };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/messages/:message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:readonly', 'im:message.group_msg', 'im:message.p2p_msg:readonly'],
    handle(ctx) {
      const m = ctx.core.store.messages.get(ctx.params.message_id!);
      if (!m) throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: the message_id does not exist.${ctx.core.store.droppedNote(ctx.params.message_id!)}`);
      const chat = ctx.core.store.chats.get(m.chat_id);
      if (!chat?.bots.has(ctx.app.app_id)) throw new PlatformError(400, 230027, 'Lack of necessary permissions.');
      return { body: { code: 0, msg: 'success', data: { items: [messageView(ctx.core.store, m)] } } };
    },
  },
  {
    method: 'PATCH',
    pattern: '/open-apis/im/v1/messages/:message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    handle(ctx) {
      const { core, app } = ctx;
      const m = findMessage(ctx);
      const body = checkFields<{ content: string }>(objectBody(ctx.body), { content: { type: 'string', required: true } });
      if (m.app_id !== app.app_id) throw new PlatformError(400, 230027, 'Lack of necessary permissions: only the app that sent a message can update it.');
      if (m.msg_type !== 'interactive') {
        throw new PlatformError(400, 230001, 'Your request contains an invalid request parameter: only interactive (card) messages can be patched.');
      }
      const now = core.now();
      if (now - m.create_time > PATCH_WINDOW_MS) throw new PlatformError(400, 230031, 'The message is older than 14 days and can no longer be updated.');
      core.takeImQuota(`patch:${m.message_id}`, 'messagePatchPerSecond');
      const card = checkMessageContent(core.store, app, 'interactive', body.content)!;
      const previous = m.versions[m.versions.length - 1]!.card!;
      if (!isSharedCard(previous) || !isSharedCard(card)) {
        const which = !isSharedCard(previous) ? 'the card that was sent' : 'the new card';
        throw new PlatformError(
          400,
          230001,
          `Your request contains an invalid request parameter: ${which} is not a shared card. Only cards whose config.update_multi is true (always so in JSON 2.0), both the sent and the new one, can be updated with PATCH.`,
        );
      }
      m.versions.push({ content: body.content, card, at: now, via: 'patch' });
      m.updated = true;
      m.update_time = now;
      core.events.emit('update', m);
      return { body: { code: 0, msg: 'success', data: {} } };
    },
  },
];

