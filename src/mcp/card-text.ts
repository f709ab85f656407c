import { isObject, type CardObject } from '../card/inspect.js';
import { interactiveElements, textOf } from '../testing/elements.js';

/** A card as an agent reads it: its title, its text in order, and what can be acted on, numbered. */
export interface CardReading {
  title: string | null;
  subtitle: string | null;
  text: string[];
  /** Numbered from 1 in document order: `#N` names one in the inbox tools. */
  elements: Array<{ n: number; kind: string; text: string | null; element_id: string | null; name: string | null; value: unknown; options: Array<{ text: string | null; value: string }> | null; in_form: boolean; disabled: boolean }>;
}

/** Elements the reading lists as actionable, not as text (an interactive container's text is read as text). */
const LISTED_APART = new Set(['button', 'overflow', 'input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img']);

/** Past this many text lines a reading is cut: a card is 30 KB at most, a reading should stay a screen. */
const MAX_LINES = 200;
const MAX_LINE = 500;

export function readCard(card: CardObject, nameOf: (openId: string) => string | null): CardReading {
  const header = isObject(card.header) ? card.header : null;
  const mentions = (s: string) =>
    s
      .replace(/<at\s+(?:id|user_id|open_id)=["']?([\w-]+)["']?\s*>\s*<\/at>/g, (_, id: string) => `@${id === 'all' ? 'all' : (nameOf(id) ?? id)}`)
      .replace(/<at\s+(?:id|user_id|open_id)=["']?([\w-]+)["']?\s*>([^<]*)<\/at>/g, (_, id: string, shown: string) => `@${nameOf(id) ?? (shown || id)}`);
  const text: string[] = [];
  const push = (s: string | null) => {
    if (!s || text.length >= MAX_LINES) return;
    const line = mentions(s).trim();
    if (line) text.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
  };
  const root = isObject(card.body) ? card.body.elements : Array.isArray(card.elements) ? card.elements : isObject(card.i18n_elements) ? Object.values(card.i18n_elements)[0] : null;
  const stack: unknown[] = [root];
  while (stack.length && text.length < MAX_LINES) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (!isObject(v)) continue;
    const tag = v.tag;
    if (tag === 'markdown' || tag === 'lark_md' || tag === 'plain_text') push(typeof v.content === 'string' ? v.content : textOf(v));
    else if (tag === 'div') push(textOf(v.text));
    else if (tag === 'img' || tag === 'image') push(`[image${textOf(v.alt) ? `: ${textOf(v.alt)}` : ''}]`);
    else if (tag === 'hr') push('───');
    // Interactive elements are listed apart; the text inside them is theirs.
    if (typeof tag === 'string' && (LISTED_APART.has(tag) || tag === 'markdown' || tag === 'plain_text' || tag === 'lark_md' || tag === 'div')) {
      if (tag === 'div' && Array.isArray(v.fields)) stack.push(v.fields);
      continue;
    }
    const children = Object.entries(v).filter(([k, c]) => k !== 'config' && k !== 'header' && typeof c === 'object' && c !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]![1]);
  }
  const elements = interactiveElements(card).map((e, i) => ({
    n: i + 1,
    kind: e.tag,
    text: e.text === null ? null : mentions(e.text),
    element_id: e.elementId,
    name: e.name,
    value: e.value ?? null,
    options: e.options.length ? e.options : null,
    in_form: e.form !== null,
    disabled: e.node.disabled === true,
  }));
  return { title: header ? textOf(header.title) : null, subtitle: header ? textOf(header.subtitle) : null, text, elements };
}
