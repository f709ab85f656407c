import { MAX_DELIVERY_RECORDS, type DeliveryRecord, type Store } from './store.js';

/**
 * The delivery log's wording and rules: the verdict on one attempt, the platform's re-send
 * schedule for events, and the grouped view the control API shows.
 */

/**
 * When a failed event is sent again, after each failed attempt: 15 s, 5 min, 1 h, 6 h, so at most
 * 4 re-sends over about 7.1 hours (the platform's event overview, "事件概述": an answer other than
 * HTTP 200 within 3 s is a failed push, re-pushed at those intervals; the long connection re-pushes
 * the same way, "超时重推"). Callbacks are never re-sent ("不提供补推机制").
 */
export const EVENT_RETRY_DELAYS_MS: readonly number[] = [15_000, 5 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

/** The platform's time limit for an answer to an event or a callback. */
export const DELIVERY_TIME_LIMIT_MS = 3000;

/** Bytes of a payload the log keeps; a bigger one is left out of the record (the re-send keeps its own copy). */
const MAX_LOGGED_PAYLOAD_BYTES = 64 * 1024;
/**
 * Bytes of an answer's body a record keeps: an answer may be as large as a whole card (and the log
 * holds MAX_DELIVERY_RECORDS of them), and the verdict is reached on the whole answer before it is
 * logged, so the log needs only its start and its size.
 */
export const MAX_ANSWER_EXCERPT_BYTES = 4096;

/** The first `max` bytes of `text` as UTF-8, cut before a character the cut would split. */
export function utf8Excerpt(text: string, max: number): string {
  const raw = Buffer.from(text, 'utf8');
  if (raw.length <= max) return text;
  let end = max;
  // A continuation byte (10xxxxxx) belongs to the character the cut would split: step back to its start.
  while (end > 0 && (raw[end]! & 0xc0) === 0x80) end--;
  return raw.subarray(0, end).toString('utf8');
}

/** What one attempt came to, whatever carried it. */
export interface AttemptOutcome {
  channel: 'http' | 'ws';
  /** Nothing was sent, and why (no URL, no connected client, url_verification failed …). */
  notSent: string | null;
  /** HTTP status or the ack's code; null when nothing came back. */
  status: number | null;
  body: string | null;
  /** Why nothing came back: the HTTP layer's failure, or the long connection's. */
  noAnswer: { code: string; message: string } | null;
  problems: Array<{ path: string; message: string }>;
  ok: boolean;
}

/** What the client shows when a callback fails (reference/feishu-api.md §6.5, client ≥ 7.28). */
const CLIENT_CODES: Record<number, string> = {
  200340: 'the app has no callback address, or its version is not published',
  200341: 'the callback got no answer in time',
  200342: 'the callback address could not be connected to',
  200671: 'the handler answered a status other than 200',
  200672: 'the answer is not in the format the client reads',
  200673: 'the card in the answer is invalid',
};

export function clientCodeMeaning(code: number): string {
  return CLIENT_CODES[code] ?? 'the callback failed';
}

export function firstLine(body: string): string {
  const line = body.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

const seconds = (ms: number) => `${Math.round(ms) / 1000} s`;

export interface Verdict {
  verdict: 'ok' | 'failed';
  reason: string | null;
  client_code: number | null;
}

/**
 * The verdict on one attempt, named as a developer would want to read it: "HTTP 500: <first line
 * of the body>", "code 200671: …" for a long-connection ack that is not 200, "no answer in 3 s".
 */
export function verdictOf(category: 'event' | 'callback', o: AttemptOutcome, limitMs: number): Verdict {
  const callback = category === 'callback';
  if (o.notSent) return { verdict: 'failed', reason: `not sent: ${o.notSent}`, client_code: callback ? 200340 : null };
  if (o.status === null) {
    const code = o.noAnswer?.code;
    if (code === 'timeout') return { verdict: 'failed', reason: `no answer in ${seconds(limitMs)}`, client_code: callback ? 200341 : null };
    const why = o.noAnswer?.message ?? o.problems[0]?.message ?? 'no answer';
    return { verdict: 'failed', reason: why, client_code: callback ? (code === 'ECONNREFUSED' ? 200342 : 200341) : null };
  }
  if (o.status !== 200) {
    if (o.channel === 'http') {
      const line = firstLine(o.body ?? '');
      return { verdict: 'failed', reason: `HTTP ${o.status}: ${line || '(empty body)'}`, client_code: callback ? 200671 : null };
    }
    const thrown = o.status === 500 ? ' (the official SDKs ack 500 when the handler throws)' : '';
    if (callback) return { verdict: 'failed', reason: `code 200671: ${CLIENT_CODES[200671]}: the long-connection ack said ${o.status}${thrown}`, client_code: 200671 };
    return { verdict: 'failed', reason: `the long-connection ack said ${o.status}, not 200${thrown}`, client_code: null };
  }
  if (o.ok) return { verdict: 'ok', reason: null, client_code: null };
  const text = o.problems.map((p) => (p.path === '$' ? p.message : `${p.path}: ${p.message}`)).join('; ');
  if (/over the \d+ ms budget/.test(text)) return { verdict: 'failed', reason: `answered after the ${seconds(limitMs)} limit: ${text}`, client_code: callback ? 200341 : null };
  const client = /200673|card/.test(text) ? 200673 : 200672;
  return { verdict: 'failed', reason: `the answer was refused: ${text}`, client_code: callback ? client : null };
}

/**
 * Whether the bot failed the attempt: no answer, a status other than 200, or a body that is empty
 * or not JSON where the format needs one (what the Node SDK's webhook adapter sends when a card
 * handler throws). An answer in JSON that the client refuses in detail is not a failure of the
 * bot's: it comes back with its problems.
 */
export function botFailed(r: DeliveryRecord): boolean {
  if (r.verdict !== 'failed') return false;
  if (r.answer === null || r.answer.status !== 200) return true;
  return r.problems.some((p) => p.path === '$' && /^(empty body|the body is not JSON)/.test(p.message));
}

export type NewRecord = Omit<DeliveryRecord, 'id' | 'event_type' | 'ok' | 'status' | 'error' | 'payload' | 'answer'> & {
  payload: Record<string, unknown> | null;
  /** The whole answer as it came back; the record keeps an excerpt and its size. */
  answer: { status: number; body: string } | null;
};

/** Numbers an attempt and keeps it; past the bound the oldest go. */
export function logAttempt(store: Store, fields: NewRecord): DeliveryRecord {
  const state = store.deliveryLog;
  const record: DeliveryRecord = {
    id: ++state.seq,
    ...fields,
    payload: boundedPayload(fields.payload),
    answer: fields.answer ? answerExcerpt(fields.answer) : null,
    event_type: fields.kind,
    ok: fields.verdict === 'ok',
    status: fields.answer?.status ?? null,
    error: fields.reason,
  };
  state.items.push(record);
  if (state.items.length > MAX_DELIVERY_RECORDS) state.items.splice(0, state.items.length - MAX_DELIVERY_RECORDS);
  return record;
}

function answerExcerpt(answer: { status: number; body: string }): NonNullable<DeliveryRecord['answer']> {
  const bytes = Buffer.byteLength(answer.body);
  const body = utf8Excerpt(answer.body, MAX_ANSWER_EXCERPT_BYTES);
  return { status: answer.status, body, bytes, truncated: body.length < answer.body.length };
}

function boundedPayload(payload: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!payload) return null;
  return Buffer.byteLength(JSON.stringify(payload)) <= MAX_LOGGED_PAYLOAD_BYTES ? payload : null;
}

/** One event or callback and every attempt at it, for the control API. */
export interface DeliveryGroup {
  event_id: string | null;
  category: 'event' | 'callback';
  kind: string;
  app_id: string;
  /** delivered; retrying (a re-send is due); failed (no more attempts). */
  state: 'delivered' | 'retrying' | 'failed';
  attempts: DeliveryRecord[];
}

export function groupDeliveries(records: DeliveryRecord[]): DeliveryGroup[] {
  const groups = new Map<string, DeliveryGroup>();
  for (const r of records) {
    const key = r.event_id ? `${r.app_id}\0${r.event_id}` : `#${r.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { event_id: r.event_id, category: r.category, kind: r.kind, app_id: r.app_id, state: 'failed', attempts: [] };
      groups.set(key, g);
    }
    g.attempts.push(r);
  }
  for (const g of groups.values()) {
    const last = g.attempts[g.attempts.length - 1]!;
    g.state = last.verdict === 'ok' ? 'delivered' : last.retry_at ? 'retrying' : 'failed';
  }
  return [...groups.values()];
}

/** One attempt in a line: what, where, which attempt, and how it went. */
export function describeDelivery(r: DeliveryRecord): string {
  const where = r.transport === 'webhook' ? `webhook ${r.target ?? '(no URL)'}` : `long connection${r.device_id ? ` (device ${r.device_id})` : ''}`;
  const attempt = r.max_attempts > 1 ? `, attempt ${r.attempt} of ${r.max_attempts}` : '';
  const outcome = r.verdict === 'ok' ? `ok (${r.answer ? `${r.transport === 'webhook' ? 'HTTP' : 'code'} ${r.answer.status}` : 'answered'}, ${r.duration_ms} ms)` : `failed: ${r.reason}`;
  const client = r.client_code && !r.reason?.startsWith(`code ${r.client_code}`) ? ` (the client shows error ${r.client_code}: ${clientCodeMeaning(r.client_code)})` : '';
  const retry = r.retry_at ? `; sent again at ${r.retry_at}` : r.verdict === 'failed' && r.category === 'event' && r.attempt === r.max_attempts ? '; no more attempts' : '';
  return `#${r.id} ${r.kind} over ${where}${attempt}: ${outcome}${client}${retry}`;
}
