import { Ring } from './ring.js';

/**
 * The request log. Each entry keeps a bounded summary of its body, never the parsed tree: a
 * flood of large bodies (2 MB of `[{},{},…]` parses into millions of objects) must not be able to
 * fill the heap. The log is bounded twice: by entries and by the bytes its entries hold.
 */

export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** Shared between entries with the same query string: read-only. */
  query: Readonly<Record<string, string>>;
  app_id: string | null;
  status: number;
  code: number | null;
  log_id: string;
  duration_ms: number;
  /**
   * The JSON body, parsed again on each read, when it was valid JSON of at most
   * `requestLogBodyBytes` bytes; null otherwise (no body, too large, not JSON, an upload).
   */
  readonly body: unknown;
  /** The body's size as it arrived, in bytes. */
  body_bytes: number;
  /**
   * When `body` cannot show it (too large, not JSON): its first `requestLogBodyBytes` bytes as
   * text. Null when `body` shows it, when there was none, and for uploads (binary).
   */
  body_excerpt: string | null;
  /** The fault injected into this request, if any. */
  fault: string | null;
}

/** What the server hands the log about a body. */
export interface BodySummary {
  /** The bytes as they arrived. */
  raw: Buffer;
  /** The body decoded, when it parsed as JSON (the parsed value itself is not kept). */
  text: string | null;
  /** Uploads: only the size is logged. */
  binary: boolean;
}

export interface RequestLogLimits {
  /** Entries kept. */
  entries: number;
  /** Bytes the kept entries may hold (body text, path, query, and a fixed share for the rest). */
  bytes: number;
  /** Body bytes one entry keeps. */
  bodyBytes: number;
}

/** What an entry costs besides its strings: its fields and the slot in the ring. */
const ENTRY_OVERHEAD = 200;

/** One logged request; `body` is a getter, so what is kept is text of bounded length. */
export class LogEntry implements LoggedRequest {
  seq = 0;
  body_excerpt: string | null;
  /** The whole body as text, when it is JSON that fits the cap. */
  private readonly text: string | null;
  /** What this entry holds, for the log's byte bound. */
  readonly cost: number;

  constructor(
    readonly time: string,
    readonly method: string,
    readonly path: string,
    readonly query: Readonly<Record<string, string>>,
    readonly app_id: string | null,
    readonly status: number,
    readonly code: number | null,
    readonly log_id: string,
    readonly duration_ms: number,
    readonly body_bytes: number,
    body: BodySummary | null,
    readonly fault: string | null,
    bodyCap: number,
  ) {
    let text: string | null = null;
    let excerpt: string | null = null;
    if (body && body.raw.length > 0 && !body.binary) {
      if (body.text !== null && body.raw.length <= bodyCap) text = body.text;
      // Decoded from the first bytes only: slicing a decoded whole would keep the whole alive.
      else excerpt = body.raw.subarray(0, bodyCap).toString('utf8');
    }
    this.text = text;
    this.body_excerpt = excerpt;
    const kept = text ?? excerpt ?? '';
    // One byte a character while the text is ASCII (the raw bytes then equal its length), two otherwise.
    const perChar = body && kept.length === Math.min(body.raw.length, bodyCap) ? 1 : 2;
    this.cost = ENTRY_OVERHEAD + kept.length * perChar + path.length * 2 + queryChars(query) * 2;
  }

  get body(): unknown {
    return this.text === null ? null : JSON.parse(this.text);
  }

  toJSON(): Omit<LoggedRequest, 'body'> & { body: unknown } {
    return {
      seq: this.seq,
      time: this.time,
      method: this.method,
      path: this.path,
      query: this.query,
      app_id: this.app_id,
      status: this.status,
      code: this.code,
      log_id: this.log_id,
      duration_ms: this.duration_ms,
      body: this.body,
      body_bytes: this.body_bytes,
      body_excerpt: this.body_excerpt,
      fault: this.fault,
    };
  }
}

function queryChars(query: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const key in query) n += key.length + query[key]!.length;
  return n;
}

/** The newest requests, oldest first, within both bounds. */
export class RequestLog {
  private ring: Ring<LogEntry>;
  private held = 0;

  constructor(private limits: RequestLogLimits) {
    this.ring = new Ring(limits.entries);
  }

  get size(): number {
    return this.ring.size;
  }

  /** What the kept entries hold, as counted against `limits.bytes`. */
  get bytes(): number {
    return this.held;
  }

  get bodyCap(): number {
    return this.limits.bodyBytes;
  }

  push(entry: LogEntry): void {
    if (this.ring.size === this.limits.entries) this.held -= this.ring.shift()!.cost;
    this.ring.push(entry);
    this.held += entry.cost;
    // The newest entry always stays, even one alone above the bound (its parts are capped).
    while (this.held > this.limits.bytes && this.ring.size > 1) this.held -= this.ring.shift()!.cost;
  }

  at(i: number): LogEntry | undefined {
    return this.ring.at(i);
  }

  toArray(): LogEntry[] {
    return this.ring.toArray();
  }

  clear(limits: RequestLogLimits = this.limits): void {
    this.limits = limits;
    this.ring.clear(limits.entries);
    this.held = 0;
  }
}
