import { isSharedCard, type CardObject } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { inBackground, recallEvents } from '../message-events.js';
import type { RecallType } from '../../callback/events.js';
import { SerializedAnswer } from '../http.js';
import { fail } from '../catalogue/errors.js';
import { ok, openApi } from '../catalogue/declare.js';
import { s } from '../catalogue/schema.js';
import { newId } from '../ids.js';
import { NO_USER_VIEWS, storedVersion, type AppRecord, type ChatRecord, type MessageRecord, type Store } from '../store.js';
import { checkContentWithRules } from '../card-content.js';
import { cardDigest, V2_DIGEST_LITERAL_TAIL, v2DigestLiteralHead } from '../card-view.js';
import { jsonString } from '../json-string.js';
import { extraOf, invalidParam, newExtraId, peekExtra, unknownMessage } from '../message-extras.js';

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

/** The view a read asks for: raw_card_content (the default) shows cards as their digest. */
function contentView(asked: 'user_card_content' | 'raw_card_content' | undefined): ContentView {
  return asked === 'user_card_content' ? 'user_card_content' : 'digest';
}

/** The message named in the path: it exists and is not recalled. */
function findMessage(store: Store, messageId: string): MessageRecord {
  const m = store.messages.get(messageId);
  if (!m) {
    if (store.ephemeral.has(messageId)) {
      throw invalidParam('the message is an ephemeral card: it can only be deleted, with POST /open-apis/ephemeral/v1/delete');
    }
    throw unknownMessage(store, messageId);
  }
  if (m.deleted) throw fail(230011);
  return m;
}

/** The message's chat, with the calling bot in it. */
function chatOf(store: Store, app: AppRecord, m: MessageRecord): ChatRecord {
  const chat = store.botChat(app, m.chat_id, 'message');
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
const READ_SCOPES = ['im:message', 'im:message:readonly', 'im:message.group_msg', 'im:message.p2p_msg:readonly'];
const UPDATE_SCOPES = ['im:message', 'im:message:send_as_bot', 'im:message:update'];
/** The codes building a message's content may answer (card-content.ts, card-rules.ts). */
const CONTENT_ERRORS = [230001, 230025, 230099] as const;

const MESSAGE_PATH = s.object({ message_id: s.string() });
/** A required string field: the platform refuses it empty. */
const text = () => s.string({ minLength: 1 });
const CARD_VIEW = s.object({ card_msg_content_type: s.optional(s.enum(['user_card_content', 'raw_card_content'])) });

/**
 * The send's body. Kept to the fields ajv must check (the hot path runs it on every send); the
 * content's own rules are the message type's, checked after.
 */
const SEND_BODY = s.object({ receive_id: text(), msg_type: text(), content: text(), uuid: s.optional(s.string({ maxLength: 50 })) });

export const messageRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages',
    title: '发送消息',
    tokens: ['tenant'],
    scopes: SEND_SCOPES,
    query: s.object({ receive_id_type: s.enum(RECEIVE_ID_TYPES) }),
    body: SEND_BODY,
    errors: [...CONTENT_ERRORS, 230002, 230013, 230020, 230034, 99992351],
    notes: "Every `receive_id_type` (`open_id`, `user_id`, `union_id`, `email`, `chat_id`); `msg_type` `interactive` (JSON 1.0, 2.0, a template, or a CardKit `card_id`), `text`, `post`, `image` and `file` (keys the app uploaded); `content` must be a JSON string; one message per `uuid` for an hour. The bot must be in the chat; a user must exist, be active and within the app's availability. Cards are checked with `card lint`'s rules and answered in the platform's `230099` form (its `ErrCode` and `ErrPath`); 5 messages a second per receiver, counting only requests that pass the checks.",
    coverage: { partial: 'text, post, image, file and interactive are built and checked; other message types (audio, media, sticker, share_chat, share_user, system) are refused as not emulated' },
    handle({ query, body, app, core }) {
      const store = core.store;
      const idType = query.receive_id_type;
      const now = core.now();
      const first = body.uuid ? store.uuidMessage('create', app.app_id, body.uuid, now) : undefined;
      if (first) return ok(messageView(store, first));
      if (!ID_SHAPES[idType]!.test(body.receive_id)) {
        // The platform reads any id given as a chat_id as a chat, and finds none.
        if (idType === 'chat_id') throw invalidParam('invalid receive_id');
        throw fail(230034, `"${body.receive_id}" is not a valid ${idType}.`);
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
          throw fail(99992351, `[${body.receive_id}]`, { field_violations: [{ field: 'receive_id', value: body.receive_id, description: 'open ids not existed' }] });
        }
        if (!user || user.resigned || (app.availability && !app.availability.has(user.open_id))) throw fail(230013);
        chatId = store.p2pChatFor(app, user, now).chat_id;
      }
      const { card, inline } = checkContentWithRules(store, app, body.msg_type, body.content, core.settings.cardRules);
      // A refused request never reached the receiver, so it does not count against its limit.
      core.takeImQuota(`recv:${chatId}`, 'receiverPerSecond');
      const message = storeMessage({ core }, {
        app, chatId, msgType: body.msg_type, content: body.content, card, inline, receiveId: body.receive_id, receiveIdType: idType, uuid: body.uuid ?? null, now,
      });
      if (body.uuid) store.rememberUuid('create', app.app_id, body.uuid, message.message_id, now);
      core.events.emit('message', message);
      // An inline card is the message's content parsed: the view need not parse it again.
      return { body: sentAnswer(store, message, inline ? card! : undefined) };
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/:message_id/reply',
    title: '回复消息',
    tokens: ['tenant'],
    scopes: SEND_SCOPES,
    params: MESSAGE_PATH,
    body: s.object({ msg_type: text(), content: text(), uuid: s.optional(s.string({ maxLength: 50 })), reply_in_thread: s.optional(s.boolean()) }),
    errors: [...CONTENT_ERRORS, 230002, 230011, 230020, 230054, 232009],
    notes: '`msg_type`, `content`, `reply_in_thread`, and `uuid` (one reply per uuid for an hour); a reply to a message in a thread stays in that thread; the parent may not be recalled, unknown or batch-sent; the same card checks as a send.',
    coverage: { partial: 'the message types of the send; a reply in a topic group is not told apart from a reply in a normal group' },
    handle({ params, body, app, core }) {
      const store = core.store;
      const now = core.now();
      const first = body.uuid ? store.uuidMessage('reply', app.app_id, body.uuid, now) : undefined;
      if (first) return ok(messageView(store, first));
      const parent = findMessage(store, params.message_id);
      const chat = chatOf(store, app, parent);
      const parentExtra = extraOf(parent);
      if (parentExtra.batch_id) throw fail(230054, undefined, { details: [{ key: 'reason', value: 'a batch-sent message cannot be replied to' }] });
      const { card, inline } = checkContentWithRules(store, app, body.msg_type, body.content, core.settings.cardRules);
      core.takeImQuota(`recv:${chat.chat_id}`, 'receiverPerSecond');
      const message = storeMessage({ core }, {
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
      return { body: sentAnswer(store, message, inline ? card! : undefined) };
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/messages',
    title: '获取会话历史消息',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object({
      container_id_type: s.enum(['chat', 'thread']),
      container_id: text(),
      start_time: s.optional(s.string({ pattern: '^\\d{1,12}$', description: 'a Unix time in seconds' })),
      end_time: s.optional(s.string({ pattern: '^\\d{1,12}$', description: 'a Unix time in seconds' })),
      sort_type: s.optional(s.enum(['ByCreateTimeAsc', 'ByCreateTimeDesc'])),
      page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })),
      page_token: s.optional(s.string()),
      card_msg_content_type: s.optional(s.enum(['user_card_content', 'raw_card_content'])),
    }),
    errors: [230001, 230002, 230019, 232009],
    notes: '`container_id_type` `chat` (with `start_time` / `end_time` in seconds) or `thread`; `sort_type` `ByCreateTimeAsc` or `ByCreateTimeDesc`; `page_size` 1 to 50 and `page_token`; the bot must be in the chat, and an unknown thread is refused; `card_msg_content_type=user_card_content` gives cards as their JSON.',
    coverage: { partial: 'messages of the chat the emulator holds (the newest --max-messages); no chat-history visibility setting for members who joined later' },
    handle({ query, app, core }) {
      const store = core.store;
      const containerId = query.container_id;
      const start = query.start_time === undefined ? null : Number(query.start_time) * 1000;
      const end = query.end_time === undefined ? null : Number(query.end_time) * 1000;
      if (query.container_id_type === 'thread' && (start !== null || end !== null)) {
        throw invalidParam('start_time and end_time are not supported when container_id_type is thread');
      }
      const pageSize = query.page_size ?? 20;
      const offset = pageOffset(query.page_token);
      let items: MessageRecord[];
      if (query.container_id_type === 'chat') {
        if (!store.botChat(app, containerId, 'message')) throw invalidParam('container_id is not a chat the app can see');
        items = [...store.messages.values()].filter((m) => m.chat_id === containerId && (start === null || m.create_time >= start) && (end === null || m.create_time <= end));
      } else {
        items = [...store.messages.values()].filter((m) => peekExtra(m).thread_id === containerId);
        if (!items.length) throw fail(230019);
        if (!store.botChat(app, items[0]!.chat_id, 'message')) throw fail(230002);
      }
      items.sort((a, b) => a.create_time - b.create_time);
      if (query.sort_type === 'ByCreateTimeDesc') items.reverse();
      const view = contentView(query.card_msg_content_type);
      const page = items.slice(offset, offset + pageSize);
      const hasMore = offset + pageSize < items.length;
      return ok({ has_more: hasMore, page_token: hasMore ? pageToken(offset + pageSize) : '', items: page.map((m) => messageView(store, m, view)) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/messages/:message_id',
    title: '获取指定消息的内容',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    params: MESSAGE_PATH,
    query: CARD_VIEW,
    errors: [230001, 230027],
    notes: 'Answers the message with `root_id`, `parent_id` and `thread_id`. A card\'s `body.content` is the legacy digest (`{"title", "elements": [[{"tag":"text","text"}…]…]}`), which for a JSON 2.0 card holds only the "请升级至最新版本客户端，以查看内容" line and a placeholder image, as on the platform; `card_msg_content_type=user_card_content` gives the card JSON. A recalled message shows `deleted: true`; a `merge_forward` message is followed by its copies, each naming it as `upper_message_id`.',
    coverage: 'full',
    handle({ params, query, app, core }) {
      const store = core.store;
      const m = store.messages.get(params.message_id);
      if (!m) throw unknownMessage(store, params.message_id);
      if (!store.chats.get(m.chat_id)?.bots.has(app.app_id)) throw fail(230027);
      const view = contentView(query.card_msg_content_type);
      // A merge_forward message answers with its copies after it, each naming it as upper_message_id.
      const copies = store.mergedCopies(m).map((c) => ({ ...messageView(store, c, view), upper_message_id: m.message_id }));
      return ok({ items: [messageView(store, m, view), ...copies] });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v1/messages/:message_id',
    title: '更新已发送的消息卡片',
    tokens: ['tenant'],
    scopes: UPDATE_SCOPES,
    params: MESSAGE_PATH,
    body: s.object({ content: text() }),
    errors: [...CONTENT_ERRORS, 230011, 230020, 230027, 230031],
    notes: 'Cards only, sent by the bot; both the sent and the new card must be shared (`update_multi`); within 14 days of sending; not a recalled message; ephemeral and batch-sent cards are refused; 5 updates a second per message. The new card is checked as a send checks it.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const m = findMessage(core.store, params.message_id);
      if (m.app_id !== app.app_id) throw fail(230027, 'only the app that sent a message can update it.');
      if (m.msg_type !== 'interactive') throw invalidParam('only interactive (card) messages can be patched; text and post are edited with PUT');
      if (peekExtra(m).batch_id) throw invalidParam('a card sent with message/v4/batch_send cannot be updated');
      const now = core.now();
      if (now - m.create_time > PATCH_WINDOW_MS) throw fail(230031);
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
      return ok();
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v1/messages/:message_id',
    title: '编辑消息',
    tokens: ['tenant'],
    scopes: UPDATE_SCOPES,
    params: MESSAGE_PATH,
    body: s.object({ msg_type: text(), content: text() }),
    errors: [...CONTENT_ERRORS, 230002, 230011, 230054, 230071, 230072, 232009],
    notes: "Edits `text` and `post` messages the bot sent; a card sent this way is refused (the SDK's `updateByCard` does this; cards update with PATCH), as are batch-sent messages; at most 20 edits per message.",
    coverage: 'full',
    handle({ params, body, app, core }) {
      // Editing is for text and post; a card is updated with PATCH, and PUT refuses it.
      if (body.msg_type !== 'text' && body.msg_type !== 'post') throw invalidParam('invalid msg_type: only text and post messages can be edited; update a card with PATCH');
      const m = findMessage(core.store, params.message_id);
      chatOf(core.store, app, m);
      if (m.app_id !== app.app_id) throw fail(230071);
      const extra = extraOf(m);
      if ((m.msg_type !== 'text' && m.msg_type !== 'post') || extra.batch_id) {
        throw fail(230054, undefined, {
          details: [{ key: 'reason', value: extra.batch_id ? 'a batch-sent message cannot be edited' : `a ${m.msg_type} message cannot be edited; only text and post messages can` }],
        });
      }
      if (extra.edits >= MAX_EDITS) throw fail(230072);
      checkContentWithRules(core.store, app, body.msg_type, body.content, core.settings.cardRules);
      const now = core.now();
      extra.edits++;
      m.msg_type = body.msg_type;
      m.versions.push({ content: body.content, card: null, at: now, via: 'patch' });
      m.updated = true;
      m.update_time = now;
      core.events.emit('update', m);
      return ok(messageView(core.store, m));
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/messages/:message_id',
    title: '撤回消息',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:recall', 'im:message:send_as_bot'],
    params: MESSAGE_PATH,
    errors: [230001, 230002, 230009, 230011, 230026, 230054, 232009],
    notes: "Recall: the bot's own messages within the recall window (the tenant's setting, 24 hours by default), and others' messages when the bot owns, created or manages the group (1 year); already recalled and batch-sent messages are refused (a batch is recalled with its own route).",
    coverage: { partial: "the recall window is the tenant admin's default (24 hours for the sender), not a setting" },
    handle({ params, app, core }) {
      const m = findMessage(core.store, params.message_id);
      const chat = chatOf(core.store, app, m);
      if (peekExtra(m).batch_id) {
        throw fail(230054, undefined, { details: [{ key: 'reason', value: 'a batch-sent message is recalled with DELETE /open-apis/im/v1/batch_messages/:batch_message_id' }] });
      }
      const own = m.app_id === app.app_id;
      if (!own && !core.store.canManage(app, chat)) throw fail(230026);
      if (core.now() - m.create_time > (own ? RECALL_WINDOW_MS : MANAGER_RECALL_WINDOW_MS)) throw fail(230009, own ? 'one days.' : 'one year.');
      recall({ core }, m, own ? 'message_owner' : chat.owner_app_id === app.app_id ? 'group_owner' : 'group_manager');
      return ok();
    },
  }),
];

/** Pages of a list are offsets, handed out as opaque tokens. */
export function pageToken(offset: number): string {
  return Buffer.from(`p${offset}`).toString('base64url');
}

export function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  const decoded = /^p(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!decoded) throw invalidParam('page_token is invalid');
  return Number(decoded[1]);
}

/**
 * An app recalls a message (singly, or a batch's copies): the bots in its chat are told, behind
 * the API's answer. The sender recalling its own is `message_owner`.
 */
export function recall(ctx: Pick<RouteContext, 'core'>, m: MessageRecord, recallType: RecallType = 'message_owner'): void {
  const { core } = ctx;
  const at = core.now();
  core.store.recall(m, at);
  inBackground(core, 'im.message.recalled_v1', () => recallEvents(core, m, recallType, at));
}
