import { isObject } from '../card/inspect.js';
import { usageError } from '../output/errors.js';

/**
 * Segments that reach an object's prototype instead of a key of its own: setting through them
 * changes every object in the process, reading through them finds what no payload holds.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Whether a key names the prototype chain rather than data (never a segment of a path we walk). */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/** `a.b[0].c` or `a.b.0.c` → ['a', 'b', 0, 'c']. `flag` names where the path came from, for the message. */
export function parsePath(path: string, flag?: string): Array<string | number> {
  const where = flag ? `${flag} ` : '';
  if (!path || path.startsWith('.') || path.endsWith('.')) throw usageError(`${where}"${path}" is not a dotted path`);
  const parts: Array<string | number> = [];
  for (const segment of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!m || (!m[1] && !m[2])) throw usageError(`${where}"${path}" is not a dotted path (bad segment "${segment}")`);
    if (m[1] && isPrototypeKey(m[1])) {
      throw usageError(`${where}"${path}": the segment "${m[1]}" is not allowed (it names the object's prototype, not a key of the payload)`);
    }
    if (m[1]) parts.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}

export function getPath(value: unknown, path: Array<string | number>): { found: boolean; value: unknown } {
  let cur = value;
  for (const p of path) {
    if (typeof p === 'string' && isPrototypeKey(p)) return { found: false, value: undefined };
    if (Array.isArray(cur) && typeof p === 'number' && p < cur.length) cur = cur[p];
    else if (isObject(cur) && Object.hasOwn(cur, String(p))) cur = cur[String(p)];
    else return { found: false, value: undefined };
  }
  return { found: true, value: cur };
}

/** Sets a value, creating objects (or arrays, for numeric segments) on the way. */
export function setPath(target: Record<string, unknown>, path: Array<string | number>, value: unknown): void {
  // Paths from parsePath never hold these; a path built elsewhere must not reach a prototype either.
  const bad = path.find((p) => typeof p === 'string' && isPrototypeKey(p));
  if (bad !== undefined) throw usageError(`the path segment "${bad}" is not allowed (it names the object's prototype)`);
  let cur: any = target;
  path.forEach((p, i) => {
    if (i === path.length - 1) {
      cur[p] = value;
      return;
    }
    // Only own keys are walked: an inherited value is never written through.
    if (!Object.hasOwn(cur, p) || typeof cur[p] !== 'object' || cur[p] === null) cur[p] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[p];
  });
}

/** `path=value`: the value is JSON when it parses, text otherwise. */
export function parseAssignment(pair: string, flag: string): { path: Array<string | number>; raw: string; value: unknown } {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw usageError(`${flag} "${pair}" must be path=value`);
  const raw = pair.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { path: parsePath(pair.slice(0, eq), flag), raw: pair.slice(0, eq), value };
}

export function formatPath(path: Array<string | number>): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${p}`), '$');
}
