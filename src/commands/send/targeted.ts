import type { CardSource } from '../../card/source.js';
import type { Credentials } from '../../config/credentials.js';
import { ephemeralSendRequest, replyMessage, replyMessageRequest, sendEphemeral } from '../../feishu/api.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { receiveIdTypeOf, resolveReceivers } from '../../feishu/receivers.js';
import { usageError } from '../../output/errors.js';
import type { CommandContext } from '../declare.js';
import { printDryRun, type RequestDescriptor } from '../dry-run.js';

/** The two sends that are not "a card to a receiver": a reply to a message, and a card one member of a group sees. */

function printRequest(ctx: CommandContext, creds: Credentials, req: RequestDescriptor, what: string): void {
  printDryRun(ctx, resolveBaseUrl(creds.domain.value), [req], `${what} shown, nothing sent`);
}

export async function runReply(ctx: CommandContext, source: CardSource, opts: { replyTo: string; inThread?: boolean; uuid: string; dryRun?: boolean }, creds: Credentials): Promise<void> {
  const request = { messageId: opts.replyTo, msgType: 'interactive', content: source.content, inThread: opts.inThread, uuid: opts.uuid };
  if (opts.dryRun) return printRequest(ctx, creds, replyMessageRequest(request), 'the reply');
  const msg = await replyMessage(await ctx.client(), request);
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
}

export async function runEphemeral(ctx: CommandContext, source: CardSource, opts: { chatId: string; user: string; dryRun?: boolean }, creds: Credentials): Promise<void> {
  // The API takes open_id, user_id or email; a mobile is looked up first, anything else is a user_id.
  const given = receiveIdTypeOf(opts.user);
  let userIdType: 'open_id' | 'user_id' | 'email';
  let userId = opts.user;
  if (given === 'open_id' || given === 'email') userIdType = given;
  else if (given === 'mobile') {
    const [r] = await resolveReceivers([opts.user], { client: () => ctx.client() });
    userIdType = 'open_id';
    userId = r!.receiveId;
  } else if (given === null) userIdType = 'user_id';
  else throw usageError(`--ephemeral "${opts.user}" must name a user (open_id, email, mobile or user_id), not a ${given}`);
  const request = { chatId: opts.chatId, userIdType, userId, card: source.card };
  if (opts.dryRun) return printRequest(ctx, creds, ephemeralSendRequest(request), 'the ephemeral card');
  const sent = await sendEphemeral(await ctx.client(), request);
  ctx.out.print(sent.message_id);
  ctx.out.success(`Sent ${source.label} to ${opts.user} only, in ${opts.chatId} → ${sent.message_id}`);
  ctx.out.info(ctx.out.style.dim('An ephemeral card cannot be updated; it shows only to that member while online.'));
  ctx.out.result({ card: source.label, chat_id: opts.chatId, user: opts.user, [userIdType]: userId, message_id: sent.message_id, ephemeral: true });
}
