import { createHash, randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { cardFromFlags, type CardSource, type CardSourceFlags } from '../../card/source.js';
import { sendMessage, sendMessageRequest } from '../../feishu/api.js';
import type { FeishuClient } from '../../feishu/client.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { printDryRun } from '../dry-run.js';
import { resolveReceivers, type Receiver } from '../../feishu/receivers.js';
import { resolveCredentials } from '../../config/credentials.js';
import type { WpsSendFlags } from './wps.js';
import { CliError, toCliError, usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';

interface SendOptions extends CardSourceFlags, WpsSendFlags {
  to?: string[];
  toType?: string;
  uuid?: string;
  dryRun?: boolean;
  toFile?: string;
  results?: string;
  resume?: boolean;
  resendUnknown?: boolean;
  rate?: string;
  concurrency?: string;
  replyTo?: string;
  inThread?: boolean;
  ephemeral?: string;
  uploadImages?: boolean;
}

interface Sent {
  to: string;
  receive_id_type: string;
  receive_id: string;
  message_id: string;
  chat_id: string;
  uuid: string;
  /** The platform answered with a message made earlier under the same uuid. */
  already_sent: boolean;
}

/** Clocks differ a little: a message is only called earlier when it clearly predates the request. */
const CLOCK_SLACK_MS = 2000;

/** Whether the platform's create_time (ms) says the message existed before we asked. */
export function sentBefore(createTime: string | undefined, askedAt: number): boolean {
  const t = Number(createTime);
  return Number.isFinite(t) && t > 0 && t < askedAt - CLOCK_SLACK_MS;
}

/** `--to a --to a`: one message, and say so. */
function dedupeInputs(ctx: Context, inputs: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const input of inputs) {
    if (seen.has(input)) {
      ctx.out.warn(`${input} is given more than once: it gets one message`);
      continue;
    }
    seen.add(input);
    out.push(input);
  }
  return out;
}

/** The same person by email and by open_id (or mobile): one message, and say so. */
function dedupeReceivers(ctx: Context, receivers: Receiver[]): Receiver[] {
  const first = new Map<string, Receiver>();
  return receivers.filter((r) => {
    const key = `${r.receiveIdType}:${r.receiveId}`;
    const earlier = first.get(key);
    if (earlier) {
      ctx.out.warn(`${r.input} is the same receiver as ${earlier.input}: it gets one message`);
      return false;
    }
    first.set(key, r);
    return true;
  });
}

/**
 * One uuid per receiver, derived from one base, so re-running the same command never doubles a
 * message. With several receivers each gets base-<8 hex of who it is>: the same receivers in
 * another order, or one of them named another way, still map to the same uuids.
 */
function uuidsFor(base: string, receivers: Receiver[]): string[] {
  if (receivers.length === 1) return [base];
  return receivers.map((r) => `${base}-${createHash('sha256').update(`${r.receiveIdType}:${r.receiveId}`).digest('hex').slice(0, 8)}`);
}

/** What the per-receiver suffix adds to the base: "-" and 8 hex digits. */
const UUID_SUFFIX = 9;

export async function run(ctx: Context, file: string | undefined, opts: SendOptions): Promise<void> {
  // Resolved once: the platform it names decides the path, and every path reuses it.
  if (opts.uuid !== undefined && !opts.uuid.trim()) throw usageError('--uuid must not be empty: it is what keeps a re-run from sending twice', { hint: 'Leave it out to have one made for you.' });
  const creds = await resolveCredentials(ctx);
  const wpsFlags = [opts.toUsers, opts.toDepts, opts.toCompanies].some((v) => v?.length);
  if ((opts.replyTo || opts.ephemeral !== undefined) && (creds.platform === 'wps' || opts.toFile)) {
    throw usageError(`${opts.replyTo ? '--reply-to' : '--ephemeral'} sends one Feishu / Lark message: it does not go with ${opts.toFile ? '--to-file' : 'a WPS profile'}`);
  }
  if (creds.platform === 'wps') {
    if (opts.toFile || opts.to?.length) throw usageError('a WPS profile sends with --to-users, --to-depts or --to-companies');
    const source = await cardFromFlags(file, { ...opts, platform: 'wps' }, ctx.stdin, ctx.out);
    const { runWpsSend } = await import('./wps.js');
    return runWpsSend(ctx, source, opts, creds);
  }
  if (wpsFlags) throw usageError('--to-users, --to-depts and --to-companies are for WPS profiles (platform wps); use --to here');
  if (opts.toFile) {
    if (opts.to?.length) throw usageError('give receivers with --to or --to-file, not both');
    if (opts.dryRun) throw usageError('--dry-run shows single sends; for --to-file, run it on a copy of the file with one row');
    const source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);
    const { runBulkSend } = await import('./bulk.js');
    // Images go up only once rows are known to remain, with the run's own client; a bad path stops
    // the run here, before its results file exists.
    if (opts.uploadImages && source.kind === 'inline') await (await import('../../card/local-images.js')).localImagesOf(source.card, file ?? null);
    const prepare = opts.uploadImages ? async (client: FeishuClient) => (await import('./images.js')).uploadCardImages(ctx, source, file, async () => client, false) : undefined;
    return runBulkSend(ctx, source, { ...opts, toFile: opts.toFile }, creds, prepare);
  }
  for (const [flag, name] of [['results', 'results'], ['resume', 'resume'], ['resendUnknown', 'resend-unknown'], ['rate', 'rate'], ['concurrency', 'concurrency']] as const) {
    if (opts[flag] !== undefined) throw usageError(`--${name} goes with --to-file`);
  }
  if (opts.inThread && !opts.replyTo) throw usageError('--in-thread goes with --reply-to om_…');
  if (opts.replyTo) {
    if (opts.to?.length || opts.ephemeral) throw usageError('--reply-to sends into the chat of the message it answers: leave out --to and --ephemeral');
    if (!/^om_\w+$/.test(opts.replyTo)) throw usageError(`--reply-to "${opts.replyTo}" is not a message id (om_…)`);
    const uuid = opts.uuid ?? randomUUID();
    if (uuid.length > 50) throw usageError('--uuid may be at most 50 characters');
    const source = await withUploadedImages(ctx, await cardFromFlags(file, opts, ctx.stdin, ctx.out), file, opts, creds);
    const { runReply } = await import('./targeted.js');
    return runReply(ctx, source, { replyTo: opts.replyTo, inThread: opts.inThread, uuid, dryRun: opts.dryRun }, creds);
  }
  if (opts.ephemeral !== undefined) {
    if (opts.to?.length !== 1 || !/^oc_\w+$/.test(opts.to[0]!)) throw usageError('--ephemeral shows the card in one group chat: give exactly one --to oc_…');
    if (opts.uuid) throw usageError('--uuid does not apply to --ephemeral: the ephemeral API has no idempotency key');
    const source = await withUploadedImages(ctx, await cardFromFlags(file, opts, ctx.stdin, ctx.out), file, opts, creds);
    const { runEphemeral } = await import('./targeted.js');
    return runEphemeral(ctx, source, { chatId: opts.to[0]!, user: opts.ephemeral, dryRun: opts.dryRun }, creds);
  }
  const to = dedupeInputs(ctx, opts.to ?? []);
  if (!to.length) throw usageError('say who gets the card: --to <open_id|union_id|chat_id|email|mobile> (repeatable)');
  const base = opts.uuid ?? randomUUID();
  const suffix = to.length > 1 ? UUID_SUFFIX : 0;
  if (base.length + suffix > 50) throw usageError(`--uuid may be at most ${50 - suffix} characters here (the platform allows 50, and each receiver gets a suffix of ${UUID_SUFFIX})`);
  let source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);

  let client: FeishuClient | null = null;
  // The client (HTTP layer, token cache) loads only when a request is made: a dry run needs none.
  const getClient = async () => (client ??= await (await import('../../feishu/client.js')).clientFromContext(ctx, {}, creds));
  try {
    const receivers = dedupeReceivers(ctx, await resolveReceivers(to, { toType: opts.toType, client: getClient }));
    // After the receivers resolve, so an unknown receiver uploads nothing.
    if (opts.uploadImages) source = await (await import('./images.js')).uploadCardImages(ctx, source, file, getClient, !!opts.dryRun);
    const uuids = uuidsFor(base, receivers);
    if (opts.dryRun) return printSendDryRun(ctx, resolveBaseUrl(creds.domain.value), receivers, uuids, source.content);

    const sent: Sent[] = [];
    for (const [i, r] of receivers.entries()) {
      try {
        const asked = ctx.now();
        const msg = await sendMessage(await getClient(), {
          receiveIdType: r.receiveIdType,
          receiveId: r.receiveId,
          msgType: 'interactive',
          content: source.content,
          uuid: uuids[i],
        });
        const earlier = opts.uuid !== undefined && sentBefore(msg.create_time, asked);
        sent.push({ to: r.input, receive_id_type: r.receiveIdType, receive_id: r.receiveId, message_id: msg.message_id, chat_id: msg.chat_id, uuid: uuids[i]!, already_sent: earlier });
        if (earlier) ctx.out.success(`Already sent to ${r.input} with this uuid at ${new Date(Number(msg.create_time)).toISOString()} → ${msg.message_id} (not sent again)`);
        else ctx.out.success(`Sent ${source.label} to ${r.input} → ${msg.message_id}`);
      } catch (err) {
        const e = toCliError(err);
        if (!sent.length && receivers.length === 1) throw e;
        // Later receivers were not tried; a re-run with the same uuid skips those already sent.
        throw new CliError(e.type, `sending to ${r.input} failed: ${e.message}`, {
          code: e.code,
          logId: e.logId,
          hint: [e.hint, `${sent.length} of ${receivers.length} sent. Re-run with --uuid ${base} to finish: those already sent will not be sent twice.`].filter(Boolean).join('\n'),
          details: { sent, failed: { to: r.input, code: e.code, message: e.message }, uuid: base },
          cause: err,
        });
      }
    }
    ctx.out.print(table(sent.map((s) => [s.message_id, s.chat_id, s.to]), !!ctx.out.stdout.isTTY));
    ctx.out.info(ctx.out.style.dim(`uuid ${base} (re-running with --uuid ${base} will not send again within an hour)`));
    ctx.out.result({ uuid: base, card: source.label, messages: sent });
  } finally {
    await (client as FeishuClient | null)?.close();
  }
}

/** --upload-images for the one-message sends (reply, ephemeral), with a client of its own. */
async function withUploadedImages(ctx: Context, source: CardSource, file: string | undefined, opts: SendOptions, creds: Awaited<ReturnType<typeof resolveCredentials>>): Promise<CardSource> {
  if (!opts.uploadImages) return source;
  let client: FeishuClient | null = null;
  try {
    return await (await import('./images.js')).uploadCardImages(ctx, source, file, async () => (client ??= await (await import('../../feishu/client.js')).clientFromContext(ctx, {}, creds)), !!opts.dryRun);
  } finally {
    await (client as FeishuClient | null)?.close();
  }
}

function printSendDryRun(ctx: Context, baseUrl: string, receivers: Receiver[], uuids: string[], content: string): void {
  const requests = receivers.map((r, i) => ({ to: r.input, ...sendMessageRequest({ receiveIdType: r.receiveIdType, receiveId: r.receiveId, msgType: 'interactive', content, uuid: uuids[i] }) }));
  printDryRun(ctx, baseUrl, requests, `${requests.length} request${requests.length === 1 ? '' : 's'} shown, nothing sent`);
}
