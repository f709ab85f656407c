import { isObject } from '../../card/inspect.js';
import type { Route } from '../core.js';
import { routeFor, sendOverWs } from '../delivery.js';
import { PlatformError } from '../http.js';
import { NoConnectionError } from '../ws-hub.js';
import { checkFields, fieldViolation, objectBody } from '../validate.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

/** Error code of the control API when an app has no long-connection client (emulator-only). */
export const NO_WS_CLIENT_CODE = 10404;

function appView(a: import('../store.js').AppRecord) {
  return {
    app_id: a.app_id,
    callback_url: a.callback_url,
    callback_mode: routeFor(a, 'callback').channel,
    event_url: a.event_url,
    event_mode: routeFor(a, 'event').channel,
    ws_card_frames: a.ws_card_frames,
  };
}

/** What PATCH /_emulator/ws/settings accepts. */
export const WS_SETTING_RANGES = {
  /** Ten minutes: a delivery is awaited by an HTTP request, and the platform's own budget is 3 s. */
  answer_ms: { min: 1, max: 600_000, unit: ' (milliseconds)' },
  /** Small slices multiply frames: 256 bytes already makes 8,000 frames of a 2 MB payload. */
  fragment_bytes: { min: 256, max: 1024 * 1024, unit: ' (bytes)' },
  max_connections: { min: 1, max: 1000, unit: '' },
} as const;

/** The long connection's side of the control API: who is connected, delivery, settings. */
export const wsControlRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/_emulator/ws/connections',
    auth: 'none',
    handle: (ctx) => ok({ connections: ctx.core.ws.connections(ctx.query.get('app_id') ?? undefined) }),
  },
  {
    method: 'PATCH',
    pattern: '/_emulator/ws/settings',
    auth: 'none',
    handle(ctx) {
      const input = objectBody(ctx.body);
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(WS_SETTING_RANGES, key)) throw fieldViolation(key, `unknown setting; the long-connection settings are ${Object.keys(WS_SETTING_RANGES).join(', ')}`);
      }
      const body = checkFields<{ answer_ms?: number; fragment_bytes?: number; max_connections?: number }>(input, {
        answer_ms: { type: 'number' },
        fragment_bytes: { type: 'number' },
        max_connections: { type: 'number' },
      });
      const s = ctx.core.ws.settings;
      // Checked before anything changes; a delay past 2^31-1 ms would make Node's timers fire at once.
      for (const [k, v] of Object.entries(body)) {
        const range = WS_SETTING_RANGES[k as keyof typeof WS_SETTING_RANGES];
        if (range && (typeof v !== 'number' || !Number.isInteger(v) || v < range.min || v > range.max)) {
          throw fieldViolation(k, `${k} must be a whole number from ${range.min} to ${range.max}${range.unit}`, v);
        }
      }
      if (body.answer_ms !== undefined) s.answerMs = body.answer_ms;
      if (body.fragment_bytes !== undefined) s.fragmentBytes = body.fragment_bytes;
      if (body.max_connections !== undefined) s.maxConnections = body.max_connections;
      return ok({ answer_ms: s.answerMs, fragment_bytes: s.fragmentBytes, max_connections: s.maxConnections });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/ws/disconnect',
    auth: 'none',
    handle: (ctx) => ok({ closed: ctx.core.ws.disconnect(isObject(ctx.body) && typeof ctx.body.app_id === 'string' ? ctx.body.app_id : undefined) }),
  },
  {
    // The console setting: where the app's callbacks and events go.
    method: 'PATCH',
    pattern: '/_emulator/apps/:app_id',
    auth: 'none',
    handle(ctx) {
      const app = ctx.core.store.apps.get(ctx.params.app_id!);
      if (!app) throw new PlatformError(404, 404, `no app ${ctx.params.app_id}`);
      const body = checkFields<{ callback_mode?: string; event_mode?: string; callback_url?: string; event_url?: string; ws_card_frames?: boolean }>(objectBody(ctx.body), {
        callback_mode: { type: 'string' },
        event_mode: { type: 'string' },
        callback_url: { type: 'string' },
        event_url: { type: 'string' },
        ws_card_frames: { type: 'boolean' },
      });
      for (const k of ['callback_mode', 'event_mode'] as const) {
        const v = body[k];
        if (v !== undefined && v !== 'http' && v !== 'ws') throw fieldViolation(k, `${k} must be "http" or "ws"`, v);
      }
      for (const k of ['callback_url', 'event_url'] as const) {
        const v = body[k];
        if (v !== undefined && v !== '' && !/^https?:\/\//.test(v)) throw fieldViolation(k, `${k} must be an http(s) URL`, v);
      }
      if (body.callback_mode !== undefined) app.callback_mode = body.callback_mode as 'http' | 'ws';
      if (body.event_mode !== undefined) app.event_mode = body.event_mode as 'http' | 'ws';
      if (body.callback_url !== undefined) app.callback_url = body.callback_url || null;
      if (body.event_url !== undefined) app.event_url = body.event_url || null;
      if (body.ws_card_frames !== undefined) app.ws_card_frames = body.ws_card_frames;
      return ok(appView(app));
    },
  },
  {
    // What `card replay-callback --ws` calls: the app (by its tenant token) sends a prepared
    // payload to one of its own long-connection clients and gets the ack back undecided.
    method: 'POST',
    pattern: '/_emulator/ws/deliver',
    auth: 'tenant',
    async handle(ctx) {
      const body = objectBody(ctx.body);
      if (!isObject(body.payload)) throw fieldViolation('payload', 'payload must be a JSON object');
      const frameType = body.frame_type ?? 'event';
      if (frameType !== 'event' && frameType !== 'card') throw fieldViolation('frame_type', 'frame_type must be "event" or "card"', frameType);
      // A fixture recorded for another app arrives as the platform would send it to this one.
      const payload = structuredClone(body.payload);
      if (isObject(payload.header)) {
        payload.header.app_id = ctx.app.app_id;
        payload.header.tenant_key = ctx.core.store.tenantKey;
      }
      try {
        return ok(await sendOverWs(ctx.core, ctx.app, payload, frameType));
      } catch (err) {
        if (err instanceof NoConnectionError) {
          throw new PlatformError(400, NO_WS_CLIENT_CODE, `no long-connection client of ${ctx.app.app_id} is connected to the emulator: start your bot's WSClient (domain: the emulator's URL) first`);
        }
        throw err;
      }
    },
  },
];
