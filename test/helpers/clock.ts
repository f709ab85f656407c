import type { Clock, ClockTimer } from '../../src/io.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told, for the CLI (`sb.run(args, { clock })`) and the emulator
 * (`startEmulator({ now: () => clock.now() })`) alike, so both see the same time.
 *
 * - `advance(ms)` moves time forward, firing each timer that falls due, in order.
 * - `auto()` lets it move by itself: whenever a timer is pending, time jumps to it (one timer per
 *   turn of the event loop, so the work a timer starts gets to run). A paced bulk send of 1,000
 *   messages then takes as long as its requests, not 20 s of waiting, and every sleep still ends
 *   in the order and at the instant the code asked for.
 *
 * Timing assertions then hold exactly: they are about this clock's time, never the wall's.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private running = false;
  private stepQueued = false;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: Timer = { at: this.time + Math.max(0, ms || 0), seq: this.seq++, fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.queueStep();
    return timer as unknown as ClockTimer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers = this.timers.filter((t) => t !== (timer as unknown as Timer));
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Moves time forward by `ms`, firing the timers that fall due on the way, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (let next = this.timers[0]; next && next.at <= until; next = this.timers[0]) {
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = until;
  }

  /** From now on time moves by itself to each pending timer (see the class comment). */
  auto(): this {
    this.running = true;
    this.queueStep();
    return this;
  }

  /** Stops moving by itself. */
  manual(): this {
    this.running = false;
    return this;
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  private queueStep(): void {
    if (!this.running || this.stepQueued) return;
    this.stepQueued = true;
    setImmediate(() => {
      this.stepQueued = false;
      if (!this.running) return;
      const next = this.timers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.fn();
      if (this.timers.length) this.queueStep();
    });
  }
}
