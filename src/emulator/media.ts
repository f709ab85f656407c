import { randomBytes } from 'node:crypto';

/** An image or file an app uploaded (or the seed declared), as the emulator keeps it. */
export interface MediaRecord {
  key: string;
  kind: 'image' | 'file';
  /** The uploading app; null for seeded keys, which every app may use. */
  app_id: string | null;
  /** `message` or `avatar` for images; the file_type for files. */
  type: string;
  /** Sniffed format for images (png, jpg…); the file name for files. */
  format: string;
  file_name: string | null;
  width: number | null;
  height: number | null;
  /** null for seeded keys that have no bytes. */
  bytes: Buffer | null;
  size: number;
  created_at: number;
}

export const MEDIA_LIMITS = {
  imageMaxBytes: 10 * 1024 * 1024,
  fileMaxBytes: 30 * 1024 * 1024,
  /** What the store keeps in all; the oldest uploads go first past it. */
  storeMaxBytes: 256 * 1024 * 1024,
};

/**
 * Keys of dropped uploads the store remembers as dropped, oldest forgotten first. A key forgotten
 * here is answered as unknown (never uploaded) rather than as deleted: the difference is only in
 * the error a late caller reads, and remembering every key would grow without end.
 */
export const MAX_DROPPED_KEYS = 10_000;

/** Keys named by replayed messages that the store keeps (see MediaStore.name). */
export const MAX_NAMED_KEYS = 10_000;

// Keys look like the platform's: img_v3_ / file_v3_ followed by an opaque id.
const opaque = () => `${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;

/**
 * Uploaded images and files, bounded by total size: a long test run that uploads many
 * images keeps the newest, and a key whose bytes were dropped is answered as deleted.
 */
export class MediaStore {
  private readonly items = new Map<string, MediaRecord>();
  private readonly dropped = new Set<string>();
  private bytes = 0;
  /** Keys a replayed message named (known without bytes), oldest first. */
  private readonly named = new Set<string>();

  constructor(
    private readonly maxBytes = MEDIA_LIMITS.storeMaxBytes,
    private readonly maxDropped = MAX_DROPPED_KEYS,
  ) {}

  seed(key: string, kind: 'image' | 'file', now: number): void {
    this.items.set(key, { key, kind, app_id: null, type: kind === 'image' ? 'message' : 'stream', format: 'seeded', file_name: null, width: null, height: null, bytes: null, size: 0, created_at: now });
  }

  /**
   * A key a replayed message names, known without bytes. Such keys cost no bytes, so the byte bound
   * never drops them, and a message may name thousands: past MAX_NAMED_KEYS the oldest are forgotten.
   */
  name(key: string, kind: 'image' | 'file', now: number): void {
    if (this.items.has(key)) return;
    this.seed(key, kind, now);
    this.named.add(key);
    for (const old of this.named) {
      if (this.named.size <= MAX_NAMED_KEYS) break;
      this.named.delete(old);
      this.items.delete(old);
    }
  }

  add(record: Omit<MediaRecord, 'key' | 'size'>): MediaRecord {
    const key = record.kind === 'image' ? `img_v3_${opaque()}` : `file_v3_${opaque()}`;
    const size = record.bytes?.length ?? 0;
    const stored: MediaRecord = { ...record, key, size };
    this.items.set(key, stored);
    this.bytes += size;
    // Maps iterate in insertion order, so the first entries are the oldest uploads.
    for (const [oldKey, old] of this.items) {
      if (this.bytes <= this.maxBytes || oldKey === key) break;
      if (!old.bytes) continue;
      this.items.delete(oldKey);
      this.dropped.add(oldKey);
      this.bytes -= old.size;
    }
    // Sets iterate in insertion order too: the first are the keys dropped longest ago.
    for (const oldKey of this.dropped) {
      if (this.dropped.size <= this.maxDropped) break;
      this.dropped.delete(oldKey);
    }
    return stored;
  }

  get(key: string): MediaRecord | undefined {
    return this.items.get(key);
  }

  wasDropped(key: string): boolean {
    return this.dropped.has(key);
  }

  /** Whether `app_id` may put this image key in a card: its own uploads and seeded keys. */
  usableImage(key: string, appId: string): boolean {
    const m = this.items.get(key);
    return !!m && m.kind === 'image' && (m.app_id === null || m.app_id === appId);
  }

  list(): MediaRecord[] {
    return [...this.items.values()];
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
