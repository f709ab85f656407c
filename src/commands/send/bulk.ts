import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Context } from '../../context.js';
import type { CardSource } from '../../card/source.js';
import type { Credentials } from '../../config/credentials.js';
import { planResume, readJournal, rowKey, sha256, type RunHeader } from '../../feishu/bulk-journal.js';
import { bulkSend, checkRowShapes, deliveryKey, type BulkProgress } from '../../feishu/bulk-send.js';
import { clientFromContext, type FeishuClient } from '../../feishu/client.js';
import { Pacer, parseRateSpec } from '../../feishu/pacer.js';
import { parseReceiverFile, type ReceiverRow } from '../../feishu/receiver-file.js';
import { CliError, usageError } from '../../output/errors.js';
import { humanDuration } from '../../output/format.js';
import { plural } from '../../output/words.js';

export interface BulkFlags {
  toFile: string;
  results?: string;
  resume?: boolean;
  resendUnknown?: boolean;
  rate?: string;
  concurrency?: string;
  uuid?: string;
}

/** Far past any real send (a million rows is ~50 MiB), and bounded, as all input is. */
const MAX_RECEIVER_FILE_BYTES = 64 * 1024 * 1024;

/** Under the limit, not at it: requests from one second can land in the next window. */
const RATE_SAFETY = 0.95;

/**
 * `prepare` finishes the card once rows are known to remain (send --upload-images uploads there),
 * so a resume with nothing left uploads nothing; the run is keyed by the card as written.
 */
export async function runBulkSend(ctx: Context, source: CardSource, flags: BulkFlags, creds: Credentials, prepare?: (client: FeishuClient) => Promise<CardSource>): Promise<void> {
  const size = await stat(flags.toFile).then((st) => st.size, (err: Error) => {
    throw usageError(`cannot read ${flags.toFile}: ${err.message}`);
  });
  if (size > MAX_RECEIVER_FILE_BYTES) {
    throw usageError(`${flags.toFile} is ${Math.round(size / 1048576)} MiB: a receiver file may hold at most ${MAX_RECEIVER_FILE_BYTES / 1048576} MiB`, { hint: 'Split it, and send each part as its own run (each with its own --results).' });
  }
  const text = await readFile(flags.toFile, 'utf8').catch((err: Error) => {
    throw usageError(`cannot read ${flags.toFile}: ${err.message}`);
  });
  const rows = parseReceiverFile(text, flags.toFile);
  checkRowShapes(rows, flags.toFile);
  const rate = parseRateSpec(flags.rate);
  if (!rate) throw usageError(`--rate "${flags.rate}" must look like 50, 50/s or 50/s,1000/min`);
  const concurrency = Number(flags.concurrency ?? 16);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw usageError(`--concurrency must be a whole number from 1 to 1000, not "${flags.concurrency}"`);
  const resultsFile = flags.results ?? `${flags.toFile}.results.ndjson`;
  const hasVars = rows.some((r) => Object.keys(r.vars).length);
  if (hasVars && source.kind !== 'template') ctx.out.warn(`${flags.toFile} has variable columns, but only template cards (--template) use them`);
  let sending = source;
  const contentFor = (row: ReceiverRow) => {
    if (source.kind !== 'template') return sending.content;
    const card = source.card as { type: string; data: { template_variable?: Record<string, unknown> } };
    return JSON.stringify({ ...card, data: { ...card.data, template_variable: { ...card.data.template_variable, ...row.vars } } });
  };
  const cardSha256 = sha256(source.content);

  if (!flags.resume && existsSync(resultsFile)) {
    throw usageError(`the results file ${resultsFile} already exists`, { hint: 'Pass --resume to continue that run (rows already sent are skipped), or remove the file.' });
  }
  const journal = flags.resume ? await readJournal(resultsFile) : null;
  let baseUuid: string;
  let alreadySent = new Set<string>();
  const delivered = new Map<string, number>();
  if (journal) {
    const plan = planResume(journal, rows, { file: flags.toFile, resultsFile, cardSha256, now: ctx.now() });
    baseUuid = journal.header!.base_uuid;
    if (flags.uuid !== undefined && flags.uuid !== baseUuid) throw usageError(`--uuid differs from the run in ${resultsFile} (${baseUuid}): leave it out to resume`);
    alreadySent = plan.sent;
    for (const e of journal.rows.values()) {
      if (e.status === 'sent' && e.receive_id_type && e.receive_id && e.content_sha256) delivered.set(deliveryKey(e.receive_id_type, e.receive_id, e.content_sha256), e.line);
    }
    if (plan.retryUnknown.length) {
      ctx.out.info(`${plural(plan.retryUnknown.length, 'row')} of unknown outcome (the last run stopped while sending) go again with the same uuid: the platform keeps one message per uuid for an hour`);
    }
    if (plan.expiredUnknown.length) {
      const list = plan.expiredUnknown.map((e) => `line ${e.line} ${e.to} (attempted ${humanDuration(ctx.now() - Date.parse(e.at))} ago)`);
      if (!flags.resendUnknown) {
        throw usageError(`${plural(plan.expiredUnknown.length, 'row')} may or may not have been delivered, and their uuids have expired: ${list.slice(0, 10).join('; ')}${list.length > 10 ? '; …' : ''}`, {
          hint: 'Nothing was sent. Check whether those receivers got the card. Then either pass --resend-unknown to send them again (who already has it gets it twice), or remove those rows from the file to skip them.',
          details: { unknown: plan.expiredUnknown.map((e) => ({ line: e.line, to: e.to, attempted_at: e.at })) },
        });
      }
      ctx.out.warn(`sending again, as --resend-unknown asks, ${plural(plan.expiredUnknown.length, 'row')} of unknown outcome: ${list.slice(0, 10).join('; ')}`);
    }
  } else {
    if (flags.resume) ctx.out.info(`no results file ${resultsFile} yet: starting a new run`);
    // Without --uuid the base comes from the card and the file; the header keeps it for --resume.
    baseUuid = flags.uuid ?? createHash('sha256').update(source.content).update('\n').update(text).digest('hex').slice(0, 24);
    const header: RunHeader = { kind: 'run', version: 2, base_uuid: baseUuid, card_sha256: cardSha256, started_at: new Date(ctx.now()).toISOString() };
    await writeFile(resultsFile, `${JSON.stringify(header)}\n`, { mode: 0o600, flag: 'wx' }).catch((err: Error) => {
      throw usageError(`cannot create the results file ${resultsFile}: ${err.message}`);
    });
  }

  const pacer = new Pacer(rate.perSecond * RATE_SAFETY, Math.floor(rate.perMinute * RATE_SAFETY), ctx.now, (ms) => ctx.clock.sleep(ms));
  const client = await clientFromContext(ctx, {}, creds, { pacer });
  const spinner = spinnerFor(ctx) ? (await import('ora')).default({ text: `sending to ${plural(rows.length, 'receiver')}`, stream: ctx.out.rawStderr, discardStdin: false }).start() : null;
  const onProgress = (p: BulkProgress) => {
    if (spinner) spinner.text = `sent ${p.sent} · failed ${p.failed}${p.skipped ? ` · skipped ${p.skipped}` : ''} · ${p.done}/${p.total}`;
  };
  let outcome;
  try {
    if (prepare && rows.some((r) => !alreadySent.has(rowKey(r)))) sending = await prepare(client);
    outcome = await bulkSend(client, { rows, contentFor, baseUuid, resultsFile, alreadySent, delivered, concurrency, now: ctx.now, onProgress });
  } catch (err) {
    spinner?.fail('stopped');
    throw err;
  } finally {
    await client.close();
  }
  const { summary } = outcome;
  const skipped = summary.skipped ? `, skipped ${summary.skipped} (sent before)` : '';
  const duplicates = summary.duplicates ? `; ${plural(summary.duplicates, 'duplicate row')} not sent again` : '';
  const line = `sent ${summary.sent}, failed ${summary.failed}${skipped} of ${summary.total} in ${summary.seconds} s (${summary.rate_per_second}/s${summary.retries ? `, ${plural(summary.retries, 'retried request')}` : ''})${duplicates}`;
  if (spinner) (summary.failed ? spinner.warn(line) : spinner.succeed(line));
  else ctx.out.info(line);
  for (const d of summary.duplicate_rows.slice(0, 10)) ctx.out.info(`  line ${d.line} (${d.to}) repeats line ${d.duplicate_of}: not sent again`);
  ctx.out.print(`results: ${resultsFile}`);
  if (summary.failed) {
    throw new CliError('api', `${summary.failed} of ${plural(summary.total, 'message')} ${summary.failed === 1 ? 'was' : 'were'} not sent`, {
      code: 'bulk_failed',
      hint: `Each failure is in ${resultsFile}. Fix those rows in ${flags.toFile}, then run the same command with --resume: rows already sent are skipped, whatever line they are on now.`,
      details: summary,
    });
  }
  ctx.out.result(summary);
}

/**
 * A spinner only on a terminal that has a width: with 0 columns, the line-wrapping arithmetic
 * of a spinner never finishes, and the run could not be stopped.
 */
export function spinnerFor(ctx: Pick<Context, 'out'>): boolean {
  const columns = ctx.out.stderr.columns;
  return ctx.out.interactive && typeof columns === 'number' && columns >= 20;
}
