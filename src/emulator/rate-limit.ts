/**
 * Fixed-window counters, the shape the platform's gateway describes: a limit per window
 * and, when it is hit, the seconds until the window resets (x-ogw-ratelimit-reset).
 */
export interface RateLimitSettings {
  /** Requests per second per app, across all rate-limited routes (platform: 50). */
  appPerSecond: number;
  /** Requests per minute per app (platform: 1000). */
  appPerMinute: number;
  /** Messages per second to one user or one chat (platform: 5). */
  receiverPerSecond: number;
  /** PATCH calls per second on one message (platform: 5). */
  messagePatchPerSecond: number;
}

export const PLATFORM_RATE_LIMITS: RateLimitSettings = {
  appPerSecond: 50,
  appPerMinute: 1000,
  receiverPerSecond: 5,
  messagePatchPerSecond: 5,
};

export interface Verdict {
  ok: boolean;
  limit: number;
  /** Whole seconds until the window that refused the request resets. */
  resetSeconds: number;
}

export class WindowCounter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly windowMs: number) {}

  take(key: string, limit: number, now: number): Verdict {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.prune(start);
    }
    const resetSeconds = Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
    if (w.count >= limit) return { ok: false, limit, resetSeconds };
    w.count++;
    return { ok: true, limit, resetSeconds };
  }

  private prune(currentStart: number): void {
    for (const [k, w] of this.windows) if (w.start !== currentStart) this.windows.delete(k);
  }

  clear(): void {
    this.windows.clear();
  }
}
