import { systemClock, type Clock, type ClockTimer } from '../io.js';
import type { FeishuClient } from './client.js';
import { streamElementText, updateCardSettings } from './cardkit.js';

/**
 * Pushes a growing text into one element of a card entity, the way the streaming guide asks:
 * always the full accumulated text (so the client types out only what is new), one request in
 * flight, at most one every `intervalMs`, each with the next `sequence`; streaming mode turned on
 * again before its 10 minutes run out; and closed at the end.
 */

/** The platform's limit for one element's streamed text. */
export const MAX_STREAM_CHARS = 100_000;
/** Streaming mode closes itself 10 minutes after it was turned on; renew it a little before. */
const RENEW_AFTER_MS = 9 * 60 * 1000;

export interface StreamerOptions {
  client: FeishuClient;
  cardId: string;
  elementId: string;
  intervalMs: number;
  /** The entity's last sequence (0 for a new one). */
  sequence?: number;
  clock?: Clock;
  /** When streaming mode was turned on (the entity's creation, for a new one). */
  streamingSince?: number;
}

export class CardStreamer {
  private seq: number;
  private text = '';
  private sent = '';
  private timer: ClockTimer | null = null;
  private inFlight: Promise<void> | null = null;
  private lastPushAt = 0;
  private streamingSince: number;
  private failure: unknown = null;
  private readonly clock: Clock;
  /** Text pushes that went through. */
  pushes = 0;
  /** Whether streaming mode was closed by finish(). */
  closed = false;
  /** Why closing streaming mode failed, when it did (the card then stays streaming until the platform closes it). */
  closeFailure: unknown = null;
  truncated = false;

  constructor(private readonly opts: StreamerOptions) {
    this.seq = opts.sequence ?? 0;
    this.clock = opts.clock ?? systemClock;
    this.streamingSince = opts.streamingSince ?? this.clock.now();
  }

  /** The last sequence used. */
  get sequence(): number {
    return this.seq;
  }

  /** Sets the whole text so far; it goes out on the next push. */
  set(text: string): void {
    if (text.length > MAX_STREAM_CHARS) {
      // Keep the end: for a log, the newest lines are the ones worth seeing.
      text = `…\n${text.slice(text.length - MAX_STREAM_CHARS + 2)}`;
      this.truncated = true;
    }
    this.text = text;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.failure || this.text === this.sent) return;
    const wait = Math.max(0, this.lastPushAt + this.opts.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.inFlight = this.push().finally(() => {
        this.inFlight = null;
        this.schedule();
      });
    }, wait);
  }

  private async push(): Promise<void> {
    const text = this.text;
    if (text === this.sent || !text) return;
    try {
      if (this.clock.now() - this.streamingSince > RENEW_AFTER_MS) {
        await updateCardSettings(this.opts.client, this.opts.cardId, { config: { streaming_mode: true } }, ++this.seq);
        this.streamingSince = this.clock.now();
      }
      await streamElementText(this.opts.client, this.opts.cardId, this.opts.elementId, text, ++this.seq);
      this.sent = text;
      this.pushes++;
    } catch (err) {
      this.failure ??= err;
    } finally {
      this.lastPushAt = this.clock.now();
    }
  }

  private cancelTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Sends what is left, then closes streaming mode with `summary` as the chat-list preview.
   * Streaming is closed even when a push failed; that failure is thrown afterwards.
   */
  async finish(summary: string, emptyText = '(no output)'): Promise<void> {
    // A push in flight reschedules itself when it ends: wait it out, then drop that timer too, or
    // it would fire beside the last push below and send the same text twice, milliseconds apart.
    do {
      this.cancelTimer();
      await this.inFlight;
    } while (this.timer || this.inFlight);
    if (!this.failure) {
      if (!this.text && !this.sent) this.text = emptyText;
      // The last text keeps to the interval too: the per-card limit counts it like any other.
      const wait = this.lastPushAt + this.opts.intervalMs - this.clock.now();
      if (this.text !== this.sent && wait > 0) await this.clock.sleep(wait);
      await this.push();
    }
    try {
      await updateCardSettings(this.opts.client, this.opts.cardId, { config: { streaming_mode: false, summary: { content: summary } } }, ++this.seq);
      this.closed = true;
    } catch (err) {
      // A card left streaming shows "[Generating...]" for up to 10 minutes and takes no callback
      // updates: try once more with nothing but the switch (no summary to refuse).
      try {
        await updateCardSettings(this.opts.client, this.opts.cardId, { config: { streaming_mode: false } }, ++this.seq);
        this.closed = true;
      } catch {
        this.closeFailure = err;
      }
      this.failure ??= err;
    }
    if (this.failure) throw this.failure;
  }
}

// eslint-disable-next-line no-control-regex -- these are exactly what is removed
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Terminal output made fit for a card: colour codes and other control characters removed. */
export function cleanText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ANSI, '').replace(CONTROL, '');
}

/** The chat-list preview once streaming ends: the start of the text, on one line. */
export function summaryOf(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
