import { botAdded, botDeleted, chatDisbanded, chatUpdated, membersChanged, p2pChatEntered, type ChatChange, type ChatEventParts } from '../callback/chat-events.js';
import type { EnvelopeParts, UserIds } from '../callback/events.js';
import { stableId } from '../callback/seeded-ids.js';
import type { EmulatorCore } from './core.js';
import { deliverEvent } from './delivery.js';
import type { AppRecord, ChatRecord, DeliveryRecord, Store, UserRecord } from './store.js';

/**
 * Who the platform tells of a chat's life, and the telling. A bot added or removed is told itself
 * ("仅被移除群组且订阅该事件的机器人会收到"; bots already in a group are not told of another bot
 * joining); people joining, leaving or withdrawn, a changed group and a disbanded one are told to
 * every bot in the group ("在群组内的、已订阅该事件的机器人"), the app whose API call made the
 * change included, as the event pages exclude no one; a one-to-one chat opened is told to its bot.
 * A person's action waits for the deliveries; an app's call sends them behind its answer
 * (`inBackground`).
 */

/** Who acted: a person, or an app through the API (named in events by its bot's ids). */
export type ChatOperator = { type: 'user'; user: UserRecord } | { type: 'app'; app: AppRecord };

export const userIds = (u: UserRecord): UserIds => ({ open_id: u.open_id, union_id: u.union_id, user_id: u.user_id });
export const botIds = (a: AppRecord): UserIds => ({ open_id: a.bot_open_id, union_id: stableId('on_', `bot:${a.app_id}`), user_id: '' });
const operatorIds = (op: ChatOperator): UserIds => (op.type === 'user' ? userIds(op.user) : botIds(op.app));

function parts(chat: ChatRecord, op: ChatOperator): ChatEventParts {
  return { chat_id: chat.chat_id, operator: operatorIds(op), name: chat.name, i18n_names: (chat.extra.i18n_names as ChatEventParts['i18n_names']) ?? undefined };
}

function appsOf(store: Store, ids: Iterable<string>): AppRecord[] {
  return [...ids].map((id) => store.apps.get(id)).filter((a): a is AppRecord => !!a);
}

async function deliverAll(core: EmulatorCore, apps: AppRecord[], build: (p: EnvelopeParts) => Record<string, unknown>): Promise<DeliveryRecord[]> {
  const out: DeliveryRecord[] = [];
  for (const app of apps) out.push(await deliverEvent(core, app, build({ app_id: app.app_id, tenant_key: core.store.tenantKey, now: core.now() })));
  return out;
}

/** Bots that joined a group: each is told it was added. */
export function botsAddedEvents(core: EmulatorCore, chat: ChatRecord, appIds: string[], op: ChatOperator): Promise<DeliveryRecord[]> {
  return deliverAll(core, appsOf(core.store, appIds), (p) => botAdded(p, parts(chat, op)));
}

/** Bots that left a group or were removed: each is told, and no longer sees the chat. */
export function botsDeletedEvents(core: EmulatorCore, chat: ChatRecord, appIds: string[], op: ChatOperator): Promise<DeliveryRecord[]> {
  return deliverAll(core, appsOf(core.store, appIds), (p) => botDeleted(p, parts(chat, op)));
}

/**
 * People who joined, left (or were removed), or whose invitation was withdrawn: the bots in the
 * group now (`to` narrows them, e.g. to those that were there before bots joined alongside) are told.
 */
export function membersEvents(core: EmulatorCore, chat: ChatRecord, change: 'added' | 'deleted' | 'withdrawn', users: UserRecord[], op: ChatOperator, to: Iterable<string> = chat.bots): Promise<DeliveryRecord[]> {
  if (!users.length) return Promise.resolve([]);
  const listed = users.map((u) => ({ name: u.name, ids: userIds(u) }));
  return deliverAll(core, appsOf(core.store, to), (p) => membersChanged(p, change, { ...parts(chat, op), users: listed }));
}

/** What changed between two views of a chat's settings: only the fields that differ, before and after. */
export function changeBetween(before: ChatChange, after: ChatChange): { before: ChatChange; after: ChatChange } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof ChatChange>) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    if (before[key] !== undefined) b[key] = before[key];
    if (after[key] !== undefined) a[key] = after[key];
  }
  return Object.keys(a).length || Object.keys(b).length ? { before: b, after: a } : null;
}

/**
 * A group's settings changed (name, description, owner, permissions, who may speak): every bot in
 * it is told what changed. Nothing changed, nobody is told.
 */
export function chatUpdatedEvents(
  core: EmulatorCore,
  chat: ChatRecord,
  op: ChatOperator,
  before: ChatChange,
  after: ChatChange,
  moderators?: { added: UserRecord[]; removed: UserRecord[] },
): Promise<DeliveryRecord[]> {
  const change = changeBetween(before, after);
  const listChanged = !!moderators && (moderators.added.length > 0 || moderators.removed.length > 0);
  if (!change && !listChanged) return Promise.resolve([]);
  const mods = listChanged ? { added: moderators!.added.map(userIds), removed: moderators!.removed.map(userIds) } : undefined;
  return deliverAll(core, appsOf(core.store, chat.bots), (p) => chatUpdated(p, { chat_id: chat.chat_id, operator: operatorIds(op), after: change?.after ?? {}, before: change?.before ?? {}, moderators: mods }));
}

/** A group was disbanded: the bots that were in it are told. */
export function disbandedEvents(core: EmulatorCore, chat: ChatRecord, op: ChatOperator): Promise<DeliveryRecord[]> {
  return deliverAll(core, appsOf(core.store, chat.bots), (p) => chatDisbanded(p, parts(chat, op)));
}

/** A person opened their one-to-one chat with the app's bot: that bot is told, with the newest message there. */
export function p2pEnteredEvents(core: EmulatorCore, chat: ChatRecord, app: AppRecord, user: UserRecord): Promise<DeliveryRecord[]> {
  let last: { id: string; at: number } | null = null;
  for (const m of core.store.messages.values()) if (m.chat_id === chat.chat_id && !m.deleted && (!last || m.create_time >= last.at)) last = { id: m.message_id, at: m.create_time };
  return deliverAll(core, [app], (p) => p2pChatEntered(p, { chat_id: chat.chat_id, operator: userIds(user), last_message_id: last?.id ?? '', last_message_create_time: last ? String(last.at) : '' }));
}
