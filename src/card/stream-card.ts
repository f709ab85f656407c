import { usageError } from '../output/errors.js';
import { isObject, type CardObject } from './inspect.js';
import type { CardV2 } from './types.js';

/** Cards for `card stream`: the default one, and checks on one the user brings. */

export const DEFAULT_ELEMENT_ID = 'stream_text';

/** How fast the client types: 4 characters every 40 ms, about 100 a second, near LLM speed. */
const STREAMING_CONFIG = {
  print_frequency_ms: { default: 40 },
  print_step: { default: 4 },
  print_strategy: 'fast' as const,
};

/** Typed as the card JSON 2.0 schema says, so a field the platform does not know fails to compile. */
export function defaultStreamCard(title: string | undefined): CardV2 {
  return {
    schema: '2.0',
    config: { streaming_mode: true, streaming_config: STREAMING_CONFIG },
    ...(title ? { header: { title: { tag: 'plain_text', content: title } } } : {}),
    body: { elements: [{ tag: 'markdown', content: '', element_id: DEFAULT_ELEMENT_ID }] },
  };
}

function findElement(value: unknown, id: string, depth = 0): Record<string, unknown> | null {
  if (depth > 64) return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findElement(v, id, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(value)) return null;
  if (value.element_id === id && typeof value.tag === 'string') return value;
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null) {
      const found = findElement(v, id, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** A user's card, checked for streaming and with streaming mode turned on. */
export function prepareStreamCard(card: CardObject, name: string, elementId: string): CardObject {
  if (card.schema !== '2.0') throw usageError(`${name}: card entities are JSON 2.0 cards; add "schema": "2.0" (and move the elements under body)`);
  if (isObject(card.config) && card.config.update_multi === false) throw usageError(`${name}: config.update_multi is false; card entities are shared cards`);
  const element = findElement(card.body, elementId);
  if (!element) throw usageError(`${name}: no element has "element_id": "${elementId}" under body`, { hint: 'Give the markdown element that takes the text an element_id, and pass it with --element-id.' });
  if (element.tag !== 'markdown' && element.tag !== 'plain_text') {
    throw usageError(`${name}: element "${elementId}" is a ${String(element.tag)}; streamed text goes into a markdown or plain_text element`);
  }
  const config = isObject(card.config) ? card.config : {};
  return { ...card, config: { streaming_config: STREAMING_CONFIG, ...config, streaming_mode: true } };
}
