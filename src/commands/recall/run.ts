import type { Context } from '../../context.js';
import { recallMessage } from '../../feishu/api.js';
import { clientFromContext } from '../../feishu/client.js';
import { resolveCredentials } from '../../config/credentials.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { buildUrl } from '../../feishu/http.js';
import { CliError, usageError } from '../../output/errors.js';

const RECALL_RULES =
  'A bot recalls its own messages within the tenant\'s recall window (or, as owner, creator or manager of the group, others\' up to a year old). A recalled message cannot be recalled again; batch-sent messages are recalled as a batch.';

export async function run(ctx: Context, messageId: string, opts: { dryRun?: boolean }): Promise<void> {
  if (!/^om_\w+$/.test(messageId)) throw usageError(`"${messageId}" is not a message id (om_…)`);
  const creds = await resolveCredentials(ctx);
  if (creds.platform === 'wps') throw usageError('card recall is for Feishu / Lark profiles');
  const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`;
  if (opts.dryRun) {
    const url = buildUrl(resolveBaseUrl(creds.domain.value), path);
    ctx.out.print(`DELETE ${url}\nauthorization: Bearer <tenant_access_token: redacted>\n`);
    ctx.out.info('dry run: nothing recalled');
    ctx.out.result({ dry_run: true, requests: [{ method: 'DELETE', url, body: null }] });
    return;
  }
  const client = await clientFromContext(ctx, {}, creds);
  try {
    await recallMessage(client, messageId);
  } catch (err) {
    if (err instanceof CliError && err.type === 'api') {
      throw new CliError('api', `the platform refused to recall ${messageId}: ${err.message}`, {
        code: err.code,
        logId: err.logId,
        hint: [err.hint, RECALL_RULES].filter(Boolean).join('\n'),
        details: err.details,
        cause: err,
      });
    }
    throw err;
  } finally {
    await client.close();
  }
  ctx.out.print(messageId);
  ctx.out.success(`Recalled ${messageId}`);
  ctx.out.result({ message_id: messageId, recalled: true });
}
