import type { CardV1, CardV1Element, CardV2, CardV2Element } from './types.generated.js';

/*
 * The card types a bot's code and tests use. The per-version types (CardV1, CardV2 and their parts)
 * are generated from the JSON Schemas `card lint` checks with (scripts/build-card-types.mjs).
 */
export type * from './types.generated.js';

/** A card of either JSON version: 2.0 when `schema` is "2.0", else 1.0 (as the platform reads it). */
export type Card = CardV1 | CardV2;

/** A component of either card version, told apart by `tag`. */
export type CardComponent = CardV1Element | CardV2Element;

/**
 * A card literal, checked against the card types: editors complete its fields and name a wrong
 * one. It returns the card unchanged.
 *
 * @example
 * const card = defineCard({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi' }] } });
 */
export function defineCard(card: CardV2): CardV2;
export function defineCard(card: CardV1): CardV1;
// A literal that fits neither is reported against the last signature (TypeScript 7 names only that
// one's error): the union, told apart by `schema`, names the wrong field and the type it needs.
export function defineCard(card: Card): Card;
export function defineCard(card: Card): Card {
  return card;
}
