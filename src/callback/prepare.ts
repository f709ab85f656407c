import { randomBytes, randomUUID } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { usageError } from '../output/errors.js';
import { encryptPayload, SIGNATURE_HEADERS, signLegacy, signV2 } from './crypto.js';
import type { Fixture } from './fixtures.js';
import { setPath } from './paths.js';

export interface ReplayKeys {
  /** Signs new-format callbacks; also encrypts their bodies unless `plainBody`. */
  encryptKey: string | null;
  verificationToken: string | null;
  /** Send the body unencrypted even with a key (the signature still uses the key). */
  plainBody?: boolean;
}

export interface PrepareOptions {
  keys: ReplayKeys;
  /** `--set` overrides, applied last. */
  set?: Array<{ path: Array<string | number>; value: unknown }>;
  /** open_id of the clicking user. */
  operator?: string;
  /** A card token to carry instead of a fresh random one (e.g. minted by the emulator). */
  cardToken?: string;
  now?: () => number;
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

/**
 * Builds the request the platform would send for a fixture: fresh event id, timestamps and
 * card token; the verification token where the format carries it; the operator; overrides;
 * then compact JSON, encryption when a key is given, and the signature over those bytes.
 */
export function prepareRequest(fixture: Fixture, opts: PrepareOptions): PreparedRequest {
  const now = opts.now ?? Date.now;
  const { encryptKey, verificationToken } = opts.keys;
  const payload = clone(fixture.payload);
  const cardToken = opts.cardToken ?? `c-${randomBytes(16).toString('hex')}`;
  let challenge: string | null = null;

  switch (fixture.format) {
    case 'card.action.trigger':
    case 'event': {
      const header = isObject(payload.header) ? payload.header : (payload.header = {});
      header.event_id = randomBytes(16).toString('hex');
      // The callback documents create_time in microseconds.
      header.create_time = String(now() * 1000);
      header.token = verificationToken ?? '';
      if (fixture.format === 'card.action.trigger' && isObject(payload.event)) {
        payload.event.token = cardToken;
        if (opts.operator) {
          const operator = isObject(payload.event.operator) ? payload.event.operator : (payload.event.operator = {});
          operator.open_id = opts.operator;
        }
      }
      break;
    }
    case 'card.action.trigger_v1':
      // The legacy callback's `token` is the card update token; the verification token only signs.
      payload.token = cardToken;
      if (opts.operator) payload.open_id = opts.operator;
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
    const nonce = randomBytes(8).toString('hex');
    headers[SIGNATURE_HEADERS.timestamp] = timestamp;
    headers[SIGNATURE_HEADERS.nonce] = nonce;
    headers[SIGNATURE_HEADERS.signature] =
      fixture.format === 'card.action.trigger_v1'
        ? signLegacy(timestamp, nonce, verificationToken ?? '', body)
        : signV2(timestamp, nonce, encryptKey ?? '', body);
  }
  return { fixture, payload, body, headers, encrypted, challenge };
}
