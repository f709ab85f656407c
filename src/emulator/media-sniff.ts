import { deflateSync } from 'node:zlib';

/**
 * What the platform reads from a voice message or a video a person sends: that it is Ogg Opus or
 * MP4, and how long it lasts. Only container headers are read (no decoding), so a file of any size
 * is checked in constant work.
 */

/** Ogg Opus: the first page is `OggS` and carries the `OpusHead` packet. */
export function isOggOpus(bytes: Buffer): boolean {
  return bytes.length >= 47 && bytes.toString('latin1', 0, 4) === 'OggS' && bytes.indexOf('OpusHead', 0, 'latin1') >= 0 && bytes.indexOf('OpusHead', 0, 'latin1') < 128;
}

/**
 * The length of an Ogg Opus stream in ms: the last page's granule position (48 kHz samples) less
 * the pre-skip the header declares. Null when the pages do not say.
 */
export function oggOpusDurationMs(bytes: Buffer): number | null {
  const head = bytes.indexOf('OpusHead', 0, 'latin1');
  const last = bytes.lastIndexOf('OggS', bytes.length - 27, 'latin1');
  if (head < 0 || head + 12 > bytes.length || last < 0) return null;
  const preSkip = bytes.readUInt16LE(head + 10);
  const granule = bytes.readBigInt64LE(last + 6);
  if (granule < 0n) return null;
  const samples = Number(granule) - preSkip;
  return samples > 0 ? Math.round(samples / 48) : null;
}

/** An ISO media file (MP4, MOV): the first box is `ftyp`. */
export function isMp4(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp';
}

/** The boxes directly inside [start, end): type and where each one's content lies. */
function* boxes(bytes: Buffer, start: number, end: number): Generator<{ type: string; from: number; to: number }> {
  let at = start;
  // Bounded: every box moves `at` forward by at least its 8-byte header.
  while (at + 8 <= end) {
    let size = bytes.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(bytes.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type: bytes.toString('latin1', at + 4, at + 8), from: at + header, to: at + size };
    at += size;
  }
}

/** A video's length in ms from its movie header (`moov/mvhd`); null when it has none. */
export function mp4DurationMs(bytes: Buffer): number | null {
  for (const box of boxes(bytes, 0, bytes.length)) {
    if (box.type !== 'moov') continue;
    for (const inner of boxes(bytes, box.from, box.to)) {
      if (inner.type !== 'mvhd' || inner.to - inner.from < 32) continue;
      const version = bytes[inner.from]!;
      const at = inner.from + 4;
      const timescale = version === 1 ? bytes.readUInt32BE(at + 16) : bytes.readUInt32BE(at + 8);
      const duration = version === 1 ? Number(bytes.readBigUInt64BE(at + 20)) : bytes.readUInt32BE(at + 12);
      return timescale > 0 ? Math.round((duration * 1000) / timescale) : null;
    }
  }
  return null;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

let cover: Buffer | null = null;

/**
 * The cover of a video sent without one. The platform takes a frame of the video; the emulator
 * does not decode video, so it draws a plain grey 16:9 picture (320 × 180 PNG) in its place.
 */
export function plainVideoCover(): { bytes: Buffer; width: number; height: number } {
  const width = 320;
  const height = 180;
  if (!cover) {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // greyscale
    const row = Buffer.alloc(width + 1, 0x8f);
    row[0] = 0; // filter: none
    const raw = Buffer.concat(Array.from({ length: height }, () => row));
    cover = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  }
  return { bytes: cover, width, height };
}
