import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';

/**
 * The long connection's wire format: each WebSocket binary message is one protobuf `pbbp2.Frame`
 * (reference/long-connection-cardkit.md §1.3). Fields 1–4 are `required`: the Node SDK's decoder
 * throws without them, so they are always written, even when 0.
 */

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payload_encoding?: string;
  payload_type?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

/** The client settings a pong carries, in seconds, as the endpoint's `ClientConfig`. */
export interface ClientConfig {
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
  PingInterval: number;
}

/** The reply a client writes into an acked data frame's payload. */
export interface FrameResponse {
  code: number;
  headers?: Record<string, string> | null;
  /** base64 of the handler's JSON answer. */
  data?: string | null;
}

let frameType: Protobuf.Type | null = null;

// Loaded on first use, so commands that never touch the long connection never pay for protobufjs.
function type(): Protobuf.Type {
  if (frameType) return frameType;
  const pb = createRequire(import.meta.url)('protobufjs') as typeof Protobuf;
  const header = new pb.Type('Header').add(new pb.Field('key', 1, 'string', 'required')).add(new pb.Field('value', 2, 'string', 'required'));
  const frame = new pb.Type('Frame')
    .add(new pb.Field('SeqID', 1, 'uint64', 'required'))
    .add(new pb.Field('LogID', 2, 'uint64', 'required'))
    .add(new pb.Field('service', 3, 'int32', 'required'))
    .add(new pb.Field('method', 4, 'int32', 'required'))
    .add(new pb.Field('headers', 5, 'Header', 'repeated'))
    .add(new pb.Field('payload_encoding', 6, 'string', 'optional'))
    .add(new pb.Field('payload_type', 7, 'string', 'optional'))
    .add(new pb.Field('payload', 8, 'bytes', 'optional'))
    .add(new pb.Field('LogIDNew', 9, 'string', 'optional'));
  new pb.Namespace('pbbp2').add(header).add(frame);
  new pb.Root().add(frame.parent!);
  frameType = frame;
  return frame;
}

export function encodeFrame(frame: Frame): Uint8Array {
  const t = type();
  return t.encode(t.fromObject(frame)).finish();
}

/**
 * Most headers a frame may carry. Real frames carry about seven (type, message_id, sum, seq,
 * trace_id, timestamp, biz_rt); each header decodes into objects, so a frame of empty headers
 * costs far more to decode than its size suggests.
 */
export const MAX_FRAME_HEADERS = 100;

/** A frame refused before decoding: it breaks a bound, not the format. */
export class FrameLimitError extends Error {}

/**
 * Counts the `headers` fields (field 5) of an encoded Frame by walking its top-level fields
 * without decoding any, and stops as soon as there are more than `max`. Bytes that are not
 * protobuf end the walk; the decoder then says what is wrong with them.
 */
export function headerCountExceeds(bytes: Uint8Array, max: number): boolean {
  let pos = 0;
  let count = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length || shift > 63) return -1;
      const b = bytes[pos++]!;
      // Only lengths and tags are used, so precision past 2^53 does not matter.
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    if (tag < 0) return false;
    const field = Math.floor(tag / 8);
    switch (tag % 8) {
      case 0:
        if (varint() < 0) return false;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        if (len < 0) return false;
        pos += len;
        if (field === 5 && ++count > max) return true;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        return false;
    }
  }
  return false;
}

/**
 * Decodes one frame; throws on bytes that are not a valid Frame (missing required fields
 * included), and FrameLimitError, before decoding, on a frame with more than `maxHeaders` headers.
 */
export function decodeFrame(bytes: Uint8Array, maxHeaders = MAX_FRAME_HEADERS): Frame {
  if (headerCountExceeds(bytes, maxHeaders)) throw new FrameLimitError(`the frame carries more than ${maxHeaders} headers`);
  const t = type();
  const msg = t.decode(bytes);
  // Checked here too, as the Node SDK's generated decoder does: a frame without them is not one.
  for (const k of ['SeqID', 'LogID', 'service', 'method']) {
    if (!Object.prototype.hasOwnProperty.call(msg, k)) throw new Error(`not a frame: the required field ${k} is missing`);
  }
  // `payload` stays the decoded Buffer: toObject copies bytes fields as they are by default.
  const o = t.toObject(msg, { longs: Number, arrays: true }) as Frame;
  return { ...o, headers: o.headers ?? [] };
}

export function header(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

export function withHeader(headers: FrameHeader[], key: string, value: string): FrameHeader[] {
  return [...headers.filter((h) => h.key !== key), { key, value }];
}

export const jsonBytes = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
