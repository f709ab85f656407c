import { isObject, type CardObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';
import { mentionsByName } from '../card/mentions.js';
import { optionsOf, rootOf, textOf, visibleText } from './elements.js';

/** Who the ids in a card are: open_id, user_id or email to the name the client shows. */
export type People = Record<string, string> | ReadonlyMap<string, string>;

export interface CardAsTextOptions {
  /** Names for the people a card mentions (`<at id=…>`, person components); unknown ids show as they are. */
  people?: People;
}

/** Deeper nesting than the platform allows is not read further. */
const MAX_DEPTH = 64;

/**
 * The card as a person reads it, in plain text: the title (and subtitle), then each component on
 * its own line in order: texts with mentions by name, images by their alt text, buttons as
 * `[Text]`, fields and menus with what they show, `---` for a divider. Markup the client draws
 * (bold, strike-through, links, colours, tags) is reduced to its words.
 */
export function cardAsText(card: Card, opts: CardAsTextOptions = {}): string {
  const c = card as CardObject;
  const name = nameOf(opts.people);
  const lines: string[] = [];
  if (isObject(c.header)) {
    const title = textOf(c.header.title);
    if (title) lines.push(mentions(title, name));
    const subtitle = textOf(c.header.subtitle);
    if (subtitle) lines.push(mentions(subtitle, name));
  }
  walk(rootOf(c), lines, name, 0);
  return lines.join('\n');
}

type Namer = (id: string) => string | undefined;

function nameOf(people: People | undefined): Namer {
  if (!people) return () => undefined;
  if (people instanceof Map) return (id) => people.get(id);
  const record = people as Record<string, string>;
  return (id) => (Object.hasOwn(record, id) ? record[id] : undefined);
}

/** `<at id=…>`, `<at user_id="…">`, `<at ids=a,b>`, `<at email=…>` and `<person id=…>` as `@Name`; other markup tags dropped. */
function mentions(text: string, name: Namer): string {
  return mentionsByName(text, name).replace(/<\/?(font|text_tag|number_tag|a|link)\b[^>]*>/gi, '');
}

/** Markdown's emphasis and links reduced to their words: what a reader sees, not how it was written. */
function plainMarkdown(text: string): string {
  return text
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/~~([^~\n]+)~~/g, '$1')
    .replace(/\[([^\]\n]+)\]\([^)\s]+\)/g, '$1');
}

const TEXT_TAGS = new Set(['markdown', 'lark_md', 'plain_text']);
const FIELD_KIND: Record<string, string> = {
  input: 'input', select_static: 'select', multi_select_static: 'select', select_person: 'select person', multi_select_person: 'select people',
  date_picker: 'date', picker_time: 'time', picker_datetime: 'date and time', select_img: 'select image',
};
/** Where a component keeps the components inside it (`extra`: what a 1.0 div shows beside its text). */
const CHILDREN = ['elements', 'columns', 'actions', 'extra'];

function walk(node: unknown, lines: string[], name: Namer, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, lines, name, depth + 1);
    return;
  }
  if (!isObject(node)) return;
  const line = lineOf(node, name);
  if (line !== null) lines.push(line);
  if (node.tag === 'collapsible_panel' && isObject(node.header)) {
    const title = textOf(node.header.title);
    if (title) lines.push(mentions(title, name));
  }
  // A 1.0 action module's buttons sit side by side: one line.
  if (node.tag === 'action' && Array.isArray(node.actions) && node.actions.every((a) => isObject(a) && a.tag === 'button')) {
    lines.push(node.actions.map((a) => lineOf(a as Record<string, unknown>, name)).join(' '));
    return;
  }
  // Their line already holds what is inside them.
  if (node.tag === 'interactive_container' || node.tag === 'note') return;
  for (const key of CHILDREN) if (node[key] !== undefined) walk(node[key], lines, name, depth + 1);
}

/** The line a component shows by itself, or null for containers and what shows nothing. */
function lineOf(node: Record<string, unknown>, name: Namer): string | null {
  const text = (v: unknown) => {
    const t = textOf(v);
    if (t === null) return null;
    return mentions(isObject(v) && (v.tag === 'lark_md' || v.tag === 'markdown') ? plainMarkdown(t) : t, name);
  };
  switch (node.tag) {
    case 'hr':
      return '---';
    case 'img':
      return `[image: ${text(node.alt) || 'no alt text'}]`;
    case 'img_combination':
      return `[images: ${Array.isArray(node.img_list) ? node.img_list.length : 0}]`;
    case 'chart':
      return '[chart]';
    case 'audio':
      return '[audio]';
    case 'button':
      return `[${text(node.text) ?? ''}]`;
    case 'checker':
      return `[${node.checked === true ? 'x' : ' '}] ${text(node.text) ?? ''}`;
    case 'overflow':
      return `[menu: ${optionsOf(node).map((o) => o.text ?? o.value).join(' | ')}]`;
    case 'interactive_container':
      return text(visibleText(node)) ?? '';
    case 'person':
      return typeof node.user_id === 'string' ? `@${name(node.user_id) ?? node.user_id}` : null;
    case 'person_list':
      return Array.isArray(node.persons) ? node.persons.filter(isObject).map((p) => `@${name(String(p.id)) ?? String(p.id)}`).join(' ') : null;
    case 'div': {
      const parts = [text(node.text), ...(Array.isArray(node.fields) ? node.fields.map((f) => (isObject(f) ? text(f.text) : null)) : [])];
      const shown = parts.filter((p): p is string => !!p);
      return shown.length ? shown.join('\n') : null;
    }
    case 'note':
      return Array.isArray(node.elements) ? node.elements.map((e) => (isObject(e) && e.tag === 'img' ? `[image: ${text(e.alt) || 'no alt text'}]` : text(e))).filter(Boolean).join(' ') : null;
    case 'table':
      return tableText(node, name);
    default:
      if (typeof node.tag === 'string' && TEXT_TAGS.has(node.tag)) return text(node);
      if (typeof node.tag === 'string' && node.tag in FIELD_KIND) {
        const shown = visibleText(node);
        return `[${FIELD_KIND[node.tag]}${shown ? `: ${mentions(shown, name)}` : ''}]`;
      }
      return null;
  }
}

/** Rows shown at most: a test reads a table's first page, not thousands of rows. */
const MAX_TABLE_ROWS = 50;

function tableText(node: Record<string, unknown>, name: Namer): string | null {
  const columns = Array.isArray(node.columns) ? node.columns.filter(isObject) : [];
  if (!columns.length) return null;
  const keys = columns.map((c) => String(c.name ?? ''));
  const lines = [columns.map((c) => String(c.display_name ?? c.name ?? '')).join(' | ')];
  const rows = Array.isArray(node.rows) ? node.rows.filter(isObject).slice(0, MAX_TABLE_ROWS) : [];
  for (const row of rows) lines.push(keys.map((k) => cell(row[k], name)).join(' | '));
  return lines.join('\n');
}

function cell(v: unknown, name: Namer): string {
  if (typeof v === 'string') return mentions(v, name);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? String(textOf(x.text) ?? x.name ?? x.id ?? '') : cell(x, name))).join(', ');
  return '';
}
