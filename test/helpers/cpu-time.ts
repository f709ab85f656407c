/**
 * The least CPU time of a few runs of `run`, in milliseconds. The machine running the tests is
 * shared, so one run may be held up; the fastest of several says what the code costs.
 */
export function fastestCpuMs(run: () => void, times = 5): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
