import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { toCliError, usageError } from '../output/errors.js';
import { batchGetUserIds, sendMessage, type ReceiveIdType } from './api.js';
import type { FeishuClient } from './client.js';
import type { ReceiverRow } from './receiver-file.js';
import { RECEIVE_ID_TYPES, shapeOf } from './receivers.js';

export interface RowResult {
  line: number;
  to: string;
  status: 'sent' | 'failed';
  uuid: string;
  message_id: string | null;
  chat_id: string | null;
  error: { code: number | string | null; message: string } | null;
}

export interface BulkProgress {
  total: number;
  done: number;
  sent: number;
  failed: number;
  skipped: number;
}

export interface BulkOptions {
  rows: ReceiverRow[];
  /** The content string for a row (template variables differ per row). */
  contentFor: (row: ReceiverRow) => string;
  baseUuid: string;
  resultsFile: string;
  resume: boolean;
  concurrency: number;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkSummary extends BulkProgress {
  seconds: number;
  rate_per_second: number;
  retries: number;
  results_file: string;
}

/** Stable per row: the same command on the same file gives the same uuids, so a re-run cannot double-send. */
export function rowUuid(base: string, row: ReceiverRow): string {
  return createHash('sha256').update(`${base}\n${row.line}\n${row.to}`).digest('hex').slice(0, 40);
}

/** Every row's shape is checked before anything is sent; returns the receive_id_type or 'mobile'. */
export function checkRowShapes(rows: ReceiverRow[], name: string): void {
  const bad = rows.filter((r) => {
    if (r.toType) return !(RECEIVE_ID_TYPES as readonly string[]).includes(r.toType);
    return !shapeOf(r.to);
  });
  if (bad.length) {
    const list = bad.slice(0, 5).map((r) => `line ${r.line} "${r.to}"${r.toType ? ` (to_type ${r.toType})` : ''}`).join(', ');
    throw usageError(`${name}: ${bad.length} receiver${bad.length === 1 ? '' : 's'} of no known shape: ${list}${bad.length > 5 ? ', …' : ''}`, {
      hint: 'Nothing was sent. Use open_ids (ou_), union_ids (on_), chat_ids (oc_), emails or mobiles, or a to_type column.',
    });
  }
}

async function previouslySent(resultsFile: string): Promise<Set<number>> {
  const done = new Set<number>();
  let text: string;
  try {
    text = await readFile(resultsFile, 'utf8');
  } catch {
    return done;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as RowResult;
      if (r.status === 'sent') done.add(r.line);
    } catch {
      // A line cut short by a crash: that row is simply sent again (its uuid makes that safe).
    }
  }
  return done;
}

/**
 * Sends one message per row through a paced, retrying client: emails and mobiles resolved in
 * batches of 50 first, rows written to the results file as they finish, rows already sent
 * skipped on --resume.
 */
export async function bulkSend(client: FeishuClient, opts: BulkOptions): Promise<{ summary: BulkSummary; results: RowResult[] }> {
  const started = Date.now();
  const skip = opts.resume ? await previouslySent(opts.resultsFile) : new Set<number>();
  const pending = opts.rows.filter((r) => !skip.has(r.line));
  const progress: BulkProgress = { total: opts.rows.length, done: skip.size, sent: 0, failed: 0, skipped: skip.size };
  const results: RowResult[] = [];
  const record = async (r: RowResult) => {
    results.push(r);
    progress.done++;
    if (r.status === 'sent') progress.sent++;
    else progress.failed++;
    await appendFile(opts.resultsFile, `${JSON.stringify(r)}\n`, { mode: 0o600 });
    opts.onProgress?.(progress);
  };

  // Emails and mobiles become open_ids, 50 of each per lookup.
  const lookups = pending.filter((r) => !r.toType && (shapeOf(r.to) === 'email' || shapeOf(r.to) === 'mobile'));
  const resolved = new Map<string, string>();
  const unique = [...new Set(lookups.map((r) => r.to))];
  const emails = unique.filter((t) => shapeOf(t) === 'email');
  const mobiles = unique.filter((t) => shapeOf(t) === 'mobile');
  for (let i = 0; i < Math.max(emails.length, mobiles.length); i += 50) {
    const entries = await batchGetUserIds(client, { emails: emails.slice(i, i + 50), mobiles: mobiles.slice(i, i + 50) });
    for (const e of entries) if (e.user_id) resolved.set((e.email ?? e.mobile)!, e.user_id);
  }

  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const row = pending[next++]!;
      const uuid = rowUuid(opts.baseUuid, row);
      const base = { line: row.line, to: row.to, uuid };
      let receiveIdType: ReceiveIdType;
      let receiveId: string;
      const shape = row.toType ?? shapeOf(row.to)!;
      if (shape === 'email' || shape === 'mobile') {
        if (!row.toType || shape === 'mobile') {
          const id = resolved.get(row.to);
          if (!id) {
            await record({ ...base, status: 'failed', message_id: null, chat_id: null, error: { code: 'receiver_not_found', message: `no user found for ${row.to}` } });
            continue;
          }
          [receiveIdType, receiveId] = ['open_id', id];
        } else [receiveIdType, receiveId] = ['email', row.to];
      } else [receiveIdType, receiveId] = [shape as ReceiveIdType, row.to];
      try {
        const msg = await sendMessage(client, { receiveIdType, receiveId, msgType: 'interactive', content: opts.contentFor(row), uuid });
        await record({ ...base, status: 'sent', message_id: msg.message_id, chat_id: msg.chat_id, error: null });
      } catch (err) {
        const e = toCliError(err);
        // Credentials or permissions fail every row alike: stop instead of failing a thousand times.
        if (e.type === 'auth' || e.type === 'internal') throw e;
        await record({ ...base, status: 'failed', message_id: null, chat_id: null, error: { code: e.code, message: e.message } });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, pending.length)) }, worker));
  const seconds = (Date.now() - started) / 1000;
  const summary: BulkSummary = {
    ...progress,
    seconds: Math.round(seconds * 100) / 100,
    rate_per_second: Math.round((progress.sent / Math.max(seconds, 0.001)) * 10) / 10,
    retries: client.retried,
    results_file: opts.resultsFile,
  };
  return { summary, results };
}
