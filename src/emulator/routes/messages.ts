import { isSharedCard, type CardObject } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { PlatformError, SerializedAnswer } from '../http.js';
import { fail } from '../catalogue/errors.js';
import { newId } from '../ids.js';
import { NO_USER_VIEWS, storedVersion, type AppRecord, type ChatRecord, type MessageRecord, type Store } from '../store.js';
import { checkContentWithRules } from '../card-content.js';
import { cardDigest, V2_DIGEST_LITERAL_TAIL, v2DigestLiteralHead } from '../card-view.js';
import { jsonString } from '../json-string.js';
import { extraOf, invalidParam, newExtraId, peekExtra, unknownMessage } from '../message-extras.js';
import { checkFields, fieldViolation, objectBody, queryEnum } from '../validate.js';

const RECEIVE_ID_TYPES = ['open_id', 'union_id', 'user_id', 'email', 'chat_id'] as const;
const PATCH_WINDOW_MS = 14 * 24 * 3600 * 1000;
/** How long a bot may recall its own message: the tenant admin's setting, 24 hours by default. */
export const RECALL_WINDOW_MS = 24 * 3600 * 1000;
/** A bot that owns, manages or created the chat may recall others' messages up to a year old. */
const MANAGER_RECALL_WINDOW_MS = 365 * 24 * 3600 * 1000;
const MAX_EDITS = 20;
const ID_SHAPES: Record<string, RegExp> = {
  open_id: /^ou_[0-9a-z]+$/i,
  union_id: /^on_[0-9a-z]+$/i,
  chat_id: /^oc_[0-9a-z]+$/i,
  email: /^[^@\s]+@[^@\s]+$/,
  user_id: /^\S+$/,
};

export type ContentView = 'digest' | 'user_card_content';

/** What a message's body.content shows: cards as the platform's digest unless asked otherwise. */
function contentOf(m: MessageRecord, view: ContentView, justStored?: CardObject): string {
  if (m.deleted) return 'This message was recalled';
  // A card stored as its text is parsed again on read; the route that has just stored it passes the card it parsed.
  const card = justStored ?? m.versions[m.versions.length - 1]!.card;
  if (!card) return m.versions[m.versions.length - 1]!.content;
  return view === 'user_card_content' ? JSON.stringify(card) : cardDigest(card);
}

function mentionsView(store: Store, m: MessageRecord) {
  return (m.mentions ?? []).map((x) => ({ key: x.key, id: x.id, id_type: x.id_type, name: x.name, tenant_key: store.tenantKey }));
}

/** A message as the API shows it; cards are shown as the platform's digest unless asked otherwise. */
export function messageView(store: Store, m: MessageRecord, view: ContentView = 'digest', justStored?: CardObject) {
  const extra = peekExtra(m);
  return {
    message_id: m.message_id,
    root_id: extra.root_id,
    parent_id: extra.parent_id,
    thread_id: extra.thread_id,
    msg_type: m.msg_type,
    create_time: String(m.create_time),
    update_time: String(m.update_time),
    deleted: m.deleted,
    updated: m.updated,
    chat_id: m.chat_id,
    sender: m.sender_open_id
      ? { id: m.sender_open_id, id_type: 'open_id', sender_type: 'user', tenant_key: store.tenantKey }
      : { id: m.app_id, id_type: 'app_id', sender_type: 'app', tenant_key: store.tenantKey },
    body: { content: contentOf(m, view, justStored) },
    mentions: mentionsView(store, m),
    upper_message_id: '',
  };
}

/**
 * `{ code: 0, msg: 'success', data: messageView(…) }` written out as JSON, in UTF-8: every send and
 * reply answers it, so it is not built as a view, serialised, then encoded (the Chinese of a 2.0
 * card's digest makes that text two-byte) each time. The digest's constant part is put in as
 * bytes encoded once. A test holds it to the text JSON.stringify gives.
 */
export function sentAnswer(store: Store, m: MessageRecord, justStored?: CardObject): SerializedAnswer {
  const extra = peekExtra(m);
  const str = jsonString;
  const tenant = str(store.tenantKey);
  const sender = m.sender_open_id
    ? `{"id":${str(m.sender_open_id)},"id_type":"open_id","sender_type":"user","tenant_key":${tenant}}`
    : `{"id":${str(m.app_id)},"id_type":"app_id","sender_type":"app","tenant_key":${tenant}}`;
  const mentions = m.mentions?.length ? JSON.stringify(mentionsView(store, m)) : '[]';
  const before =
    `{"code":0,"msg":"success","data":{"message_id":${str(m.message_id)},"root_id":${str(extra.root_id)},"parent_id":${str(extra.parent_id)},"thread_id":${str(extra.thread_id)},` +
    `"msg_type":${str(m.msg_type)},"create_time":${str(String(m.create_time))},"update_time":${str(String(m.update_time))},"deleted":${m.deleted},"updated":${m.updated},` +
    `"chat_id":${str(m.chat_id)},"sender":${sender},"body":{"content":`;
  const after = `},"mentions":${mentions},"upper_message_id":""}}`;
  const card = m.deleted ? null : (justStored ?? m.versions[m.versions.length - 1]!.card);
  const head = card ? v2DigestLiteralHead(card) : null;
  if (head !== null) return new SerializedAnswer(Buffer.concat([Buffer.from(before + head, 'utf8'), V2_DIGEST_LITERAL_TAIL, Buffer.from(after, 'utf8')]), 0);
  // The head was looked for already: what is left is a digest to escape whole, or content that is no card.
  const content = card ? JSON.stringify(cardDigest(card)) : str(contentOf(m, 'digest'));
  return new SerializedAnswer(Buffer.from(before + content + after, 'utf8'), 0);
}

function contentView(query: URLSearchParams): ContentView {
  const v = query.get('card_msg_content_type');
  if (v === null || v === '' || v === 'raw_card_content') return 'digest';
  if (v === 'user_card_content') return 'user_card_content';
  throw fieldViolation('card_msg_content_type', 'card_msg_content_type must be user_card_content or raw_card_content', v);
}

/** The message named in the path: it exists and is not recalled. */
function findMessage(ctx: RouteContext): MessageRecord {
  const m = ctx.core.store.messages.get(ctx.params.message_id!);
  if (!m) {
    if (ctx.core.store.ephemeral.has(ctx.params.message_id!)) {
      throw invalidParam('the message is an ephemeral card: it can only be deleted, with POST /open-apis/ephemeral/v1/delete');
    }
    throw unknownMessage(ctx.core.store, ctx.params.message_id!);
  }
  if (m.deleted) throw new PlatformError(400, 230011, 'The message is recalled.');
  return m;
}

/** The message's chat, with the calling bot in it. */
function chatOf(ctx: RouteContext, m: MessageRecord): ChatRecord {
  const chat = ctx.core.store.botChat(ctx.app, m.chat_id, 'message');
  if (!chat) throw fail(230002);
  return chat;
}

interface NewMessage {
  app: AppRecord;
  chatId: string;
  msgType: string;
  content: string;
  card: MessageRecord['versions'][number]['card'];
  /** The card is the content parsed: the message keeps the text alone. */
  inline: boolean;
  receiveId: string;
  receiveIdType: string;
  uuid: string | null;
  now: number;
}

export function storeMessage(ctx: Pick<RouteContext, 'core'>, n: NewMessage): MessageRecord {
  const message: MessageRecord = {
    message_id: newId.message(),
    app_id: n.app.app_id,
    chat_id: n.chatId,
    msg_type: n.msgType,
    receive_id: n.receiveId,
    receive_id_type: n.receiveIdType,
    uuid: n.uuid,
    create_time: n.now,
    update_time: n.now,
    updated: false,
    deleted: false,
    // An inline card is kept as its text (parsed again on first read); past the cap the oldest go.
    versions: [storedVersion(n.content, n.card, n.now, 'create', n.inline)],
    user_views: NO_USER_VIEWS,
  };
  ctx.core.store.addMessage(message);
  return message;
}

const SEND_SCOPES = ['im:message', 'im:message:send_as_bot', 'im:message:send'];
const CONTENT_RULES = {
  msg_type: { type: 'string', required: true },
  content: { type: 'string', required: true },
  uuid: { type: 'string', maxLength: 50 },
} as const;

/** The send's field rules, built once rather than spread together on every send. */
const SEND_RULES = { receive_id: { type: 'string', required: true }, ...CONTENT_RULES } as const;

export const messageRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/messages',
    auth: 'tenant',
    scopes: SEND_SCOPES,
    handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const idType = queryEnum(ctx.query, 'receive_id_type', RECEIVE_ID_TYPES);
      const body = checkFields<{ receive_id: string; msg_type: string; content: string; uuid?: string }>(objectBody(ctx.body), SEND_RULES);
      const now = core.now();
      const first = body.uuid ? store.uuidMessage('create', app.app_id, body.uuid, now) : undefined;
      if (first) return { body: { code: 0, msg: 'success', data: messageView(store, first) } };
      if (!ID_SHAPES[idType]!.test(body.receive_id)) {
        // The platform reads any id given as a chat_id as a chat, and finds none.
        if (idType === 'chat_id') throw invalidParam('invalid receive_id');
        throw new PlatformError(400, 230034, `The receive_id is invalid: "${body.receive_id}" is not a valid ${idType}.`);
      }
      let chatId: string;
      if (idType === 'chat_id') {
        // A send into a chat that is gone or unknown is 230002, not the chat APIs' 232009/232006.
        const known = store.chats.get(body.receive_id);
        const chat = known && !known.dissolved ? store.botChat(app, known.chat_id, 'message') : undefined;
        if (!chat) throw fail(230002);
        chatId = chat.chat_id;
      } else {
        const user = store.findUser(idType, body.receive_id);
        if (!user && idType === 'open_id') {
          throw new PlatformError(400, 99992351, `open ids not existed: [${body.receive_id}]`, {
            field_violations: [{ field: 'receive_id', value: body.receive_id, description: 'open ids not existed' }],
          });
        }
        if (!user || user.resigned || (app.availability && !app.availability.has(user.open_id))) {
          throw new PlatformError(400, 230013, 'Bot has NO availability to this user.');
        }
        chatId = store.p2pChatFor(app, user, now).chat_id;
      }
      const { card, inline } = checkContentWithRules(store, app, body.msg_type, body.content, core.settings.cardRules);
      // A refused request never reached the receiver, so it does not count against its limit.
      core.takeImQuota(`recv:${chatId}`, 'receiverPerSecond');
      const message = storeMessage(ctx, {
        app, chatId, msgType: body.msg_type, content: body.content, card, inline, receiveId: body.receive_id, receiveIdType: idType, uuid: body.uuid ?? null, now,
      });
      if (body.uuid) store.rememberUuid('create', app.app_id, body.uuid, message.message_id, now);
      core.events.emit('message', message);
      // An inline card is the message's content parsed: the view need not parse it again.
      return { body: sentAnswer(store, message, inline ? card! : undefined) };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/messages/:message_id/reply',
    auth: 'tenant',
    scopes: SEND_SCOPES,
    handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const body = checkFields<{ msg_type: string; content: string; uuid?: string; reply_in_thread?: boolean }>(objectBody(ctx.body), {
        ...CONTENT_RULES,
        reply_in_thread: { type: 'boolean' },
      });
      const now = core.now();
      const first = body.uuid ? store.uuidMessage('reply', app.app_id, body.uuid, now) : undefined;
      if (first) return { body: { code: 0, msg: 'success', data: messageView(store, first) } };
      const parent = findMessage(ctx);
      const chat = chatOf(ctx, parent);
      const parentExtra = extraOf(parent);
      if (parentExtra.batch_id) throw new PlatformError(400, 230054, 'This operation is not supported for this message type.', { details: [{ key: 'reason', value: 'a batch-sent message cannot be replied to' }] });
      const { card, inline } = checkContentWithRules(store, app, body.msg_type, body.content, core.settings.cardRules);
      core.takeImQuota(`recv:${chat.chat_id}`, 'receiverPerSecond');
      const message = storeMessage(ctx, {
        app, chatId: chat.chat_id, msgType: body.msg_type, content: body.content, card, inline, receiveId: parent.message_id, receiveIdType: 'reply', uuid: body.uuid ?? null, now,
      });
      const extra = extraOf(message);
      extra.parent_id = parent.message_id;
      extra.root_id = parentExtra.root_id || parent.message_id;
      // A reply to a message already in a thread stays in that thread.
      if (body.reply_in_thread || parentExtra.thread_id) {
        if (!parentExtra.thread_id) parentExtra.thread_id = newExtraId.thread();
        extra.thread_id = parentExtra.thread_id;
      }
      if (body.uuid) store.rememberUuid('reply', app.app_id, body.uuid, message.message_id, now);
      core.events.emit('message', message);
      // An inline card is the message's content parsed: the view need not parse it again.
      return { body: sentAnswer(store, message, inline ? card! : undefined) };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/messages',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:readonly', 'im:message.group_msg', 'im:message.p2p_msg:readonly'],
    handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const q = ctx.query;
      const containerType = queryEnum(q, 'container_id_type', ['chat', 'thread']);
      const containerId = q.get('container_id');
      if (!containerId) throw fieldViolation('container_id', 'container_id is required');
      const seconds = (name: string) => {
        const v = q.get(name);
        if (v === null || v === '') return null;
        if (!/^\d{1,12}$/.test(v)) throw fieldViolation(name, `${name} is a Unix time in seconds`, v);
        return Number(v) * 1000;
      };
      const start = seconds('start_time');
      const end = seconds('end_time');
      if (containerType === 'thread' && (start !== null || end !== null)) {
        throw invalidParam('start_time and end_time are not supported when container_id_type is thread');
      }
      const sort = q.get('sort_type') ?? 'ByCreateTimeAsc';
      if (sort !== 'ByCreateTimeAsc' && sort !== 'ByCreateTimeDesc') throw fieldViolation('sort_type', 'sort_type must be ByCreateTimeAsc or ByCreateTimeDesc', sort);
      const pageSize = Number(q.get('page_size') ?? 20);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) throw fieldViolation('page_size', 'page_size must be 1 to 50', q.get('page_size'));
      let offset = 0;
      const token = q.get('page_token');
      if (token) {
        const decoded = /^p(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
        if (!decoded) throw invalidParam('page_token is invalid');
        offset = Number(decoded[1]);
      }
      let items: MessageRecord[];
      if (containerType === 'chat') {
        if (!store.botChat(app, containerId, 'message')) throw invalidParam('container_id is not a chat the app can see');
        items = [...store.messages.values()].filter(
          (m) => m.chat_id === containerId && (start === null || m.create_time >= start) && (end === null || m.create_time <= end),
        );
      } else {
        items = [...store.messages.values()].filter((m) => extraOf(m).thread_id === containerId);
        if (!items.length) throw new PlatformError(400, 230019, 'The topic does NOT exist.');
        if (!store.botChat(app, items[0]!.chat_id, 'message')) throw fail(230002);
      }
      items.sort((a, b) => a.create_time - b.create_time);
      if (sort === 'ByCreateTimeDesc') items.reverse();
      const page = items.slice(offset, offset + pageSize);
      const hasMore = offset + pageSize < items.length;
      return {
        body: {
          code: 0,
          msg: 'success',
          data: {
            has_more: hasMore,
            page_token: hasMore ? Buffer.from(`p${offset + pageSize}`).toString('base64url') : '',
            items: page.map((m) => messageView(store, m, contentView(q))),
          },
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/messages/:message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:readonly', 'im:message.group_msg', 'im:message.p2p_msg:readonly'],
    handle(ctx) {
      const view = contentView(ctx.query);
      const m = ctx.core.store.messages.get(ctx.params.message_id!);
      if (!m) throw unknownMessage(ctx.core.store, ctx.params.message_id!);
      const chat = ctx.core.store.chats.get(m.chat_id);
      if (!chat?.bots.has(ctx.app.app_id)) throw new PlatformError(400, 230027, 'Lack of necessary permissions.');
      return { body: { code: 0, msg: 'success', data: { items: [messageView(ctx.core.store, m, view)] } } };
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
      if (m.msg_type !== 'interactive') throw invalidParam('only interactive (card) messages can be patched; text and post are edited with PUT');
      if (extraOf(m).batch_id) throw invalidParam('a card sent with message/v4/batch_send cannot be updated');
      const now = core.now();
      if (now - m.create_time > PATCH_WINDOW_MS) throw new PlatformError(400, 230031, 'The message is older than 14 days and can no longer be updated.');
      const card = checkContentWithRules(core.store, app, 'interactive', body.content, core.settings.cardRules).card!;
      core.takeImQuota(`patch:${m.message_id}`, 'messagePatchPerSecond');
      const previous = m.versions[m.versions.length - 1]!.card!;
      if (!isSharedCard(previous) || !isSharedCard(card)) {
        const which = !isSharedCard(previous) ? 'the card that was sent' : 'the new card';
        throw invalidParam(
          `${which} is not a shared card. Only cards whose config.update_multi is true (always so in JSON 2.0), both the sent and the new one, can be updated with PATCH`,
        );
      }
      m.versions.push({ content: body.content, card, at: now, via: 'patch' });
      m.updated = true;
      m.update_time = now;
      core.events.emit('update', m);
      return { body: { code: 0, msg: 'success', data: {} } };
    },
  },
  {
    method: 'PUT',
    pattern: '/open-apis/im/v1/messages/:message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    handle(ctx) {
      const { core, app } = ctx;
      const body = checkFields<{ msg_type: string; content: string }>(objectBody(ctx.body), {
        msg_type: CONTENT_RULES.msg_type,
        content: CONTENT_RULES.content,
      });
      // Editing is for text and post; a card is updated with PATCH, and PUT refuses it.
      if (body.msg_type !== 'text' && body.msg_type !== 'post') throw invalidParam('invalid msg_type: only text and post messages can be edited; update a card with PATCH');
      const m = findMessage(ctx);
      chatOf(ctx, m);
      if (m.app_id !== app.app_id) throw new PlatformError(400, 230071, 'The operator is not the sender of the message.');
      const extra = extraOf(m);
      if ((m.msg_type !== 'text' && m.msg_type !== 'post') || extra.batch_id) {
        throw new PlatformError(400, 230054, 'This operation is not supported for this message type.', {
          details: [{ key: 'reason', value: extra.batch_id ? 'a batch-sent message cannot be edited' : `a ${m.msg_type} message cannot be edited; only text and post messages can` }],
        });
      }
      if (extra.edits >= MAX_EDITS) throw new PlatformError(400, 230072, 'The message has reached the number of times it can be edited.');
      checkContentWithRules(core.store, app, body.msg_type, body.content, core.settings.cardRules);
      const now = core.now();
      extra.edits++;
      m.msg_type = body.msg_type;
      m.versions.push({ content: body.content, card: null, at: now, via: 'patch' });
      m.updated = true;
      m.update_time = now;
      core.events.emit('update', m);
      return { body: { code: 0, msg: 'success', data: messageView(core.store, m) } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/open-apis/im/v1/messages/:message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:recall', 'im:message:send_as_bot'],
    handle(ctx) {
      const { core, app } = ctx;
      const m = findMessage(ctx);
      const chat = chatOf(ctx, m);
      if (extraOf(m).batch_id) {
        throw new PlatformError(400, 230054, 'This operation is not supported for this message type.', {
          details: [{ key: 'reason', value: 'a batch-sent message is recalled with DELETE /open-apis/im/v1/batch_messages/:batch_message_id' }],
        });
      }
      const own = m.app_id === app.app_id;
      const manager = chat.owner_app_id === app.app_id || chat.creator_app_id === app.app_id || chat.bot_managers.has(app.app_id);
      if (!own && !manager) throw new PlatformError(400, 230026, 'No permission to recall this message.');
      const age = core.now() - m.create_time;
      if (age > (own ? RECALL_WINDOW_MS : MANAGER_RECALL_WINDOW_MS)) {
        throw new PlatformError(400, 230009, own ? 'Message can only be recalled within one days.' : 'Message can only be recalled within one year.');
      }
      recall(ctx, m);
      return { body: { code: 0, msg: 'success', data: {} } };
    },
  },
];

export function recall(ctx: Pick<RouteContext, 'core'>, m: MessageRecord): void {
  ctx.core.store.recall(m, ctx.core.now());
}
