import type { Context } from '../context.js';
import { buildUrl, type Query } from '../feishu/url.js';

/** A request as src/feishu/api.ts describes it, before a client sends it. */
export interface RequestDescriptor {
  method: string;
  path: string;
  query?: Query;
  body?: unknown;
}

/**
 * What --dry-run shows: each request as it would go out (URL, headers with the token redacted,
 * body), on stdout and as `{dry_run, requests}` in the JSON result. `note` says what was not done.
 */
export function printDryRun(ctx: Context, baseUrl: string, requests: Array<RequestDescriptor & { to?: string }>, note: string): void {
  const shown = requests.map((req) => {
    const headers: Record<string, string> = { authorization: 'Bearer <tenant_access_token: redacted>' };
    if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    return { ...(req.to === undefined ? {} : { to: req.to }), method: req.method, url: buildUrl(baseUrl, req.path, req.query), headers, body: req.body ?? null };
  });
  for (const req of shown) {
    const lines = [`${req.method} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), ''];
    if (req.body !== null) lines.push(JSON.stringify(req.body, null, 2), '');
    ctx.out.print(lines.join('\n'));
  }
  ctx.out.info(`dry run: ${note}`);
  ctx.out.result({ dry_run: true, requests: shown });
}
