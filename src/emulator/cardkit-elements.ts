import { CARD_LIMITS, countBodyElements, isObject, type CardObject } from '../card/inspect.js';
import { refuseDeepContent } from './card-errors.js';
import { fail } from './catalogue/errors.js';

/**
 * The element tree of a JSON 2.0 card, as CardKit's element operations address it: by
 * `element_id`, anywhere under `body` (inside columns, forms, panels and containers too).
 */

type Node = Record<string, unknown>;

export interface Located {
  node: Node;
  /** The array that holds the node, and where. */
  parent: unknown[];
  index: number;
}

/** The platform's element_id: a letter first, then letters, digits and underscores, at most 20. */
export const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;

/** Deep enough for any real card; a deeper one is refused rather than walked. */
const MAX_DEPTH = 64;

function walk(value: unknown, depth: number, visit: (node: Node, parent: unknown[], index: number) => boolean | void): boolean {
  if (depth > MAX_DEPTH) throw fail(200220, 'the card is nested too deeply');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (isObject(item) && typeof item.tag === 'string' && visit(item, value, i)) return true;
      if (typeof item === 'object' && item !== null && walk(item, depth + 1, visit)) return true;
    }
    return false;
  }
  if (!isObject(value)) return false;
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null && walk(v, depth + 1, visit)) return true;
  }
  return false;
}

export function locate(card: CardObject, elementId: string): Located | null {
  let found: Located | null = null;
  walk(card.body, 0, (node, parent, index) => {
    if (node.element_id === elementId) {
      found = { node, parent, index };
      return true;
    }
    return false;
  });
  return found;
}

export function elementIds(card: CardObject): string[] {
  const ids: string[] = [];
  walk(card.body, 0, (node) => {
    if (typeof node.element_id === 'string') ids.push(node.element_id);
  });
  return ids;
}

/** Where `append` puts elements inside a container, or null when the node holds none. */
function childrenOf(node: Node): unknown[] | null {
  if (Array.isArray(node.elements)) return node.elements;
  if (node.tag === 'column_set') {
    if (!Array.isArray(node.columns)) node.columns = [];
    return node.columns as unknown[];
  }
  if (['form', 'collapsible_panel', 'interactive_container', 'column'].includes(String(node.tag))) {
    node.elements = [];
    return node.elements as unknown[];
  }
  return null;
}

function bodyElements(card: CardObject): unknown[] {
  if (!isObject(card.body)) card.body = {};
  const body = card.body as Node;
  if (!Array.isArray(body.elements)) body.elements = [];
  return body.elements as unknown[];
}

/** Parses a JSON string field the way CardKit takes nested documents; bad JSON is 10002. */
export function parseJsonField(field: string, text: string): unknown {
  refuseDeepContent(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(10002, `${field} is not valid JSON (${(err as Error).message})`);
  }
}

function asElements(value: unknown, field: string): Node[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => isObject(e) && typeof e.tag === 'string')) {
    throw fail(10002, `${field} must be a non-empty array of components, each with a tag`);
  }
  return value as Node[];
}

function asElement(value: unknown, field: string): Node {
  if (!isObject(value) || typeof value.tag !== 'string') throw fail(10002, `${field} must be a component object with a tag`);
  return value;
}

export function addElements(card: CardObject, type: string, targetId: string | undefined, elementsValue: unknown): void {
  const elements = asElements(elementsValue, 'elements');
  if (type === 'append' && !targetId) {
    bodyElements(card).push(...elements);
    return;
  }
  if (!targetId) throw fail(300315, `target_element_id is required for ${type}`);
  const target = locate(card, targetId);
  if (!target) throw fail(300315, `no element has element_id "${targetId}"`);
  if (type === 'append') {
    const children = childrenOf(target.node);
    if (!children) throw fail(300315, `"${targetId}" (${String(target.node.tag)}) is not a container, so nothing can be appended to it`);
    children.push(...elements);
    return;
  }
  target.parent.splice(type === 'insert_before' ? target.index : target.index + 1, 0, ...elements);
}

export function deleteElements(card: CardObject, ids: unknown): void {
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string')) {
    throw fail(10002, 'element_ids must be a non-empty array of strings');
  }
  for (const id of ids as string[]) {
    const found = locate(card, id);
    if (!found) throw fail(300314, `no element has element_id "${id}"`);
    found.parent.splice(found.index, 1);
  }
}

export function replaceElement(card: CardObject, id: string, value: unknown): void {
  const element = asElement(value, 'element');
  const found = locate(card, id);
  if (!found) throw fail(300121, `no element has element_id "${id}"`);
  found.parent[found.index] = { element_id: id, ...element };
}

export function patchElement(card: CardObject, id: string, value: unknown): void {
  if (!isObject(value)) throw fail(10002, 'partial_element must be a JSON object');
  const found = locate(card, id);
  if (!found) throw fail(300313, `no element has element_id "${id}"`);
  if (value.tag !== undefined && value.tag !== found.node.tag) {
    throw fail(300312, `"${id}" is a ${String(found.node.tag)}; replace the element to change its tag`);
  }
  Object.assign(found.node, value);
}

/** Streaming text: only a markdown component or a plain_text element takes it. */
export function setElementText(card: CardObject, id: string, text: string): { before: string } {
  const found = locate(card, id);
  if (!found) throw fail(300313, `no element has element_id "${id}"`);
  const tag = found.node.tag;
  if (tag !== 'markdown' && tag !== 'plain_text') {
    throw fail(300310, `"${id}" is a ${String(tag)}; streaming text goes into a markdown or plain_text element`);
  }
  const before = typeof found.node.content === 'string' ? found.node.content : '';
  found.node.content = text;
  return { before };
}

/** The checks every create and update makes on the resulting card (reference §2.2). */
export function checkEntityCard(card: CardObject): void {
  if (Object.keys(card).length === 0) throw fail(300307);
  if (card.schema !== '2.0') throw fail(300303, 'a card entity is a JSON 2.0 card ("schema": "2.0")');
  if (!isObject(card.body) && !isObject(card.header)) throw fail(300307, 'the card has no body or header');
  if (isObject(card.config) && card.config.update_multi === false) {
    throw fail(300302, 'card entities are shared cards; drop config.update_multi or set it to true');
  }
  const count = countBodyElements(card);
  if (count > CARD_LIMITS.maxElementsV2) throw fail(300305, `it has ${count}`);
  const ids = elementIds(card);
  const seen = new Set<string>();
  for (const id of ids) {
    if (!ELEMENT_ID.test(id)) throw fail(10002, `element_id "${id}" must start with a letter and hold at most 20 letters, digits or underscores`);
    if (seen.has(id)) throw fail(300301, `"${id}" is used more than once in the card`);
    seen.add(id);
  }
  const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (size > CARD_LIMITS.maxContentBytes) throw fail(200860, `the card is ${size} bytes, the limit is ${CARD_LIMITS.maxContentBytes}`);
}
