import type { Route } from '../core.js';
import type { EmulatorCore } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { newId } from '../ids.js';
import { extraOf, peekExtra } from '../message-extras.js';
import type { AppRecord, MessageRecord, Store, UuidKind } from '../store.js';
import { messageView, storeMessage } from './messages.js';

const SCOPES = ['im:message', 'im:message:send_as_bot'];
const RECEIVE_ID_TYPES = ['open_id', 'user_id', 'union_id', 'email', 'chat_id', 'thread_id'] as const;
type ReceiveIdType = (typeof RECEIVE_ID_TYPES)[number];
/** What the platform shows as the content of a merged message. */
export const MERGED_CONTENT = 'Merged and Forwarded Message';
const MAX_MERGE = 100;
/** Red packets, votes, audio, calendar transfers and system messages cannot be forwarded. */
export const NOT_FORWARDABLE = new Set(['audio', 'hongbao', 'vote', 'share_calendar_event', 'calendar', 'general_calendar', 'system']);

const FORWARD_QUERY = s.object({
  receive_id_type: s.enum(RECEIVE_ID_TYPES),
  uuid: s.optional(s.string({ maxLength: 50 })),
});
const TARGET_ERRORS = [230002, 230013, 230019, 230020, 230034, 230063, 232009] as const;
const LEFT_OUT = 'no group speaking permissions (230018), secret or restricted groups, or external chats';
/** 230064 has one sentence in the catalogue; the merged and thread forms of it go in its detail. */
const WORDING = "230064 answers forward's sentence with this case's reason after it (the docs word it per route)";

interface Target {
  chatId: string;
  /** Set when the target is a thread: the new message joins it. */
  thread: { id: string; root: string } | null;
}

/** The messages of a thread, oldest first. */
function threadMessages(store: Store, threadId: string): MessageRecord[] {
  return [...store.messages.values()].filter((m) => peekExtra(m).thread_id === threadId).sort((a, b) => a.create_time - b.create_time);
}

/** Where a forward goes: a chat the bot is in, a thread of one, or a person's one-to-one chat with the bot. */
function resolveTarget(store: Store, app: AppRecord, idType: ReceiveIdType, receiveId: string, now: number): Target {
  if (idType === 'chat_id') {
    const chat = store.chats.get(receiveId);
    if (!chat) throw fail(230063);
    store.botChat(app, chat.chat_id, 'message');
    return { chatId: chat.chat_id, thread: null };
  }
  if (idType === 'thread_id') {
    const first = threadMessages(store, receiveId)[0];
    if (!first) throw fail(230019);
    store.botChat(app, first.chat_id, 'message');
    return { chatId: first.chat_id, thread: { id: receiveId, root: peekExtra(first).root_id || first.message_id } };
  }
  const user = store.findUser(idType, receiveId);
  if (!user) throw fail(230034, `no user has ${idType} ${receiveId}`);
  if (user.resigned || (app.availability && !app.availability.has(user.open_id))) throw fail(230013);
  return { chatId: store.p2pChatFor(app, user, now).chat_id, thread: null };
}

/** A source message the bot may see: it is in the message's chat (230002). */
function visibleSource(store: Store, app: AppRecord, m: MessageRecord): void {
  const chat = store.chats.get(m.chat_id);
  if (!chat || !chat.bots.has(app.app_id)) throw fail(230002, 'the bot is not in the chat of the message to forward');
}

/** A new message in the target, made the way a send makes one, so the inbox and events see it. */
function post(core: EmulatorCore, app: AppRecord, target: Target, from: { msgType: string; content: string; card: MessageRecord['versions'][number]['card'] }, receive: { idType: string; id: string; uuid: string | null }): MessageRecord {
  core.takeImQuota(`recv:${target.chatId}`, 'receiverPerSecond');
  const now = core.now();
  const message = storeMessage({ core }, {
    app, chatId: target.chatId, msgType: from.msgType, content: from.content, card: from.card, inline: false, receiveId: receive.id, receiveIdType: receive.idType, uuid: receive.uuid, now,
  });
  if (target.thread) {
    const extra = extraOf(message);
    extra.thread_id = target.thread.id;
    extra.root_id = target.thread.root;
    extra.parent_id = target.thread.root;
  }
  return message;
}

/** A merged message: the copies it carries get ids of their own and point up at it. */
function postMerged(core: EmulatorCore, app: AppRecord, target: Target, sources: MessageRecord[], receive: { idType: string; id: string; uuid: string | null }): MessageRecord {
  const message = post(core, app, target, { msgType: 'merge_forward', content: MERGED_CONTENT, card: null }, receive);
  core.store.addMerged({ message_id: message.message_id, children: mergedCopiesOf(sources) });
  core.events.emit('message', message);
  return message;
}

/** The copies a merged message carries: each message as it stands now, under an id of its own. */
export function mergedCopiesOf(sources: MessageRecord[]): MessageRecord[] {
  return sources.map((m): MessageRecord => {
    const last = m.versions[m.versions.length - 1]!;
    return { ...m, message_id: newId.message(), versions: [{ content: last.content, card: last.card, at: last.at, via: 'create' }], extra: undefined };
  });
}

/** The copies a merge_forward message carries, as GET of that message lists them after it. */
export function mergedItems(store: Store, m: MessageRecord) {
  return store.mergedCopies(m).map((c) => ({ ...messageView(store, c), upper_message_id: m.message_id }));
}

/** One answer per uuid and target within the hour, as the platform keeps it. */
function uuidKey(idType: string, receiveId: string, uuid: string): string {
  return `${idType}:${receiveId}\0${uuid}`;
}

function earlier(store: Store, kind: UuidKind, app: AppRecord, q: { receive_id_type: string; uuid?: string }, receiveId: string, now: number): MessageRecord | undefined {
  return q.uuid ? store.uuidMessage(kind, app.app_id, uuidKey(q.receive_id_type, receiveId, q.uuid), now) : undefined;
}

function remember(store: Store, kind: UuidKind, app: AppRecord, q: { receive_id_type: string; uuid?: string }, receiveId: string, m: MessageRecord, now: number): void {
  if (q.uuid) store.rememberUuid(kind, app.app_id, uuidKey(q.receive_id_type, receiveId, q.uuid), m.message_id, now);
}

export const forwardRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/:message_id/forward',
    title: '转发消息',
    tokens: ['tenant'],
    scopes: SCOPES,
    params: s.object({ message_id: s.string() }),
    query: FORWARD_QUERY,
    body: s.object({ receive_id: s.string({ minLength: 1 }) }),
    errors: [...TARGET_ERRORS, 230061, 230064, 230065],
    notes: 'Forwards to a person, a chat or a thread (`receive_id_type`) as a new message the inbox shows like a send; the bot must be in the source chat and the target; recalled messages and types that cannot be forwarded are refused; a `uuid` query makes a retry within an hour answer the first forward to the same target.',
    coverage: { partial: LEFT_OUT },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const now = core.now();
      const first = earlier(store, 'forward', app, query, body.receive_id, now);
      if (first) return ok(messageView(store, first));
      const m = store.messages.get(params.message_id);
      if (!m) {
        if (store.mergedChild(params.message_id)) throw fail(230061, 'a message inside a merged message cannot be forwarded again');
        throw fail(230064, `no message ${params.message_id}.${store.droppedNote(params.message_id)}`);
      }
      visibleSource(store, app, m);
      if (m.deleted) throw fail(230065);
      if (NOT_FORWARDABLE.has(m.msg_type)) throw fail(230061, `a ${m.msg_type} message cannot be forwarded`);
      const target = resolveTarget(store, app, query.receive_id_type, body.receive_id, now);
      const receive = { idType: query.receive_id_type, id: body.receive_id, uuid: query.uuid ?? null };
      let message: MessageRecord;
      if (m.msg_type === 'merge_forward') {
        // A merged message forwarded on carries the same copies.
        message = postMerged(core, app, target, store.merged.get(m.message_id)?.children ?? [], receive);
      } else {
        const last = m.versions[m.versions.length - 1]!;
        message = post(core, app, target, { msgType: m.msg_type, content: last.content, card: last.card }, receive);
        core.events.emit('message', message);
      }
      remember(store, 'forward', app, query, body.receive_id, message, now);
      return ok(messageView(store, message));
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/merge_forward',
    title: '合并转发消息',
    tokens: ['tenant'],
    scopes: SCOPES,
    query: FORWARD_QUERY,
    body: s.object({ receive_id: s.string({ minLength: 1 }), message_id_list: s.array(s.string(), { minItems: 1, maxItems: MAX_MERGE }) }),
    errors: [...TARGET_ERRORS, 230064, 230065, 230067, 230069],
    notes: '`message_id_list` of messages of one chat (and one thread at most) becomes one `merge_forward` message reading `Merged and Forwarded Message`, its copies kept after it; unknown, recalled and unforwardable ones come back in `invalid_message_id_list`, and none left is refused; `uuid` as forward.',
    coverage: { partial: `${LEFT_OUT}; the copies are kept in the order the messages were sent (the docs do not say); ${WORDING}` },
    handle({ query, body, app, core }) {
      const store = core.store;
      const now = core.now();
      const first = earlier(store, 'merge_forward', app, query, body.receive_id, now);
      if (first) return ok({ message: messageView(store, first), invalid_message_id_list: [] });
      const valid: MessageRecord[] = [];
      const invalid: string[] = [];
      let recalled = 0;
      for (const id of new Set(body.message_id_list)) {
        const m = store.messages.get(id);
        if (!m || m.deleted || NOT_FORWARDABLE.has(m.msg_type)) {
          if (m?.deleted) recalled++;
          invalid.push(id);
        } else valid.push(m);
      }
      if (!valid.length) {
        if (recalled === invalid.length) throw fail(230065, 'all messages to be forwarded have been recalled');
        throw fail(230064, 'all messages to be forwarded are invalid');
      }
      const chatId = valid[0]!.chat_id;
      if (valid.some((m) => m.chat_id !== chatId)) throw fail(230069);
      const threads = new Set(valid.map((m) => peekExtra(m).thread_id));
      if (threads.size > 1) throw fail(230067, threads.has('') ? 'thread messages and other messages cannot be merged together' : 'the messages come from more than one thread');
      visibleSource(store, app, valid[0]!);
      const target = resolveTarget(store, app, query.receive_id_type, body.receive_id, now);
      valid.sort((a, b) => a.create_time - b.create_time);
      const message = postMerged(core, app, target, valid, { idType: query.receive_id_type, id: body.receive_id, uuid: query.uuid ?? null });
      remember(store, 'merge_forward', app, query, body.receive_id, message, now);
      return ok({ message: messageView(store, message), invalid_message_id_list: invalid });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/threads/:thread_id/forward',
    title: '转发话题',
    tokens: ['tenant'],
    scopes: SCOPES,
    params: s.object({ thread_id: s.string() }),
    query: FORWARD_QUERY,
    body: s.object({ receive_id: s.string({ minLength: 1 }) }),
    errors: [...TARGET_ERRORS, 230064],
    notes: "Forwards a whole thread to a person, a chat or a thread; the bot must be in the thread's chat; `uuid` as forward.",
    coverage: { partial: `${LEFT_OUT}; ${WORDING}` },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const now = core.now();
      const first = earlier(store, 'thread_forward', app, query, body.receive_id, now);
      if (first) return ok(messageView(store, first));
      const messages = threadMessages(store, params.thread_id);
      if (!messages.length) throw fail(230064, `the thread to be forwarded is invalid: no thread ${params.thread_id}`);
      visibleSource(store, app, messages[0]!);
      const target = resolveTarget(store, app, query.receive_id_type, body.receive_id, now);
      const message = postMerged(core, app, target, messages.filter((m) => !m.deleted), { idType: query.receive_id_type, id: body.receive_id, uuid: query.uuid ?? null });
      remember(store, 'thread_forward', app, query, body.receive_id, message, now);
      return ok(messageView(store, message));
    },
  }),
];
