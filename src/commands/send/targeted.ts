import type { Context } from '../../context.js';
import type { CardSource } from '../../card/source.js';
import { ephemeralSendRequest, replyMessage, replyMessageRequest, sendEphemeral } from '../../feishu/api.js';
import { clientFromContext, type FeishuClient } from '../../feishu/client.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { printDryRun, type RequestDescriptor } from '../dry-run.js';
import { resolveReceivers, shapeOf } from '../../feishu/receivers.js';
import type { resolveCredentials } from '../../config/credentials.js';
import { usageError } from '../../output/errors.js';

/** The two sends that are not "a card to a receiver": a reply to a message, and a card one member of a group sees. */

type Creds = Awaited<ReturnType<typeof resolveCredentials>>;

function printRequest(ctx: Context, creds: Creds, req: RequestDescriptor, what: string): void {
  printDryRun(ctx, resolveBaseUrl(creds.domain.value), [req], `${what} shown, nothing sent`);
}

export async function runReply(ctx: Context, source: CardSource, opts: { replyTo: string; inThread?: boolean; uuid: string; dryRun?: boolean }, creds: Creds): Promise<void> {
  const request = { messageId: opts.replyTo, msgType: 'interactive', content: source.content, inThread: opts.inThread, uuid: opts.uuid };
  if (opts.dryRun) return printRequest(ctx, creds, replyMessageRequest(request), 'the reply');
  const client = await clientFromContext(ctx, {}, creds);
  try {
    const msg = await replyMessage(client, request);
    ctx.out.print(msg.message_id);
    ctx.out.success(`Replied to ${opts.replyTo} with ${source.label}${msg.thread_id ? ` in thread ${msg.thread_id}` : ''} → ${msg.message_id}`);
    ctx.out.info(ctx.out.style.dim(`uuid ${opts.uuid} (re-running with --uuid ${opts.uuid} will not reply again within an hour)`));
    ctx.out.result({
      uuid: opts.uuid,
      card: source.label,
      reply_to: opts.replyTo,
      message_id: msg.message_id,
      chat_id: msg.chat_id,
      root_id: msg.root_id || null,
      parent_id: msg.parent_id || null,
      thread_id: msg.thread_id || null,
    });
  } finally {
    await client.close();
  }
}

export async function runEphemeral(ctx: Context, source: CardSource, opts: { chatId: string; user: string; dryRun?: boolean }, creds: Creds): Promise<void> {
  let client: FeishuClient | null = null;
  const getClient = async () => (client ??= await clientFromContext(ctx, {}, creds));
  try {
    // The API takes open_id, user_id or email; a mobile is looked up first, anything else is a user_id.
    const shape = shapeOf(opts.user);
    let userIdType: 'open_id' | 'user_id' | 'email';
    let userId = opts.user;
    if (shape === 'open_id' || shape === 'email') userIdType = shape;
    else if (shape === 'mobile') {
      const [r] = await resolveReceivers([opts.user], { client: getClient });
      userIdType = 'open_id';
      userId = r!.receiveId;
    } else if (shape === null) userIdType = 'user_id';
    else throw usageError(`--ephemeral "${opts.user}" must name a user (open_id, email, mobile or user_id), not a ${shape}`);
    const request = { chatId: opts.chatId, userIdType, userId, card: source.card };
    if (opts.dryRun) return printRequest(ctx, creds, ephemeralSendRequest(request), 'the ephemeral card');
    const sent = await sendEphemeral(await getClient(), request);
    ctx.out.print(sent.message_id);
    ctx.out.success(`Sent ${source.label} to ${opts.user} only, in ${opts.chatId} → ${sent.message_id}`);
    ctx.out.info(ctx.out.style.dim('An ephemeral card cannot be updated; it shows only to that member while online.'));
    ctx.out.result({ card: source.label, chat_id: opts.chatId, user: opts.user, [userIdType]: userId, message_id: sent.message_id, ephemeral: true });
  } finally {
    await (client as FeishuClient | null)?.close();
  }
}
