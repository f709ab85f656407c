import { escapePointer } from './inspect.js';

/**
 * Bounds on card input, checked before anything parses or walks it. Node's JSON.stringify,
 * ajv and every recursive walk overflow the stack long before memory runs out, so a
 * 30 KB file of nested brackets would otherwise crash any command that reads a card.
 */
export const INPUT_LIMITS = {
  /** Far deeper than any card the platform accepts (5 nested containers, plus text and values). */
  maxDepth: 64,
  /** A card message is at most 30 KB compacted; a pretty-printed file may be larger, not this large. */
  maxFileBytes: 2 * 1024 * 1024,
} as const;

export interface TooDeep {
  /** JSON pointer of the value that goes one level too deep. */
  pointer: string;
  /** Offset of its opening bracket in the text. */
  offset: number;
}

/**
 * Finds the first value nested deeper than `max` brackets, without recursion, keeping the
 * path of keys and indexes that leads to it. Works on any text; on invalid JSON it still
 * stops at the first bracket past the limit, which is where the parser would give up too.
 */
export function findTooDeep(text: string, max: number = INPUT_LIMITS.maxDepth): TooDeep | null {
  // Nearly every input is well within the limit: a bare count answers that without building
  // keys, and the walk below, which names where, runs only for what is too deep.
  if (!nestsDeeperThan(text, max)) return null;
  // Per open container: its kind, and the key or index of the value being read inside it.
  const kinds: string[] = [];
  const keys: string[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i + 1;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (expectKey) {
        keys[keys.length - 1] = keyOf(text.slice(start, i));
        expectKey = false;
      }
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (kinds.length >= max) return { pointer: keys.map(escapePointer).map((k) => `/${k}`).join(''), offset: i };
      kinds.push(ch === 0x7b ? '{' : '[');
      keys.push(ch === 0x7b ? '' : '0');
      expectKey = ch === 0x7b;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      kinds.pop();
      keys.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */) {
      const top = kinds.length - 1;
      if (kinds[top] === '[') keys[top] = String(Number(keys[top]) + 1);
      else if (kinds[top] === '{') expectKey = true;
    }
  }
  return null;
}

/** Whether any bracket opens past `max` levels: findTooDeep's scan, counting only. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (depth >= max) return true;
      depth++;
    } else if ((ch === 0x7d /* } */ || ch === 0x5d) /* ] */ && depth > 0) {
      depth--;
    }
  }
  return false;
}

function keyOf(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * Whether JSON text nests objects and arrays deeper than `max`, found by a scan of the text (so a
 * hostile body is refused before anything walks it recursively). Nesting counts as in
 * depthExceeds: both say a value with more than `max` containers inside one another is too deep.
 */
export function textNestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether a parsed value nests deeper than `max`, checked without recursion; the pointer of
 * the first value too deep, or null. Pointers are only built when something is too deep.
 */
export function depthExceeds(value: unknown, max: number = INPUT_LIMITS.maxDepth): string | null {
  if (typeof value !== 'object' || value === null) return null;
  // Two parallel stacks, not a [value, depth] pair per node: every card the emulator is sent comes here.
  const values: object[] = [value];
  const depths: number[] = [0];
  let tooDeep = false;
  while (values.length) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth >= max) {
      tooDeep = true;
      break;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) (values.push(x), depths.push(depth + 1));
      }
    } else {
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'object' && x !== null) (values.push(x), depths.push(depth + 1));
      }
    }
  }
  if (!tooDeep) return null;
  const walk: Array<[unknown, number, string]> = [[value, 0, '']];
  while (walk.length) {
    const [v, depth, pointer] = walk.pop()!;
    if (depth >= max) return pointer;
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as object);
    for (const [k, x] of entries) if (typeof x === 'object' && x !== null) walk.push([x, depth + 1, `${pointer}/${escapePointer(k)}`]);
  }
  return null;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}
