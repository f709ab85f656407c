/**
 * A fixed-size log: the newest `capacity` items, oldest first. Pushing is O(1) and never moves
 * the other items, unlike an array trimmed with splice or shift on every request.
 */
export class Ring<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(private capacity: number) {
    this.items = new Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const cap = this.items.length;
    if (this.count < cap) {
      this.items[(this.start + this.count) % cap] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % cap;
    }
  }

  /** Takes the oldest item out. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.start];
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.items.length;
    this.count--;
    return item;
  }

  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.start + i) % this.items.length];
  }

  toArray(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.items.length]!;
    return out;
  }

  /** Empties the log and lets its items be collected. */
  clear(capacity = this.capacity): void {
    this.capacity = capacity;
    this.items = new Array(Math.max(1, capacity));
    this.start = 0;
    this.count = 0;
  }
}

/** At most 1,000 a page, as the platform's own list APIs allow. */
export const MAX_PAGE_SIZE = 1000;

/** page_size from a query: 1 to 1,000, default 1,000. */
export function pageSize(query: URLSearchParams): number {
  const raw = query.get('page_size');
  if (raw === null || raw === '') return MAX_PAGE_SIZE;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}
