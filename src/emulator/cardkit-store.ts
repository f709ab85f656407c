import { createHash, randomInt } from 'node:crypto';
import { isObject, type CardObject } from '../card/inspect.js';
import type { EmulatorCore } from './core.js';
import { fail } from './catalogue/errors.js';
import type { AppRecord, MessageRecord, Store } from './store.js';

/**
 * The rules CardKit applies to its card entities (reference/long-connection-cardkit.md §2); the
 * entities themselves are the store's (`store.cardkit`), so `reset()` clears them too.
 */

export { ENTITY_TTL_MS, STREAMING_LIFETIME_MS, PER_CARD_PER_SECOND, CardkitStore, type CardEntity } from './cardkit-entities.js';
import { ENTITY_TTL_MS, STREAMING_LIFETIME_MS, PER_CARD_PER_SECOND, MAX_UUIDS_PER_CARD, MAX_STREAMED_ELEMENTS, type CardkitStore, type CardEntity } from './cardkit-entities.js';

/** The CardKit entities of the emulator's state. */
export function cardkitOf(core: EmulatorCore): CardkitStore {
  return core.store.cardkit;
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
  if (cardId.length < 1 || cardId.length > 20) throw fail(10002, 'card_id must be 1 to 20 characters');
  const entity = cardkitOf(core).entities.get(cardId);
  if (!entity) throw fail(200740, `no card_id "${cardId}"`);
  if (core.now() - entity.created_at > ENTITY_TTL_MS) throw fail(200750, 'a card entity can be used for 14 days after it was created');
  if (entity.app_id !== app.app_id) throw fail(300311, 'only the app that created a card entity can use it');
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
    throw fail(99991400, `at most ${PER_CARD_PER_SECOND} operations a second on one card entity`, {}, {
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
  /** Checked by the route's schema: an integer from 0 (the platform answers 0 with 300317) to 2³¹−1. */
  sequence: number;
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
  let fingerprint: string | null = null;
  if (op.uuid !== undefined) {
    // 128 bits of the digest tell requests apart as well as all of it, in less memory.
    fingerprint = createHash('sha256').update(op.kind).update('\0').update(JSON.stringify(op.body)).digest('base64url').slice(0, 22);
    const seen = entity.uuids.get(op.uuid);
    if (seen !== undefined) {
      if (seen !== fingerprint) throw fail(200770, `uuid "${op.uuid}" was already used on this card for a different operation`);
      return ok;
    }
  }
  if (seq <= entity.sequence) {
    throw fail(300317, `${seq} is not greater than ${entity.sequence}, the last sequence used on this card. One counter is shared by every operation on a card.`);
  }
  if (entity.message_id && clickInProgress(core, entity.message_id)) {
    throw fail(200810, 'a click callback on it is still being answered');
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
    throw fail(230099, 'ErrCode: 200621; ErrPath: ROOT; ErrMsg: parse card json err, please check whether the card json is correct; ErrorValue: a card entity is sent as {"type":"card","data":{"card_id":"…"}}, not {"card_id":"…"}; ');
  }
}

/**
 * The card a message by `card_id` shows, after the sending rules: the entity exists, is not
 * expired, was made by the sending app, and has not been sent before. The message is bound to
 * the entity when it is stored (CardkitStore.bindSent).
 */
export function entityCardForSend(store: Store, app: AppRecord, cardId: string): CardObject {
  const ck = store.cardkit;
  const entity = ck?.entities.get(cardId);
  if (!ck || !entity) throw fail(230099, `ErrCode: 200740; ErrMsg: The card entity does not exist: no card_id "${cardId}"; `);
  if (ck.now() - entity.created_at > ENTITY_TTL_MS) throw fail(230099, 'ErrCode: 200750; ErrMsg: The card entity has expired; ');
  if (entity.app_id !== app.app_id) throw fail(230099, 'ErrCode: 300311; ErrMsg: app has no permission to use this card: the sending app must be the app that created the entity; ');
  if (entity.message_id) throw fail(230099, `ErrCode: 11310; ErrMsg: cardid is invalid: card entity ${cardId} was already sent (as ${entity.message_id}); an entity can be sent once; `);
  closeIfTimedOut(entity, ck.now());
  return entity.card;
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
