import { isObject, type CardObject } from '../card/inspect.js';
import { textOf } from '../testing/elements.js';

/**
 * A card as a person reads it, in plain lines: the title, the text (mentions by name, images by
 * their alt text), without the elements one acts on (`card inbox show` lists those, numbered).
 * Bounded: a deep or huge card gives at most MAX_LINES lines, each cut at MAX_LINE characters.
 */

const MAX_LINES = 400;
const MAX_LINE = 2000;
const MAX_DEPTH = 64;

const ACTED_ON = new Set([
  'button', 'overflow', 'input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person',
  'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img', 'interactive_container', 'action',
]);

/** `<at id=…></at>`, `<at user_id="…">`, `<at email=…>` as `@Name` (or `@all`); other markup tags dropped. */
export function mentionsByName(text: string, names: ReadonlyMap<string, string>): string {
  return text
    .replace(/<at\s+(?:id|user_id|open_id|email)\s*=\s*["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/gi, (_, id: string, inner: string) => (id === 'all' ? '@all' : `@${names.get(id) ?? (inner.trim() || id)}`))
    .replace(/<\/?(?:font|text_tag|link|local_datetime|number_tag|u|i|b|s)\b[^>]*>/gi, '');
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

export function cardText(card: CardObject, names: ReadonlyMap<string, string>): CardText {
  const header = isObject(card.header) ? card.header : {};
  const lines: string[] = [];
  const push = (text: string | null) => {
    if (text === null || lines.length >= MAX_LINES) return;
    for (const line of mentionsByName(text, names).split('\n')) if (lines.length < MAX_LINES) lines.push(line.slice(0, MAX_LINE));
  };
  const root = isObject(card.body) ? card.body.elements : Array.isArray(card.elements) ? card.elements : isObject(card.i18n_elements) ? Object.values(card.i18n_elements)[0] : null;
  const stack: Array<{ v: unknown; depth: number }> = [{ v: root, depth: 0 }];
  while (stack.length && lines.length < MAX_LINES) {
    const { v, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1 });
      continue;
    }
    if (!isObject(v)) continue;
    const tag = typeof v.tag === 'string' ? v.tag : null;
    if (tag && ACTED_ON.has(tag)) continue;
    if (tag === 'markdown' || tag === 'lark_md' || tag === 'plain_text' || tag === 'div') {
      push(tag === 'div' ? textOf(v.text) : typeof v.content === 'string' ? v.content : textOf(v));
      if (tag === 'div' && Array.isArray(v.fields)) for (let i = v.fields.length - 1; i >= 0; i--) stack.push({ v: isObject(v.fields[i]) ? v.fields[i].text : null, depth: depth + 1 });
      continue;
    }
    if (tag === 'img' || tag === 'image') {
      push(`[image: ${textOf(v.alt) || textOf(v.title) || 'no alt text'}]`);
      continue;
    }
    if (tag === 'hr') {
      push('———');
      continue;
    }
    if (tag === 'img_combination') {
      push(`[${Array.isArray(v.img_list) ? v.img_list.length : 0} images]`);
      continue;
    }
    if (tag === 'chart' || tag === 'table' || tag === 'person' || tag === 'person_list' || tag === 'audio' || tag === 'video') {
      push(`[${tag}]`);
      continue;
    }
    const children = Object.entries(v).filter(([k, c]) => k !== 'config' && k !== 'behaviors' && typeof c === 'object' && c !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ v: children[i]![1], depth: depth + 1 });
  }
  return { title: textOf(header.title), subtitle: textOf(header.subtitle), lines };
}
