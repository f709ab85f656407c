/**
 * Request queries, parsed once per distinct query string. Clients send the same few over and over
 * (every send of a bot says receive_id_type=chat_id or open_id), so parsing each again, then
 * copying it into the request log, would be work repeated on every request of a busy test run.
 * The parsed forms are shared between requests, so they refuse to be changed.
 */
export interface ParsedQuery {
  /** What routes read. */
  params: URLSearchParams;
  /** What the request log shows. */
  record: Readonly<Record<string, string>>;
}

class ReadOnlyParams extends URLSearchParams {
  override append(..._args: unknown[]): never {
    throw new TypeError('a request query cannot be changed');
  }

  override delete(..._args: unknown[]): never {
    throw new TypeError('a request query cannot be changed');
  }

  override set(..._args: unknown[]): never {
    throw new TypeError('a request query cannot be changed');
  }

  override sort(): never {
    throw new TypeError('a request query cannot be changed');
  }
}

function parse(raw: string): ParsedQuery {
  const params = new ReadOnlyParams(raw);
  return { params, record: Object.freeze(Object.fromEntries(params)) };
}

export const EMPTY_QUERY: ParsedQuery = parse('');

/** Distinct query strings kept; a client that sends ever new ones only empties the memo now and then. */
const MAX_KEPT = 256;
/** Longer queries are parsed each time: they are rare, and would make the memo large. */
const MAX_KEPT_LENGTH = 512;
const kept = new Map<string, ParsedQuery>();

/** The query of a request target, without its `?`. */
export function parseQuery(raw: string): ParsedQuery {
  if (raw === '') return EMPTY_QUERY;
  let q = kept.get(raw);
  if (q) return q;
  q = parse(raw);
  if (raw.length <= MAX_KEPT_LENGTH) {
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(raw, q);
  }
  return q;
}
