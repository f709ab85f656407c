import type { Credentials } from '../config/credentials.js';
import type { Context } from '../context.js';
import { resolveBaseUrl } from '../feishu/base-url.js';
import { TokenCache } from '../feishu/token-cache.js';
import { send } from '../http/request.js';
import { CliError, usageError } from '../output/errors.js';
import { httpDate, signWps3, wps4Headers } from './sign.js';

export interface WpsSettings {
  baseUrl: string;
  appKey: string;
  secret: string;
  /** Gateway prefix of a private deployment (e.g. /o/woa): in the URL, not in the signature. */
  prefix: string;
  companyTokenPath: string;
  messagesPath: string;
  auth: 'wps-4' | 'wps-3';
}

export const WPS_DEFAULTS = {
  prefix: '/o/woa',
  companyTokenPath: '/oauthapi/v3/inner/company/token',
  messagesPath: '/api/v2/developer/app/messages',
  auth: 'wps-4' as const,
};

/** WPS settings: flags and environment (CARD_WPS_*), then the profile, then the private-deployment defaults. */
export function wpsSettings(ctx: Context, creds: Credentials): WpsSettings {
  if (!creds.appId || !creds.appSecret) {
    throw usageError('no WPS app key (AK) or secret (SK)', { hint: 'Set CARD_APP_ID / CARD_APP_SECRET to the AK and SK, or store them: card profile add <name> --platform wps --app-id AK …' });
  }
  if (creds.domain.source === 'default') throw usageError('a WPS profile needs its domain: the deployment\'s base URL (--base-url, CARD_BASE_URL or the profile)');
  const p = creds.profileData ?? {};
  const auth = (ctx.env.CARD_WPS_AUTH ?? p.wps_auth ?? WPS_DEFAULTS.auth) as string;
  if (auth !== 'wps-4' && auth !== 'wps-3') throw usageError(`WPS auth must be wps-4 or wps-3, not "${auth}"`);
  return {
    baseUrl: resolveBaseUrl(creds.domain.value, `base URL (from ${creds.domain.source})`),
    appKey: creds.appId.value,
    secret: creds.appSecret.value,
    prefix: (ctx.env.CARD_WPS_GATEWAY_PREFIX ?? p.gateway_prefix ?? WPS_DEFAULTS.prefix).replace(/\/+$/, ''),
    companyTokenPath: ctx.env.CARD_WPS_COMPANY_TOKEN_PATH ?? p.company_token_path ?? WPS_DEFAULTS.companyTokenPath,
    messagesPath: WPS_DEFAULTS.messagesPath,
    auth,
  };
}

/** The WPS 协作 client: signed requests, company_token cached on disk, WPS's {"result": …} envelope. */
export class WpsClient {
  private readonly cache: TokenCache;

  constructor(
    readonly s: WpsSettings,
    private readonly ctx: Context,
  ) {
    this.cache = TokenCache.inConfigDir(ctx.configDir, ctx.now);
  }

  private async call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<Record<string, unknown>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const contentType = 'application/json';
    const date = httpDate(this.ctx.now());
    const headers: Record<string, string> =
      this.s.auth === 'wps-3'
        ? (() => {
            const { contentMd5, xAuth } = signWps3({ appId: this.s.appKey, secretKey: this.s.secret, url: pathAndQuery, contentType, date, body: text });
            return { 'content-type': contentType, date, 'content-md5': contentMd5, 'x-auth': xAuth };
          })()
        : wps4Headers(this.s.appKey, { method, uri: pathAndQuery, contentType, date, body: text, secret: this.s.secret });
    const url = this.s.baseUrl + this.s.prefix + pathAndQuery;
    const res = await send({ method, url, headers, body: text || undefined, timeoutMs: this.ctx.timeoutMs, log: this.ctx.out.verbose ? (line) => this.ctx.out.debug(line) : null });
    const status = res.status;
    const answer = res.body.toString('utf8');
    this.ctx.out.debug(`← ${status} ${res.ms} ms`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(answer) as Record<string, unknown>;
    } catch {
      throw new CliError('api', `${method} ${url} answered HTTP ${status} with a body that is not JSON`, { code: status });
    }
    const result = parsed.result;
    if (status >= 400 || (typeof result === 'number' && result !== 0)) {
      const type = status === 401 || status === 403 ? 'auth' : 'api';
      throw new CliError(type, `WPS refused the request: ${String(parsed.msg ?? parsed.message ?? `HTTP ${status}`)}`, {
        code: typeof result === 'number' ? result : status,
        hint: type === 'auth' ? 'Check the AK and SK, the gateway prefix (not signed) and the server clock (the Date header is checked).' : null,
      });
    }
    return parsed;
  }

  async companyToken(): Promise<string> {
    const cached = this.cache.get(this.s.baseUrl, `wps:${this.s.appKey}`, this.s.secret);
    if (cached) return cached.token;
    const res = await this.call('GET', `${this.s.companyTokenPath}?app_id=${encodeURIComponent(this.s.appKey)}`);
    // Deployments answer {company_token, expires_in} or {token: {company_token, expires_in}}.
    const holder = (typeof res.company_token === 'string' ? res : res.token) as { company_token?: string; expires_in?: number } | undefined;
    if (!holder?.company_token) throw new CliError('api', 'the company token answer holds no company_token', { details: res });
    this.cache.set(this.s.baseUrl, `wps:${this.s.appKey}`, this.s.secret, holder.company_token, Number(holder.expires_in) || 3600);
    return holder.company_token;
  }

  /** Not in WPS's public docs: the send API's sibling, keyed by app_key + ctx_id (reference/wps.md §3.4). */
  async updateMessage(ctxId: string, card: Record<string, unknown>): Promise<void> {
    const token = await this.companyToken();
    await this.call('POST', `${this.s.messagesPath}/update?company_token=${encodeURIComponent(token)}`, { app_key: this.s.appKey, ctx_id: ctxId, content: { type: 23, content: card } });
  }

  async sendMessage(body: Record<string, unknown>): Promise<{ message_id: string }> {
    const token = await this.companyToken();
    const res = await this.call('POST', `${this.s.messagesPath}?company_token=${encodeURIComponent(token)}`, body);
    return { message_id: String(res.message_id ?? '') };
  }
}
