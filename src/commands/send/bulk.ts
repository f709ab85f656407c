import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Context } from '../../context.js';
import type { CardSource } from '../../card/source.js';
import type { Credentials } from '../../config/credentials.js';
import { bulkSend, checkRowShapes, type BulkProgress } from '../../feishu/bulk-send.js';
import { clientFromContext } from '../../feishu/client.js';
import { Pacer, parseRateSpec } from '../../feishu/pacer.js';
import { parseReceiverFile, type ReceiverRow } from '../../feishu/receiver-file.js';
import { CliError, usageError } from '../../output/errors.js';

export interface BulkFlags {
  toFile: string;
  results?: string;
  resume?: boolean;
  rate?: string;
  concurrency?: string;
  uuid?: string;
}

/** Under the limit, not at it: requests from one second can land in the next window. */
const RATE_SAFETY = 0.95;

export async function runBulkSend(ctx: Context, source: CardSource, flags: BulkFlags, creds: Credentials): Promise<void> {
  const text = await readFile(flags.toFile, 'utf8').catch((err: Error) => {
    throw usageError(`cannot read ${flags.toFile}: ${err.message}`);
  });
  const rows = parseReceiverFile(text, flags.toFile);
  checkRowShapes(rows, flags.toFile);
  const rate = parseRateSpec(flags.rate);
  if (!rate) throw usageError(`--rate "${flags.rate}" must look like 50, 50/s or 50/s,1000/min`);
  const concurrency = Number(flags.concurrency ?? 16);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError(`--concurrency must be a positive whole number, not "${flags.concurrency}"`);
  const resultsFile = flags.results ?? `${flags.toFile}.results.ndjson`;
  if (!flags.resume && existsSync(resultsFile)) {
    throw usageError(`the results file ${resultsFile} already exists`, { hint: 'Pass --resume to continue that run (rows already sent are skipped), or remove the file.' });
  }
  const hasVars = rows.some((r) => Object.keys(r.vars).length);
  if (hasVars && source.kind !== 'template') ctx.out.warn(`${flags.toFile} has variable columns, but only template cards (--template) use them`);
  // Without --uuid the base comes from the card and the file, so the same command re-run reuses every row's uuid.
  const baseUuid = flags.uuid ?? createHash('sha256').update(source.content).update('\n').update(text).digest('hex').slice(0, 24);
  const contentFor = (row: ReceiverRow) => {
    if (source.kind !== 'template') return source.content;
    const card = source.card as { type: string; data: { template_variable?: Record<string, unknown> } };
    return JSON.stringify({ ...card, data: { ...card.data, template_variable: { ...card.data.template_variable, ...row.vars } } });
  };

  const pacer = new Pacer(rate.perSecond * RATE_SAFETY, Math.floor(rate.perMinute * RATE_SAFETY), ctx.now);
  const client = await clientFromContext(ctx, {}, creds, { pacer });
  const spinner = ctx.out.interactive ? (await import('ora')).default({ text: `sending to ${rows.length} receivers`, stream: ctx.out.rawStderr }).start() : null;
  const onProgress = (p: BulkProgress) => {
    if (spinner) spinner.text = `sent ${p.sent} · failed ${p.failed}${p.skipped ? ` · skipped ${p.skipped}` : ''} · ${p.done}/${p.total}`;
  };
  let outcome;
  try {
    outcome = await bulkSend(client, { rows, contentFor, baseUuid, resultsFile, resume: !!flags.resume, concurrency, onProgress });
  } catch (err) {
    spinner?.fail('stopped');
    throw err;
  } finally {
    await client.close();
  }
  const { summary } = outcome;
  const line = `sent ${summary.sent}, failed ${summary.failed}${summary.skipped ? `, skipped ${summary.skipped} (sent before)` : ''} of ${summary.total} in ${summary.seconds} s (${summary.rate_per_second}/s${summary.retries ? `, ${summary.retries} retried requests` : ''})`;
  if (spinner) (summary.failed ? spinner.warn(line) : spinner.succeed(line));
  else ctx.out.info(line);
  ctx.out.print(`results: ${resultsFile}`);
  if (summary.failed) {
    throw new CliError('api', `${summary.failed} of ${summary.total} messages were not sent`, {
      code: 'bulk_failed',
      hint: `Each failure is in ${resultsFile}. Fix them, then run the same command with --resume: rows already sent are skipped.`,
      details: summary,
    });
  }
  ctx.out.result(summary);
}
