import { redactUrl } from '../http/redact.js';
import { header, send, type HttpLogger } from '../http/request.js';
import { CliError } from '../output/errors.js';
import { buildUrl, type Query } from './url.js';

export interface HttpRequest {
  method: string;
  path: string;
  query?: Query;
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

export type { HttpLogger };

export { buildUrl };

/**
 * The platform's side of the HTTP layer (src/http/): JSON both ways, the log id, the rate-limit
 * reset header. Transport, timeouts, redaction and the loopback rule live in the layer.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly log: HttpLogger | null = null,
  ) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(this.baseUrl, req.path, req.query);
    // The layer sets the user-agent; a multipart upload brings its own content type.
    const headers: Record<string, string> = { 'content-type': req.rawBody?.contentType ?? 'application/json; charset=utf-8' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    // The layer's timeout is a plain referenced timer (not AbortSignal.timeout): while a request
    // waits, the process stays alive to time it out, instead of exiting 13 if its socket vanished.
    const res = await send({
      method: req.method,
      url,
      headers,
      body: req.rawBody ? req.rawBody.data : req.body === undefined ? undefined : JSON.stringify(req.body),
      timeoutMs: this.timeoutMs,
      log: this.log,
      idempotent: req.idempotent,
    });
    const { status, ms } = res;
    const logId = header(res.headers, 'x-tt-logid') ?? header(res.headers, 'x-request-id');
    const resetHeader = header(res.headers, 'x-ogw-ratelimit-reset');
    const rateLimitReset = resetHeader !== null && Number.isFinite(Number(resetHeader)) && Number(resetHeader) >= 0 ? Number(resetHeader) : null;
    const text = res.body.toString('utf8');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.log?.(`← ${status} ${ms} ms, not JSON${logId ? `, log id ${logId}` : ''}`);
      throw new CliError(status >= 500 ? 'network' : 'api', `${req.method} ${redactUrl(url)} answered HTTP ${status} with a body that is not JSON`, {
        code: status,
        logId,
        hint: text.trim() ? `It began: ${text.trim().slice(0, 200)}` : 'The body was empty. Is the base URL an Open API server?',
      });
    }
    this.log?.(`← ${status} code ${String(body.code ?? '?')} ${ms} ms${logId ? `, log id ${logId}` : ''}`);
    return { status, body, logId: logId ?? (extractLogId(body) || null), ms, rateLimitReset };
  }

  async close(): Promise<void> {
    // The layer's keep-alive agent is shared and unrefs idle sockets; nothing to release here.
  }
}

function extractLogId(body: Record<string, unknown>): string | undefined {
  const error = body.error as { log_id?: string } | undefined;
  return error?.log_id;
}
