import { messageReceived, type UserIds } from '../../callback/events.js';
import { botAdded, p2pChatEntered } from '../../callback/chat-events.js';
import { isObject } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { deliverEvent, eventLog } from '../delivery.js';
import { PlatformError } from '../http.js';
import { newId } from '../ids.js';
import { CONTENT_FIELDS, MAX_TEXT, PERSON_MESSAGE_MAX_BODY, readPersonMessage, userIds, type PersonMessageBody } from '../person-messages.js';
import type { AppRecord, ChatRecord, MessageRecord, Store, UserRecord } from '../store.js';
import { NO_USER_VIEWS } from '../store.js';
import { checkFields, fieldViolation, objectBody } from '../validate.js';
import { storedMessageView } from './control.js';
import { messageResources } from './message-resources.js';
import { memberChat, personInPath } from './person-path.js';

/** The @mentions a replayed message may carry (the platform's own bound is far lower in practice). */
const MAX_REPLAYED_MENTIONS = 100;

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

/**
 * Events from people: a user writes to a bot (p2p) or @mentions it in a group, and each bot
 * that would be told gets `im.message.receive_v1` where its event setting says. The message is
 * stored, so the inbox and the message APIs show it.
 */
export const eventRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/_emulator/users/:open_id/messages',
    auth: 'none',
    // A video and its cover come base64 in the body.
    maxBodyBytes: PERSON_MESSAGE_MAX_BODY,
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const body = checkFields<PersonMessageBody & { chat_id?: string; app_id?: string }>(objectBody(ctx.body), {
        text: { type: 'string', maxLength: MAX_TEXT },
        // Instead of text, one of: a post, a picture, a file, a voice message, a video, a sticker,
        // merged messages, a group card, a contact card, a location or a task (person-messages.ts).
        ...Object.fromEntries(CONTENT_FIELDS.filter((f) => f !== 'text').map((f) => [f, { type: 'object' as const }])),
        chat_id: { type: 'string' },
        app_id: { type: 'string' },
        mentions: { type: 'string[]', maxItems: 20 },
        // The testing library's shorthand: @mention every bot in the chat.
        mention_bot: { type: 'boolean' },
      });
      const now = core.now();
      let chat;
      if (body.chat_id) chat = memberChat(store, user, body.chat_id);
      else {
        const app = store.apps.get(body.app_id ?? [...store.apps.keys()][0]!);
        if (!app) throw fieldViolation('app_id', 'no such app', body.app_id);
        chat = store.p2pChatFor(app, user, now);
      }
      // Everything is checked before anything is stored: a refused message leaves no upload behind.
      const sent = await readPersonMessage(store, chat, user, body);
      const content = sent.commit(core.media, now);
      const { msgType, mentions } = sent;
      const message = postUserMessage(store, chat, user, { msgType, content, mentions: mentions.map(({ key, id, id_type, name }) => ({ key, id, id_type, name })), now });
      if (sent.merged) store.addMerged({ message_id: message.message_id, children: sent.merged });
      core.events.emit('message', message);
      // In a group a bot hears only what @mentions it (without the read-all-messages scope).
      const recipients = [...chat.bots]
        .map((id) => store.apps.get(id))
        .filter((a): a is AppRecord => !!a && (chat.chat_mode === 'p2p' || mentions.some((m) => m.app?.app_id === a.app_id)));
      const deliveries = [];
      for (const app of recipients) {
        const payload = messageReceived(
          { app_id: app.app_id, tenant_key: store.tenantKey, now },
          { sender: userIds(user), message_id: message.message_id, chat_id: chat.chat_id, chat_type: chat.chat_mode, text: '', message_type: msgType, content, mentions: mentions.map((m) => ({ key: m.key, ids: m.ids, name: m.name })), create_time: now },
        );
        deliveries.push(await deliverEvent(core, app, payload));
      }
      return ok({ message_id: message.message_id, message: storedMessageView(message), deliveries });
    },
  },
  {
    // Any event, built from a shipped shape or given whole, sent to the app where it says.
    method: 'POST',
    pattern: '/_emulator/apps/:app_id/events',
    auth: 'none',
    async handle(ctx) {
      const store = ctx.core.store;
      const app = store.apps.get(ctx.params.app_id!);
      if (!app) throw new PlatformError(404, 404, `no app ${ctx.params.app_id}`);
      const body = objectBody(ctx.body);
      const now = ctx.core.now();
      const parts = { app_id: app.app_id, tenant_key: store.tenantKey, now };
      let payload: Record<string, unknown>;
      if (isObject(body.payload)) payload = body.payload;
      else {
        const user = store.findUser('open_id', String(body.open_id ?? store.users[0]?.open_id ?? ''));
        if (!user) throw fieldViolation('open_id', 'no such user', body.open_id);
        if (body.event_type === 'im.chat.member.bot.added_v1') {
          const chat = store.chats.get(String(body.chat_id ?? ''));
          if (!chat) throw fieldViolation('chat_id', 'no such chat', body.chat_id);
          payload = botAdded(parts, { chat_id: chat.chat_id, operator: userIds(user), name: chat.name });
        } else if (body.event_type === 'im.chat.access_event.bot_p2p_chat_entered_v1') {
          const chat = store.p2pChatFor(app, user, now);
          payload = p2pChatEntered(parts, { chat_id: chat.chat_id, operator: userIds(user), last_message_id: '', last_message_create_time: '' });
        } else {
          throw fieldViolation('event_type', 'give payload, or event_type im.chat.member.bot.added_v1 or im.chat.access_event.bot_p2p_chat_entered_v1', body.event_type);
        }
      }
      return ok({ delivery: await deliverEvent(ctx.core, app, payload) });
    },
  },
  {
    // A message event about to be replayed at this app (replay-callback): the message it names,
    // and its chat, are made to exist, so the bot's reply to it works as it would on the
    // platform. The payload comes back with the ids of the stored message and chat.
    method: 'POST',
    pattern: '/_emulator/event-messages',
    auth: 'tenant',
    handle(ctx) {
      const body = objectBody(ctx.body);
      if (!isObject(body.payload)) throw fieldViolation('payload', 'payload must be a JSON object');
      const payload = structuredClone(body.payload);
      const made = materializeMessageEvent(ctx, payload);
      return ok({ payload, message_id: made?.message_id ?? null, chat_id: made?.chat_id ?? null });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/events',
    auth: 'none',
    handle: (ctx) => ok({ events: eventLog(ctx.core).filter((e) => !ctx.query.get('app_id') || e.app_id === ctx.query.get('app_id')) }),
  },
];

/**
 * For `im.message.receive_v1`: finds or makes the chat (the sender's one-to-one chat with the
 * app; a group the app and the sender are in) and stores the message with the payload's type and content,
 * then points the payload at them. The sender must be a user the emulator knows. Other events
 * are left as they are. Returns the stored message, or null when nothing was made.
 */
function materializeMessageEvent(ctx: RouteContext, payload: Record<string, unknown>): MessageRecord | null {
  const header = isObject(payload.header) ? payload.header : null;
  const event = isObject(payload.event) ? payload.event : null;
  if (header?.event_type !== 'im.message.receive_v1' || !event || !isObject(event.message)) return null;
  const { core, app } = ctx;
  const store = core.store;
  const m = event.message;
  const senderIds = isObject(event.sender) && isObject(event.sender.sender_id) ? event.sender.sender_id : {};
  const user = store.findUser('open_id', String(senderIds.open_id ?? ''));
  if (!user) throw fieldViolation('payload.event.sender.sender_id.open_id', `the sender ${String(senderIds.open_id ?? '(none)')} is not a user of this emulator: use a seeded user's open_id (card replay-callback --operator picks one)`, senderIds.open_id);
  const existing = typeof m.message_id === 'string' ? store.messages.get(m.message_id) : undefined;
  if (existing && !existing.deleted && existing.sender_open_id === user.open_id) return existing;
  const now = core.now();
  let chat;
  if (m.chat_type === 'group') {
    const named = store.chats.get(String(m.chat_id ?? ''));
    chat = named && !named.dissolved && named.bots.has(app.app_id) && named.members.has(user.open_id)
      ? named
      : [...store.chats.values()].find((c) => c.chat_mode === 'group' && !c.dissolved && c.bots.has(app.app_id) && c.members.has(user.open_id));
    if (!chat) throw fieldViolation('payload.event.message.chat_id', `no group chat has both ${app.app_id} and ${user.open_id}: create one (card create-chat) or seed it`, m.chat_id);
  } else {
    chat = store.p2pChatFor(app, user, now);
  }
  const msgType = typeof m.message_type === 'string' ? m.message_type : 'text';
  // The payload is a recording, replayed: what it makes the emulator keep is held to a person's message bounds.
  if (!/^[a-z_]{1,32}$/.test(msgType)) throw fieldViolation('payload.event.message.message_type', 'must be a message type such as text, post or image', msgType.slice(0, 64));
  if (typeof m.content === 'string' && m.content.length > MAX_TEXT) throw fieldViolation('payload.event.message.content', `is ${m.content.length} characters; a message holds at most ${MAX_TEXT}`);
  if (Array.isArray(m.mentions) && m.mentions.length > MAX_REPLAYED_MENTIONS) throw fieldViolation('payload.event.message.mentions', `holds ${m.mentions.length} mentions; at most ${MAX_REPLAYED_MENTIONS}`);
  const content = sharedHere(store, user, chat, msgType, typeof m.content === 'string' ? m.content : JSON.stringify({ text: '' }));
  const mentions = Array.isArray(m.mentions) ? m.mentions.filter(isObject).map((x) => ({
    key: String(x.key ?? '').slice(0, 64),
    id: String((isObject(x.id) ? x.id.open_id : x.id) ?? '').slice(0, 128),
    id_type: 'open_id' as const,
    name: String(x.name ?? '').slice(0, 255),
  })) : [];
  const message = postUserMessage(store, chat, user, { msgType, content, mentions, now });
  // The pictures, files, voice and video the content names are known keys (the event carries no
  // bytes: a download answers that there are none); merged messages carry no copies it could name.
  for (const [key, kind] of messageResources(message)) core.media.name(key, kind, now);
  if (msgType === 'merge_forward') store.addMerged({ message_id: message.message_id, children: [] });
  core.events.emit('message', message);
  m.message_id = message.message_id;
  m.content = content;
  m.chat_id = chat.chat_id;
  m.chat_type = chat.chat_mode;
  m.create_time = String(now);
  m.update_time = String(now);
  // Replies in a thread of a message that is not there would fail the same way: start afresh.
  m.root_id = '';
  m.parent_id = '';
  m.thread_id = '';
  event.sender = { ...(isObject(event.sender) ? event.sender : {}), sender_id: { open_id: user.open_id, union_id: user.union_id, user_id: user.user_id }, sender_type: 'user', tenant_key: store.tenantKey };
  return message;
}

/**
 * A replayed group or contact card names a chat or person of the recording's tenant: it is pointed
 * at one this emulator has (a group the sender is in; the sender), so a bot that looks it up finds it.
 */
function sharedHere(store: Store, user: UserRecord, chat: ChatRecord, msgType: string, content: string): string {
  if (msgType !== 'share_chat' && msgType !== 'share_user') return content;
  let c: unknown;
  try {
    c = JSON.parse(content);
  } catch {
    return content;
  }
  if (!isObject(c)) return content;
  if (msgType === 'share_chat') {
    const named = store.chats.get(String(c.chat_id ?? ''));
    if (named && !named.dissolved && named.members.has(user.open_id)) return content;
    const group = chat.chat_mode === 'group' ? chat : [...store.chats.values()].find((g) => g.chat_mode === 'group' && !g.dissolved && g.members.has(user.open_id));
    return group ? JSON.stringify({ ...c, chat_id: group.chat_id }) : content;
  }
  return store.findUser('open_id', String(c.user_id ?? '')) ? content : JSON.stringify({ ...c, user_id: user.open_id });
}

/**
 * Stores a message a person sent to a chat. No app sent it, so no bot may edit, recall or urge
 * it as its own (app_id is empty).
 */
export function postUserMessage(
  store: Store,
  chat: { chat_id: string },
  user: { open_id: string },
  m: { msgType: string; content: string; mentions: MessageRecord['mentions']; now: number },
): MessageRecord {
  const message: MessageRecord = {
    message_id: newId.message(),
    app_id: '',
    chat_id: chat.chat_id,
    msg_type: m.msgType,
    receive_id: chat.chat_id,
    receive_id_type: 'chat_id',
    uuid: null,
    create_time: m.now,
    update_time: m.now,
    updated: false,
    deleted: false,
    versions: [{ content: m.content, card: null, at: m.now, via: 'create' }],
    user_views: NO_USER_VIEWS,
    sender_open_id: user.open_id,
    mentions: m.mentions,
  };
  store.addMessage(message);
  return message;
}
