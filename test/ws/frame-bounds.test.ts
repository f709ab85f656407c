import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FrameLimitError, headerCountExceeds, MAX_FRAME_HEADERS } from '../../src/ws/frames.js';

const REQUIRED = Buffer.from([0x08, 0x00, 0x10, 0x00, 0x18, 0x01, 0x20, 0x00]);

describe('frame bounds before decoding', () => {
  it('refuses 700,000 empty headers without decoding them, in milliseconds', () => {
    const frame = Buffer.concat([REQUIRED, Buffer.alloc(1_400_000, Buffer.from([0x2a, 0x00]))]);
    const started = performance.now();
    expect(() => decodeFrame(frame)).toThrow(FrameLimitError);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('decodes a frame with as many headers as allowed, and refuses one more', () => {
    const headers = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const ok = encodeFrame({ SeqID: 1, LogID: 2, service: 3, method: 1, headers: headers(MAX_FRAME_HEADERS), payload: Buffer.from('{}') });
    expect(decodeFrame(ok).headers).toHaveLength(MAX_FRAME_HEADERS);
    const over = encodeFrame({ SeqID: 1, LogID: 2, service: 3, method: 1, headers: headers(MAX_FRAME_HEADERS + 1) });
    expect(() => decodeFrame(over)).toThrow(`the frame carries more than ${MAX_FRAME_HEADERS} headers`);
    expect(decodeFrame(over, MAX_FRAME_HEADERS + 1).headers).toHaveLength(MAX_FRAME_HEADERS + 1);
  });

  it('counts headers past other fields of every wire type, and leaves broken bytes to the decoder', () => {
    // A fixed64 (field 10), a fixed32 (field 11), and a payload (field 8) whose bytes look like a
    // header but are not one; then two headers.
    const mixed = Buffer.concat([REQUIRED, Buffer.from([0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5d, 1, 2, 3, 4, 0x42, 0x02, 0x2a, 0x00, 0x2a, 0x00, 0x2a, 0x00])]);
    expect(headerCountExceeds(mixed, 1)).toBe(true);
    expect(headerCountExceeds(mixed, 2)).toBe(false);
    const truncated = Buffer.from([0x08, 0x80]);
    expect(headerCountExceeds(truncated, 0)).toBe(false);
    expect(() => decodeFrame(truncated)).toThrow();
    expect(() => decodeFrame(truncated)).not.toThrow(FrameLimitError);
  });
});
