import { createHash, timingSafeEqual } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { decryptPayload, SIGNATURE_HEADERS, signLegacy, signV2 } from './crypto.js';
import { inferFormat, type CallbackFormat } from './fixtures.js';
import { PREVIEW_TOKEN_PLACEHOLDER } from './prepare.js';

/**
 * - verified: the signature (and token, when one is set) matched;
 * - bad signature / bad token: they did not;
 * - missing signature: a key that signs this format is set, and the headers are absent;
 * - unchecked: no key that signs this format is set;
 * - not signed: a url_verification, which the platform never signs (its token is still checked);
 * - stale / replayed: set by the guard after a signature verified (see guard.ts).
 */
export type Verdict = 'verified' | 'bad signature' | 'bad token' | 'missing signature' | 'unchecked' | 'not signed' | 'stale' | 'replayed';

export interface Received {
  format: CallbackFormat | null;
  encrypted: boolean;
  /** The callback in plain JSON, or null when it could not be read. */
  payload: Record<string, unknown> | null;
  signature: Verdict;
  /** The Verification Token in the body matched (the only check a callback signed by no set key gets). */
  tokenChecked?: boolean;
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
  // The legacy callback is signed with the Verification Token, everything else with the Encrypt Key.
  const signingKey = format === 'card.action.trigger_v1' ? keys.verificationToken : keys.encryptKey;
  if (format === 'url_verification') signature = 'not signed';
  else if (signingKey === null) signature = 'unchecked';
  else if (!ts || !nonce || !sig) signature = 'missing signature';
  else {
    const expected = format === 'card.action.trigger_v1' ? signLegacy(ts, nonce, signingKey, raw) : signV2(ts, nonce, signingKey, raw);
    signature = safeEqual(expected, sig) ? 'verified' : 'bad signature';
  }
  if ((signature === 'verified' || signature === 'unchecked' || signature === 'not signed') && keys.verificationToken && format !== 'card.action.trigger_v1') {
    // 2.0 callbacks and events carry it in the header; the URL check and 1.0 events at the top level.
    const token = isObject(payload.header) ? payload.header.token : payload.token;
    if (token !== keys.verificationToken) signature = 'bad token';
    else return { format, encrypted, payload, signature, tokenChecked: true, error: null };
  }
  return { format, encrypted, payload, signature, error: null };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const ID_PATTERN = /^(ou|on|oc|om)_[0-9A-Za-z]+$/;
/** An open_department_id, which contact events carry. */
const DEPARTMENT_PATTERN = /^od-[0-9A-Za-z]+$/;
/** How a person is reached, which contact events carry: not committed, whoever it is. */
const CONTACT_STAND_INS: Record<string, string> = { mobile: '+8613800000000', email: 'recorded@example.com', enterprise_email: 'recorded@example.com' };

/**
 * A recorded callback made safe to commit: verification, card and preview tokens emptied, user, chat and
 * message and department ids replaced by stable stand-ins (the same id always maps to the same one),
 * tenant, user_id, mobile and email masked. Replay fills in fresh tokens anyway.
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
      if (key === 'preview_token') return PREVIEW_TOKEN_PLACEHOLDER;
      if (key === 'tenant_key') return 'recorded_tenant';
      if (key === 'user_id') return 'recorded';
      if (key === 'challenge') return '00000000-0000-0000-0000-000000000000';
      if (key === 'event_id') return '';
      if (key !== null && Object.hasOwn(CONTACT_STAND_INS, key) && v) return CONTACT_STAND_INS[key]!;
      if (DEPARTMENT_PATTERN.test(v)) return `od-recorded${createHash('sha256').update(v).digest('hex').slice(0, 16)}`;
      return ID_PATTERN.test(v) ? standIn(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(payload, null) as Record<string, unknown>;
}

/**
 * Turns text from a payload or a file into a file-name part: lower-case letters, digits and single
 * dashes, at most `max` characters; '' when nothing is left. It never holds a dot or a separator,
 * so it cannot climb out of a directory or hide a file.
 */
export function safeNamePart(text: string, max = 40): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** A short name for a recording: format, the component clicked, and a counter. Safe as a file name. */
export function recordingName(format: CallbackFormat | null, payload: Record<string, unknown> | null, n: number): string {
  const event = payload && isObject(payload.event) ? payload.event : payload;
  const action = event && isObject(event.action) ? event.action : null;
  // The tag comes from whoever sent the callback: only a cleaned-up part of it reaches the name.
  const what = (typeof action?.tag === 'string' ? safeNamePart(action.tag) : '') || safeNamePart(format ?? '') || 'unknown';
  const prefix = format === 'card.action.trigger_v1' ? 'legacy-' : '';
  return `recorded-${prefix}${what}-${Math.max(0, Math.floor(n))}`;
}
