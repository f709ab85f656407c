import { defaultBudgetMs } from './check-answer.js';
import type { Fixture } from './fixtures.js';
import { judgeAnswer } from './judge.js';
import { prepareRequest } from './prepare.js';
import { redactDeep } from './redact.js';
import type { ReplayOptions, ReplayResult } from './replay.js';

/** What came back over the long connection for one message. */
export interface WsAnswer {
  /** The ack's `code`, or null when there was no usable ack. */
  status: number | null;
  /** The ack's `data`, base64-decoded; '' when it had none. */
  body: string | null;
  ms: number | null;
  /** Why there is no usable ack (timeout, connection closed, undecodable reply). */
  error: string | null;
  /** The connection that got it. */
  device_id: string | null;
  frame_type: 'event' | 'card';
}

export type WsSend = (payload: Record<string, unknown>) => Promise<WsAnswer>;

export type WsReplayOptions = Omit<ReplayOptions, 'url' | 'timeoutMs' | 'extraHeaders'> & { target: string };

/** Formats the platform never sends over the long connection (reference §1.8: no legacy callback; no URL check). */
export function wsUnsupported(fixture: Fixture): string | null {
  if (fixture.format === 'card.action.trigger_v1') return 'the legacy card callback (card.action.trigger_v1) is not available over the long connection';
  if (fixture.format === 'url_verification') return 'url_verification is only sent to a webhook URL, never over the long connection';
  if (fixture.format === 'wps_card') return 'WPS 协作 has no long connection';
  return null;
}

/**
 * Sends a fixture over the long connection and judges the ack as an HTTP answer is judged:
 * the payload is plaintext (no encryption, no signature, empty token), `code` stands for the
 * HTTP status and `data` for the body (reference §1.7, §1.9).
 */
export async function replayOverWs(fixture: Fixture, opts: WsReplayOptions, send: WsSend): Promise<ReplayResult> {
  const prepared = prepareRequest({ ...fixture, encrypt: false }, { ...opts, keys: { encryptKey: null, verificationToken: null } });
  const budgetMs = opts.budgetMs ?? defaultBudgetMs(fixture);
  const base = {
    fixture: fixture.name,
    format: fixture.format,
    url: opts.target,
    encrypted: false,
    budget_ms: budgetMs,
    sent: { headers: {}, payload: prepared.payload },
  };
  const got = await send(prepared.payload);
  if (got.status === null) {
    const dropped = got.frame_type === 'card' ? ' It went out as a type=card frame, which the official SDKs drop without answering (the "clicks do nothing" failure).' : '';
    return {
      ...base,
      status: null,
      ms: null,
      ok: false,
      network_error: null,
      problems: [{ path: '$', message: `${got.error ?? 'no answer'} (the client shows error 200341, the callback timed out).${dropped}` }],
      expectation_failures: [],
      notes: got.device_id ? [`delivered to connection ${got.device_id}`] : [],
      answer: null,
    };
  }
  const judged = await judgeAnswer(fixture, { status: got.status, location: null, bodyText: got.body ?? '', ms: got.ms ?? 0, budgetMs, challenge: null }, opts);
  // Over the long connection the ack's code stands where the HTTP status would.
  for (const p of judged.problems) p.message = p.message.replace(/^HTTP (\d+): the platform needs HTTP 200/, 'ack code $1: the platform needs code 200');
  if (got.status === 500) judged.notes.push('the official SDKs ack with code 500 when the handler throws');
  if (typeof judged.answer === 'string' && /^no \S+ event handle$/.test(judged.answer)) {
    judged.notes.push(`the client has no handler for ${fixture.name === 'event' ? 'this event' : String((prepared.payload.header as Record<string, unknown> | undefined)?.event_type ?? 'this type')}: the Node SDK then answers this string`);
  }
  if (got.device_id) judged.notes.push(`delivered to connection ${got.device_id}`);
  // The long connection carries no token, yet a client may answer with anything it holds.
  return redactDeep({ ...base, status: got.status, ms: got.ms, network_error: null, ...judged }, [opts.keys.encryptKey, opts.keys.verificationToken, opts.keys.wps?.secret]);
}
