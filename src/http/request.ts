import * as http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { CliError } from '../output/errors.js';
import { networkError } from './errors.js';
import { checkTarget, type PlainHttpPolicy } from './loopback.js';
import { wireHeaders } from './header-case.js';
import { describeHeaders, redactUrl } from './redact.js';

export type HttpLogger = (line: string) => void;

export interface Outgoing {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** Default 'loopback': plain http only to this machine. */
  plainHttp?: PlainHttpPolicy;
  log?: HttpLogger | null;
  /** Answers longer than this are cut off as an error; default 16 MiB. */
  maxResponseBytes?: number;
  /** Safe to send twice (default: GET, HEAD, OPTIONS, PUT, DELETE). */
  idempotent?: boolean;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface Incoming {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** The first value of a response header. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

const DEFAULT_MAX_RESPONSE = 16 * 1024 * 1024;

/*
 * Why node:http and not fetch or undici: a short-lived command pays for loading its HTTP
 * client on every run. Node's fetch brings its internal undici, web streams and the llhttp wasm,
 * and the undici package more still; node:http and node:https are already in the binary's
 * snapshot, so a one-request command stays fast. Keep-alive agents keep bulk sends and replays on
 * a few connections.
 */
/**
 * Whole milliseconds since `started` (process.hrtime.bigint()). Not performance.now(): the first
 * use of that global loads perf_hooks, a cost every command that sends a request would pay at start.
 */
const elapsedMs = (started: bigint) => Math.round(Number(process.hrtime.bigint() - started) / 1e6);

let httpAgent: http.Agent | null = null;
let httpsAgent: import('node:https').Agent | null = null;
let httpsModule: typeof import('node:https') | null = null;

async function transport(url: URL): Promise<{ request: typeof http.request; agent: http.Agent }> {
  if (url.protocol === 'http:') return { request: http.request, agent: (httpAgent ??= new http.Agent({ keepAlive: true })) };
  // node:https pulls in TLS: loaded only for the first https request.
  httpsModule ??= await import('node:https');
  return { request: httpsModule.request as unknown as typeof http.request, agent: (httpsAgent ??= new httpsModule.Agent({ keepAlive: true })) };
}

class Timeout extends Error {
  readonly code = 'timeout';
}

class TooLarge extends Error {}

function exchange(o: Outgoing, url: URL, t: { request: typeof http.request; agent: http.Agent }, started: bigint): Promise<Incoming> {
  return new Promise<Incoming>((resolve, reject) => {
    // Spelled as the platform spells them (header-case.ts): a handler may read them case-sensitively.
    const headers = wireHeaders<string>({ 'User-Agent': 'card-cli' }, o.headers);
    if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
    const limit = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    let settled = false;
    const done = (err: Error | null, value?: Incoming) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value!);
    };
    const req = t.request(url, { method: o.method, headers, agent: t.agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          done(new TooLarge(`the answer is over ${limit} bytes`));
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => done(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: elapsedMs(started) }));
      res.on('error', (err) => done(err));
      res.on('aborted', () => done(Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' })));
    });
    const timer = setTimeout(() => {
      done(new Timeout('timeout'));
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (err: Error & { code?: string }) => {
      // A kept-alive socket the server closed while idle: the request never reached it.
      (err as { reused?: boolean }).reused = req.reusedSocket;
      done(err);
    });
    req.end(o.body);
  });
}

/**
 * Sends one request and reads the whole answer. Throws a CliError: usage (exit 2) for a URL the
 * loopback rule forbids, network (exit 4) for connection failures, resets and timeouts.
 */
export async function send(o: Outgoing): Promise<Incoming> {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new CliError('usage', `"${o.url}" is not a URL`);
  }
  checkTarget(url, o.plainHttp ?? 'loopback');
  // Redacted only when there is a log to write: replay sends hundreds of requests without one.
  const shown = () => redactUrl(url.toString());
  o.log?.(`→ ${o.method} ${shown()}${describeHeaders(o.headers ?? {})}`);
  const t = await transport(url);
  const started = process.hrtime.bigint();
  try {
    try {
      return await exchange(o, url, t, started);
    } catch (err) {
      const e = err as { code?: string; reused?: boolean };
      // A reused idle connection the server had just closed: one fresh try, as browsers do, but only
      // for a request that may arrive twice (the server may have read it before it closed).
      const idempotent = o.idempotent ?? IDEMPOTENT_METHODS.has(o.method.toUpperCase());
      if (e.reused && idempotent && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return await exchange(o, url, t, started);
      throw err;
    }
  } catch (err) {
    const ms = elapsedMs(started);
    o.log?.(`← ${o.method} ${shown()} failed after ${ms} ms: ${(err as Error).message}`);
    if (err instanceof TooLarge) throw new CliError('api', `${o.method} ${shown()}: ${err.message}`, { code: 'response_too_large' });
    throw networkError(err, url, o.timeoutMs);
  }
}
