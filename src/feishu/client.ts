import type { Context } from '../context.js';
import { requireAppCredentials, resolveCredentials, type CredentialFlags, type Credentials } from '../config/credentials.js';
import { CliError } from '../output/errors.js';
import { resolveBaseUrl } from './base-url.js';
import { platformError } from './errors.js';
import { HttpClient, type HttpLogger, type HttpRequest, type HttpResponse } from './http.js';
import type { Pacer } from './pacer.js';
import { DEFAULT_RETRY, RATE_LIMIT_CODES, retryDelay, type AttemptOutcome, type RetryPolicy } from '../http/retry.js';
import { TokenCache } from './token-cache.js';

/** Codes after which a fresh token is worth one retry. */
const STALE_TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991671]);

export interface TokenInfo {
  token: string;
  source: 'cache' | 'fresh';
  expiresAt: number;
  /** Why a fresh token was fetched although one was cached. */
  note?: string;
}

export interface ClientOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  /** null keeps tokens in memory only (the demo, tests). */
  cache: TokenCache | null;
  log?: HttpLogger | null;
  now?: () => number;
  /** Where the credentials came from, for hints when they are refused. */
  credentialSources?: string;
  retry?: RetryPolicy;
  /** Spaces every request under the app's limits (bulk sends). */
  pacer?: Pacer | null;
  sleep?: (ms: number) => Promise<void>;
}

function describeOutcome(o: AttemptOutcome): string {
  if (o.kind === 'rate-limited') return `rate limited${o.resetSeconds !== null ? `, reset in ${o.resetSeconds} s` : ''}`;
  if (o.kind === 'server-error') return `HTTP ${o.status}`;
  if (o.kind === 'network') return o.error.message;
  return o.kind;
}

/** The Open API client: tokens (cached, refreshed, retried once), the envelope, and errors. */
export class FeishuClient {
  readonly http: HttpClient;
  readonly baseUrl: string;
  readonly appId: string;
  private memo: TokenInfo | null = null;
  private readonly now: () => number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  /** How many requests were sent again, for summaries. */
  retried = 0;

  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl;
    this.appId = opts.appId;
    this.now = opts.now ?? Date.now;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.http = new HttpClient(opts.baseUrl, opts.timeoutMs, opts.log ?? null);
  }

  /**
   * Sends with retries: rate limits (honouring x-ogw-ratelimit-reset), 5xx and network failures,
   * with exponential backoff and jitter, as far as the call's idempotency allows.
   */
  private async send(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      await this.opts.pacer?.take();
      let res: HttpResponse | null = null;
      let outcome: AttemptOutcome;
      try {
        res = await this.http.send(req);
        if (res.status === 429 || RATE_LIMIT_CODES.has(Number(res.body.code))) outcome = { kind: 'rate-limited', resetSeconds: res.rateLimitReset };
        else if (res.status >= 500) outcome = { kind: 'server-error', status: res.status };
        else return res;
      } catch (err) {
        if (!(err instanceof CliError) || err.type !== 'network') throw err;
        outcome = { kind: 'network', error: err };
      }
      const delay = retryDelay(outcome, attempt, !!req.idempotent, this.retry);
      if (delay === null) {
        if (res) return res;
        throw (outcome as { error: CliError }).error;
      }
      if (outcome.kind === 'rate-limited') this.opts.pacer?.pauseUntil(this.now() + delay);
      this.retried++;
      this.opts.log?.(`↻ ${req.method} ${req.path}: ${describeOutcome(outcome)}; retry ${attempt + 1} of ${this.retry.retries} in ${delay} ms`);
      await this.sleep(delay);
    }
  }

  async token(refresh = false): Promise<TokenInfo> {
    if (!refresh && this.memo && this.memo.expiresAt > this.now()) return this.memo;
    let note: string | undefined;
    if (!refresh && this.opts.cache) {
      const cached = this.opts.cache.lookup(this.baseUrl, this.appId, this.opts.appSecret);
      if ('token' in cached) return (this.memo = { token: cached.token, source: 'cache', expiresAt: cached.expires_at });
      if (cached.miss === 'secret-changed') note = 'the app secret differs from the one the cached token was fetched with';
    }
    const res = await this.send({
      method: 'POST',
      path: '/open-apis/auth/v3/tenant_access_token/internal',
      body: { app_id: this.appId, app_secret: this.opts.appSecret },
      idempotent: true,
    });
    const token = res.body.tenant_access_token;
    if (res.body.code !== 0 || typeof token !== 'string') {
      const err = platformError(res.body, { status: res.status, logId: res.logId, baseUrl: this.baseUrl, appId: this.appId });
      throw new CliError('auth', `the platform refused the app credentials: ${err.message}`, {
        code: err.code,
        logId: err.logId,
        hint: `Check the app id and secret${this.opts.credentialSources ? ` (${this.opts.credentialSources})` : ''}. card profile show says where each came from.`,
      });
    }
    const ttl = Number(res.body.expire) || 7200;
    const expiresAt = this.opts.cache ? this.opts.cache.set(this.baseUrl, this.appId, this.opts.appSecret, token, ttl).expires_at : this.now() + ttl * 1000;
    return (this.memo = { token, source: 'fresh', expiresAt, ...(note ? { note } : {}) });
  }

  /** Calls an authenticated endpoint; returns `data`, or throws the mapped platform error. */
  async call<T = Record<string, unknown>>(req: Omit<HttpRequest, 'token'>): Promise<{ data: T; logId: string | null }> {
    let info = await this.token();
    let res = await this.send({ ...req, token: info.token });
    if (STALE_TOKEN_CODES.has(Number(res.body.code))) {
      // The cached token was revoked or expired early: fetch a new one and try once more.
      this.opts.cache?.delete(this.baseUrl, this.appId);
      this.memo = null;
      info = await this.token(true);
      res = await this.send({ ...req, token: info.token });
    }
    if (res.body.code !== 0) {
      throw platformError(res.body, { status: res.status, logId: res.logId, baseUrl: this.baseUrl, appId: this.appId });
    }
    return { data: (res.body.data ?? {}) as T, logId: res.logId };
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** A client from the context: credentials resolved, the disk cache, verbose logging. */
export async function clientFromContext(
  ctx: Context,
  flags: CredentialFlags = {},
  creds?: Credentials,
  extra: Pick<ClientOptions, 'pacer' | 'retry'> = {},
): Promise<FeishuClient> {
  const resolved = creds ?? (await resolveCredentials(ctx, flags));
  const { appId, appSecret } = requireAppCredentials(resolved);
  const baseUrl = resolveBaseUrl(resolved.domain.value, `base URL (from ${resolved.domain.source})`);
  return new FeishuClient({
    baseUrl,
    appId,
    appSecret,
    timeoutMs: ctx.timeoutMs,
    cache: TokenCache.inConfigDir(ctx.configDir, ctx.now),
    log: ctx.out.verbose ? (line) => ctx.out.debug(line) : null,
    now: ctx.now,
    sleep: (ms) => ctx.clock.sleep(ms),
    credentialSources: `app id from ${resolved.appId!.source}, secret from ${resolved.appSecret!.source}`,
    retry: retryPolicyFromEnv(ctx.env),
    ...extra,
  });
}

/** A client for an app the command brings itself (the demo's emulator): no profile, tokens in memory only. */
export function clientForApp(ctx: Context, app: Pick<ClientOptions, 'baseUrl' | 'appId' | 'appSecret'>): FeishuClient {
  return new FeishuClient({ ...app, timeoutMs: ctx.timeoutMs, cache: null, log: ctx.out.verbose ? (line) => ctx.out.debug(line) : null });
}

/** CARD_RETRIES sets how many times a failed request is tried again (0 turns retries off). */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv): RetryPolicy {
  const n = Number(env.CARD_RETRIES);
  return env.CARD_RETRIES !== undefined && Number.isInteger(n) && n >= 0 ? { ...DEFAULT_RETRY, retries: n } : DEFAULT_RETRY;
}
