import { cardFromFlags, type CardSourceFlags } from '../../card/source.js';
import { isSharedCard } from '../../card/inspect.js';
import { delayedUpdate, delayedUpdateRequest } from '../../feishu/api.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { usageError, withApiRules } from '../../output/errors.js';
import type { CommandContext } from '../declare.js';
import { printDryRun } from '../dry-run.js';

const TOKEN_RULES =
  'Delayed update rules: answer the callback first, then update within 30 minutes of the click, at most 2 times per token; a JSON 1.0 card that is not shared needs --open-id for whose view changes, a shared or 2.0 card must not have it.';

/** The delayed update (interactive/v1/card/update) with the token a card callback carried. */
export async function runTokenUpdate(ctx: CommandContext, file: string | undefined, opts: CardSourceFlags & { token: string; openId?: string[]; dryRun?: boolean }): Promise<void> {
  if (!/^c-\S+$/.test(opts.token)) throw usageError(`--token "${opts.token}" is not a card callback token (c-…)`);
  const creds = await ctx.credentials();
  if (creds.platform === 'wps') throw usageError('--token is the Feishu / Lark delayed update; a WPS card is updated by its ctx_id');
  const source = await cardFromFlags(file, { ...opts, cwd: ctx.cwd }, ctx.stdin, ctx.out);
  const openIds = opts.openId ?? [];
  for (const id of openIds) if (!/^ou_\w+$/.test(id)) throw usageError(`--open-id "${id}" is not an open_id (ou_…)`);
  if (openIds.length && source.kind === 'inline' && isSharedCard(source.card)) {
    throw usageError('--open-id is for a JSON 1.0 card that is not shared; this card is shared (update_multi true, or JSON 2.0): leave --open-id out');
  }
  const card = openIds.length ? { ...source.card, open_ids: openIds } : source.card;
  if (opts.dryRun) return printDryRun(ctx, resolveBaseUrl(creds.domain.value), [delayedUpdateRequest('<card token: redacted>', card)], 'nothing updated');
  await delayedUpdate(await ctx.client(), opts.token, card).catch((err: unknown) => {
    throw withApiRules(err, 'the platform refused the delayed update', TOKEN_RULES);
  });
  ctx.out.success(`Updated the card behind the callback token with ${source.label}${openIds.length ? ` for ${openIds.length} user${openIds.length === 1 ? '' : 's'}` : ''}`);
  ctx.out.result({ card: source.label, updated: true, via: 'token', open_ids: openIds.length ? openIds : null });
}
