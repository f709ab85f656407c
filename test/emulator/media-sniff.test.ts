import { describe, expect, it } from 'vitest';
import { isMp4, isOggOpus, mp4DurationMs, oggOpusDurationMs, plainVideoCover } from '../../src/emulator/media-sniff.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/** The container headers read from a voice message or a video a person sends. */
describe('media sniffing', () => {
  it('reads Ogg Opus and its length less the pre-skip; anything else is not Ogg Opus', () => {
    expect(isOggOpus(oggOpus(1234))).toBe(true);
    expect(oggOpusDurationMs(oggOpus(1234))).toBe(1234);
    const vorbis = Buffer.from(oggOpus(1000));
    vorbis.write('Vorbis!!', vorbis.indexOf('OpusHead'), 'latin1');
    expect(isOggOpus(vorbis)).toBe(false);
    expect(isOggOpus(mp4(1000))).toBe(false);
  });

  it('reads an MP4 movie header, version 0 and 1, and a 64-bit box size; a truncated box says nothing', () => {
    expect(isMp4(mp4(42_000))).toBe(true);
    expect(mp4DurationMs(mp4(42_000))).toBe(42_000);
    expect(mp4DurationMs(mp4())).toBeNull();
    // Version 1: 64-bit times, timescale 600, 1800 ticks = 3 s; the moov box written with a 64-bit size.
    const mvhd = Buffer.alloc(112);
    mvhd[0] = 1;
    mvhd.writeUInt32BE(600, 20);
    mvhd.writeBigUInt64BE(1800n, 24);
    const mvhdBox = Buffer.concat([Buffer.from([0, 0, 0, 8 + mvhd.length]), Buffer.from('mvhd', 'latin1'), mvhd]);
    const moovHead = Buffer.alloc(16);
    moovHead.writeUInt32BE(1, 0);
    moovHead.write('moov', 4, 'latin1');
    moovHead.writeBigUInt64BE(BigInt(16 + mvhdBox.length), 8);
    const bare = mp4();
    const ftyp = bare.subarray(0, bare.readUInt32BE(0));
    expect(mp4DurationMs(Buffer.concat([ftyp, moovHead, mvhdBox]))).toBe(3000);
    const whole = mp4(5000);
    expect(mp4DurationMs(whole.subarray(0, whole.length - 80))).toBeNull();
    expect(isMp4(Buffer.from('plain words here'))).toBe(false);
  });

  it('draws the plain cover as a real 320 × 180 PNG', async () => {
    const { imageSize } = await import('image-size');
    const cover = plainVideoCover();
    expect(imageSize(new Uint8Array(cover.bytes))).toMatchObject({ type: 'png', width: 320, height: 180 });
  });
});
