import { z } from 'zod';
import { INPUT_LIMITS } from '../card/json-limits.js';
import { isObject, type CardObject } from '../card/inspect.js';
import { parseJsonWithPosition } from '../card/load.js';
import { ToolInputError } from './tool-kit.js';

/** A card argument: the card JSON as an object, or its text (as written in a file). */
export const cardArg = z
  .union([z.record(z.string(), z.unknown()), z.string().max(INPUT_LIMITS.maxFileBytes, `at most ${INPUT_LIMITS.maxFileBytes} characters of card JSON`)], {
    error: (issue) => (issue.code === 'invalid_union' ? 'expected a card: a JSON object, or its JSON text' : undefined),
  })
  .describe('the card: its JSON as an object, or the JSON text');

/**
 * The card's text: as given, or the object written out. Lint reads the text, so its line and
 * column point into what the agent sees; an object too deep to write out is named by its field.
 */
export function cardText(card: string | Record<string, unknown>, field = 'card'): string {
  if (typeof card === 'string') return card;
  let text: string;
  try {
    text = JSON.stringify(card, null, 2);
  } catch {
    throw new ToolInputError(field, `the object nests deeper than ${INPUT_LIMITS.maxDepth} levels; no card is that deep`);
  }
  if (text.length > INPUT_LIMITS.maxFileBytes) throw new ToolInputError(field, `the card is ${text.length} characters of JSON; at most ${INPUT_LIMITS.maxFileBytes}`);
  return text;
}

/** The card as an object, or an error naming the field (and the line and column where the text breaks). */
export function cardObject(card: string | Record<string, unknown>, field = 'card'): CardObject {
  const text = cardText(card, field);
  let value: unknown;
  try {
    value = parseJsonWithPosition(text, field);
  } catch (err) {
    throw new ToolInputError(field, (err as Error).message.replace(new RegExp(`^${field}:? ?`), ''));
  }
  if (!isObject(value)) throw new ToolInputError(field, `a card is a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}
