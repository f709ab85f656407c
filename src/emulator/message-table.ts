import { messageIdCounter } from './ids.js';

/** What the table needs of a message. */
interface Keyed {
  message_id: string;
}

/**
 * The stored messages in arrival order, at most `cap()` of them: past it the oldest go, each
 * handed to `onDrop`.
 *
 * Every send adds one message and, at the cap, drops the oldest, so the table must make both cheap:
 * a Map keyed by fresh id strings would hash each id and keep deleting from its front. Ids this
 * emulator makes end in an increasing counter (ids.ts) and messages
 * are stored right after their ids are made, so the queue is sorted by that counter: finding a
 * message is a binary search over numbers, and dropping the oldest moves an index. A message whose
 * id does not fit (made elsewhere, or stored out of order) is found through a side Map instead.
 */
export class MessageTable<M extends Keyed> {
  /** Arrival order; the slots before `head` are dropped. */
  private queue: Array<M | undefined> = [];
  /** The id counter of each queued message, never decreasing: an id that does not fit repeats the one before. */
  private counters: number[] = [];
  private head = 0;
  /** Messages whose ids cannot be found by their counter. */
  private others = new Map<string, M>();

  constructor(
    private readonly cap: () => number,
    private readonly onDrop: (m: M) => void,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Stores a message (a second one under a stored id is refused); past the cap the oldest go. */
  add(m: M): void {
    const counter = messageIdCounter(m.message_id);
    const last = this.counters.length ? this.counters[this.counters.length - 1]! : -1;
    if (counter !== null && counter > last) this.counters.push(counter);
    else {
      if (this.has(m.message_id)) throw new Error(`message ${m.message_id} is already stored`);
      this.others.set(m.message_id, m);
      this.counters.push(last);
    }
    this.queue.push(m);
    while (this.size > Math.max(this.cap(), 0)) {
      const oldest = this.queue[this.head]!;
      // The slot is emptied so the collector can have the message before the queue is compacted.
      this.queue[this.head++] = undefined;
      this.others.delete(oldest.message_id);
      this.onDrop(oldest);
    }
    // Compact now and then, so the queue stays about the size of the cap.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.counters = this.counters.slice(this.head);
      this.head = 0;
    }
  }

  get(id: string): M | undefined {
    const counter = messageIdCounter(id);
    if (counter !== null) {
      const at = this.counted(id, counter);
      if (at >= 0) return this.queue[at];
    }
    return this.others.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Oldest first. */
  values(): IterableIterator<M> {
    return this.valuesAfter(null);
  }

  /** Oldest first, starting after the message `id` (with every message when `id` is not stored). */
  *valuesAfter(id: string | null): IterableIterator<M> {
    let start = this.head;
    if (id !== null) {
      const at = this.position(id);
      if (at >= 0) start = at + 1;
    }
    for (let i = start; i < this.queue.length; i++) yield this.queue[i]!;
  }

  /** Where a message found by its id's counter sits in the queue, or -1. */
  private counted(id: string, counter: number): number {
    let lo = this.head;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.counters[mid]! < counter) lo = mid + 1;
      else hi = mid;
    }
    // Messages stored out of order repeat the counter before them: look along the run.
    for (let i = lo; i < this.queue.length && this.counters[i] === counter; i++) if (this.queue[i]!.message_id === id) return i;
    return -1;
  }

  private position(id: string): number {
    const counter = messageIdCounter(id);
    const at = counter === null ? -1 : this.counted(id, counter);
    if (at >= 0) return at;
    const m = this.others.get(id);
    return m ? this.queue.indexOf(m, this.head) : -1;
  }
}
