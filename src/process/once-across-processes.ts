import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive as isRunning } from './parent-watch.js';

export interface OnceOptions {
  /** How often a waiting process looks again, in ms. */
  pollMs?: number;
  /** How long a process waits for another's work before doing it itself, in ms. */
  waitMs?: number;
  /** Sleeps `ms` (the real clock by default). */
  sleep?: (ms: number) => Promise<void>;
  /** Whether process `pid` is running (process.kill(pid, 0) by default). */
  alive?: (pid: number) => boolean;
}

/**
 * Does `work` in one process at a time when several want the same result at once (the first
 * browser tests of a fresh clone, a CI matrix on a fresh machine): the first to create the lock
 * folder `lock` does it; the others wait until `done()` says it is there, then use it. A lock whose
 * holder has died is taken over; a holder that takes longer than `waitMs` is not waited for any
 * further, and the work is done here as well (it must be safe to do twice, as an unpack into a
 * folder of one's own, renamed into place, is).
 */
export async function onceAcrossProcesses<T>(lock: string, done: () => boolean, work: () => Promise<T>, opts: OnceOptions = {}): Promise<T | null> {
  const pollMs = opts.pollMs ?? 100;
  const waitMs = opts.waitMs ?? 180_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const alive = opts.alive ?? isRunning;
  for (let waited = 0; ; waited += pollMs) {
    if (done()) return null;
    if (take(lock) || waited >= waitMs) {
      try {
        return await work();
      } finally {
        release(lock);
      }
    }
    const holder = holderOf(lock);
    // A holder that died (or a lock folder left without its pid): take the lock over.
    if (holder === null ? waited >= 1_000 : !alive(holder)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await sleep(pollMs);
  }
}

function take(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

function release(lock: string): void {
  if (holderOf(lock) === process.pid) rmSync(lock, { recursive: true, force: true });
}

function holderOf(lock: string): number | null {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

