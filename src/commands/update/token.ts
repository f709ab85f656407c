import type { Context } from '../../context.js';
import { cardFromFlags, type CardSourceFlags } from '../../card/source.js';
import { isSharedCard } from '../../card/inspect.js';
import { delayedUpdate, delayedUpdateRequest } from '../../feishu/api.js';
import { clientFromContext } from '../../feishu/client.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { buildUrl } from '../../feishu/http.js';
import { resolveCredentials } from '../../config/credentials.js';
import { CliError, usageError } from '../../output/errors.js';

const TOKEN_RULES =
  'Delayed update rules: answer the callback first, then update within 30 minutes of the click, at most 2 times per token; a JSON 1.0 card that is not shared needs --open-id for whose view changes, a shared or 2.0 card must not have it.';

/** The delayed update (interactive/v1/card/update) with the token a card callback carried. */
export async function runTokenUpdate(ctx: Context, file: string | undefined, opts: CardSourceFlags & { token: string; openId?: string[]; dryRun?: boolean }): Promise<void> {
  if (!/^c-\S+$/.test(opts.token)) throw usageError(`--token "${opts.token}" is not a card callback token (c-…)`);
  const creds = await resolveCredentials(ctx);
  if (creds.platform === 'wps') throw usageError('--token is the Feishu / Lark delayed update; a WPS card is updated by its ctx_id');
  const source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);
  const openIds = opts.openId ?? [];
  for (const id of openIds) if (!/^ou_\w+$/.test(id)) throw usageError(`--open-id "${id}" is not an open_id (ou_…)`);
  if (openIds.length && source.kind === 'inline' && isSharedCard(source.card)) {
    throw usageError('--open-id is for a JSON 1.0 card that is not shared; this card is shared (update_multi true, or JSON 2.0): leave --open-id out');
  }
  const card = openIds.length ? { ...source.card, open_ids: openIds } : source.card;
  if (opts.dryRun) {
    const req = delayedUpdateRequest('<card token: redacted>', card);
    const url = buildUrl(resolveBaseUrl(creds.domain.value), req.path);
    ctx.out.print(`${req.method} ${url}\nauthorization: Bearer <tenant_access_token: redacted>\n\n${JSON.stringify(req.body, null, 2)}\n`);
    ctx.out.info('dry run: nothing updated');
    ctx.out.result({ dry_run: true, requests: [{ method: req.method, url, body: req.body }] });
    return;
  }
  const client = await clientFromContext(ctx, {}, creds);
  try {
    await delayedUpdate(client, opts.token, card);
  } catch (err) {
    if (err instanceof CliError && err.type === 'api') {
      throw new CliError('api', `the platform refused the delayed update: ${err.message}`, {
        code: err.code,
        logId: err.logId,
        hint: [err.hint, TOKEN_RULES].filter(Boolean).join('\n'),
        details: err.details,
        cause: err,
      });
    }
    throw err;
  } finally {
    await client.close();
  }
  ctx.out.success(`Updated the card behind the callback token with ${source.label}${openIds.length ? ` for ${openIds.length} user${openIds.length === 1 ? '' : 's'}` : ''}`);
  ctx.out.result({ card: source.label, updated: true, via: 'token', open_ids: openIds.length ? openIds : null });
}
