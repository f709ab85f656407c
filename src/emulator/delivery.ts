import type { Fixture } from '../callback/fixtures.js';
import type { ReplayResult } from '../callback/replay.js';
import type { WsAnswer } from '../callback/replay-ws.js';
import type { EmulatorCore } from './core.js';
import { isObject } from '../card/inspect.js';
import { DELIVERY_TIME_LIMIT_MS, EVENT_RETRY_DELAYS_MS, logAttempt, verdictOf, type AttemptOutcome } from './delivery-log.js';
import type { AppRecord, DeliveryRecord } from './store.js';
import { NoConnectionError } from './ws-hub.js';

// Replay (and the lint rules it checks answers with) loads on the first delivery, not at the emulator's start.
const replay = () => import('../callback/replay.js');
const replayWs = () => import('../callback/replay-ws.js');

/**
 * Where the platform sends an app's callbacks and events, and the sending: the app's URL
 * (signed, encrypted when it has an Encrypt Key) or its long connection (plaintext, to one
 * random connected client). Inbox clicks, `replay-callback --ws` and events all come here.
 */

export type { DeliveryRecord } from './store.js';

export type Channel = 'http' | 'ws';
export type DeliveryKind = 'callback' | 'event';

export interface Route {
  channel: Channel;
  /** The URL, or `ws:<app_id>`; null when the app has nowhere to receive it. */
  target: string | null;
}

export function routeFor(app: AppRecord, kind: DeliveryKind): Route {
  const url = kind === 'callback' ? app.callback_url : app.event_url;
  const mode = (kind === 'callback' ? app.callback_mode : app.event_mode) ?? (url ? 'http' : 'ws');
  if (mode === 'ws') return { channel: 'ws', target: `ws:${app.app_id}` };
  return { channel: 'http', target: url };
}

export type Delivery = ReplayResult & {
  channel: Channel;
  device_id: string | null;
  frame_type: 'event' | 'card' | null;
  /** Set when nothing was sent (no URL, no connected client, a format the transport lacks). */
  error: string | null;
  /** The answer's body as it came back (the ack's data, decoded), before judging. */
  body: string | null;
  /** Why no answer came over the long connection (timeout, closed). */
  ack_error: { code: string; message: string } | null;
  /** The time limit the answer was held to. */
  limit_ms: number;
};

export interface DeliverOptions {
  cardToken?: string;
  operator?: string;
  /** Overrides the app's setting, e.g. for a replay aimed at its long connection. */
  channel?: Channel;
  frameType?: 'event' | 'card';
  /** Overrides applied after freshening: a re-sent event keeps its event_id and create_time. */
  set?: Array<{ path: Array<string | number>; value: unknown }>;
}

/** Sends over the app's long connection, as an answer the replay code can judge. */
export async function sendOverWs(core: EmulatorCore, app: AppRecord, payload: unknown, frameType: 'event' | 'card'): Promise<WsAnswer> {
  const d = await core.ws.deliver(app.app_id, payload, frameType);
  return { status: d.status, body: d.body, ms: d.ms, error: d.error, device_id: d.device_id, frame_type: frameType };
}

export async function deliver(core: EmulatorCore, app: AppRecord, fixture: Fixture, kind: DeliveryKind, opts: DeliverOptions = {}): Promise<Delivery> {
  const route = opts.channel ? { channel: opts.channel, target: opts.channel === 'ws' ? `ws:${app.app_id}` : routeFor(app, kind).target } : routeFor(app, kind);
  const common = { cardToken: opts.cardToken, operator: opts.operator, now: () => core.now(), set: opts.set };
  if (route.channel === 'ws') {
    const { replayOverWs, wsUnsupported } = await replayWs();
    const unsupported = wsUnsupported(fixture);
    if (unsupported) return failed(fixture, route, unsupported);
    const frameType = opts.frameType ?? (kind === 'callback' && app.ws_card_frames ? 'card' : 'event');
    let device: string | null = null;
    let got: WsAnswer | null = null;
    const limit = core.ws.settings.answerMs;
    try {
      const result = await replayOverWs(fixture, { ...common, target: route.target!, budgetMs: limit, keys: { encryptKey: null, verificationToken: null } }, async (payload) => {
        const a = await sendOverWs(core, app, payload, frameType);
        device = a.device_id;
        got = a;
        return a;
      });
      const answer = got as WsAnswer | null;
      const ackError = answer?.status === null && answer.error ? { code: /^no answer within/.test(answer.error) ? 'timeout' : 'closed', message: answer.error } : null;
      return { ...result, channel: 'ws', device_id: device, frame_type: frameType, error: null, body: answer?.body ?? null, ack_error: ackError, limit_ms: limit };
    } catch (err) {
      if (err instanceof NoConnectionError) {
        return failed(fixture, route, `${app.name} receives ${kind}s over the long connection, and no client of ${app.app_id} is connected: start your bot's WSClient against this emulator`);
      }
      throw err;
    }
  }
  if (!route.target) {
    return failed(fixture, route, kind === 'callback'
      ? `${app.name} has no callback URL: start the emulator with --callback-url (or --ws for the long connection), or set callback_url for the app in the seed`
      : `${app.name} has no event URL: start the emulator with --event-url (or --ws for the long connection), or set event_url for the app in the seed`);
  }
  const { replayOne } = await replay();
  let body: string | null = null;
  const result = await replayOne(fixture, {
    ...common,
    url: route.target,
    // The platform gives up after 3 s; so does the emulator, and says so.
    timeoutMs: DELIVERY_TIME_LIMIT_MS,
    keys: { encryptKey: app.encrypt_key, verificationToken: app.verification_token },
    keySources: { encryptKey: `the emulator's app ${app.app_id}`, verificationToken: `the emulator's app ${app.app_id}` },
    onAnswer: (_status, text) => {
      body = text;
    },
  });
  return { ...result, channel: 'http', device_id: null, frame_type: null, error: result.network_error?.message ?? null, body, ack_error: null, limit_ms: DELIVERY_TIME_LIMIT_MS };
}

function failed(fixture: Fixture, route: Route, error: string): Delivery {
  return {
    fixture: fixture.name,
    format: fixture.format,
    url: route.target ?? '',
    encrypted: false,
    status: null,
    ms: null,
    budget_ms: 3000,
    ok: false,
    network_error: null,
    problems: [],
    expectation_failures: [],
    notes: [],
    answer: null,
    sent: { headers: {}, payload: fixture.payload },
    channel: route.channel,
    device_id: null,
    frame_type: null,
    error,
    body: null,
    ack_error: null,
    limit_ms: DELIVERY_TIME_LIMIT_MS,
  };
}


/** What an attempt came to, for the delivery log's verdict. */
function outcomeOf(result: Delivery): AttemptOutcome {
  return {
    channel: result.channel,
    notSent: result.network_error ? null : result.error,
    status: result.status,
    body: result.body,
    noAnswer: result.network_error ?? result.ack_error,
    problems: result.problems,
    ok: result.ok,
  };
}

export interface RecordedDelivery {
  result: Delivery;
  record: DeliveryRecord;
}

interface AttemptInput {
  category: DeliveryKind;
  attempt: number;
  maxAttempts: number;
  /** The click a callback answers. */
  interactionId?: number | null;
  opts?: DeliverOptions;
  /** Set instead of sending when the attempt could not be made (url_verification failed). */
  notSent?: string;
}

/** Sends one attempt and keeps it in the delivery log with its verdict. */
export async function deliverRecorded(core: EmulatorCore, app: AppRecord, fixture: Fixture, input: AttemptInput): Promise<RecordedDelivery> {
  const store = core.store;
  const started = performance.now();
  const time = new Date(core.now()).toISOString();
  const route = input.opts?.channel ? { channel: input.opts.channel, target: input.opts.channel === 'ws' ? `ws:${app.app_id}` : routeFor(app, input.category).target } : routeFor(app, input.category);
  const result = input.notSent ? failed(fixture, route, input.notSent) : await deliver(core, app, fixture, input.category, input.opts);
  const verdict = verdictOf(input.category, outcomeOf(result), result.limit_ms);
  const header = isObject(result.sent.payload.header) ? result.sent.payload.header : null;
  const record = logAttempt(store, {
    time,
    app_id: app.app_id,
    category: input.category,
    kind: typeof header?.event_type === 'string' ? header.event_type : fixture.format,
    event_id: typeof header?.event_id === 'string' ? header.event_id : null,
    transport: result.channel === 'ws' ? 'long_connection' : 'webhook',
    target: route.target,
    device_id: result.device_id,
    attempt: input.attempt,
    max_attempts: input.maxAttempts,
    duration_ms: Math.round(performance.now() - started),
    answer: result.status === null ? null : { status: result.status, body: result.body ?? '' },
    ...verdict,
    retry_at: null,
    problems: result.problems,
    interaction_id: input.interactionId ?? null,
    payload: result.sent.payload,
    channel: result.channel,
    ms: result.ms,
  });
  core.events.emit('delivery', { id: record.id });
  return { result, record };
}

/** Resolves once no re-send is under way: those the clock made due have their answers in the log. */
export async function deliveriesSettled(core: EmulatorCore): Promise<void> {
  const inFlight = core.store.deliveryLog.inFlight;
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

/**
 * Sends an event to the app where its event setting says. A webhook URL must first pass the
 * url_verification challenge, as the platform checks it when the URL is saved in the console.
 * A failed attempt is sent again on the platform's schedule, on the emulator's clock, with the
 * same event_id; the returned record is the first attempt's.
 */
export async function deliverEvent(core: EmulatorCore, app: AppRecord, payload: Record<string, unknown>): Promise<DeliveryRecord> {
  const state = core.store.deliveryLog;
  const header = (payload.header ?? {}) as Record<string, unknown>;
  const fixture: Fixture = { name: String(header.event_type ?? 'event'), path: null, format: 'event', cardSchema: null, encrypt: false, description: null, payload };
  const route = routeFor(app, 'event');
  let verifyError: string | null = null;
  if (route.channel === 'http' && route.target && !state.verified.has(`${app.app_id}\0${route.target}`)) {
    const challenge: Fixture = { ...fixture, name: 'url_verification', format: 'url_verification', payload: { type: 'url_verification', challenge: '', token: '' } };
    const { replayOne } = await replay();
    const check = await replayOne(challenge, { url: route.target, timeoutMs: 10_000, keys: { encryptKey: app.encrypt_key, verificationToken: app.verification_token }, now: () => core.now() });
    if (check.ok) state.verified.add(`${app.app_id}\0${route.target}`);
    else verifyError = `the event URL ${route.target} did not pass the url_verification challenge: ${check.network_error?.message ?? check.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
  }
  const maxAttempts = EVENT_RETRY_DELAYS_MS.length + 1;
  const first = await deliverRecorded(core, app, fixture, { category: 'event', attempt: 1, maxAttempts, notSent: verifyError ?? undefined });
  // The platform sends nothing to an app with nowhere to send it, nor to a URL it never accepted.
  const retryable = !verifyError && (route.channel === 'ws' || !!route.target);
  if (first.record.verdict === 'failed' && retryable) {
    const sent = first.result.sent.payload.header as Record<string, unknown> | undefined;
    const same = [
      { path: ['header', 'event_id'], value: sent?.event_id },
      { path: ['header', 'create_time'], value: sent?.create_time },
    ];
    scheduleRetry(core, app, fixture, first.record, same, maxAttempts);
  }
  return first.record;
}

/** Re-sends that may wait on the clock at once. */
const MAX_WAITING_RETRIES = 500;

function scheduleRetry(core: EmulatorCore, app: AppRecord, fixture: Fixture, failedRecord: DeliveryRecord, same: DeliverOptions['set'], maxAttempts: number): void {
  const attempt = failedRecord.attempt + 1;
  if (attempt > maxAttempts) return;
  // Each waiting re-send holds its event: past the bound a new failure is logged, not re-sent.
  if (core.store.deliveryLog.waiting >= MAX_WAITING_RETRIES) {
    failedRecord.reason = `${failedRecord.reason}; not sent again: ${MAX_WAITING_RETRIES} re-sends are already waiting`;
    failedRecord.error = failedRecord.reason;
    return;
  }
  // The log and store this event belongs to: a reset drops the re-send with the clock's schedule.
  const store = core.store;
  // Counted from when the failure was known, on the emulator's clock (a test moves it).
  const due = core.now() + EVENT_RETRY_DELAYS_MS[attempt - 2]!;
  failedRecord.retry_at = new Date(due).toISOString();
  core.events.emit('delivery', { id: failedRecord.id });
  store.deliveryLog.waiting++;
  core.clock.schedule(due, () => {
    store.deliveryLog.waiting--;
    if (core.store !== store) return;
    const run = (async () => {
      const next = await deliverRecorded(core, app, fixture, { category: 'event', attempt, maxAttempts, opts: { set: same } });
      if (next.record.verdict === 'failed' && core.store === store) scheduleRetry(core, app, fixture, next.record, same, maxAttempts);
    })();
    store.deliveryLog.inFlight.add(run);
    void run.catch((err: unknown) => process.stderr.write(`emulator: re-sending ${fixture.name} failed: ${(err as Error)?.message ?? String(err)}\n`)).finally(() => store.deliveryLog.inFlight.delete(run));
  });
}

/** Every attempt kept, oldest first. */
export function deliveryLog(core: EmulatorCore): DeliveryRecord[] {
  return [...core.store.deliveryLog.items];
}

/** Events only, as `/_emulator/events` always listed them. */
export function eventLog(core: EmulatorCore): DeliveryRecord[] {
  return core.store.deliveryLog.items.filter((r) => r.category === 'event');
}
