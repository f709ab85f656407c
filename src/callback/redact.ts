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

/** The Verification Token a callback carries in its own slot: `header.token` (2.0), or `token` of url_verification. */
function slotTokens(payload: unknown): string[] {
  if (!isObject(payload)) return [];
  const found: unknown[] = [isObject(payload.header) ? payload.header.token : undefined, payload.type === 'url_verification' ? payload.token : undefined];
  return found.filter((t): t is string => typeof t === 'string' && t.length > 0);
}

/**
 * A fixture file as `card fixtures show` prints it: the token slots of the callback (at its root,
 * or under `payload` beside `_meta`) hidden whatever they hold, and the keys in use and those
 * slots' own values hidden wherever else they appear, whole or inside a longer string (a URL or a
 * header a captured request quoted). Short values are hidden only whole (see redactText), so
 * unrelated text is left as it was.
 */
export function redactFixture<T>(fixture: T, secrets: Array<string | null | undefined>): T {
  const wrapped = isObject(fixture) && isObject(fixture._meta) && isObject(fixture.payload);
  const inner = wrapped ? (fixture as Record<string, unknown>).payload : undefined;
  let shown: unknown = redactCallback(fixture, secrets);
  if (wrapped) shown = { ...(shown as Record<string, unknown>), payload: redactCallback((shown as Record<string, unknown>).payload, []) };
  return redactDeep(shown, [...secrets, ...slotTokens(fixture), ...slotTokens(inner)]) as T;
}
