/**
 * Spaces requests so an app stays under the platform's limits instead of hitting them:
 * evenly at `perSecond`, and never more than `perMinute` in any 60 s. Slots are reserved
 * synchronously, so concurrent callers share one schedule.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Pacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly recent: number[] = [];
  private readonly interval: number;
  /** Sends allowed in any 60 s; 0 when the per-minute rate is below one, which `interval` then spaces. */
  private readonly perWindow: number;

  constructor(
    perSecond: number,
    perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(perSecond > 0) || !(perMinute > 0) || !Number.isFinite(perSecond + perMinute)) throw new RangeError(`a pace needs positive finite rates, not ${perSecond}/s and ${perMinute}/min`);
    // A fraction of a send per minute (0.95 of 1/min) is still a pace: one send per 60/rate seconds.
    this.perWindow = Math.floor(perMinute);
    this.interval = Math.max(1000 / perSecond, this.perWindow < 1 ? 60_000 / perMinute : 0);
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    for (let tries = 0; ; tries++) {
      const at = this.reserve();
      // A timer holds at most 2^31-1 ms (~24.8 days); a slower pace waits in steps.
      for (let left = at - this.now(); left > 0; left -= MAX_TIMER_MS) await this.sleep(Math.min(left, MAX_TIMER_MS));
      // A stalled event loop wakes many waiters at once. One that woke well past its slot takes
      // a new one, so they do not all go out in one burst (a few times at most, never starving).
      if (this.now() - at <= this.interval || tries >= 3) return;
      this.recent.splice(this.recent.indexOf(at), 1);
    }
  }

  private reserve(): number {
    let at = Math.max(this.now(), this.nextSlot, this.pausedUntil);
    while (this.recent.length && this.recent[0]! <= at - 60_000) this.recent.shift();
    if (this.perWindow >= 1 && this.recent.length >= this.perWindow) at = Math.max(at, this.recent[this.recent.length - this.perWindow]! + 60_000);
    this.nextSlot = at + this.interval;
    this.recent.push(at);
    return at;
  }

  /** After a 429: nobody sends until the platform's window resets. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.nextSlot = Math.max(this.nextSlot, time);
  }
}

export interface RateSpec {
  perSecond: number;
  perMinute: number;
}

/** The fastest rate a spec may name: past it, spacing rounds to nothing. */
const MAX_SPEC_RATE = 1_000_000;

/**
 * `50`, `50/s`, `1/min` or `50/s,1000/min`: limits per second and per minute (the platform's by
 * default); null when malformed, zero, or past a million.
 */
export function parseRateSpec(spec: string | undefined, defaults: RateSpec = { perSecond: 50, perMinute: 1000 }): RateSpec | null {
  if (spec === undefined) return { ...defaults };
  const out = { ...defaults };
  for (const part of spec.split(',')) {
    const m = /^(\d+(?:\.\d+)?)(?:\/(s|min))?$/.exec(part.trim());
    const n = m ? Number(m[1]) : NaN;
    if (!m || !(n > 0) || n > MAX_SPEC_RATE) return null;
    if (m[2] === 'min') out.perMinute = n;
    else out.perSecond = n;
  }
  return out;
}
