/** Timers of some clock: the real one, or a test's fake clock that moves only when told. */
export interface TimerSource {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: never): void;
}

const realTimers: TimerSource = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending re-send must not keep a test process or a stopped emulator alive.
    t.unref();
    return t;
  },
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

/** setTimeout's longest delay; a later due time is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * The emulator's time. Tests move it forward instead of sleeping, so token expiry,
 * the 30-minute card-token window, uuid windows and event re-sends can be exercised in
 * milliseconds. Work scheduled on it runs when its time comes: as the base clock passes it
 * (real time, or a test's fake clock whose timers are given), or at once when `advance` jumps past it.
 */
export class Clock {
  private offsetMs = 0;
  private queue: Scheduled[] = [];
  private seq = 0;
  private armed: { timer: unknown } | null = null;

  constructor(
    private readonly base: () => number = Date.now,
    private readonly timers: TimerSource = realTimers,
  ) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    this.fireDue();
  }

  /** Back to the base clock's time; scheduled work is dropped with the state it belonged to. */
  reset(): void {
    this.offsetMs = 0;
    this.cancelAll();
  }

  /** Runs `fn` once the clock reads `at` (ms); returns the function that cancels it. */
  schedule(at: number, fn: () => void): () => void {
    const item: Scheduled = { at, seq: this.seq++, fn };
    this.queue.push(item);
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
    return () => {
      this.queue = this.queue.filter((x) => x !== item);
      this.arm();
    };
  }

  /** Scheduled work not yet run. */
  get pending(): number {
    return this.queue.length;
  }

  cancelAll(): void {
    this.queue = [];
    this.arm();
  }

  private fireDue(): void {
    const now = this.now();
    while (this.queue.length && this.queue[0]!.at <= now) {
      const next = this.queue.shift()!;
      try {
        next.fn();
      } catch (err) {
        process.stderr.write(`emulator: scheduled work failed: ${(err as Error)?.message ?? String(err)}\n`);
      }
    }
    this.arm();
  }

  /** One timer of the base clock, for the earliest scheduled work. */
  private arm(): void {
    if (this.armed) this.timers.clearTimeout(this.armed.timer as never);
    this.armed = null;
    const first = this.queue[0];
    if (!first) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, first.at - this.now()));
    const armed = { timer: null as unknown };
    armed.timer = this.timers.setTimeout(() => {
      if (this.armed !== armed) return;
      this.armed = null;
      this.fireDue();
    }, delay);
    this.armed = armed;
  }
}
