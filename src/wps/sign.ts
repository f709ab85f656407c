import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WPS 协作 and WPS 365 request signatures (reference/wps.md §1), as pure functions so they can be
 * checked against the platform's published vectors.
 */

export const md5Hex = (body: string | Buffer) => createHash('md5').update(body).digest('hex');
export const sha256Hex = (body: string | Buffer) => createHash('sha256').update(body).digest('hex');

/** RFC 1123, as the platform's Date headers are written. */
export const httpDate = (ms: number) => new Date(ms).toUTCString();

export interface Wps3Input {
  appId: string;
  secretKey: string;
  /** Path and query, without the domain or a gateway prefix. */
  url: string;
  contentType: string;
  date: string;
  body: string | Buffer;
}

/** WPS-3 (public cloud requests): sha1(lower(secret) + Content-Md5 + URL + Content-Type + Date), not an HMAC. */
export function signWps3(i: Wps3Input): { contentMd5: string; xAuth: string } {
  const contentMd5 = md5Hex(i.body);
  const sign = createHash('sha1').update(i.secretKey.toLowerCase() + contentMd5 + i.url + i.contentType + i.date).digest('hex');
  return { contentMd5, xAuth: `WPS-3:${i.appId}:${sign}` };
}

export interface HmacInput {
  method: string;
  /** Path and query as signed: without the domain, and without a gateway prefix such as /o/woa. */
  uri: string;
  contentType: string;
  date: string;
  body: string | Buffer;
  secret: string;
}

/**
 * WPS-4 and KSO-1 are one algorithm with a different version word:
 * hex(HMAC-SHA256(secret, ver + METHOD + uri + content-type + date + sha256hex(body))), where an empty
 * body contributes the empty string, and a body that is neither JSON nor a form is not signed.
 */
export function signHmac(ver: 'WPS-4' | 'KSO-1', i: HmacInput): string {
  const signsBody = /json|x-www-form-urlencoded/i.test(i.contentType);
  const bodyHash = signsBody && Buffer.byteLength(i.body) > 0 ? sha256Hex(i.body) : '';
  return createHmac('sha256', i.secret).update(ver + i.method.toUpperCase() + i.uri + i.contentType + i.date + bodyHash).digest('hex');
}

/**
 * WPS-4 headers. The public cloud docs name them Date / Authorization, the private deployments
 * Wps-Docs-Date / Wps-Docs-Authorization; sending both lets a receiver of either kind verify.
 */
export function wps4Headers(appId: string, i: HmacInput): Record<string, string> {
  const auth = `WPS-4 ${appId}:${signHmac('WPS-4', i)}`;
  return { 'content-type': i.contentType, date: i.date, authorization: auth, 'wps-docs-date': i.date, 'wps-docs-authorization': auth };
}

export function kso1Headers(appId: string, i: HmacInput): Record<string, string> {
  return { 'content-type': i.contentType, 'x-kso-date': i.date, 'x-kso-authorization': `KSO-1 ${appId}:${signHmac('KSO-1', i)}` };
}

export type Wps4Verdict = { ok: true; appId: string } | { ok: false; reason: string };

type HeaderBag = Record<string, string | string[] | undefined>;
const one = (h: HeaderBag, k: string) => {
  const v = h[k];
  return Array.isArray(v) ? v[0] : v;
};

/** Checks a WPS-4 signed request (either header style), in constant time, with a date window. */
export function verifyWps4(
  headers: HeaderBag,
  req: { method: string; uri: string; body: string | Buffer },
  keys: { appId?: string; secret: string },
  opts: { now?: number; maxSkewMs?: number } = {},
): Wps4Verdict {
  const auth = one(headers, 'wps-docs-authorization') ?? one(headers, 'authorization');
  const date = one(headers, 'wps-docs-date') ?? one(headers, 'date');
  const m = auth ? /^WPS-4 ([^:\s]+):([0-9a-f]{64})$/.exec(auth) : null;
  if (!m) return { ok: false, reason: 'no WPS-4 authorization header (Wps-Docs-Authorization or Authorization: "WPS-4 <AppId>:<signature>")' };
  if (!date) return { ok: false, reason: 'no date header (Wps-Docs-Date or Date)' };
  if (keys.appId && m[1] !== keys.appId) return { ok: false, reason: `signed by app ${m[1]}, expected ${keys.appId}` };
  const when = Date.parse(date);
  if (Number.isNaN(when)) return { ok: false, reason: `date "${date}" is not an HTTP date` };
  const skew = Math.abs((opts.now ?? Date.now()) - when);
  if (skew > (opts.maxSkewMs ?? 15 * 60_000)) return { ok: false, reason: `date is ${Math.round(skew / 1000)} s away from now` };
  const expected = signHmac('WPS-4', { method: req.method, uri: req.uri, contentType: one(headers, 'content-type') ?? '', date, body: req.body, secret: keys.secret });
  const a = Buffer.from(expected);
  const b = Buffer.from(m[2]!);
  return a.length === b.length && timingSafeEqual(a, b) ? { ok: true, appId: m[1]! } : { ok: false, reason: 'signature does not match' };
}
