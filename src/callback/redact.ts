import { isObject } from '../card/inspect.js';

/**
 * Keys and tokens kept out of what card prints. A callback carries the Verification Token in
 * `header.token` (2.0) or `token` (url_verification); any string equal to a key in use is hidden
 * too, wherever it sits.
 */

/** What stands in for a secret: its length and last two characters, enough to tell two apart. */
export function redacted(secret: string): string {
  return secret.length > 12 ? `<redacted …${secret.slice(-2)}>` : '<redacted>';
}

export function redactCallback<T>(payload: T, secrets: Array<string | null | undefined>): T {
  const hide = new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0));
  const isUrlVerification = isObject(payload) && payload.type === 'url_verification';
  // `slot` is the dotted path in the top two levels (undefined at the root), null below them:
  // only those levels hold a token slot, and a replay redacts every payload it sends.
  const walk = (v: unknown, slot: string | null | undefined): unknown => {
    if (typeof v === 'string') {
      if (hide.has(v)) return redacted(v);
      // The verification token's own slots, whatever their value (a fixture may hold another app's).
      if (v && (slot === 'header.token' || (slot === 'token' && isUrlVerification))) return redacted(v);
      return v;
    }
    const below = (k: string) => (slot === undefined ? k : slot === 'header' ? `header.${k}` : null);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, below(String(i))));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, below(k))]));
    return v;
  };
  return walk(payload, undefined) as T;
}

/**
 * A secret shorter than this is hidden only where a whole string equals it: replacing every
 * occurrence of a two-letter "key" inside answers would garble them and hide nothing real.
 */
const MIN_SECRET_IN_TEXT = 8;

function secretsOf(secrets: Array<string | null | undefined>): string[] {
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
}

/** Text with every occurrence of a key or token in use replaced by its stand-in. */
export function redactText(text: string, secrets: Array<string | null | undefined>): string {
  let out = text;
  for (const s of secretsOf(secrets)) {
    if (out === s) return redacted(s);
    if (s.length >= MIN_SECRET_IN_TEXT && out.includes(s)) out = out.split(s).join(redacted(s));
  }
  return out;
}

/**
 * Anything a handler sent back (its answer, an error body, a header), or a result that quotes
 * it, with the keys and tokens in use hidden wherever they sit: in any string or key, whole or
 * inside a longer text (a handler that echoes the request echoes the Verification Token).
 */
export function redactDeep<T>(value: T, secrets: Array<string | null | undefined>): T {
  const list = secretsOf(secrets);
  if (!list.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactText(k, list), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
