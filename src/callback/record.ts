import { createHash } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { decryptPayload, SIGNATURE_HEADERS, signLegacy, signV2 } from './crypto.js';
import { inferFormat, type CallbackFormat } from './fixtures.js';

export type Verdict = 'verified' | 'bad signature' | 'bad token' | 'unchecked' | 'not signed';

export interface Received {
  format: CallbackFormat | null;
  encrypted: boolean;
  /** The callback in plain JSON, or null when it could not be read. */
  payload: Record<string, unknown> | null;
  signature: Verdict;
  error: string | null;
}

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Reads a callback the way a handler must: decrypt, then check signature and verification token. */
export function readCallback(raw: Buffer, headers: Headers, keys: { encryptKey: string | null; verificationToken: string | null }): Received {
  let outer: unknown;
  try {
    outer = JSON.parse(raw.toString('utf8'));
  } catch {
    return { format: null, encrypted: false, payload: null, signature: 'unchecked', error: 'the body is not JSON' };
  }
  if (!isObject(outer)) return { format: null, encrypted: false, payload: null, signature: 'unchecked', error: 'the body is not a JSON object' };
  let payload = outer;
  const encrypted = typeof outer.encrypt === 'string';
  if (encrypted) {
    if (!keys.encryptKey) return { format: null, encrypted, payload: null, signature: 'unchecked', error: 'the body is encrypted and no Encrypt Key is set (--encrypt-key)' };
    try {
      payload = JSON.parse(decryptPayload(keys.encryptKey, outer.encrypt as string)) as Record<string, unknown>;
    } catch {
      return { format: null, encrypted, payload: null, signature: 'bad signature', error: 'cannot decrypt the body with this Encrypt Key' };
    }
  }
  const format = inferFormat(payload);
  const ts = header(headers, SIGNATURE_HEADERS.timestamp);
  const nonce = header(headers, SIGNATURE_HEADERS.nonce);
  const sig = header(headers, SIGNATURE_HEADERS.signature);
  let signature: Verdict = 'unchecked';
  if (format === 'url_verification') signature = 'not signed';
  else if (!ts || !nonce || !sig) signature = 'unchecked';
  else if (format === 'card.action.trigger_v1') {
    if (keys.verificationToken !== null) signature = signLegacy(ts, nonce, keys.verificationToken, raw) === sig ? 'verified' : 'bad signature';
  } else if (keys.encryptKey !== null) {
    signature = signV2(ts, nonce, keys.encryptKey, raw) === sig ? 'verified' : 'bad signature';
  }
  if (signature !== 'bad signature' && keys.verificationToken && format !== 'card.action.trigger_v1') {
    const token = format === 'url_verification' ? payload.token : isObject(payload.header) ? payload.header.token : undefined;
    if (token !== keys.verificationToken) signature = 'bad token';
  }
  return { format, encrypted, payload, signature, error: null };
}

const ID_PATTERN = /^(ou|on|oc|om)_[0-9A-Za-z]+$/;

/**
 * A recorded callback made safe to commit: verification and card tokens emptied, user, chat and
 * message ids replaced by stable stand-ins (the same id always maps to the same one), tenant and
 * user_id masked. Replay fills in fresh tokens anyway.
 */
export function scrub(payload: Record<string, unknown>): Record<string, unknown> {
  const map = new Map<string, string>();
  const standIn = (id: string) => {
    if (!map.has(id)) map.set(id, `${id.slice(0, 3)}recorded${createHash('sha256').update(id).digest('hex').slice(0, 16)}`);
    return map.get(id)!;
  };
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') {
      if (key === 'token') return v.startsWith('c-') ? 'c-placeholder' : '';
      if (key === 'tenant_key') return 'recorded_tenant';
      if (key === 'user_id') return 'recorded';
      if (key === 'challenge') return '00000000-0000-0000-0000-000000000000';
      if (key === 'event_id') return '';
      return ID_PATTERN.test(v) ? standIn(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(payload, null) as Record<string, unknown>;
}

/** A short name for a recording: format, the component clicked, and a counter. */
export function recordingName(format: CallbackFormat | null, payload: Record<string, unknown> | null, n: number): string {
  const event = payload && isObject(payload.event) ? payload.event : payload;
  const action = event && isObject(event.action) ? event.action : null;
  const what = typeof action?.tag === 'string' ? action.tag.replace(/_/g, '-') : (format ?? 'unknown').replace(/\W+/g, '-');
  const prefix = format === 'card.action.trigger_v1' ? 'legacy-' : '';
  return `recorded-${prefix}${what}-${n}`;
}
