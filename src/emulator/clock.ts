/**
 * The emulator's time. Tests move it forward instead of sleeping, so token expiry,
 * the 30-minute card-token window and uuid windows can be exercised in milliseconds.
 */
export class Clock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}
