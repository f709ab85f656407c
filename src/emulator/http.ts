import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { textNestsDeeper } from '../card/json-limits.js';
import { wireHeaderName } from '../http/header-case.js';

/** A failure the emulator answers in the platform's envelope. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }
}

export class BodyTooLargeError extends Error {}

/** An answer a route has serialised itself, as UTF-8 JSON (the send's, on the hot path); `code` is its envelope's, for the log. */
export class SerializedAnswer {
  constructor(
    readonly bytes: Buffer,
    readonly code: number,
  ) {}
}

/** Reads a request body, refusing more than `limit` bytes without buffering the excess. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    // A client that goes away mid-body makes the request emit 'error' (ECONNRESET, "aborted").
    req.on('error', reject);
  });
}

const LOG_PREFIX = randomBytes(4).toString('hex').toUpperCase();
let logCounter = 0;

/** Log ids look like the platform's: a timestamp followed by hex (a per-process prefix and a counter). */
let stampSecond = -1;
let stamp = '';

export function newLogId(nowMs: number): string {
  // The timestamp part changes once a second: format it once a second, not once a request.
  const second = Math.floor(nowMs / 1000);
  if (second !== stampSecond) {
    const d = new Date(nowMs);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
    stampSecond = second;
  }
  return stamp + LOG_PREFIX + (++logCounter).toString(16).toUpperCase().padStart(10, '0');
}

/**
 * Answers with JSON, tagged with the request's log id. The headers are one object built once (no
 * spread of spreads); `headers` override the defaults, as before.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, logId: string, headers?: Record<string, string>): void {
  // Encoded once here: measuring the text for content-length and then encoding it to write it
  // would walk a two-byte answer (any with Chinese in it, such as every 2.0 card's digest) twice.
  const data = body instanceof SerializedAnswer ? body.bytes : Buffer.from(JSON.stringify(body), 'utf8');
  // Named as the platform's gateway names them (header-case.ts): some SDKs read them case-sensitively.
  const all: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
    'X-Content-Type-Options': 'nosniff',
    // The platform's log id header; SDKs read X-Request-Id only when it is missing.
    'X-Tt-Logid': logId,
  };
  if (headers) for (const name of Object.keys(headers)) all[wireHeaderName(name)] = headers[name]!;
  res.writeHead(status, all);
  res.end(data);
}

export function troubleshooterFor(logId: string): string {
  return `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=&method_id=`;
}

/** Deepest nesting a JSON body may have; real cards stay far below it. */
export const MAX_JSON_DEPTH = 128;

/** Whether JSON text nests deeper than `max` (the emulator's bound on bodies by default). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  return textNestsDeeper(text, max);
}

const pageHeaders = new Map<string, Record<string, string>>();

/**
 * Headers for an HTML page the emulator serves: a CSP that runs only the page's own inline
 * scripts (by hash), so markup that arrives inside a card cannot run or phone home; no framing
 * (a click on a card must be the user's own); no MIME sniffing.
 */
export function pageSecurityHeaders(html: string): Record<string, string> {
  let headers = pageHeaders.get(html);
  if (!headers) {
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
    headers = {
      'Content-Security-Policy': [
        "default-src 'none'",
        `script-src ${hashes.join(' ') || "'none'"}`,
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    pageHeaders.set(html, headers);
  }
  return headers;
}
