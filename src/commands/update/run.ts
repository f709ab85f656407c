import { assertUpdatable, cardFromFlags, type CardSourceFlags } from '../../card/source.js';
import { patchMessage, patchMessageRequest } from '../../feishu/api.js';
import { usageError, withApiRules } from '../../output/errors.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import type { CommandContext } from '../declare.js';
import { printDryRun } from '../dry-run.js';

/** What PATCH demands, said plainly when the platform refuses. */
const PATCH_RULES =
  'PATCH rules: the card must have been sent by this app, within the last 14 days, not recalled; both the sent and the new card must be shared (config.update_multi true; always so in JSON 2.0); at most 5 updates a second per message.';

interface UpdateOptions extends CardSourceFlags {
  token?: string;
  openId?: string[];
  dryRun?: boolean;
}

export async function run(ctx: CommandContext, messageId: string | undefined, file: string | undefined, opts: UpdateOptions): Promise<void> {
  if (opts.token !== undefined) {
    // With a token there is no message id: the one positional is the card.
    if (messageId !== undefined && file !== undefined) throw usageError(`--token updates the card the callback came from: give the card file only, not a message id too (got ${messageId} and ${file})`);
    const { runTokenUpdate } = await import('./token.js');
    return runTokenUpdate(ctx, file ?? messageId, { ...opts, token: opts.token });
  }
  if (opts.openId?.length) throw usageError('--open-id goes with --token');
  if (messageId === undefined) throw usageError('say which card to update: card update <message_id> <card.json>, or card update --token c-… <card.json>');
  const creds = await ctx.credentials();
  if (creds.platform === 'wps') {
    // A WPS card is updated by the ctx_id it was sent with (card send prints it).
    const source = await cardFromFlags(file, { ...opts, platform: 'wps', cwd: ctx.cwd }, ctx.stdin, ctx.out);
    const { WpsClient, wpsSettings } = await import('../../wps/client.js');
    await new WpsClient(wpsSettings(ctx, creds), ctx).updateMessage(messageId, source.card);
    ctx.out.print(messageId);
    ctx.out.success(`Updated the WPS card with ctx_id ${messageId}`);
    ctx.out.result({ platform: 'wps', ctx_id: messageId, card: source.label, updated: true });
    return;
  }
  if (!/^om_\w+$/.test(messageId)) throw usageError(`"${messageId}" is not a message id (om_…)`);
  const source = await cardFromFlags(file, { ...opts, cwd: ctx.cwd }, ctx.stdin, ctx.out);
  assertUpdatable(source);
  if (opts.dryRun) return printDryRun(ctx, resolveBaseUrl(creds.domain.value), [patchMessageRequest(messageId, source.content)], 'nothing updated');
  await patchMessage(await ctx.client(), messageId, source.content).catch((err: unknown) => {
    throw withApiRules(err, `the platform refused to update ${messageId}`, PATCH_RULES);
  });
  ctx.out.print(messageId);
  ctx.out.success(`Updated ${messageId} with ${source.label}`);
  ctx.out.result({ message_id: messageId, card: source.label, updated: true });
}
