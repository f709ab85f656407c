import { disbandChat, disbandChatRequest, listChats } from '../../feishu/api.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { printDryRun } from '../dry-run.js';
import { CliError, toCliError, usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';
import { printable } from '../../output/printable.js';
import type { CommandContext } from '../declare.js';

async function feishuCreds(ctx: CommandContext) {
  const creds = await ctx.credentials();
  if (creds.platform === 'wps') throw usageError('card chat is for Feishu / Lark profiles');
  return creds;
}

export async function list(ctx: CommandContext, opts: { limit?: number; name?: string }): Promise<void> {
  const { limit } = opts;
  await feishuCreds(ctx);
  // With a name filter the limit applies after filtering, so every page is read.
  let chats = await listChats(await ctx.client(), { limit: opts.name ? undefined : limit });
  if (opts.name) chats = chats.filter((c) => (c.name ?? '').includes(opts.name!));
  if (limit !== undefined) chats = chats.slice(0, limit);
  const rows = chats.map((c) => ({ chat_id: c.chat_id, name: c.name ?? '', owner_id: c.owner_id ?? null, owner_id_type: c.owner_id_type ?? null, external: c.external ?? false }));
  if (rows.length) ctx.out.print(table(rows.map((r) => [r.chat_id, printable(r.name), printable(r.owner_id ?? '')]), !!ctx.out.stdout.isTTY));
  ctx.out.info(`${rows.length} chat${rows.length === 1 ? '' : 's'}`);
  ctx.out.result({ chats: rows });
}

export async function disband(ctx: CommandContext, chatIds: string[], opts: { dryRun?: boolean }): Promise<void> {
  for (const id of chatIds) if (!/^oc_\w+$/.test(id)) throw usageError(`"${id}" is not a chat id (oc_…)`);
  const creds = await feishuCreds(ctx);
  if (opts.dryRun) return printDryRun(ctx, resolveBaseUrl(creds.domain.value), chatIds.map(disbandChatRequest), `${chatIds.length} request${chatIds.length === 1 ? '' : 's'} shown, nothing disbanded`);
  const client = await ctx.client();
  const done: string[] = [];
  for (const id of chatIds) {
    try {
      await disbandChat(client, id);
    } catch (err) {
      const e = toCliError(err);
      throw new CliError(e.type, `disbanding ${id} failed: ${e.message}`, {
        code: e.code,
        logId: e.logId,
        hint: [e.hint, 'The bot can disband a chat it owns, or one it created when it holds im:chat:operate_as_owner.', done.length ? `Disbanded before this: ${done.join(', ')}` : null].filter(Boolean).join('\n'),
        details: { disbanded: done, failed: id },
        cause: err,
      });
    }
    done.push(id);
    ctx.out.success(`Disbanded ${id}`);
  }
  ctx.out.print(done.join('\n'));
  ctx.out.result({ disbanded: done });
}
