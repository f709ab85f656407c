import { messageRead, messageRecalled, reactionChanged, type RecallType, type UserIds } from '../callback/events.js';
import type { EmulatorCore } from './core.js';
import { deliverEvent } from './delivery.js';
import type { AppRecord, DeliveryRecord, MessageRecord, ReactionRecord, UserRecord } from './store.js';

/**
 * The events that something done to a stored message causes (a reaction added or taken back, a
 * read, a recall), sent to the apps the platform tells. A person's action (the control API, the
 * testing library) waits for the deliveries and answers them; an app's API call answers at once
 * and its events go out behind it, as on the platform, where `deliveriesSettled` finds them.
 */

const userIds = (u: UserRecord): UserIds => ({ open_id: u.open_id, union_id: u.union_id, user_id: u.user_id });

/** The apps whose bots are in the message's chat, in the order they joined. */
function botsInChat(core: EmulatorCore, m: MessageRecord): AppRecord[] {
  const chat = core.store.chats.get(m.chat_id);
  if (!chat) return [];
  return [...chat.bots].map((id) => core.store.apps.get(id)).filter((a): a is AppRecord => !!a);
}

async function deliverAll(core: EmulatorCore, apps: AppRecord[], build: (parts: { app_id: string; tenant_key: string; now: number }) => Record<string, unknown>): Promise<DeliveryRecord[]> {
  const out: DeliveryRecord[] = [];
  for (const app of apps) out.push(await deliverEvent(core, app, build({ app_id: app.app_id, tenant_key: core.store.tenantKey, now: core.now() })));
  return out;
}

/** Sends without holding up the API answer; the delivery log keeps the outcome. */
export function inBackground(core: EmulatorCore, what: string, send: () => Promise<unknown>): void {
  const inFlight = core.store.deliveryLog.inFlight;
  const run = send().then(() => undefined);
  inFlight.add(run);
  void run.catch((err: unknown) => process.stderr.write(`emulator: sending ${what} failed: ${(err as Error)?.message ?? String(err)}\n`)).finally(() => inFlight.delete(run));
}

/**
 * A reaction added or taken back: every bot in the chat hears of it, the one that reacted
 * included (the event names an app operator by its app_id, so apps' reactions are reported too).
 */
export function reactionEvents(core: EmulatorCore, m: MessageRecord, r: ReactionRecord, change: 'created' | 'deleted', at: number): Promise<DeliveryRecord[]> {
  const store = core.store;
  let operator: Parameters<typeof reactionChanged>[2]['operator'];
  if (r.operator.type === 'app') operator = { type: 'app', app_id: r.operator.id };
  else {
    const u = store.findUser('open_id', r.operator.id);
    operator = { type: 'user', ids: u ? userIds(u) : { open_id: r.operator.id, union_id: '', user_id: '' } };
  }
  return deliverAll(core, botsInChat(core, m), (parts) => reactionChanged(parts, change, { message_id: m.message_id, emoji_type: r.emoji_type, operator, action_time: at }));
}

/**
 * A person read a message. Only a message an app sent in its one-to-one chat with the reader is
 * reported, and to that app only ("用户阅读机器人发送的单聊消息后触发此事件", the event's page).
 */
export function readEvents(core: EmulatorCore, m: MessageRecord, reader: UserRecord, at: number): Promise<DeliveryRecord[]> {
  const chat = core.store.chats.get(m.chat_id);
  const app = m.app_id ? core.store.apps.get(m.app_id) : undefined;
  if (!chat || chat.chat_mode !== 'p2p' || !app) return Promise.resolve([]);
  return deliverAll(core, [app], (parts) => messageRead(parts, { reader: userIds(reader), read_time: at, message_ids: [m.message_id] }));
}

/** A recalled message: every bot in its chat hears of it ("机器人所在会话内的消息被撤回时触发此事件"). */
export function recallEvents(core: EmulatorCore, m: MessageRecord, recallType: RecallType, at: number): Promise<DeliveryRecord[]> {
  return deliverAll(core, botsInChat(core, m), (parts) => messageRecalled(parts, { message_id: m.message_id, chat_id: m.chat_id, recall_time: at, recall_type: recallType }));
}
