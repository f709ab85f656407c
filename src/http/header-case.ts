/**
 * Header names as the platform writes them on the wire. HTTP says names are case-insensitive, but
 * clients that copy headers into a plain map (the official Python SDK reads `X-Tt-Logid`,
 * `Content-Type` and `Content-Disposition` that way) only find them in the platform's spelling:
 * each dash-separated word capitalised, the form Go's net/http gives every name (`X-Tt-Logid`,
 * `X-Lark-Signature`, `X-Ogw-Ratelimit-Reset`). Node sends a name in the case it is given.
 */
const cache = new Map<string, string>();
const MAX_CACHED = 256;

export function wireHeaderName(name: string): string {
  let wire = cache.get(name);
  if (wire === undefined) {
    wire = name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
    // Names come from code and from users' --header flags: a bounded few.
    if (cache.size < MAX_CACHED) cache.set(name, wire);
  }
  return wire;
}

/**
 * The same headers under their wire names. Names that differ only in case are one header: the
 * later one wins, so a caller's `Content-Type` replaces a default `content-type`.
 */
export function wireHeaders<V>(...sets: (Record<string, V> | undefined)[]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const set of sets) {
    if (!set) continue;
    for (const name of Object.keys(set)) {
      // Defined, not assigned: a user's header named __proto__ is a header, not the object's parent.
      Object.defineProperty(out, wireHeaderName(name), { value: set[name], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}
