import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock, type TimerSource } from './clock.js';
import { EmulatorCore, type EmulatorSettings, type LoggedRequest, type Route } from './core.js';
import { LogEntry } from './request-log.js';
import { MAX_SLOW_MS, pickFault, type Fault } from './faults.js';
import { wireHeaders } from '../http/header-case.js';
import { BodyTooLargeError, SerializedAnswer, jsonTooDeep, MAX_JSON_DEPTH, newLogId, pageSecurityHeaders, PlatformError, readBody, sendJson, troubleshooterFor } from './http.js';
import { allowedHostName, checkTrusted, type TrustedHosts } from './trust.js';
import { EMPTY_QUERY, parseQuery, type ParsedQuery } from './query.js';
import { stateView, storedMessageView } from './routes/control.js';
import { EMULATOR_ROUTES, PLATFORM_ROUTES } from './routes/index.js';
import { MAX_TOKEN_TTL_SECONDS } from './settings-limits.js';
import { streamInboxEvents } from './inbox/event-stream.js';
import { loadDefaultSeed, loadSeedFile, validateSeed, type SeedFile } from './seed.js';
import type { AppRecord } from './store.js';
import { isMessageCap } from './message-cap.js';
import { Router } from './catalogue/router.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Names the emulator also answers to besides loopback and `host`, e.g. `host.docker.internal` for an
   * SDK in a container. Requests naming any other Host are refused (DNS rebinding).
   */
  allowHosts?: string[];
  /** A seed object, a path to a seed JSON file, or nothing for the default seed. */
  seed?: SeedFile | string;
  settings?: Partial<EmulatorSettings>;
  /** Source of wall time; the emulator's clock can still be advanced on top of it. */
  now?: () => number;
  /**
   * The timers of the clock `now` reads, when it is a test's fake clock: work the emulator schedules
   * (re-sends of failed events) then runs as that clock moves. Default: real timers.
   */
  timers?: TimerSource;
}

export interface RunningEmulator {
  url: string;
  port: number;
  core: EmulatorCore;
  requests(): LoggedRequest[];
  messages(): ReturnType<typeof storedMessageView>[];
  state(): ReturnType<typeof stateView>;
  reset(): void;
  close(): Promise<void>;
}

const ROUTER = new Router([...PLATFORM_ROUTES, ...EMULATOR_ROUTES]);

interface Target {
  pathname: string;
  query: ParsedQuery;
}

/** A request target that needs no normalising: a plain path (not `//…`) and an optional query. */
const PLAIN_TARGET = /^\/(?!\/)[A-Za-z0-9_\-/]*(?:\?[^#]*)?$/;

/**
 * The path and query of a request target; anything unparsable is a 400, not a crash. The common,
 * plain case is split by hand, as it needs no normalising and a URL object per request is not
 * free; everything else
 * (dot segments, percent-encoding, the absolute form) goes through URL to be normalised.
 */
function parseTarget(target: string): Target {
  if (PLAIN_TARGET.test(target)) {
    const q = target.indexOf('?');
    return q < 0 ? { pathname: target, query: EMPTY_QUERY } : { pathname: target.slice(0, q), query: parseQuery(target.slice(q + 1)) };
  }
  try {
    // A proxy sends the absolute form; of that only the path and query count.
    const path = /^https?:\/\//i.test(target) ? ((u) => u.pathname + u.search)(new URL(target)) : target;
    // Only ever a path: a target such as `//x` must not turn into a host.
    const url = new URL(`http://emulator.invalid/${path.replace(/^[/\\]+/, '')}`);
    return { pathname: url.pathname, query: parseQuery(url.search.slice(1)) };
  } catch {
    throw new PlatformError(400, 9499, 'Invalid request target.');
  }
}

/** What the log shows for a request whose target could not be read. */
const NO_TARGET: Target = { pathname: '/', query: EMPTY_QUERY };

let isoMs = Number.NaN;
let iso = '';

/** The log's time stamp: many requests share a millisecond under load, so it is formatted once per millisecond. */
function isoTime(ms: number): string {
  if (ms !== isoMs) {
    iso = new Date(ms).toISOString();
    isoMs = ms;
  }
  return iso;
}

/** Handles one request end to end; never throws, so a bad request cannot take the server down. */
async function handle(core: EmulatorCore, trusted: TrustedHosts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const logId = newLogId(core.now());
  const method = req.method ?? 'GET';
  let url: Target = NO_TARGET;
  let app: AppRecord | null = null;
  let parsedBody: unknown;
  let raw: Buffer | null = null;
  /** The body as text, once decoded for parsing (the log keeps it when it is small). */
  let bodyText: string | null = null;
  let binary = false;
  let status = 200;
  let code: number | null = 0;
  let fault: Fault | null = null;

  const reply = (s: number, body: unknown, headers?: Record<string, string>) => {
    status = s;
    code =
      body instanceof SerializedAnswer ? body.code : typeof body === 'object' && body !== null && 'code' in body ? Number((body as { code: unknown }).code) : null;
    sendJson(res, s, body, logId, headers);
  };
  const fail = (err: PlatformError) =>
    reply(err.status, { code: err.code, msg: err.message, error: { log_id: logId, troubleshooter: troubleshooterFor(logId), ...err.extra } }, err.headers);

  try {
    url = parseTarget(req.url ?? '/');
    checkTrusted(req, trusted);
    if (method === 'GET' && url.pathname === '/_emulator/inbox/events') {
      streamInboxEvents(core, req, res);
      return;
    }
    const found = ROUTER.match(method, url.pathname);
    const bodyLimit = ('route' in found && found.route?.maxBodyBytes) || core.settings.maxBodyBytes;
    try {
      raw = await readBody(req, bodyLimit);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        throw new PlatformError(413, 9499, `Request body too large: the emulator accepts at most ${bodyLimit} bytes.`);
      }
      throw err;
    }
    if (!('route' in found) || !found.route) {
      throw new PlatformError(404, 404, `404 page not found: ${method} ${url.pathname} is not a route of the Open API emulator.`);
    }
    const route = found.route;
    binary = route.body === 'raw';
    if (raw.length > 0 && method !== 'GET' && route.auth !== 'wps' && route.body !== 'raw') {
      const text = (bodyText = raw.toString('utf8'));
      if (jsonTooDeep(text)) throw new PlatformError(400, 9499, `Invalid request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);
      try {
        parsedBody = JSON.parse(text);
      } catch (err) {
        throw new PlatformError(400, 9499, `Invalid request body: it is not valid JSON (${(err as Error).message}).`);
      }
    }
    if (url.pathname.startsWith('/open-apis/')) fault = pickFault(core.settings.faults);
    if (fault === 'rateLimit') {
      throw new PlatformError(429, 99991400, 'request trigger frequency limit', {}, { 'X-Ogw-Ratelimit-Limit': '50', 'X-Ogw-Ratelimit-Reset': '1' });
    }
    if (route.auth === 'tenant') {
      app = core.authenticate(req, route.tokens);
      core.takeAppQuota(app);
      if (route.scopes) core.requireScope(app, route.scopes);
    }
    const pending = route.handle({ req, params: found.params, query: url.query.params, body: parsedBody, raw: raw!, app: app!, core });
    // Most handlers answer synchronously: awaiting their answer would only cost a trip through the microtask queue.
    const result = pending instanceof Promise ? await pending : pending;
    // The request has been carried out; these faults lose or delay its answer.
    if (fault === 'drop') {
      status = 0;
      code = null;
      req.socket.destroy();
      return;
    }
    if (fault === 'error') throw new PlatformError(500, 1, 'internal server error (injected fault)');
    if (fault === 'slow') await new Promise((r) => setTimeout(r, core.settings.faults.slowMs));
    if (result.html !== undefined) {
      res.writeHead(200, wireHeaders(result.headers, { 'Content-Type': 'text/html; charset=utf-8', 'X-Tt-Logid': logId }, pageSecurityHeaders(result.html)));
      res.end(result.html);
      return;
    }
    if (result.bytes !== undefined) {
      res.writeHead(
        200,
        wireHeaders<string | number>(result.headers, { 'Content-Type': result.bytes.contentType, 'Content-Length': result.bytes.data.length, 'X-Content-Type-Options': 'nosniff', 'X-Tt-Logid': logId }),
      );
      res.end(result.bytes.data);
      return;
    }
    reply(result.status ?? 200, result.body, result.headers);
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      // Nothing more can be said on this connection.
    } else if (err instanceof PlatformError) fail(err);
    else {
      // One line, no stack: the request is answered and the emulator keeps serving.
      process.stderr.write(`emulator: internal error on ${method} ${url.pathname}: ${(err as Error)?.message ?? String(err)}\n`);
      fail(new PlatformError(500, 1, `internal emulator error: ${(err as Error)?.message ?? String(err)}`));
    }
  } finally {
    if (!url.pathname.startsWith('/_emulator/')) {
      try {
        const log = core.requestLog();
        core.record(
          new LogEntry(
            isoTime(core.now()),
            method,
            url.pathname,
            url.query.record,
            app?.app_id ?? null,
            status,
            code,
            logId,
            Math.round((performance.now() - started) * 100) / 100,
            raw?.length ?? 0,
            raw ? { raw, text: parsedBody !== undefined ? bodyText : null, binary } : null,
            fault,
            log.bodyCap,
          ),
        );
      } catch (err) {
        process.stderr.write(`emulator: cannot log ${method} ${url.pathname}: ${(err as Error).message}\n`);
      }
    }
  }
}

/** A seed path that is relative starts from `cwd` (the process's working directory without one). */
export function resolveSeed(seed: SeedFile | string | undefined, cwd?: string): SeedFile {
  if (seed === undefined) return loadDefaultSeed();
  if (typeof seed === 'string') return loadSeedFile(seed, cwd);
  return validateSeed(seed);
}

/** Starts the Open API emulator. Resolves once it listens; `close()` stops it and its connections. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  for (const key of ['requestLogSize', 'requestLogBytes', 'requestLogBodyBytes', 'maxBodyBytes', 'interactionLogSize', 'cardkitBytes', 'inboxStreamBytes'] as const) {
    const n = options.settings?.[key];
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 1)) throw new TypeError(`settings.${key} must be a whole number of at least 1, not ${n}`);
  }
  // The bounds the control API applies to the same settings: past them dates and timers break.
  const ttl = options.settings?.tokenTtlSeconds;
  if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS))) {
    throw new TypeError(`settings.tokenTtlSeconds must be from 1 to ${MAX_TOKEN_TTL_SECONDS} seconds, not ${ttl}`);
  }
  const slowMs = options.settings?.faults?.slowMs;
  if (slowMs !== undefined && (typeof slowMs !== 'number' || !(slowMs >= 0 && slowMs <= MAX_SLOW_MS))) {
    throw new TypeError(`settings.faults.slowMs must be from 0 to ${MAX_SLOW_MS} ms, not ${slowMs}`);
  }
  const max = options.settings?.maxMessages;
  if (max !== undefined && !isMessageCap(max)) throw new TypeError(`settings.maxMessages must be a whole number of at least 1, not ${max}`);
  const core = new EmulatorCore(resolveSeed(options.seed), options.settings, new Clock(options.now, options.timers));
  core.routes = ROUTER.routes();
  const host = options.host ?? '127.0.0.1';
  const allowed = (options.allowHosts ?? []).map((name) => {
    const b = typeof name === 'string' ? allowedHostName(name) : null;
    if (b === null) throw new TypeError(`allowHosts: ${JSON.stringify(name)} is not a host name`);
    return b;
  });
  const trusted: TrustedHosts = { bound: host, allowed };
  const server: Server = createServer((req, res) => {
    handle(core, trusted, req, res).catch((err: unknown) => {
      // The last line of defence: whatever went wrong, this request ends and the server lives on.
      process.stderr.write(`emulator: request failed: ${(err as Error)?.message ?? String(err)}\n`);
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' }).end('{"code":1,"msg":"internal emulator error"}');
      else res.destroy();
    });
  });
  // The long connection: the one upgrade the emulator serves (ws-hub.ts refuses the rest).
  server.on('upgrade', (req, socket, head) => {
    try {
      checkTrusted(req, trusted);
    } catch (err) {
      const msg = (err as Error).message;
      const body = JSON.stringify({ code: 403, msg });
      // Header values carry no line breaks or non-ASCII; the body says it in full.
      const header = msg.replace(/[^\x20-\x7e]/g, '?');
      socket.end(`HTTP/1.1 403 Forbidden\r\nHandshake-Status: 403\r\nHandshake-Msg: ${header}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    core.ws.upgrade(req, socket, head, core.store);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    core,
    requests: () => core.requests(),
    messages: () => [...core.store.messages.values()].map(storedMessageView),
    state: () => stateView({ core }),
    reset: () => core.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        core.ws.close();
        core.clock.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
