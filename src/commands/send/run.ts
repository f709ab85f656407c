import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { cardFromFlags, type CardSourceFlags } from '../../card/source.js';
import { sendMessage, sendMessageRequest } from '../../feishu/api.js';
import { clientFromContext, type FeishuClient } from '../../feishu/client.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { buildUrl } from '../../feishu/http.js';
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
  rate?: string;
  concurrency?: string;
  uploadImages?: boolean;
}

interface Sent {
  to: string;
  receive_id_type: string;
  receive_id: string;
  message_id: string;
  chat_id: string;
  uuid: string;
}

/** One uuid per receiver, derived from one base, so re-running the same command never doubles a message. */
function uuidsFor(base: string, count: number): string[] {
  if (count === 1) return [base];
  return Array.from({ length: count }, (_, i) => `${base}-${i + 1}`);
}

export async function run(ctx: Context, file: string | undefined, opts: SendOptions): Promise<void> {
  // Resolved once: the platform it names decides the path, and every path reuses it.
  const creds = await resolveCredentials(ctx);
  const wpsFlags = [opts.toUsers, opts.toDepts, opts.toCompanies].some((v) => v?.length);
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
    let source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);
    if (opts.uploadImages) {
      const { clientFromContext: makeClient } = await import('../../feishu/client.js');
      const client = await makeClient(ctx, {}, creds);
      try {
        source = await (await import('./images.js')).uploadCardImages(ctx, source, file, async () => client, false);
      } finally {
        await client.close();
      }
    }
    const { runBulkSend } = await import('./bulk.js');
    return runBulkSend(ctx, source, { ...opts, toFile: opts.toFile }, creds);
  }
  for (const flag of ['results', 'resume', 'rate', 'concurrency'] as const) {
    if (opts[flag] !== undefined) throw usageError(`--${flag} goes with --to-file`);
  }
  const to = opts.to ?? [];
  if (!to.length) throw usageError('say who gets the card: --to <open_id|union_id|chat_id|email|mobile> (repeatable)');
  const base = opts.uuid ?? randomUUID();
  const suffix = to.length > 1 ? `-${to.length}`.length : 0;
  if (base.length + suffix > 50) throw usageError(`--uuid may be at most ${50 - suffix} characters here (the platform allows 50, and each receiver gets a -N suffix)`);
  let source = await cardFromFlags(file, opts, ctx.stdin, ctx.out);

  let client: FeishuClient | null = null;
  const getClient = async () => (client ??= await clientFromContext(ctx, {}, creds));
  try {
    const receivers = await resolveReceivers(to, { toType: opts.toType, client: getClient });
    // After the receivers resolve, so an unknown receiver uploads nothing.
    if (opts.uploadImages) source = await (await import('./images.js')).uploadCardImages(ctx, source, file, getClient, !!opts.dryRun);
    const uuids = uuidsFor(base, receivers.length);
    if (opts.dryRun) return printDryRun(ctx, resolveBaseUrl(creds.domain.value), receivers, uuids, source.content);

    const sent: Sent[] = [];
    for (const [i, r] of receivers.entries()) {
      try {
        const msg = await sendMessage(await getClient(), {
          receiveIdType: r.receiveIdType,
          receiveId: r.receiveId,
          msgType: 'interactive',
          content: source.content,
          uuid: uuids[i],
        });
        sent.push({ to: r.input, receive_id_type: r.receiveIdType, receive_id: r.receiveId, message_id: msg.message_id, chat_id: msg.chat_id, uuid: uuids[i]! });
        ctx.out.success(`Sent ${source.label} to ${r.input} → ${msg.message_id}`);
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

function printDryRun(ctx: Context, baseUrl: string, receivers: Receiver[], uuids: string[], content: string): void {
  const requests = receivers.map((r, i) => {
    const req = sendMessageRequest({ receiveIdType: r.receiveIdType, receiveId: r.receiveId, msgType: 'interactive', content, uuid: uuids[i] });
    return {
      to: r.input,
      method: req.method,
      url: buildUrl(baseUrl, req.path, req.query),
      headers: { authorization: 'Bearer <tenant_access_token: redacted>', 'content-type': 'application/json; charset=utf-8' },
      body: req.body,
    };
  });
  for (const req of requests) {
    ctx.out.print(
      [`${req.method} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), '', JSON.stringify(req.body, null, 2), ''].join('\n'),
    );
  }
  ctx.out.info(`dry run: ${requests.length} request${requests.length === 1 ? '' : 's'} shown, nothing sent`);
  ctx.out.result({ dry_run: true, requests });
}
