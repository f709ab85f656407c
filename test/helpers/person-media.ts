/** Voice and video files made in code (container headers only), so tests ship no binaries. */

function oggPage(granule: bigint, seq: number, packet: Buffer): Buffer {
  const head = Buffer.alloc(27);
  head.write('OggS', 0, 'latin1');
  head[5] = seq === 0 ? 2 : 0;
  head.writeBigInt64LE(granule, 6);
  head.writeUInt32LE(0x1234, 14);
  head.writeUInt32LE(seq, 18);
  head[26] = 1;
  return Buffer.concat([head, Buffer.from([packet.length]), packet]);
}

/** An Ogg Opus stream whose last page says it lasts `ms` (pre-skip 312 samples at 48 kHz). */
export function oggOpus(ms: number): Buffer {
  const opusHead = Buffer.alloc(19);
  opusHead.write('OpusHead', 0, 'latin1');
  opusHead[8] = 1;
  opusHead[9] = 1;
  opusHead.writeUInt16LE(312, 10);
  opusHead.writeUInt32LE(48000, 12);
  const tags = Buffer.from('OpusTags\0\0\0\0\0\0\0\0', 'latin1');
  return Buffer.concat([oggPage(0n, 0, opusHead), oggPage(0n, 1, tags), oggPage(BigInt(ms * 48 + 312), 2, Buffer.alloc(40, 7))]);
}

function box(type: string, content: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + content.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, content]);
}

/** An MP4 whose movie header says it lasts `ms` (timescale 1000); without `ms`, no movie header at all. */
export function mp4(ms?: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
  const mdat = box('mdat', Buffer.alloc(64, 1));
  if (ms === undefined) return Buffer.concat([ftyp, mdat]);
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(ms, 16);
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd)), mdat]);
}
