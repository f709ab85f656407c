import { createHash } from 'node:crypto';
import { readUserText } from '../input/user-file.js';
import { usageError, type CliError } from '../output/errors.js';
import type { ReceiverRow } from './receiver-file.js';

/**
 * The results file of a bulk send is also its journal: a header naming the run, then for each
 * row an `attempted` line written before the request goes out and a result line after. A row is
 * known by what it is (receiver and variables), not by its line, so a file edited between runs
 * (a fixed row, rows moved) still lines up with its results.
 */

/** The platform deduplicates a uuid for one hour; past that, resending may deliver twice. */
export const UUID_WINDOW_MS = 60 * 60 * 1000;
/** Keep clear of the window's edge: clocks differ, and the attempt was stamped before sending. */
const UUID_SAFE_MS = UUID_WINDOW_MS - 5 * 60 * 1000;

export interface RunHeader {
  kind: 'run';
  version: 2;
  base_uuid: string;
  card_sha256: string;
  started_at: string;
}

export interface RowEntry {
  kind: 'attempt' | 'result';
  key: string;
  line: number;
  to: string;
  uuid: string;
  at: string;
  status: 'attempted' | 'sent' | 'failed' | 'duplicate';
  receive_id_type?: string | null;
  receive_id?: string | null;
  content_sha256?: string;
  message_id?: string | null;
  chat_id?: string | null;
  duplicate_of?: number | null;
  error?: { code: number | string | null; message: string } | null;
}

/** Sorted keys at every depth, so equal variables give one key whatever their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** What a row is: its receiver, its receiver type and its variables. */
export function rowKey(row: Pick<ReceiverRow, 'to' | 'receiveIdType' | 'vars'>): string {
  return createHash('sha256').update(JSON.stringify([row.to, row.receiveIdType, canonical(row.vars)])).digest('hex').slice(0, 24);
}

/** Stable per row and independent of its line: the same row always carries the same uuid. */
export function rowUuid(base: string, key: string): string {
  return createHash('sha256').update(`${base}\n${key}`).digest('hex').slice(0, 40);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface Journal {
  header: RunHeader | null;
  /** The last state of each row key. */
  rows: Map<string, RowEntry>;
}

/** A run's results file: a few lines per row of a receiver file (itself at most 64 MiB). */
const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

export async function readJournal(file: string, cwd?: string): Promise<Journal | null> {
  let text: string;
  try {
    text = await readUserText(file, { what: 'results file', flag: '--results', maxBytes: MAX_JOURNAL_BYTES, cwd });
  } catch (err) {
    if ((err as CliError).code === 'not_found') return null;
    throw err;
  }
  const journal: Journal = { header: null, rows: new Map() };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: { kind?: string; key?: unknown; status?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      // A line cut short by a crash: the attempt before it says the row's outcome is unknown.
      continue;
    }
    if (entry.kind === 'run') journal.header ??= entry as unknown as RunHeader;
    else if ((entry.kind === 'attempt' || entry.kind === 'result') && typeof entry.key === 'string') {
      const prev = journal.rows.get(entry.key);
      // A result outranks an attempt; a later attempt after a failure starts a new try.
      if (!prev || entry.kind === 'result' || prev.status !== 'sent') journal.rows.set(entry.key, entry as unknown as RowEntry);
    }
  }
  if (!journal.header) {
    throw usageError(`${file} is not a results file of this version of card (it has no run header)`, {
      hint: 'Start a new run with another --results file.',
    });
  }
  return journal;
}

export interface ResumePlan {
  /** Keys already delivered: skipped. */
  sent: Set<string>;
  /** Rows whose outcome is unknown, still inside the uuid window: sent again with the same uuid. */
  retryUnknown: RowEntry[];
  /** Rows whose outcome is unknown and whose uuid may have expired. */
  expiredUnknown: RowEntry[];
}

/**
 * Lines the journal up with the file as it is now. Refuses (exit 2, naming the change) when a
 * row that was sent or attempted now stands with other variables or another receiver type for
 * the same receiver, or when the card changed: resuming would send that person a second card.
 * Rows removed from the file are simply not sent; rows fixed after a failure are new rows.
 */
export function planResume(journal: Journal, rows: ReceiverRow[], opts: { file: string; resultsFile: string; cardSha256: string; now: number }): ResumePlan {
  const { header } = journal;
  if (header!.card_sha256 !== opts.cardSha256) {
    throw usageError(`the card differs from the one ${opts.resultsFile} was started with`, {
      hint: 'Resuming would send the remaining rows another card. Resume with the same card, or start a new run with another --results file.',
    });
  }
  const current = new Map(rows.map((r) => [rowKey(r), r]));
  const byReceiver = new Map<string, ReceiverRow>();
  for (const r of rows) if (!byReceiver.has(r.to)) byReceiver.set(r.to, r);
  const changed: string[] = [];
  const plan: ResumePlan = { sent: new Set(), retryUnknown: [], expiredUnknown: [] };
  for (const [key, entry] of journal.rows) {
    if (entry.status === 'failed' || entry.status === 'duplicate') continue;
    if (!current.has(key)) {
      const now = byReceiver.get(entry.to);
      if (now) changed.push(`line ${now.line} (${entry.to}) was ${entry.status === 'sent' ? 'sent' : 'attempted'} from line ${entry.line} with other variables or to_type`);
      continue;
    }
    if (entry.status === 'sent') plan.sent.add(key);
    else if (opts.now - Date.parse(entry.at) < UUID_SAFE_MS) plan.retryUnknown.push(entry);
    else plan.expiredUnknown.push(entry);
  }
  if (changed.length) {
    throw usageError(`${opts.file} no longer matches ${opts.resultsFile}: ${changed.slice(0, 5).join('; ')}${changed.length > 5 ? `; and ${changed.length - 5} more` : ''}`, {
      hint: 'Nothing was sent. Put those rows back as they were, or start a new run with another --results file.',
      details: { changed },
    });
  }
  return plan;
}
