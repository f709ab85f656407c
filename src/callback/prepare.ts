import { randomUUID } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { usageError } from '../output/errors.js';
import { httpDate, wps4Headers } from '../wps/sign.js';
import { wireHeaders } from '../http/header-case.js';
import { encryptPayload, SIGNATURE_HEADERS, signLegacy, signV2 } from './crypto.js';
import type { Fixture } from './fixtures.js';
import type { OperatorIds } from './operator.js';
import { setPath } from './paths.js';
import { pooledRandomBytes } from './random.js';

export interface ReplayKeys {
  /** Signs new-format callbacks; also encrypts their bodies unless `plainBody`. */
  encryptKey: string | null;
  verificationToken: string | null;
  /** Send the body unencrypted even with a key (the signature still uses the key). */
  plainBody?: boolean;
  /** WPS 协作: the app's AK and SK, for WPS-4 signed callbacks. */
  wps?: { appKey: string; secret: string } | null;
}

export interface PrepareOptions {
  keys: ReplayKeys;
  /** `--set` overrides, applied last. */
  set?: Array<{ path: Array<string | number>; value: unknown }>;
  /** The clicking user: an open_id, or all three ids of a seeded user. */
  operator?: string | OperatorIds;
  /** A card token to carry instead of a fresh random one (e.g. minted by the emulator). */
  cardToken?: string;
  now?: () => number;
  /** Where it is sent: WPS-4 signs the path and query. */
  url?: string;
}

export interface PreparedRequest {
  fixture: Fixture;
  /** The callback after freshening and overrides, before encryption. */
  payload: Record<string, unknown>;
  /** The exact bytes sent, and signed. */
  body: string;
  headers: Record<string, string>;
  encrypted: boolean;
  /** For url_verification: what the handler must echo. */
  challenge: string | null;
}

const clone = <T>(v: T): T => structuredClone(v);

/** What a recording holds in place of a link preview's token (see scrub in record.ts). */
export const PREVIEW_TOKEN_PLACEHOLDER = 'pt_placeholder';

/**
 * Builds the request the platform would send for a fixture: fresh event id, timestamps and
 * card token; the verification token where the format carries it; the operator; overrides;
 * then compact JSON, encryption when a key is given, and the signature over those bytes.
 */
export function prepareRequest(fixture: Fixture, opts: PrepareOptions): PreparedRequest {
  const now = opts.now ?? Date.now;
  const { encryptKey, verificationToken } = opts.keys;
  const payload = clone(fixture.payload);
  const cardToken = opts.cardToken ?? `c-${pooledRandomBytes(16).toString('hex')}`;
  let challenge: string | null = null;
  const op = typeof opts.operator === 'string' ? { open_id: opts.operator, union_id: null, user_id: null } : (opts.operator ?? null);

  if (fixture.format === 'wps_card') return prepareWps(fixture, payload, opts);

  switch (fixture.format) {
    case 'card.action.trigger':
    case 'url.preview.get':
    case 'event': {
      const header = isObject(payload.header) ? payload.header : (payload.header = {});
      header.event_id = pooledRandomBytes(16).toString('hex');
      // The callback documents create_time in microseconds; events carry milliseconds.
      header.create_time = String(fixture.format === 'event' ? now() : now() * 1000);
      header.token = verificationToken ?? '';
      if (fixture.format === 'url.preview.get' && isObject(payload.event) && isObject(payload.event.context)) {
        // A recorded preview token is scrubbed: a replay hands the handler a fresh one.
        const ctx = payload.event.context;
        if (typeof ctx.preview_token !== 'string' || !ctx.preview_token || ctx.preview_token === PREVIEW_TOKEN_PLACEHOLDER) ctx.preview_token = `pt_${pooledRandomBytes(12).toString('hex')}`;
      }
      if ((fixture.format === 'card.action.trigger' || fixture.format === 'url.preview.get') && isObject(payload.event)) {
        if (fixture.format === 'card.action.trigger') payload.event.token = cardToken;
        if (op) {
          const operator = isObject(payload.event.operator) ? payload.event.operator : (payload.event.operator = {});
          operator.open_id = op.open_id;
          // Ids of another person would contradict the open_id: set them, or drop them.
          if (op.union_id) operator.union_id = op.union_id;
          else delete operator.union_id;
          if (op.user_id) operator.user_id = op.user_id;
          else delete operator.user_id;
        }
      }
      break;
    }
    case 'card.action.trigger_v1':
      // The legacy callback's `token` is the card update token; the verification token only signs.
      payload.token = cardToken;
      if (op) {
        payload.open_id = op.open_id;
        if (op.user_id) payload.user_id = op.user_id;
        else delete payload.user_id;
      }
      break;
    case 'url_verification':
      payload.challenge = randomUUID();
      payload.token = verificationToken ?? '';
      break;
  }
  for (const { path, value } of opts.set ?? []) setPath(payload, path, value);
  if (fixture.format === 'url_verification') challenge = typeof payload.challenge === 'string' ? payload.challenge : null;

  // Compact JSON in insertion order: what a Node SDK handler re-serialises before it checks.
  const plain = JSON.stringify(payload);
  const canEncrypt = fixture.format !== 'card.action.trigger_v1';
  if (fixture.encrypt && (!encryptKey || opts.keys.plainBody)) {
    throw usageError(`fixture ${fixture.name} is sent encrypted by the platform: give --encrypt-key (or set it in the profile)`);
  }
  const encrypted = canEncrypt && !!encryptKey && !opts.keys.plainBody;
  const body = encrypted ? JSON.stringify({ encrypt: encryptPayload(encryptKey!, plain) }) : plain;

  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'card-cli replay' };
  // The URL check carries no signature headers, even with an Encrypt Key (every SDK checks it first).
  if (fixture.format !== 'url_verification') {
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = pooledRandomBytes(8).toString('hex');
    headers[SIGNATURE_HEADERS.timestamp] = timestamp;
    headers[SIGNATURE_HEADERS.nonce] = nonce;
    headers[SIGNATURE_HEADERS.signature] =
      fixture.format === 'card.action.trigger_v1'
        ? signLegacy(timestamp, nonce, verificationToken ?? '', body)
        : signV2(timestamp, nonce, encryptKey ?? '', body);
  }
  // What goes on the wire, spelled as the platform spells it (X-Lark-Signature, …).
  return { fixture, payload, body, headers: wireHeaders(headers), encrypted, challenge };
}

/** WPS 协作 card callbacks: plain JSON, WPS-4 signed over the path and query they are sent to. */
function prepareWps(fixture: Fixture, payload: Record<string, unknown>, opts: PrepareOptions): PreparedRequest {
  const wps = opts.keys.wps;
  if (!wps) throw usageError(`fixture ${fixture.name} is a WPS callback: give --app-key and --secret (or use a WPS profile)`);
  payload.app_id = wps.appKey;
  for (const { path, value } of opts.set ?? []) setPath(payload, path, value);
  const body = JSON.stringify(payload);
  const target = new URL(opts.url ?? 'http://localhost/');
  const headers = {
    ...wps4Headers(wps.appKey, { method: 'POST', uri: target.pathname + target.search, contentType: 'application/json', date: httpDate((opts.now ?? Date.now)()), body, secret: wps.secret }),
    'user-agent': 'card-cli replay',
  };
  return { fixture, payload, body, headers: wireHeaders(headers), encrypted: false, challenge: null };
}
