import { randomBytes } from 'node:crypto';
import type { CardObject } from '../card/inspect.js';
import { PlatformError } from './http.js';
import { WindowCounter } from './rate-limit.js';
import type { MessageRecord, Store } from './store.js';

/**
 * What the message APIs beyond create and PATCH remember. Kept beside the store rather than in it:
 * per message in a WeakMap (so a message the store drops takes its extras with it), per store for
 * the rest (so a reset, which makes a new store, starts these afresh too).
 */
export interface MessageExtra {
  parent_id: string;
  root_id: string;
  thread_id: string;
  /** The bm- id, for a message batch_send made: it cannot be updated, replied to, recalled singly, or clicked. */
  batch_id: string | null;
  /** PUT edits so far (text and post; at most 20). */
  edits: number;
}

export interface EphemeralRecord {
  message_id: string;
  app_id: string;
  chat_id: string;
  /** The one user who sees it. */
  open_id: string;
  card: CardObject;
  content: string;
  create_time: number;
  deleted: boolean;
}

export interface BatchRecord {
  batch_id: string;
  app_id: string;
  message_ids: string[];
  create_time: number;
  recalled: boolean;
}

interface StoreExtras {
  ephemeral: Map<string, EphemeralRecord>;
  batches: Map<string, BatchRecord>;
  /** app_id + '\0' + uuid -> reply message_id, within the hour. */
  replyUuids: Map<string, { message_id: string; at: number }>;
  /** Unread urgent messages per user, for the 200 cap. */
  urgentUnread: Map<string, number>;
  /** Ephemeral sends per chat per second. */
  ephemeralRate: WindowCounter;
}

const MAX_EPHEMERAL = 5000;
const MAX_BATCHES = 1000;

const perMessage = new WeakMap<MessageRecord, MessageExtra>();
const perStore = new WeakMap<Store, StoreExtras>();

export function extraOf(m: MessageRecord): MessageExtra {
  let e = perMessage.get(m);
  if (!e) {
    e = { parent_id: '', root_id: '', thread_id: '', batch_id: null, edits: 0 };
    perMessage.set(m, e);
  }
  return e;
}

const NO_EXTRA: Readonly<MessageExtra> = Object.freeze({ parent_id: '', root_id: '', thread_id: '', batch_id: null, edits: 0 });

/**
 * A message's extras for reading: a message that has none (most sends) gets no WeakMap entry
 * just for being shown, which under load is garbage-collector work on every send.
 */
export function peekExtra(m: MessageRecord): Readonly<MessageExtra> {
  return perMessage.get(m) ?? NO_EXTRA;
}

export function storeExtras(store: Store): StoreExtras {
  let e = perStore.get(store);
  if (!e) {
    e = { ephemeral: new Map(), batches: new Map(), replyUuids: new Map(), urgentUnread: new Map(), ephemeralRate: new WindowCounter(1000) };
    perStore.set(store, e);
  }
  return e;
}

/** Keeps a map within its cap by dropping the oldest entries (Maps iterate in insertion order). */
export function capMap<K, V>(map: Map<K, V>, cap: number): void {
  while (map.size > cap) map.delete(map.keys().next().value as K);
}

export function addEphemeral(store: Store, rec: EphemeralRecord): void {
  const map = storeExtras(store).ephemeral;
  map.set(rec.message_id, rec);
  capMap(map, MAX_EPHEMERAL);
}

export function addBatch(store: Store, rec: BatchRecord): void {
  const map = storeExtras(store).batches;
  map.set(rec.batch_id, rec);
  capMap(map, MAX_BATCHES);
}

export const newExtraId = {
  thread: () => `omt_${randomBytes(8).toString('hex')}`,
  batch: () => `bm-${randomBytes(16).toString('hex')}`,
};

/** 230001 in the platform's own form: the reason follows `ext=`. */
export function invalidParam(ext: string): PlatformError {
  return new PlatformError(400, 230001, `Your request contains an invalid request parameter, ext=${ext}`);
}

/**
 * 230001 for a message id the store does not hold; when the cap dropped it (--max-messages), the
 * answer says so, to tell a bounded emulator from a wrong id.
 */
export function unknownMessage(store: Store, messageId: string): PlatformError {
  const note = store.droppedNote(messageId);
  return invalidParam(note ? `message_id does not exist.${note}` : 'message_id does not exist');
}
