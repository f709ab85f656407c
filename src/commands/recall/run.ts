import { recallMessage, recallMessageRequest } from '../../feishu/api.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { usageError, withApiRules } from '../../output/errors.js';
import type { CommandContext } from '../declare.js';
import { printDryRun } from '../dry-run.js';

const RECALL_RULES =
  'A bot recalls its own messages within the tenant\'s recall window (or, as owner, creator or manager of the group, others\' up to a year old). A recalled message cannot be recalled again; batch-sent messages are recalled as a batch.';

export async function run(ctx: CommandContext, messageId: string, opts: { dryRun?: boolean }): Promise<void> {
  if (!/^om_\w+$/.test(messageId)) throw usageError(`"${messageId}" is not a message id (om_…)`);
  const creds = await ctx.credentials();
  if (creds.platform === 'wps') throw usageError('card recall is for Feishu / Lark profiles');
  if (opts.dryRun) return printDryRun(ctx, resolveBaseUrl(creds.domain.value), [recallMessageRequest(messageId)], 'nothing recalled');
  await recallMessage(await ctx.client(), messageId).catch((err: unknown) => {
    throw withApiRules(err, `the platform refused to recall ${messageId}`, RECALL_RULES);
  });
  ctx.out.print(messageId);
  ctx.out.success(`Recalled ${messageId}`);
  ctx.out.result({ message_id: messageId, recalled: true });
}
