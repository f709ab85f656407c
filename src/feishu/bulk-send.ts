import { open } from 'node:fs/promises';
import { resolveIn } from '../input/user-file.js';
import { toCliError } from '../output/errors.js';
import { sendMessage } from './api.js';
import { rowKey, rowUuid, sha256, type RowEntry } from './bulk-journal.js';
import type { FeishuClient } from './client.js';
import type { ReceiverRow } from './receiver-file.js';
import { lookupOpenIds, planRow, settleReceiver } from './receivers.js';

export type RowResult = RowEntry;

export interface BulkProgress {
  total: number;
  done: number;
  sent: number;
  failed: number;
  /** Sent by an earlier run (--resume). */
  skipped: number;
  /** Rows that would have sent the same card to the same receiver again: sent once. */
  duplicates: number;
}

export interface BulkOptions {
  rows: ReceiverRow[];
  /** The content string for a row (template variables differ per row). */
  contentFor: (row: ReceiverRow) => string;
  baseUuid: string;
  resultsFile: string;
  /** Where a relative resultsFile starts from (the process's working directory without one). */
  cwd?: string;
  /** Row keys an earlier run delivered (--resume): not sent again. */
  alreadySent: Set<string>;
  /** Receivers and cards an earlier run delivered (delivery key → line), so a row naming the same person another way is not sent again. */
  delivered?: Map<string, number>;
  concurrency: number;
  now: () => number;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkSummary extends BulkProgress {
  seconds: number;
  rate_per_second: number;
  retries: number;
  results_file: string;
  /** Each duplicate row and the line it repeats. */
  duplicate_rows: Array<{ line: number; to: string; duplicate_of: number }>;
}

/**
 * Sends one message per row through a paced, retrying client: emails and mobiles resolved in
 * batches of 50 first; each row journaled as attempted before its request and as sent or failed
 * after; rows an earlier run delivered skipped; a row that would send the same card to the same
 * receiver as another (a repeated row, or one person by email and by open_id) sent once.
 */
export async function bulkSend(client: FeishuClient, opts: BulkOptions): Promise<{ summary: BulkSummary; results: RowResult[] }> {
  // One descriptor for the run. Each line is awaited before the step that depends on it (an
  // attempt before its request), so it is in the kernel then and a SIGKILL cannot lose it; the
  // writes go through the thread pool and never stall the other rows' requests.
  const file = await open(resolveIn(opts.cwd, opts.resultsFile), 'a', 0o600);
  try {
    return await sendRows(client, opts, async (line) => {
      await file.write(line);
    });
  } finally {
    await file.close();
  }
}

async function sendRows(client: FeishuClient, opts: BulkOptions, write: (line: string) => Promise<void>): Promise<{ summary: BulkSummary; results: RowResult[] }> {
  const started = opts.now();
  const progress: BulkProgress = { total: opts.rows.length, done: 0, sent: 0, failed: 0, skipped: 0, duplicates: 0 };
  const duplicateRows: BulkSummary['duplicate_rows'] = [];
  const results: RowResult[] = [];
  const journal = (entry: RowEntry) => write(`${JSON.stringify(entry)}\n`);
  const stamp = () => new Date(opts.now()).toISOString();
  const record = async (r: RowEntry) => {
    results.push(r);
    progress.done++;
    if (r.status === 'sent') progress.sent++;
    else if (r.status === 'duplicate') progress.duplicates++;
    else progress.failed++;
    await journal(r);
    opts.onProgress?.(progress);
  };

  const keyed = opts.rows.map((row) => ({ row, key: rowKey(row) }));
  const pending: typeof keyed = [];
  const firstOfKey = new Map<string, ReceiverRow>();
  for (const k of keyed) {
    if (opts.alreadySent.has(k.key)) {
      progress.skipped++;
      progress.done++;
      continue;
    }
    const first = firstOfKey.get(k.key);
    if (first) {
      duplicateRows.push({ line: k.row.line, to: k.row.to, duplicate_of: first.line });
      await record({ kind: 'result', key: k.key, line: k.row.line, to: k.row.to, uuid: rowUuid(opts.baseUuid, k.key), at: stamp(), status: 'duplicate', duplicate_of: first.line, error: null });
      continue;
    }
    firstOfKey.set(k.key, k.row);
    pending.push(k);
  }

  // Emails and mobiles become open_ids, before any row is sent.
  const planned = new Map(pending.map(({ row }) => [row, planRow(row)]));
  const resolved = await lookupOpenIds(client, [...planned.values()]);

  // The same receiver and the same card, however the row named the receiver: one message.
  const deliveries = new Map<string, number>(opts.delivered ?? []);
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const { row, key } = pending[next++]!;
      const uuid = rowUuid(opts.baseUuid, key);
      const base = { kind: 'result' as const, key, line: row.line, to: row.to, uuid };
      const receiver = settleReceiver(planned.get(row)!, resolved);
      if (!receiver) {
        await record({ ...base, at: stamp(), status: 'failed', message_id: null, chat_id: null, error: { code: 'receiver_not_found', message: `no user found for ${row.to}` } });
        continue;
      }
      const { receiveIdType, receiveId } = receiver;
      const content = opts.contentFor(row);
      const contentSha = sha256(content);
      const delivery = deliveryKey(receiveIdType, receiveId, contentSha);
      const earlier = deliveries.get(delivery);
      if (earlier !== undefined) {
        duplicateRows.push({ line: row.line, to: row.to, duplicate_of: earlier });
        await record({ ...base, at: stamp(), status: 'duplicate', receive_id_type: receiveIdType, receive_id: receiveId, duplicate_of: earlier, error: null });
        continue;
      }
      deliveries.set(delivery, row.line);
      const ids = { receive_id_type: receiveIdType, receive_id: receiveId, content_sha256: contentSha };
      // Journaled before it goes: after a crash, this row's outcome is known to be unknown.
      await journal({ ...base, kind: 'attempt', at: stamp(), status: 'attempted', ...ids });
      try {
        const msg = await sendMessage(client, { receiveIdType, receiveId, msgType: 'interactive', content, uuid });
        await record({ ...base, at: stamp(), status: 'sent', ...ids, message_id: msg.message_id, chat_id: msg.chat_id, error: null });
      } catch (err) {
        const e = toCliError(err);
        // Credentials or permissions fail every row alike: stop instead of failing a thousand times.
        if (e.type === 'auth' || e.type === 'internal') throw e;
        await record({ ...base, at: stamp(), status: 'failed', ...ids, message_id: null, chat_id: null, error: { code: e.code, message: e.message } });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, pending.length)) }, worker));
  const seconds = (opts.now() - started) / 1000;
  const summary: BulkSummary = {
    ...progress,
    seconds: Math.round(seconds * 100) / 100,
    rate_per_second: Math.round((progress.sent / Math.max(seconds, 0.001)) * 10) / 10,
    retries: client.retried,
    results_file: opts.resultsFile,
    duplicate_rows: duplicateRows,
  };
  return { summary, results };
}

export const deliveryKey = (receiveIdType: string, receiveId: string, contentSha256: string) => `${receiveIdType}:${receiveId}\n${contentSha256}`;
