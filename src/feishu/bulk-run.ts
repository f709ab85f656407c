import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { usageError } from '../output/errors.js';
import { humanDuration } from '../output/format.js';
import { plural } from '../output/words.js';
import { planResume, readJournal, sha256, type RunHeader } from './bulk-journal.js';
import { deliveryKey } from './bulk-send.js';
import { parseReceiverFile, type ReceiverRow } from './receiver-file.js';
import { checkReceiverRows } from './receivers.js';
import { readUserText, resolveIn } from '../input/user-file.js';

/** Far past any real send (a million rows is ~50 MiB), and bounded, as all input is. */
const MAX_RECEIVER_FILE_BYTES = 64 * 1024 * 1024;

/** A receiver file, read within its bound, parsed, and every row's receiver checked before anything is sent. */
/** A relative `file` starts from `cwd` (the process's working directory without one). */
export async function readReceiverFile(file: string, cwd?: string): Promise<{ text: string; rows: ReceiverRow[] }> {
  const text = await readUserText(file, {
    what: 'receiver file',
    flag: '--to-file',
    maxBytes: MAX_RECEIVER_FILE_BYTES,
    cwd,
    tooLarge: (path, size) => usageError(`${path} is ${Math.round((size ?? 0) / 1048576)} MiB: a receiver file may hold at most ${MAX_RECEIVER_FILE_BYTES / 1048576} MiB`, { hint: 'Split it, and send each part as its own run (each with its own --results).' }),
  });
  const rows = parseReceiverFile(text, file);
  checkReceiverRows(rows, file);
  return { text, rows };
}

export interface RunStart {
  toFile: string;
  text: string;
  rows: ReceiverRow[];
  resultsFile: string;
  /** Where relative toFile and resultsFile paths start from (the process's working directory without one). */
  cwd?: string;
  /** The card as written: what the run is keyed by. */
  cardContent: string;
  resume: boolean;
  resendUnknown: boolean;
  uuid?: string;
  now: () => number;
}

/**
 * A new run (its results file made, with the header that keeps its base uuid) or the run a results
 * file holds (--resume): which rows were sent, and to whom, so none is sent twice.
 */
export async function openRun(run: RunStart, say: { info: (m: string) => void; warn: (m: string) => void }): Promise<{ baseUuid: string; alreadySent: Set<string>; delivered: Map<string, number> }> {
  const cardSha256 = sha256(run.cardContent);
  if (!run.resume && existsSync(resolveIn(run.cwd, run.resultsFile))) {
    throw usageError(`the results file ${run.resultsFile} already exists`, { hint: 'Pass --resume to continue that run (rows already sent are skipped), or remove the file.' });
  }
  const journal = run.resume ? await readJournal(run.resultsFile, run.cwd) : null;
  let baseUuid: string;
  let alreadySent = new Set<string>();
  const delivered = new Map<string, number>();
  if (journal) {
    const plan = planResume(journal, run.rows, { file: run.toFile, resultsFile: run.resultsFile, cardSha256, now: run.now() });
    baseUuid = journal.header!.base_uuid;
    if (run.uuid !== undefined && run.uuid !== baseUuid) throw usageError(`--uuid differs from the run in ${run.resultsFile} (${baseUuid}): leave it out to resume`);
    alreadySent = plan.sent;
    for (const e of journal.rows.values()) {
      if (e.status === 'sent' && e.receive_id_type && e.receive_id && e.content_sha256) delivered.set(deliveryKey(e.receive_id_type, e.receive_id, e.content_sha256), e.line);
    }
    if (plan.retryUnknown.length) {
      say.info(`${plural(plan.retryUnknown.length, 'row')} of unknown outcome (the last run stopped while sending) go again with the same uuid: the platform keeps one message per uuid for an hour`);
    }
    if (plan.expiredUnknown.length) {
      const list = plan.expiredUnknown.map((e) => `line ${e.line} ${e.to} (attempted ${humanDuration(run.now() - Date.parse(e.at))} ago)`);
      if (!run.resendUnknown) {
        throw usageError(`${plural(plan.expiredUnknown.length, 'row')} may or may not have been delivered, and their uuids have expired: ${list.slice(0, 10).join('; ')}${list.length > 10 ? '; …' : ''}`, {
          hint: 'Nothing was sent. Check whether those receivers got the card. Then either pass --resend-unknown to send them again (who already has it gets it twice), or remove those rows from the file to skip them.',
          details: { unknown: plan.expiredUnknown.map((e) => ({ line: e.line, to: e.to, attempted_at: e.at })) },
        });
      }
      say.warn(`sending again, as --resend-unknown asks, ${plural(plan.expiredUnknown.length, 'row')} of unknown outcome: ${list.slice(0, 10).join('; ')}`);
    }
  } else {
    if (run.resume) say.info(`no results file ${run.resultsFile} yet: starting a new run`);
    // Without --uuid the base comes from the card and the file; the header keeps it for --resume.
    baseUuid = run.uuid ?? createHash('sha256').update(run.cardContent).update('\n').update(run.text).digest('hex').slice(0, 24);
    const header: RunHeader = { kind: 'run', version: 2, base_uuid: baseUuid, card_sha256: cardSha256, started_at: new Date(run.now()).toISOString() };
    await writeFile(resolveIn(run.cwd, run.resultsFile), `${JSON.stringify(header)}\n`, { mode: 0o600, flag: 'wx' }).catch((err: Error) => {
      throw usageError(`cannot create the results file ${run.resultsFile}: ${err.message}`);
    });
  }
  return { baseUuid, alreadySent, delivered };
}
