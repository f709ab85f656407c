import { messageReceived, type UserIds } from '../../callback/events.js';
import { botAdded, p2pChatEntered } from '../../callback/chat-events.js';
import { isObject } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { deliverEvent, eventLog } from '../delivery.js';
import { PlatformError } from '../http.js';
import { stableId } from '../../callback/seeded-ids.js';
import { newId } from '../ids.js';
import type { AppRecord, MessageRecord, Store, UserRecord } from '../store.js';
import { NO_USER_VIEWS } from '../store.js';
import { checkFields, fieldViolation, objectBody } from '../validate.js';
import { storedMessageView } from './control.js';
import { sniffImage } from './media.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });
const MAX_TEXT = 150 * 1024;

const userIds = (u: UserRecord): UserIds => ({ open_id: u.open_id, union_id: u.union_id, user_id: u.user_id });
const botIds = (a: AppRecord): UserIds => ({ open_id: a.bot_open_id, union_id: stableId('on_', `bot:${a.app_id}`), user_id: '' });

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
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = store.findUser('open_id', ctx.params.open_id!);
      if (!user) throw new PlatformError(404, 404, `no user ${ctx.params.open_id}`);
      const body = checkFields<{ text?: string; image?: Record<string, unknown>; file?: Record<string, unknown>; chat_id?: string; app_id?: string; mentions?: string[]; mention_bot?: boolean }>(objectBody(ctx.body), {
        text: { type: 'string', maxLength: MAX_TEXT },
        // A picture or a file the person sends instead of text: { data: base64, file_name }.
        image: { type: 'object' },
        file: { type: 'object' },
        chat_id: { type: 'string' },
        app_id: { type: 'string' },
        mentions: { type: 'string[]', maxItems: 20 },
        // The testing library's shorthand: @mention every bot in the chat.
        mention_bot: { type: 'boolean' },
      });
      const now = core.now();
      let chat;
      if (body.chat_id) {
        chat = store.chats.get(body.chat_id);
        if (!chat || chat.dissolved) throw fieldViolation('chat_id', 'no such chat', body.chat_id);
        if (!chat.members.has(user.open_id)) throw new PlatformError(400, 230002, `${user.name} is not a member of ${body.chat_id}`);
      } else {
        const app = store.apps.get(body.app_id ?? [...store.apps.keys()][0]!);
        if (!app) throw fieldViolation('app_id', 'no such app', body.app_id);
        chat = store.p2pChatFor(app, user, now);
      }
      // Mentions by app_id, bot open_id or user open_id; keys @_user_1… in the order given.
      const mentionIds = [...(body.mentions ?? []), ...(body.mention_bot && chat.chat_mode === 'group' ? [...chat.bots].filter((b) => !body.mentions?.includes(b)) : [])];
      const mentions = mentionIds.map((id, i) => {
        const key = `@_user_${i + 1}`;
        const app = store.apps.get(id) ?? [...store.apps.values()].find((a) => a.bot_open_id === id);
        if (app) return { key, id: app.bot_open_id, id_type: 'open_id' as const, name: app.name, app, ids: botIds(app) };
        const u = store.findUser('open_id', id);
        if (!u) throw fieldViolation('mentions', `${id} is neither an app nor a user`, id);
        return { key, id: u.open_id, id_type: 'open_id' as const, name: u.name, app: null, ids: userIds(u) };
      });
      const attached = await userAttachment(ctx, body, mentions.length > 0, now);
      let text = body.text ?? '';
      for (const m of mentions) if (!text.includes(m.key)) text = `${m.key} ${text}`;
      const msgType = attached?.msgType ?? 'text';
      const content = attached?.content ?? JSON.stringify({ text });
      const message = postUserMessage(store, chat, user, { msgType, content, mentions: mentions.map(({ key, id, id_type, name }) => ({ key, id, id_type, name })), now });
      core.events.emit('message', message);
      // In a group a bot hears only what @mentions it (without the read-all-messages scope).
      const recipients = [...chat.bots]
        .map((id) => store.apps.get(id))
        .filter((a): a is AppRecord => !!a && (chat.chat_mode === 'p2p' || mentions.some((m) => m.app?.app_id === a.app_id)));
      const deliveries = [];
      for (const app of recipients) {
        const payload = messageReceived(
          { app_id: app.app_id, tenant_key: store.tenantKey, now },
          { sender: userIds(user), message_id: message.message_id, chat_id: chat.chat_id, chat_type: chat.chat_mode, text, message_type: msgType, content, mentions: mentions.map((m) => ({ key: m.key, ids: m.ids, name: m.name })), create_time: now },
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
 * app; a group the app and the sender are in) and stores the message with the payload's text,
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
  const content = typeof m.content === 'string' ? m.content : JSON.stringify({ text: '' });
  const msgType = typeof m.message_type === 'string' ? m.message_type : 'text';
  const mentions = Array.isArray(m.mentions) ? m.mentions.filter(isObject).map((x) => ({
    key: String(x.key ?? ''),
    id: String((isObject(x.id) ? x.id.open_id : x.id) ?? ''),
    id_type: 'open_id' as const,
    name: String(x.name ?? ''),
  })) : [];
  const message = postUserMessage(store, chat, user, { msgType, content, mentions, now });
  core.events.emit('message', message);
  m.message_id = message.message_id;
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
 * The picture or file a person sends (instead of text): stored in the media store as nobody's
 * upload (app_id ''), so no app may fetch it as its own and every bot in the chat may download it
 * from the message (GET …/messages/:message_id/resources/:file_key).
 */
async function userAttachment(
  ctx: RouteContext,
  body: { text?: string; image?: Record<string, unknown>; file?: Record<string, unknown> },
  mentioned: boolean,
  now: number,
): Promise<{ msgType: string; content: string } | null> {
  const given = [body.text !== undefined && 'text', body.image && 'image', body.file && 'file'].filter(Boolean);
  if (given.length !== 1) throw fieldViolation('text', `give one of text, image or file${given.length ? ` (given: ${given.join(', ')})` : ''}`);
  if (body.text !== undefined) return null;
  if (mentioned) throw fieldViolation('mentions', 'mentions go with text: a picture or a file cannot @mention');
  const field = body.image ? 'image' : 'file';
  const part = (body.image ?? body.file)!;
  if (typeof part.data !== 'string' || !part.data) throw fieldViolation(`${field}.data`, `${field}.data is required: the bytes, base64`);
  const bytes = Buffer.from(part.data, 'base64');
  if (!bytes.length) throw fieldViolation(`${field}.data`, `${field}.data is empty`);
  const fileName = typeof part.file_name === 'string' && part.file_name ? part.file_name : null;
  const media = ctx.core.media;
  if (field === 'image') {
    const sniffed = await sniffImage(bytes);
    if (!sniffed) throw fieldViolation('image.data', 'image.data is not an image the platform reads (png, jpg, gif, webp…)');
    const m = media.add({ kind: 'image', app_id: '', type: 'message', format: sniffed.type, file_name: fileName, width: sniffed.width, height: sniffed.height, bytes, created_at: now });
    return { msgType: 'image', content: JSON.stringify({ image_key: m.key }) };
  }
  if (!fileName) throw fieldViolation('file.file_name', 'file.file_name is required');
  const m = media.add({ kind: 'file', app_id: '', type: 'stream', format: 'stream', file_name: fileName, width: null, height: null, bytes, created_at: now });
  return { msgType: 'file', content: JSON.stringify({ file_key: m.key, file_name: fileName }) };
}

/**
 * Stores a message a person sent to a chat. No app sent it, so no bot may edit, recall or urge
 * it as its own (app_id is empty).
 */
function postUserMessage(
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
