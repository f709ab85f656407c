import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import { CliError } from '../output/errors.js';

// undici is CommonJS; require() loads it in ~100 ms less than import() does, paid by every send.
const { Agent, errors: undiciErrors, request } = createRequire(import.meta.url)('undici') as typeof Undici;

export interface HttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  token?: string;
  /** Safe to send twice: a read, or a write the platform deduplicates (uuid). */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  body: Record<string, unknown>;
  logId: string | null;
  ms: number;
  /** x-ogw-ratelimit-reset, in seconds, when the answer carried it. */
  rateLimitReset: number | null;
}

export type HttpLogger = (line: string) => void;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function buildUrl(baseUrl: string, path: string, query?: HttpRequest['query']): string {
  const url = new URL(baseUrl + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/** The one HTTP layer for the platform: timeouts, JSON both ways, and a log with secrets redacted. */
export class HttpClient {
  private readonly dispatcher: Undici.Agent;

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly log: HttpLogger | null = null,
  ) {
    this.dispatcher = new Agent({ connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 4000 });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(this.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'card-cli' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    const started = performance.now();
    this.log?.(`→ ${req.method} ${url}${req.token ? ' (authorization: Bearer <redacted>)' : ''}`);
    let status: number;
    let text: string;
    let logId: string | null;
    let rateLimitReset: number | null = null;
    try {
      const res = await request(url, {
        method: req.method as 'GET',
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.statusCode;
      const header = res.headers['x-tt-logid'] ?? res.headers['x-request-id'];
      logId = (Array.isArray(header) ? header[0] : header) ?? null;
      const reset = Number(res.headers['x-ogw-ratelimit-reset']);
      if (Number.isFinite(reset) && reset >= 0 && res.headers['x-ogw-ratelimit-reset'] !== undefined) rateLimitReset = reset;
      text = await res.body.text();
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      this.log?.(`← ${req.method} ${url} failed after ${ms} ms: ${(err as Error).message}`);
      throw this.networkError(err, url);
    }
    const ms = Math.round(performance.now() - started);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.log?.(`← ${status} ${ms} ms, not JSON${logId ? `, log id ${logId}` : ''}`);
      throw new CliError(status >= 500 ? 'network' : 'api', `${req.method} ${url} answered HTTP ${status} with a body that is not JSON`, {
        code: status,
        logId,
        hint: text.trim() ? `It began: ${text.trim().slice(0, 200)}` : 'The body was empty. Is the base URL an Open API server?',
      });
    }
    this.log?.(`← ${status} code ${String(body.code ?? '?')} ${ms} ms${logId ? `, log id ${logId}` : ''}`);
    return { status, body, logId: logId ?? (extractLogId(body) || null), ms, rateLimitReset };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private networkError(err: unknown, url: string): CliError {
    const e = err as Error & { code?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    const host = new URL(url).host;
    if (
      e.name === 'TimeoutError' ||
      e.name === 'AbortError' ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError
    ) {
      return new CliError('network', `${host} did not answer within ${this.timeoutMs} ms`, {
        code: 'timeout',
        hint: 'Raise the limit with --timeout, or check the base URL.',
        cause: err,
      });
    }
    if (code && NETWORK_CODES.has(code)) {
      return new CliError('network', `cannot reach ${host} (${code})`, {
        code,
        hint: code === 'ECONNREFUSED' ? 'Nothing is listening there. Is the emulator running? (card emulator)' : 'Check the base URL and your network.',
        cause: err,
      });
    }
    return new CliError('network', `request to ${host} failed: ${e.message}`, { code: code ?? null, cause: err });
  }
}

function extractLogId(body: Record<string, unknown>): string | undefined {
  const error = body.error as { log_id?: string } | undefined;
  return error?.log_id;
}
