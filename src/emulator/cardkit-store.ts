import { createHash, randomInt } from 'node:crypto';
import { isObject, type CardObject } from '../card/inspect.js';
import type { EmulatorCore } from './core.js';
import { PlatformError } from './http.js';
import { DEFAULT_CARDKIT_BYTES } from './settings-limits.js';
import type { AppRecord, MessageRecord, Store } from './store.js';

/**
 * CardKit card entities (reference/long-connection-cardkit.md §2), kept beside the main store
 * rather than in it: one CardKit store per emulator store, so `reset()` (which makes a new
 * store) clears entities too.
 */

export const ENTITY_TTL_MS = 14 * 24 * 3600 * 1000;
/** Streaming mode closes itself this long after it was last turned on. */
export const STREAMING_LIFETIME_MS = 10 * 60 * 1000;
/** Card and element operations per second on one entity (the streaming guide's limit). */
export const PER_CARD_PER_SECOND = 10;
/** Bounds, so a runaway script cannot grow the emulator without limit. */
const MAX_ENTITIES = 10_000;
const MAX_UUIDS_PER_CARD = 1000;
/** A card holds at most 200 components, so no more elements than that can have been streamed into. */
const MAX_STREAMED_ELEMENTS = 200;
/** What an entity costs besides its card's JSON, and what one remembered uuid costs. */
const ENTITY_OVERHEAD_BYTES = 1024;
const UUID_BYTES = 160;

export interface CardEntity {
  card_id: string;
  app_id: string;
  /** The card as it is now; replaced (never mutated) by each operation. */
  card: CardObject;
  created_at: number;
  /** The last sequence an operation succeeded with; 0 before any. */
  sequence: number;
  /** uuid -> fingerprint of the request it came with (every remembered answer is the same success). */
  uuids: Map<string, string>;
  message_id: string | null;
  /** When streaming mode was last turned on, while it is on. */
  streaming_since: number | null;
  /** Set when streaming mode closed itself; the next text push is told so (200850). */
  timed_out: boolean;
  /**
   * The elements text was streamed into, for the inbox's typewriter (it types their text as it
   * stands in the card). The texts themselves are not kept: the card holds the current one.
   */
  streamed_elements: Set<string>;
  /** What this entity holds, as counted against the store's byte bound. */
  bytes: number;
  /** Operations per second on this card. */
  window: { start: number; count: number };
  /** The operation in progress; the next one waits for it. */
  lock: Promise<unknown>;
}

export class CardkitStore {
  constructor(
    readonly now: () => number,
    private readonly maxBytes: () => number = () => DEFAULT_CARDKIT_BYTES,
  ) {}
  entities = new Map<string, CardEntity>();
  byMessage = new Map<string, string>();
  /** message_id -> when each click whose callback is still being answered began (200810 meanwhile). */
  clicksInFlight = new Map<string, number[]>();
  /** What all entities hold together. */
  private held = 0;

  get bytes(): number {
    return this.held;
  }

  add(entity: CardEntity): void {
    // Oldest first: Map keeps insertion order.
    if (this.entities.size >= MAX_ENTITIES) this.drop(this.entities.keys().next().value as string);
    this.entities.set(entity.card_id, entity);
    entity.bytes = 0;
    this.measure(entity);
  }

  /**
   * Counts what an entity holds now (`cardJson`: its card as JSON, when the caller has it) and
   * drops the oldest other entities while the store is over its bound. The entity itself stays:
   * it is the one in use, and its card is bounded by the operations' own limits.
   */
  measure(entity: CardEntity, cardJson?: string): void {
    const bytes = ENTITY_OVERHEAD_BYTES + (cardJson ?? JSON.stringify(entity.card)).length + entity.uuids.size * UUID_BYTES;
    if (this.entities.get(entity.card_id) === entity) this.held += bytes - entity.bytes;
    entity.bytes = bytes;
    const max = this.maxBytes();
    for (const id of this.entities.keys()) {
      if (this.held <= max) break;
      if (id !== entity.card_id) this.drop(id);
    }
  }

  private drop(cardId: string): void {
    const gone = this.entities.get(cardId);
    if (!gone) return;
    if (gone.message_id) this.byMessage.delete(gone.message_id);
    this.entities.delete(cardId);
    this.held -= gone.bytes;
  }
}

const stores = new WeakMap<Store, CardkitStore>();

const watched = new WeakSet<EmulatorCore>();

export function cardkitOf(core: EmulatorCore): CardkitStore {
  let s = stores.get(core.store);
  if (!s) {
    s = new CardkitStore(
      () => core.now(),
      () => core.settings.cardkitBytes,
    );
    stores.set(core.store, s);
  }
  // Entities exist only once this has run, so sends by card_id are watched from then on.
  if (!watched.has(core)) {
    watched.add(core);
    watchEntitySends(core);
  }
  return s;
}

/** For code that holds only the store (card content checks); null until an entity exists. */
function cardkitOfStore(store: Store): CardkitStore | null {
  return stores.get(store) ?? null;
}

/** Card ids look like the platform's: 19 digits. */
export function newCardId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 19) id += String(randomInt(0, 10));
  return id;
}

export function streamingModeOf(card: CardObject): boolean {
  return isObject(card.config) && card.config.streaming_mode === true;
}

/** Applies the 10-minute auto-close, lazily, when the entity is next looked at. */
function closeIfTimedOut(entity: CardEntity, now: number): boolean {
  if (entity.streaming_since === null || now - entity.streaming_since < STREAMING_LIFETIME_MS) return false;
  const card = structuredClone(entity.card);
  card.config = { ...(isObject(card.config) ? card.config : {}), streaming_mode: false };
  entity.card = card;
  entity.streaming_since = null;
  entity.timed_out = true;
  return true;
}

export function refreshStreaming(core: EmulatorCore, entity: CardEntity): void {
  if (closeIfTimedOut(entity, core.now())) syncMessage(core, entity);
}

/** The entity a call names, after the rules every operation shares: exists, not expired, ours. */
export function entityFor(core: EmulatorCore, app: AppRecord, cardId: string): CardEntity {
  if (cardId.length < 1 || cardId.length > 20) throw new PlatformError(400, 10002, 'invalid request parameter: card_id must be 1 to 20 characters.');
  const entity = cardkitOf(core).entities.get(cardId);
  if (!entity) throw new PlatformError(400, 200740, `The card entity does not exist: no card_id "${cardId}".`);
  if (core.now() - entity.created_at > ENTITY_TTL_MS) throw new PlatformError(400, 200750, 'The card entity has expired: a card entity can be used for 14 days after it was created.');
  if (entity.app_id !== app.app_id) throw new PlatformError(400, 300311, 'app has no permission to update/use this card: only the app that created a card entity can use it.');
  refreshStreaming(core, entity);
  return entity;
}

/** Per-card operation rate; the same envelope the gateway uses for app limits. */
export function takeCardQuota(core: EmulatorCore, entity: CardEntity): void {
  if (!core.settings.rateLimits) return;
  const now = core.now();
  const start = Math.floor(now / 1000) * 1000;
  if (entity.window.start !== start) entity.window = { start, count: 0 };
  if (entity.window.count >= PER_CARD_PER_SECOND) {
    throw new PlatformError(429, 99991400, `request trigger frequency limit: at most ${PER_CARD_PER_SECOND} operations a second on one card entity.`, {}, {
      'X-Ogw-Ratelimit-Limit': String(PER_CARD_PER_SECOND),
      'X-Ogw-Ratelimit-Reset': '1',
    });
  }
  entity.window.count++;
}

export interface Operation {
  /** Names the endpoint, so a uuid reused on another endpoint is a conflict. */
  kind: string;
  body: Record<string, unknown>;
  uuid?: string;
  sequence: unknown;
  /** Settings that set streaming_mode true: restarts the 10 minutes even when it was on. */
  turnsStreamingOn?: boolean;
}

/**
 * Runs one sequenced operation on an entity with the shared rules: uuid idempotency first (a
 * retry of the same request gets the same answer, even though its sequence is no longer new),
 * then the strictly increasing sequence, the click-in-progress rule, and the per-card rate.
 * `apply` returns the new card; it is committed only when it passes.
 */
export function runOperation(
  core: EmulatorCore,
  entity: CardEntity,
  op: Operation,
  apply: (card: CardObject) => CardObject | void | Promise<CardObject | void>,
): Promise<{ code: number; msg: string; data: Record<string, never> }> {
  // One operation at a time per card: the checks await, and a second operation must see the first's card.
  const run = entity.lock.then(() => operate(core, entity, op, apply));
  entity.lock = run.catch(() => undefined);
  return run;
}

async function operate(
  core: EmulatorCore,
  entity: CardEntity,
  op: Operation,
  apply: (card: CardObject) => CardObject | void | Promise<CardObject | void>,
): Promise<{ code: number; msg: string; data: Record<string, never> }> {
  const ok = { code: 0, msg: 'success', data: {} as Record<string, never> };
  const seq = op.sequence;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > 2147483647) {
    throw new PlatformError(400, 10002, 'invalid request parameter: sequence must be an integer from 1 to 2147483647.');
  }
  let fingerprint: string | null = null;
  if (op.uuid !== undefined) {
    if (typeof op.uuid !== 'string' || op.uuid.length < 1 || op.uuid.length > 64) {
      throw new PlatformError(400, 10002, 'invalid request parameter: uuid must be 1 to 64 characters.');
    }
    // 128 bits of the digest tell requests apart as well as all of it, in less memory.
    fingerprint = createHash('sha256').update(op.kind).update('\0').update(JSON.stringify(op.body)).digest('base64url').slice(0, 22);
    const seen = entity.uuids.get(op.uuid);
    if (seen !== undefined) {
      if (seen !== fingerprint) throw new PlatformError(400, 200770, `UUID conflict: uuid "${op.uuid}" was already used on this card for a different operation.`);
      return ok;
    }
  }
  if (seq <= entity.sequence) {
    throw new PlatformError(400, 300317, `sequence number compare failed: ${seq} is not greater than ${entity.sequence}, the last sequence used on this card. One counter is shared by every operation on a card.`);
  }
  if (entity.message_id && clickInProgress(core, entity.message_id)) {
    throw new PlatformError(400, 200810, 'The card is in an ongoing interaction and cannot be updated: a click callback on it is still being answered.');
  }
  takeCardQuota(core, entity);
  const draft = structuredClone(entity.card);
  const next = (await apply(draft)) ?? draft;
  const wasStreaming = streamingModeOf(entity.card);
  const nowStreaming = streamingModeOf(next);
  entity.card = next;
  entity.sequence = seq;
  if (nowStreaming && (!wasStreaming || op.turnsStreamingOn)) {
    // Turning it on (again) restarts the 10 minutes.
    entity.streaming_since = core.now();
    entity.timed_out = false;
  }
  if (!nowStreaming) entity.streaming_since = null;
  if (fingerprint && op.uuid) {
    if (entity.uuids.size >= MAX_UUIDS_PER_CARD) entity.uuids.delete(entity.uuids.keys().next().value as string);
    entity.uuids.set(op.uuid, fingerprint);
  }
  const content = JSON.stringify(next);
  cardkitOf(core).measure(entity, content);
  syncMessage(core, entity, content);
  return ok;
}

/** Notes that text was streamed into an element (the inbox types it out). */
export function recordText(entity: CardEntity, elementId: string): void {
  if (entity.streamed_elements.has(elementId)) return;
  if (entity.streamed_elements.size >= MAX_STREAMED_ELEMENTS) entity.streamed_elements.delete(entity.streamed_elements.values().next().value as string);
  entity.streamed_elements.add(elementId);
}

/** Keeps the message that carries an entity showing the entity as it is now (`content`: its card as JSON, when the caller has it). */
export function syncMessage(core: EmulatorCore, entity: CardEntity, content?: string): void {
  if (!entity.message_id) return;
  const message = core.store.messages.get(entity.message_id);
  if (!message || message.deleted) return;
  const now = core.now();
  const version = { content: content ?? JSON.stringify(entity.card), card: entity.card, at: now, via: 'cardkit' as const };
  const last = message.versions[message.versions.length - 1]!;
  // A stream is hundreds of small updates: they fold into one version, not hundreds.
  if (last.via === 'cardkit') message.versions[message.versions.length - 1] = version;
  else message.versions.push(version);
  message.updated = true;
  message.update_time = now;
  core.events.emit('update', message);
}

/** `{"card_id": …}` without the `{"type":"card","data":…}` around it: the commonest entity mistake. */
export function rejectBareCardId(obj: Record<string, unknown>): void {
  if (obj.type === undefined && 'card_id' in obj && obj.schema === undefined) {
    throw new PlatformError(400, 230099, 'Failed to create card content, ext=ErrCode: 200621; ErrPath: ROOT; ErrMsg: parse card json err, please check whether the card json is correct; ErrorValue: a card entity is sent as {"type":"card","data":{"card_id":"…"}}, not {"card_id":"…"}; ');
  }
}

/**
 * The card a message by `card_id` shows, after the sending rules: the entity exists, is not
 * expired, was made by the sending app, and has not been sent before. The message is bound to
 * the entity when it is stored (watchEntitySends).
 */
export function entityCardForSend(store: Store, app: AppRecord, cardId: string): CardObject {
  const ck = cardkitOfStore(store);
  const entity = ck?.entities.get(cardId);
  if (!ck || !entity) throw new PlatformError(400, 230099, `Failed to create card content, ext=ErrCode: 200740; ErrMsg: The card entity does not exist: no card_id "${cardId}"; `);
  if (ck.now() - entity.created_at > ENTITY_TTL_MS) throw new PlatformError(400, 230099, 'Failed to create card content, ext=ErrCode: 200750; ErrMsg: The card entity has expired; ');
  if (entity.app_id !== app.app_id) throw new PlatformError(400, 230099, 'Failed to create card content, ext=ErrCode: 300311; ErrMsg: app has no permission to use this card: the sending app must be the app that created the entity; ');
  if (entity.message_id) throw new PlatformError(400, 230099, `Failed to create card content, ext=ErrCode: 11310; ErrMsg: cardid is invalid: card entity ${cardId} was already sent (as ${entity.message_id}); an entity can be sent once; `);
  closeIfTimedOut(entity, ck.now());
  return entity.card;
}

function entityRefOf(m: MessageRecord): string | null {
  if (m.msg_type !== 'interactive') return null;
  // Every card sent passes here once CardKit is in use: parse only content that can name an entity
  // (a key can hide behind a \u escape, so content with one is parsed too).
  const content = m.versions[0]!.content;
  if (!content.includes('card_id') && !content.includes('\\u')) return null;
  try {
    const parsed = JSON.parse(content) as unknown;
    if (isObject(parsed) && parsed.type === 'card' && isObject(parsed.data) && typeof parsed.data.card_id === 'string') return parsed.data.card_id;
  } catch {
    // Not JSON: not an entity.
  }
  return null;
}

/**
 * Binds each message sent (or replied) by card_id to its entity, whichever route stored it, and
 * makes its content the entity's card, so GET shows the card rather than the reference.
 */
function watchEntitySends(core: EmulatorCore): void {
  core.events.on('message', (m) => {
    const cardId = entityRefOf(m);
    const entity = cardId ? cardkitOfStore(core.store)?.entities.get(cardId) : undefined;
    if (!entity || entity.message_id) return;
    entity.message_id = m.message_id;
    cardkitOf(core).byMessage.set(m.message_id, entity.card_id);
    m.versions[0] = { ...m.versions[0]!, content: JSON.stringify(entity.card), card: entity.card };
  });
}

export function bindMessage(core: EmulatorCore, entity: CardEntity, message: MessageRecord): void {
  entity.message_id = message.message_id;
  cardkitOf(core).byMessage.set(message.message_id, entity.card_id);
}

export function entityOfMessage(core: EmulatorCore, messageId: string): CardEntity | null {
  const id = cardkitOf(core).byMessage.get(messageId);
  return id ? (cardkitOf(core).entities.get(id) ?? null) : null;
}

/** A click older than this is over whatever happened to it (the callback times out at 10 s). */
const CLICK_MAX_MS = 30_000;

/** Marks a click on a message in progress; the returned function ends it. */
export function beginClick(core: EmulatorCore, messageId: string): () => void {
  const inFlight = cardkitOf(core).clicksInFlight;
  const started = core.now();
  inFlight.set(messageId, [...(inFlight.get(messageId) ?? []), started]);
  return () => {
    const left = (inFlight.get(messageId) ?? []).filter((t) => t !== started);
    if (left.length) inFlight.set(messageId, left);
    else inFlight.delete(messageId);
  };
}

function clickInProgress(core: EmulatorCore, messageId: string): boolean {
  const now = core.now();
  return (cardkitOf(core).clicksInFlight.get(messageId) ?? []).some((t) => now - t < CLICK_MAX_MS);
}
