/**
 * Spaces requests so an app stays under the platform's limits instead of hitting them:
 * evenly at `perSecond`, and never more than `perMinute` in any 60 s. Slots are reserved
 * synchronously, so concurrent callers share one schedule.
 */
export class Pacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly recent: number[] = [];
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.interval = 1000 / perSecond;
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    for (let tries = 0; ; tries++) {
      const at = this.reserve();
      const now = this.now();
      if (at > now) await this.sleep(at - now);
      // A stalled event loop wakes many waiters at once. One that woke well past its slot takes
      // a new one, so they do not all go out in one burst (a few times at most, never starving).
      if (this.now() - at <= this.interval || tries >= 3) return;
      this.recent.splice(this.recent.indexOf(at), 1);
    }
  }

  private reserve(): number {
    let at = Math.max(this.now(), this.nextSlot, this.pausedUntil);
    while (this.recent.length && this.recent[0]! <= at - 60_000) this.recent.shift();
    if (this.recent.length >= this.perMinute) at = Math.max(at, this.recent[this.recent.length - this.perMinute]! + 60_000);
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

/** `50`, `50/s`, or `50/s,1000/min`: limits per second and per minute (the platform's by default). */
export function parseRateSpec(spec: string | undefined, defaults = { perSecond: 50, perMinute: 1000 }): { perSecond: number; perMinute: number } | null {
  if (spec === undefined) return { ...defaults };
  const out = { ...defaults };
  for (const part of spec.split(',')) {
    const m = /^(\d+(?:\.\d+)?)(?:\/(s|min))?$/.exec(part.trim());
    if (!m || Number(m[1]) <= 0) return null;
    if (m[2] === 'min') out.perMinute = Number(m[1]);
    else out.perSecond = Number(m[1]);
  }
  return out;
}
