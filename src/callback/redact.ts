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
