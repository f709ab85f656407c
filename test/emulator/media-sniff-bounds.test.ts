import { afterEach, describe, expect, it } from 'vitest';
import { isMp4, mp4DurationMs, oggOpusDurationMs } from '../../src/emulator/media-sniff.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * The voice and video headers a person's upload carries are the sender's to forge: the box walker
 * stops on anything malformed, and a length the headers claim is believed only within a day.
 */
const ftyp = mp4().subarray(0, mp4().readUInt32BE(0));
const boxHead = (size: number, type: string) => {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(size);
  b.write(type, 4, 'latin1');
  return b;
};

describe('MP4 and Ogg header readers on crafted input', () => {
  it('stop on a box of size 0, a short 64-bit size, a size past the end, and walk many tiny boxes once', () => {
    // size 0: the box runs to the end; a moov to the end with nothing in it.
    expect(mp4DurationMs(Buffer.concat([ftyp, boxHead(0, 'moov')]))).toBeNull();
    // size 1 with the 64-bit size cut off, and one smaller than its own header.
    expect(mp4DurationMs(Buffer.concat([ftyp, boxHead(1, 'moov'), Buffer.alloc(4)]))).toBeNull();
    const tiny = Buffer.concat([boxHead(1, 'moov'), Buffer.alloc(8)]);
    tiny.writeBigUInt64BE(8n, 8);
    expect(mp4DurationMs(Buffer.concat([ftyp, tiny]))).toBeNull();
    // A 64-bit size of 2^64-1 and a 32-bit size past the end.
    const huge = Buffer.concat([boxHead(1, 'moov'), Buffer.alloc(8, 0xff)]);
    expect(mp4DurationMs(Buffer.concat([ftyp, huge]))).toBeNull();
    expect(mp4DurationMs(Buffer.concat([ftyp, boxHead(0xffffffff, 'moov')]))).toBeNull();
    // An mvhd too short to hold its fields.
    expect(mp4DurationMs(Buffer.concat([ftyp, boxHead(8 + 8 + 20, 'moov'), boxHead(8 + 20, 'mvhd'), Buffer.alloc(20)]))).toBeNull();
    // 20 000 empty boxes: one pass.
    const many = Buffer.concat([ftyp, ...Array.from({ length: 20_000 }, () => boxHead(8, 'free'))]);
    expect(isMp4(many)).toBe(true);
    expect(mp4DurationMs(many)).toBeNull();
  });

  it('read nothing from a truncated Ogg stream', () => {
    const ogg = oggOpus(1000);
    for (let cut = 0; cut < ogg.length; cut++) expect(() => oggOpusDurationMs(ogg.subarray(0, cut))).not.toThrow();
    // An Ogg page header alone, shorter than a page header needs.
    for (let n = 4; n < 27; n++) expect(() => oggOpusDurationMs(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(n - 4)]))).not.toThrow();
    expect(oggOpusDurationMs(Buffer.from('OggS'))).toBeNull();
  });
});

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('a length claimed by the headers is believed only when it could be true', () => {
  it('refuses a video or voice message whose headers claim more than a day, naming the duration field', async () => {
    emu = await startEmulator({ rateLimits: false });
    const state = await json(fetch(`${emu.url}/_emulator/state`));
    const alice = state.data.users.find((u: any) => u.email === 'alice@example.com').open_id;
    const send = async (body: unknown) => json(fetch(`${emu!.url}/_emulator/users/${alice}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    // 2^32-1 ms at timescale 1000: about 50 days.
    const video = await send({ media: { data: mp4(0xffffffff).toString('base64'), file_name: 'long.mp4' } });
    expect(video.code).not.toBe(0);
    expect(JSON.stringify(video)).toContain('media.duration');
    const voice = await send({ audio: { data: oggOpus(30 * 24 * 3600 * 1000).toString('base64') } });
    expect(voice.code).not.toBe(0);
    expect(JSON.stringify(voice)).toContain('audio.duration');
    // A believable length is still read from the headers.
    expect((await send({ media: { data: mp4(42_000).toString('base64'), file_name: 'short.mp4' } })).code).toBe(0);
  });
});
