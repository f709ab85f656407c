import { CliError } from '../output/errors.js';

export interface HttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** A body sent as it is, with its own content type (multipart uploads). */
  rawBody?: { data: Buffer; contentType: string };
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

/**
 * The one HTTP layer for the platform: timeouts, JSON both ways, and a log with secrets redacted.
 * It uses Node's fetch, which is undici built into Node: the same engine as the undici package,
 * without the ~100 ms it takes to load that package in every short-lived command.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly log: HttpLogger | null = null,
  ) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(this.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { 'content-type': req.rawBody?.contentType ?? 'application/json; charset=utf-8', 'user-agent': 'card-cli' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    const started = performance.now();
    this.log?.(`→ ${req.method} ${url}${req.token ? ' (authorization: Bearer <redacted>)' : ''}`);
    let status: number;
    let text: string;
    let logId: string | null;
    let rateLimitReset: number | null = null;
    // A referenced timer, unlike AbortSignal.timeout's: while a request waits, the process stays
    // alive to time it out, instead of exiting 13 if its socket vanished unnoticed.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('timed out', 'TimeoutError')), this.timeoutMs);
    try {
      const res = await fetch(url, {
        method: req.method,
        headers,
        body: req.rawBody ? req.rawBody.data : req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: abort.signal,
        redirect: 'manual',
      });
      status = res.status;
      logId = res.headers.get('x-tt-logid') ?? res.headers.get('x-request-id');
      const resetHeader = res.headers.get('x-ogw-ratelimit-reset');
      if (resetHeader !== null && Number.isFinite(Number(resetHeader)) && Number(resetHeader) >= 0) rateLimitReset = Number(resetHeader);
      text = await res.text();
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      this.log?.(`← ${req.method} ${url} failed after ${ms} ms: ${(err as Error).message}`);
      throw this.networkError(err, url);
    } finally {
      clearTimeout(timer);
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
    // Node's fetch pools its own connections; nothing to release here.
  }

  private networkError(err: unknown, url: string): CliError {
    const e = err as Error & { code?: string; cause?: { code?: string; name?: string } };
    const code = e.code ?? e.cause?.code;
    const host = new URL(url).host;
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || (code && /^UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT$/.test(code))) {
      return new CliError('network', `${host} did not answer within ${this.timeoutMs} ms`, {
        code: 'timeout',
        hint: 'Raise the limit with --timeout, or check the base URL.',
        cause: err,
      });
    }
    if (e.cause instanceof Error && e.cause.message === 'bad port') {
      // fetch follows the browsers' port blocklist (1, 6000, 6665-6669, 10080, …).
      return new CliError('usage', `${host}: fetch refuses port ${new URL(url).port}, one of the ports browsers block`, { code: 'bad_port', hint: 'Run the server (or the emulator) on another port.', cause: err });
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
