import type { Context } from '../../context.js';
import type { CardSource } from '../../card/source.js';
import { rowKey } from '../../feishu/bulk-journal.js';
import { openRun, readReceiverFile } from '../../feishu/bulk-run.js';
import { bulkSend, type BulkProgress } from '../../feishu/bulk-send.js';
import { Pacer } from '../../feishu/pacer.js';
import type { ReceiverRow } from '../../feishu/receiver-file.js';
import { parseSendRateFlag } from '../options.js';
import { CliError, usageError } from '../../output/errors.js';
import { plural } from '../../output/words.js';
import { spinnerAllowed } from '../../output/spinner.js';
import type { CommandContext } from '../declare.js';

export interface BulkFlags {
  toFile: string;
  results?: string;
  resume?: boolean;
  resendUnknown?: boolean;
  rate?: string;
  concurrency?: number;
  uuid?: string;
}

/** Requests in flight: enough to keep a paced run at its rate, few enough to stay polite. */
const DEFAULT_CONCURRENCY = 16;

/** Under the limit, not at it: requests from one second can land in the next window. */
const RATE_SAFETY = 0.95;

/**
 * `prepare` finishes the card once rows are known to remain (send --upload-images uploads there),
 * so a resume with nothing left uploads nothing; the run is keyed by the card as written.
 */
export async function runBulkSend(ctx: CommandContext, source: CardSource, flags: BulkFlags, prepare?: () => Promise<CardSource>): Promise<void> {
  const { text, rows } = await readReceiverFile(flags.toFile, ctx.cwd);
  const rate = parseSendRateFlag(flags.rate);
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  const resultsFile = flags.results ?? `${flags.toFile}.results.ndjson`;
  const hasVars = rows.some((r) => Object.keys(r.vars).length);
  if (hasVars && source.kind !== 'template') ctx.out.warn(`${flags.toFile} has variable columns, but only template cards (--template) use them`);
  let sending = source;
  const contentFor = (row: ReceiverRow) => {
    if (source.kind !== 'template') return sending.content;
    const card = source.card as { type: string; data: { template_variable?: Record<string, unknown> } };
    return JSON.stringify({ ...card, data: { ...card.data, template_variable: { ...card.data.template_variable, ...row.vars } } });
  };
  const { baseUuid, alreadySent, delivered } = await openRun(
    { toFile: flags.toFile, text, rows, resultsFile, cwd: ctx.cwd, cardContent: source.content, resume: !!flags.resume, resendUnknown: !!flags.resendUnknown, uuid: flags.uuid, now: ctx.now },
    { info: (m) => ctx.out.info(m), warn: (m) => ctx.out.warn(m) },
  );

  const pacer = new Pacer(rate.perSecond * RATE_SAFETY, rate.perMinute * RATE_SAFETY, ctx.now, (ms) => ctx.clock.sleep(ms));
  // The run's client, paced: the first this command asks for (the runner closes it).
  const client = await ctx.client({ pacer });
  const spinner = spinnerFor(ctx) ? (await import('ora')).default({ text: `sending to ${plural(rows.length, 'receiver')}`, stream: ctx.out.rawStderr, discardStdin: false }).start() : null;
  const onProgress = (p: BulkProgress) => {
    if (spinner) spinner.text = `sent ${p.sent} · failed ${p.failed}${p.skipped ? ` · skipped ${p.skipped}` : ''} · ${p.done}/${p.total}`;
  };
  let outcome;
  try {
    if (prepare && rows.some((r) => !alreadySent.has(rowKey(r)))) sending = await prepare();
    outcome = await bulkSend(client, { rows, contentFor, baseUuid, resultsFile, cwd: ctx.cwd, alreadySent, delivered, concurrency, now: ctx.now, onProgress });
  } catch (err) {
    spinner?.fail('stopped');
    throw err;
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

/** Whether this run draws a spinner (see spinnerAllowed). */
export function spinnerFor(ctx: Pick<Context, 'out' | 'env'>): boolean {
  return spinnerAllowed(ctx.out, ctx.env);
}
