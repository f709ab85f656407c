import { isObject, type CardObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';

/** An element of a card a person can act on, as the testing library finds it. */
export interface CardElement {
  tag: string;
  /** What the client shows on it: a button's text, a field's placeholder or label. */
  text: string | null;
  elementId: string | null;
  name: string | null;
  /** The value a click carries (2.0 callback behaviour, or 1.0 `value`); undefined when it calls nothing. */
  value: unknown;
  /** The options of selects and overflow menus: their text and value. */
  options: Array<{ text: string | null; value: string }>;
  /** The form it sits in, if any. */
  form: Record<string, unknown> | null;
  /**
   * How a test names this element and no other (the first of element_id, name, text, value that is
   * unique in the card), to pass to `click`, `choose` and the other actions; null when none is.
   */
  target: ElementTarget | null;
  /** The component as the card holds it. */
  node: Record<string, unknown>;
}

/** How a test names the element it acts on. */
export type ElementTarget = { text: string | RegExp } | { value: unknown } | { elementId: string } | { name: string };

const INTERACTIVE = new Set([
  'button', 'overflow', 'input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person',
  'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img', 'interactive_container',
]);

/**
 * The words a text object shows (`header.title`, a button's `text`, a markdown component): its
 * `content`, else its first i18n content; a string as it is; null for anything else.
 */
export function textOf(t: unknown): string | null {
  if (typeof t === 'string') return t;
  if (!isObject(t)) return null;
  if (typeof t.content === 'string' && t.content) return t.content;
  if (isObject(t.i18n_content)) {
    const first = Object.values(t.i18n_content).find((v) => typeof v === 'string');
    if (typeof first === 'string') return first;
  }
  if (isObject(t.i18n)) {
    const first = Object.values(t.i18n).find((v) => typeof v === 'string');
    if (typeof first === 'string') return first;
  }
  return null;
}

/** What the client shows on an interactive component. */
export function visibleText(node: Record<string, unknown>): string | null {
  if (node.tag === 'checker' || node.tag === 'button') return textOf(node.text);
  if (node.tag === 'interactive_container') return collectText(node.elements);
  return textOf(node.placeholder) ?? textOf(node.label) ?? textOf(node.text);
}

function collectText(v: unknown): string | null {
  const parts: string[] = [];
  const stack: unknown[] = [v];
  while (stack.length && parts.length < 50) {
    const n = stack.pop();
    if (Array.isArray(n)) for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
    else if (isObject(n)) {
      if ((n.tag === 'plain_text' || n.tag === 'lark_md' || n.tag === 'markdown') && typeof n.content === 'string') parts.push(n.content);
      else for (const child of Object.values(n).reverse()) if (typeof child === 'object') stack.push(child);
    }
  }
  return parts.length ? parts.join(' ') : null;
}

function callbackValue(node: Record<string, unknown>): unknown {
  if (Array.isArray(node.behaviors)) {
    const cb = (node.behaviors as unknown[]).find((b) => isObject(b) && b.type === 'callback') as Record<string, unknown> | undefined;
    return cb ? (cb.value ?? {}) : undefined;
  }
  if (node.tag === 'button' && (typeof node.url === 'string' || isObject(node.multi_url)) && node.value === undefined) return undefined;
  return node.value ?? {};
}

export function optionsOf(node: Record<string, unknown>): CardElement['options'] {
  const list = Array.isArray(node.options) ? node.options : [];
  return list.filter(isObject).map((o) => ({ text: textOf(o.text), value: String(o.value ?? '') }));
}

/** The root list of components: 2.0 `body`, else 1.0 `elements`, else the first locale's. */
export function rootOf(card: CardObject): unknown {
  return isObject(card.body) ? card.body : Array.isArray(card.elements) ? card.elements : isObject(card.i18n_elements) ? Object.values(card.i18n_elements)[0] : null;
}

/**
 * Every element of a card a person can act on, in document order, each with the target that names
 * it. Iterative: deep cards are fine.
 */
export function interactiveElements(card: Card): CardElement[] {
  const root = rootOf(card as CardObject);
  const found = elementsUnder(root);
  for (const el of found) el.target = uniqueTarget(el, found);
  return found;
}

function uniqueTarget(el: CardElement, all: CardElement[]): ElementTarget | null {
  const candidates: ElementTarget[] = [];
  if (el.elementId) candidates.push({ elementId: el.elementId });
  if (el.name) candidates.push({ name: el.name });
  if (el.text?.trim()) candidates.push({ text: el.text.trim() });
  if (el.value !== undefined) candidates.push({ value: el.value });
  return candidates.find((t) => all.filter((o) => matches(o, t)).length === 1) ?? null;
}

function elementsUnder(root: unknown): CardElement[] {
  const found: CardElement[] = [];
  const stack: Array<{ v: unknown; form: Record<string, unknown> | null }> = [{ v: root, form: null }];
  while (stack.length) {
    const { v, form } = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], form });
      continue;
    }
    if (!isObject(v)) continue;
    const tag = typeof v.tag === 'string' ? v.tag : null;
    const inner = tag === 'form' ? v : form;
    if (tag && INTERACTIVE.has(tag)) {
      found.push({
        tag,
        text: visibleText(v),
        elementId: typeof v.element_id === 'string' ? v.element_id : null,
        name: typeof v.name === 'string' ? v.name : null,
        value: callbackValue(v),
        options: optionsOf(v),
        form,
        target: null,
        node: v,
      });
      if (tag !== 'interactive_container') continue;
    }
    const children = Object.entries(v).filter(([k, c]) => k !== 'config' && typeof c === 'object' && c !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ v: children[i]![1], form: inner });
  }
  return found;
}

/** Whether `actual` holds everything `expected` has (objects by subset, the rest by equality). */
export function valueMatches(actual: unknown, expected: unknown): boolean {
  // Own keys only: `{ constructor: … }` must not match what every object inherits.
  if (isObject(expected)) return isObject(actual) && Object.entries(expected).every(([k, v]) => valueMatches(Object.hasOwn(actual, k) ? actual[k] : undefined, v));
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => valueMatches(actual[i], v));
  return Object.is(actual, expected) || (typeof actual === 'string' && typeof expected === 'string' && actual === expected);
}

export function matches(el: CardElement, target: ElementTarget): boolean {
  if ('elementId' in target) return el.elementId === target.elementId;
  if ('name' in target) return el.name === target.name;
  if ('value' in target) return el.value !== undefined && valueMatches(el.value, target.value);
  const text = el.text?.trim() ?? '';
  return target.text instanceof RegExp ? target.text.test(text) : text === target.text.trim();
}

export function describeTarget(target: ElementTarget): string {
  if ('elementId' in target) return `element_id ${JSON.stringify(target.elementId)}`;
  if ('name' in target) return `name ${JSON.stringify(target.name)}`;
  if ('value' in target) return `value ${JSON.stringify(target.value)}`;
  return `text ${target.text instanceof RegExp ? String(target.text) : JSON.stringify(target.text)}`;
}

export function describeElement(el: CardElement): string {
  const bits = [el.tag];
  if (el.text) bits.push(JSON.stringify(el.text));
  if (el.elementId) bits.push(`element_id=${el.elementId}`);
  if (el.name) bits.push(`name=${el.name}`);
  if (el.value !== undefined && !(isObject(el.value) && Object.keys(el.value).length === 0)) bits.push(`value=${JSON.stringify(el.value)}`);
  return bits.join(' ');
}
