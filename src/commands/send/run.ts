import { newUuid } from '../../feishu/uuid.js';
import { cardFromFlags, type CardSource, type CardSourceFlags } from '../../card/source.js';
import { sendMessageRequest } from '../../feishu/api.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { MAX_UUID, sendToReceivers, UUID_SUFFIX, uuidsFor } from '../../feishu/direct-send.js';
import type { ReceiveIdType } from '../../feishu/receive-id-type.js';
import { resolveReceivers, type Receiver } from '../../feishu/receivers.js';
import { usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';
import type { CommandContext } from '../declare.js';
import { printDryRun } from '../dry-run.js';
import type { ImageFlags } from './images.js';
import type { WpsSendFlags } from './wps.js';

interface SendOptions extends CardSourceFlags, WpsSendFlags, ImageFlags {
  to?: string[];
  receiveIdType?: ReceiveIdType;
  uuid?: string;
  dryRun?: boolean;
  toFile?: string;
  results?: string;
  resume?: boolean;
  resendUnknown?: boolean;
  rate?: string;
  concurrency?: number;
  replyTo?: string;
  inThread?: boolean;
  ephemeral?: string;
}

/** Flags that only a bulk send (--to-file) reads. */
const BULK_FLAGS = [['results', 'results'], ['resume', 'resume'], ['resendUnknown', 'resend-unknown'], ['rate', 'rate'], ['concurrency', 'concurrency']] as const;

export async function run(ctx: CommandContext, file: string | undefined, flags: SendOptions): Promise<void> {
  // Card and --vars paths start from the run's working directory.
  const opts: SendOptions = { ...flags, cwd: ctx.cwd };
  if (opts.uuid !== undefined && !opts.uuid.trim()) throw usageError('--uuid must not be empty: it is what keeps a re-run from sending twice', { hint: 'Leave it out to have one made for you.' });
  // Resolved once: the platform it names decides the path.
  const creds = await ctx.credentials();
  const wpsFlags = [opts.toUsers, opts.toDepts, opts.toCompanies].some((v) => v?.length);
  if ((opts.replyTo || opts.ephemeral !== undefined) && (creds.platform === 'wps' || opts.toFile)) {
    throw usageError(`${opts.replyTo ? '--reply-to' : '--ephemeral'} sends one Feishu / Lark message: it does not go with ${opts.toFile ? '--to-file' : 'a WPS profile'}`);
  }
  if (creds.platform === 'wps') {
    if (opts.toFile || opts.to?.length) throw usageError('a WPS profile sends with --to-users, --to-depts or --to-companies');
    const source = await cardFromFlags(file, { ...opts, platform: 'wps' }, ctx.stdin, ctx.out);
    return (await import('./wps.js')).runWpsSend(ctx, source, opts, creds);
  }
  if (wpsFlags) throw usageError('--to-users, --to-depts and --to-companies are for WPS profiles (platform wps); use --to here');
  if (opts.imagesDir !== undefined && !opts.uploadImages) throw usageError('--images-dir goes with --upload-images');
  if (opts.toFile) return sendToFile(ctx, file, { ...opts, toFile: opts.toFile });
  for (const [flag, name] of BULK_FLAGS) if (opts[flag] !== undefined) throw usageError(`--${name} goes with --to-file`);
  if (opts.inThread && !opts.replyTo) throw usageError('--in-thread goes with --reply-to om_…');
  if (opts.replyTo) {
    if (opts.to?.length || opts.ephemeral) throw usageError('--reply-to sends into the chat of the message it answers: leave out --to and --ephemeral');
    if (!/^om_\w+$/.test(opts.replyTo)) throw usageError(`--reply-to "${opts.replyTo}" is not a message id (om_…)`);
    const uuid = opts.uuid ?? newUuid();
    if (uuid.length > MAX_UUID) throw usageError(`--uuid may be at most ${MAX_UUID} characters`);
    const source = await withImages(ctx, await cardFromFlags(file, opts, ctx.stdin, ctx.out), file, opts);
    return (await import('./targeted.js')).runReply(ctx, source, { replyTo: opts.replyTo, inThread: opts.inThread, uuid, dryRun: opts.dryRun }, creds);
  }
  if (opts.ephemeral !== undefined) {
    if (opts.to?.length !== 1 || !/^oc_\w+$/.test(opts.to[0]!)) throw usageError('--ephemeral shows the card in one group chat: give exactly one --to oc_…');
    if (opts.uuid) throw usageError('--uuid does not apply to --ephemeral: the ephemeral API has no idempotency key');
    const source = await withImages(ctx, await cardFromFlags(file, opts, ctx.stdin, ctx.out), file, opts);
    return (await import('./targeted.js')).runEphemeral(ctx, source, { chatId: opts.to[0]!, user: opts.ephemeral, dryRun: opts.dryRun }, creds);
  }
  const to = dedupeInputs(ctx, opts.to ?? []);
  if (!to.length) throw usageError('say who gets the card: --to <open_id|union_id|chat_id|email|mobile> (repeatable)');
  const base = opts.uuid ?? newUuid();
  const suffix = to.length > 1 ? UUID_SUFFIX : 0;
  if (base.length + suffix > MAX_UUID) throw usageError(`--uuid may be at most ${MAX_UUID - suffix} characters here (the platform allows ${MAX_UUID}, and each receiver gets a suffix of ${UUID_SUFFIX})`);
  let source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);
  const receivers = dedupeReceivers(ctx, await resolveReceivers(to, { receiveIdType: opts.receiveIdType, client: () => ctx.client() }));
  // After the receivers resolve, so an unknown receiver uploads nothing.
  source = await withImages(ctx, source, file, opts);
  if (opts.dryRun) return printSendDryRun(ctx, resolveBaseUrl(creds.domain.value), receivers, uuidsFor(base, receivers), source.content);
  const sent = await sendToReceivers(await ctx.client(), receivers, { content: source.content, baseUuid: base, uuidGiven: opts.uuid !== undefined }, {
    now: ctx.now,
    onSent: (s, createTime) =>
      s.already_sent
        ? ctx.out.success(`Already sent to ${s.to} with this uuid at ${new Date(Number(createTime)).toISOString()} → ${s.message_id} (not sent again)`)
        : ctx.out.success(`Sent ${source.label} to ${s.to} → ${s.message_id}`),
  });
  ctx.out.print(table(sent.map((s) => [s.message_id, s.chat_id, s.to]), !!ctx.out.stdout.isTTY));
  ctx.out.info(ctx.out.style.dim(`uuid ${base} (re-running with --uuid ${base} will not send again within an hour)`));
  ctx.out.result({ uuid: base, card: source.label, messages: sent });
}

/** A bulk send: one message per row of --to-file. */
async function sendToFile(ctx: CommandContext, file: string | undefined, opts: SendOptions & { toFile: string }): Promise<void> {
  if (opts.to?.length) throw usageError('give receivers with --to or --to-file, not both');
  if (opts.dryRun) throw usageError('--dry-run shows single sends; for --to-file, run it on a copy of the file with one row');
  const source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);
  // A bad image path stops the run here, before its results file exists; the images go up only
  // once rows are known to remain.
  const images = opts.uploadImages ? await (await import('./images.js')).imagesOf(ctx, source, file, opts) : null;
  const prepare = images ? () => import('./images.js').then((m) => m.putImages(ctx, source, images, false)) : undefined;
  return (await import('./bulk.js')).runBulkSend(ctx, source, opts, prepare);
}

/** --upload-images for the sends of one card (to receivers, a reply, an ephemeral card). */
async function withImages(ctx: CommandContext, source: CardSource, file: string | undefined, opts: SendOptions): Promise<CardSource> {
  if (!opts.uploadImages) return source;
  const { imagesOf, putImages } = await import('./images.js');
  return putImages(ctx, source, await imagesOf(ctx, source, file, opts), !!opts.dryRun);
}

/** `--to a --to a`: one message, and say so. */
function dedupeInputs(ctx: CommandContext, inputs: string[]): string[] {
  const seen = new Set<string>();
  return inputs.filter((input) => {
    const again = seen.has(input);
    if (again) ctx.out.warn(`${input} is given more than once: it gets one message`);
    seen.add(input);
    return !again;
  });
}

/** The same person by email and by open_id (or mobile): one message, and say so. */
function dedupeReceivers(ctx: CommandContext, receivers: Receiver[]): Receiver[] {
  const first = new Map<string, Receiver>();
  return receivers.filter((r) => {
    const key = `${r.receiveIdType}:${r.receiveId}`;
    const earlier = first.get(key);
    if (earlier) ctx.out.warn(`${r.input} is the same receiver as ${earlier.input}: it gets one message`);
    else first.set(key, r);
    return !earlier;
  });
}

function printSendDryRun(ctx: CommandContext, baseUrl: string, receivers: Receiver[], uuids: string[], content: string): void {
  const requests = receivers.map((r, i) => ({ to: r.input, ...sendMessageRequest({ receiveIdType: r.receiveIdType, receiveId: r.receiveId, msgType: 'interactive', content, uuid: uuids[i] }) }));
  printDryRun(ctx, baseUrl, requests, `${requests.length} request${requests.length === 1 ? '' : 's'} shown, nothing sent`);
}
