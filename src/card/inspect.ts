/** Facts about a card object that both the emulator and the CLI need. */

export type CardObject = Record<string, unknown>;
export type CardSchema = '1.0' | '2.0';

/** The platform's card limits (reference/card-schema.md §3). */
export const CARD_LIMITS = {
  /** The `content` string of an interactive message. */
  maxContentBytes: 30 * 1024,
  maxElementsV2: 200,
} as const;

/** Tags that JSON 2.0 rejects with 230099 / 200861. */
export const REMOVED_IN_V2 = new Set(['action', 'note']);

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a JSON value is named in messages: "null", "an array", "a string". */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : `a ${t}`;
}

export function cardSchemaOf(card: CardObject): CardSchema {
  return card.schema === '2.0' ? '2.0' : '1.0';
}

/** A shared card is one whose update is seen by everyone: always in 2.0, opt-in in 1.0. */
export function isSharedCard(card: CardObject): boolean {
  if (cardSchemaOf(card) === '2.0') return true;
  return isObject(card.config) && card.config.update_multi === true;
}

export interface TagLocation {
  tag: string;
  /** The platform's path notation: `ROOT -> body -> elements -> [2](tag: note)`. */
  errPath: string;
  pointer: string;
}

/**
 * Walks every object that carries a `tag` below the card's content, calling `visit` with
 * its location. Header objects are included; `config` is not (it never holds components).
 */
export function walkTags(card: CardObject, visit: (node: Record<string, unknown>, loc: TagLocation) => void): void {
  const step = (value: unknown, errPath: string, pointer: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const tag = isObject(item) && typeof item.tag === 'string' ? item.tag : undefined;
        step(item, `${errPath} -> [${i}]${tag ? `(tag: ${tag})` : ''}`, `${pointer}/${i}`);
      });
      return;
    }
    if (!isObject(value)) return;
    if (typeof value.tag === 'string') visit(value, { tag: value.tag, errPath, pointer });
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'object' && v !== null) step(v, `${errPath} -> ${k}`, `${pointer}/${escapePointer(k)}`);
    }
  };
  for (const [k, v] of Object.entries(card)) {
    if (k === 'config') continue;
    if (typeof v === 'object' && v !== null) step(v, `ROOT -> ${k}`, `/${escapePointer(k)}`);
  }
}

/**
 * walkTags' traversal, visiting the same nodes in the same order, but without building a path for
 * each of them: for checks that need only the tags (every send makes them).
 */
function eachTag(value: unknown, visit: (tag: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) eachTag(item, visit);
    return;
  }
  if (!isObject(value)) return;
  if (typeof value.tag === 'string') visit(value.tag);
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) eachTag(v, visit);
}

/** 2.0 counts every tagged node in the body, text objects included, against its 200 limit. */
export function countBodyElements(card: CardObject): number {
  let n = 0;
  if (!isObject(card.body)) return 0;
  eachTag(card.body, () => n++);
  return n;
}

export function findRemovedV2Tags(card: CardObject): TagLocation[] {
  // Paths are built only for a card that has such a tag: most have none.
  let any = false;
  const seen = (tag: string) => {
    if (REMOVED_IN_V2.has(tag)) any = true;
  };
  for (const k of Object.keys(card)) if (k !== 'config') eachTag(card[k], seen);
  if (!any) return [];
  const found: TagLocation[] = [];
  walkTags(card, (_node, loc) => {
    if (REMOVED_IN_V2.has(loc.tag)) found.push(loc);
  });
  return found;
}

export function escapePointer(key: string): string {
  // Nearly every key has neither character: skip the two replacements for those.
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** How a message `content` string describes its card. */
export type CardContent =
  | { kind: 'inline'; card: CardObject }
  | { kind: 'template'; templateId: string; versionName: string | null; variables: Record<string, unknown> }
  | { kind: 'entity'; cardId: string };

export function classifyCardContent(obj: CardObject): CardContent | { kind: 'invalid'; reason: string } {
  if (obj.type === 'template') {
    const data = obj.data;
    if (!isObject(data) || typeof data.template_id !== 'string' || !data.template_id) {
      return { kind: 'invalid', reason: 'a template card needs data.template_id' };
    }
    if (data.template_version_name !== undefined && typeof data.template_version_name !== 'string') {
      return { kind: 'invalid', reason: 'data.template_version_name must be a string' };
    }
    if (data.template_variable !== undefined && !isObject(data.template_variable)) {
      return { kind: 'invalid', reason: 'data.template_variable must be an object' };
    }
    return {
      kind: 'template',
      templateId: data.template_id,
      versionName: (data.template_version_name as string | undefined) ?? null,
      variables: (data.template_variable as Record<string, unknown> | undefined) ?? {},
    };
  }
  if (obj.type === 'card') {
    const data = obj.data;
    if (!isObject(data) || typeof data.card_id !== 'string') return { kind: 'invalid', reason: 'a card entity needs data.card_id' };
    return { kind: 'entity', cardId: data.card_id };
  }
  return { kind: 'inline', card: obj };
}
