import type { Fixture } from '../callback/fixtures.js';
import type { ReplayResult } from '../callback/replay.js';
import type { WsAnswer } from '../callback/replay-ws.js';
import type { EmulatorCore } from './core.js';
import type { AppRecord, EventDelivery } from './store.js';
import { NoConnectionError } from './ws-hub.js';

// Replay (and the lint rules it checks answers with) loads on the first delivery, not at the emulator's start.
const replay = () => import('../callback/replay.js');
const replayWs = () => import('../callback/replay-ws.js');

/**
 * Where the platform sends an app's callbacks and events, and the sending: the app's URL
 * (signed, encrypted when it has an Encrypt Key) or its long connection (plaintext, to one
 * random connected client). Inbox clicks, `replay-callback --ws` and events all come here.
 */

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

export type Delivery = ReplayResult & { channel: Channel; device_id: string | null; frame_type: 'event' | 'card' | null; error: string | null };

export interface DeliverOptions {
  cardToken?: string;
  operator?: string;
  /** Overrides the app's setting, e.g. for a replay aimed at its long connection. */
  channel?: Channel;
  frameType?: 'event' | 'card';
}

/** Sends over the app's long connection, as an answer the replay code can judge. */
export async function sendOverWs(core: EmulatorCore, app: AppRecord, payload: unknown, frameType: 'event' | 'card'): Promise<WsAnswer> {
  const d = await core.ws.deliver(app.app_id, payload, frameType);
  return { status: d.status, body: d.body, ms: d.ms, error: d.error, device_id: d.device_id, frame_type: frameType };
}

export async function deliver(core: EmulatorCore, app: AppRecord, fixture: Fixture, kind: DeliveryKind, opts: DeliverOptions = {}): Promise<Delivery> {
  const route = opts.channel ? { channel: opts.channel, target: opts.channel === 'ws' ? `ws:${app.app_id}` : routeFor(app, kind).target } : routeFor(app, kind);
  const common = { cardToken: opts.cardToken, operator: opts.operator, now: () => core.now() };
  if (route.channel === 'ws') {
    const { replayOverWs, wsUnsupported } = await replayWs();
    const unsupported = wsUnsupported(fixture);
    if (unsupported) return failed(fixture, route, unsupported);
    const frameType = opts.frameType ?? (kind === 'callback' && app.ws_card_frames ? 'card' : 'event');
    let device: string | null = null;
    try {
      const result = await replayOverWs(fixture, { ...common, target: route.target!, budgetMs: core.ws.settings.answerMs, keys: { encryptKey: null, verificationToken: null } }, async (payload) => {
        const a = await sendOverWs(core, app, payload, frameType);
        device = a.device_id;
        return a;
      });
      return { ...result, channel: 'ws', device_id: device, frame_type: frameType, error: null };
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
  const result = await replayOne(fixture, {
    ...common,
    url: route.target,
    timeoutMs: 10_000,
    keys: { encryptKey: app.encrypt_key, verificationToken: app.verification_token },
    keySources: { encryptKey: `the emulator's app ${app.app_id}`, verificationToken: `the emulator's app ${app.app_id}` },
  });
  return { ...result, channel: 'http', device_id: null, frame_type: null, error: result.network_error?.message ?? null };
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
  };
}

export type { EventDelivery } from './store.js';

function eventState(core: EmulatorCore) {
  return core.store.eventLog;
}

export function eventLog(core: EmulatorCore): EventDelivery[] {
  return [...eventState(core).items];
}

/**
 * Sends an event to the app where its event setting says. A webhook URL must first pass the
 * url_verification challenge, as the platform checks it when the URL is saved in the console.
 */
export async function deliverEvent(core: EmulatorCore, app: AppRecord, payload: Record<string, unknown>): Promise<EventDelivery> {
  const state = eventState(core);
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
  const result = verifyError ? failed(fixture, route, verifyError) : await deliver(core, app, fixture, 'event');
  const entry: EventDelivery = {
    id: ++state.seq,
    time: new Date(core.now()).toISOString(),
    app_id: app.app_id,
    event_type: fixture.name,
    channel: result.channel,
    target: route.target,
    ok: result.ok,
    status: result.status,
    ms: result.ms,
    error: result.error ?? result.network_error?.message ?? null,
    problems: result.problems,
    device_id: result.device_id,
    payload: result.sent.payload,
  };
  state.items.push(entry);
  if (state.items.length > 500) state.items.shift();
  return entry;
}
