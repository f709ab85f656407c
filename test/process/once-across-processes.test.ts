import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onceAcrossProcesses } from '../../src/process/once-across-processes.js';

/*
 * One process does the work, the others wait for its result (the bundled Chromium's unpack, which
 * the first browser tests of a fresh clone all want at once). Waiting is a sleep the test gives:
 * each "sleep" lets the other side run a step, so no wall-clock time passes.
 */
const dir = mkdtempSync(join(tmpdir(), 'card-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('onceAcrossProcesses', () => {
  it('does the work once when several ask at the same time; the others wait for it and get null', async () => {
    const lock = join(dir, 'a.lock');
    const marker = join(dir, 'a.done');
    let runs = 0;
    const work = async () => {
      runs++;
      for (let i = 0; i < 5; i++) await turn();
      writeFileSync(marker, 'ok');
      return 'unpacked';
    };
    const results = await Promise.all([1, 2, 3].map(() => onceAcrossProcesses(lock, () => existsSync(marker), work, { sleep: turn })));
    expect(runs).toBe(1);
    expect(results.filter((r) => r === 'unpacked')).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(2);
    expect(existsSync(lock)).toBe(false);
    // Once it is done, nobody does it again.
    expect(await onceAcrossProcesses(lock, () => existsSync(marker), work, { sleep: turn })).toBeNull();
    expect(runs).toBe(1);
  });

  it('takes over the lock of a holder that died, and lets go of its lock when the work fails', async () => {
    const lock = join(dir, 'b.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '999999');
    let runs = 0;
    const out = await onceAcrossProcesses(lock, () => false, async () => ++runs, { sleep: turn, alive: (pid) => pid !== 999999 });
    expect(out).toBe(1);
    expect(existsSync(lock)).toBe(false);
    await expect(onceAcrossProcesses(lock, () => false, async () => Promise.reject(new Error('disk full')), { sleep: turn })).rejects.toThrow('disk full');
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live holder no longer than waitMs, then does the work itself', async () => {
    const lock = join(dir, 'c.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '424242');
    let slept = 0;
    const out = await onceAcrossProcesses(lock, () => false, async () => 'mine', { pollMs: 100, waitMs: 1_000, sleep: async (ms) => void (slept += ms), alive: () => true });
    expect(out).toBe('mine');
    expect(slept).toBe(1_000);
    // The live holder's lock is its own: left in place.
    expect(existsSync(lock)).toBe(true);
  });
});
