import { isObject, type CardObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';
import { cardAsText } from '../testing/card-text.js';
import { textOf } from '../testing/elements.js';

/** Lines of a card `card inbox show` prints at most. */
const MAX_LINES = 400;

/** `<at id=…></at>`, `<at user_id="…">`, `<at email=…>` in a text message as `@Name` (or `@all`); colour tags dropped. */
export function mentionsByName(text: string, names: ReadonlyMap<string, string>): string {
  return text
    .replace(/<at\s+(?:id|user_id|open_id|email)\s*=\s*["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/gi, (_, id: string, inner: string) => (id === 'all' ? '@all' : `@${names.get(id) ?? (inner.trim() || id)}`))
    .replace(/<\/?(?:font|text_tag|link|u|i|b|s)\b[^>]*>/gi, '');
}

/** A text message's `@_user_N` keys as `@Name`. */
export function textWithMentions(text: string, mentions: ReadonlyArray<{ key: string; name: string }>): string {
  let out = text;
  for (const m of mentions) out = out.split(m.key).join(`@${m.name}`);
  return out;
}

export interface CardText {
  title: string | null;
  subtitle: string | null;
  lines: string[];
}

/**
 * A card as a person reads it: its title and subtitle apart, then the testing library's text of the
 * rest (mentions by name, images by alt text, buttons as `[Text]`), at most MAX_LINES lines.
 */
export function cardText(card: CardObject, names: ReadonlyMap<string, string>): CardText {
  const { header, ...rest } = card;
  const text = cardAsText(rest as Card, { people: names });
  const h = isObject(header) ? header : {};
  return { title: textOf(h.title), subtitle: textOf(h.subtitle), lines: text ? text.split('\n').slice(0, MAX_LINES) : [] };
}
