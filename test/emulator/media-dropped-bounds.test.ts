import { describe, expect, it } from 'vitest';
import { MediaStore } from '../../src/emulator/media.js';

/**
 * The keys of uploads dropped to stay within the byte bound are remembered (to answer "deleted"
 * rather than "unknown"), but not without end: past the bound the oldest are forgotten.
 */
const image = (n: number) => ({ kind: 'image' as const, app_id: 'cli_test', type: 'message', format: 'png', file_name: null, width: 1, height: 1, bytes: Buffer.alloc(n), created_at: 0 });

describe('the keys of dropped uploads', () => {
  it('keeps the newest as dropped and forgets the oldest past its bound', () => {
    // Room for one 8-byte image at a time, and three dropped keys.
    const media = new MediaStore(10, 3);
    const keys = Array.from({ length: 6 }, () => media.add(image(8)).key);
    // The last is stored; the five before it were dropped, and only the newest three are remembered.
    expect(media.get(keys[5]!)).toBeDefined();
    expect(keys.slice(0, 5).map((k) => media.wasDropped(k))).toEqual([false, false, true, true, true]);
    expect(media.get(keys[0]!)).toBeUndefined();
  });
});
