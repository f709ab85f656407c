import { DEFAULT_CARDKIT_BYTES } from './settings-limits.js';
import { isObject, type CardObject } from '../card/inspect.js';

/**
 * CardKit card entities (reference/long-connection-cardkit.md §2) and the bounded table that holds
 * them; the table is part of the emulator's one state (store.ts), the operations are cardkit-store.ts.
 */

export const ENTITY_TTL_MS = 14 * 24 * 3600 * 1000;
/** Streaming mode closes itself this long after it was last turned on. */
export const STREAMING_LIFETIME_MS = 10 * 60 * 1000;
/** Card and element operations per second on one entity (the streaming guide's limit). */
export const PER_CARD_PER_SECOND = 10;
/** Bounds, so a runaway script cannot grow the emulator without limit. */
export const MAX_ENTITIES = 10_000;
export const MAX_UUIDS_PER_CARD = 1000;
/** A card holds at most 200 components, so no more elements than that can have been streamed into. */
export const MAX_STREAMED_ELEMENTS = 200;
/** What an entity costs besides its card's JSON, and what one remembered uuid costs. */
export const ENTITY_OVERHEAD_BYTES = 1024;
export const UUID_BYTES = 160;

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

  /**
   * Binds a message sent (or replied) by card_id to its entity, whichever route stored it, and
   * makes its content the entity's card, so GET shows the card rather than the reference.
   */
  bindSent(m: SentMessage): void {
    // Most emulators never make an entity: their sends need not be read for a card_id.
    if (this.entities.size === 0) return;
    const cardId = entityRefOf(m);
    const entity = cardId ? this.entities.get(cardId) : undefined;
    if (!entity || entity.message_id) return;
    entity.message_id = m.message_id;
    this.byMessage.set(m.message_id, entity.card_id);
    m.versions[0] = { ...m.versions[0]!, content: JSON.stringify(entity.card), card: entity.card };
  }

  private drop(cardId: string): void {
    const gone = this.entities.get(cardId);
    if (!gone) return;
    if (gone.message_id) this.byMessage.delete(gone.message_id);
    this.entities.delete(cardId);
    this.held -= gone.bytes;
  }
}

/** What binding needs of a stored message (store.ts's MessageRecord, which this file cannot import). */
interface SentMessage {
  message_id: string;
  msg_type: string;
  versions: Array<{ content: string; card: CardObject | null }>;
}

function entityRefOf(m: SentMessage): string | null {
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
