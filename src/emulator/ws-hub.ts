import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type * as WsModule from 'ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, FrameLimitError, header, jsonBytes, MAX_FRAME_HEADERS, type ClientConfig, type Frame, type FrameResponse } from '../ws/frames.js';
import type { AppRecord, Store } from './store.js';

/**
 * The emulator's side of the long connection (reference/long-connection-cardkit.md §1): the
 * endpoint hands out a one-time URL, the upgrade turns it into a connection of the app, and
 * each message goes to one random connection of the app and waits for its ack.
 */

export interface WsSettings {
  /** Connections one app may hold; the platform documents 50. */
  maxConnections: number;
  /** How long a data frame waits for its ack; the platform's budget is 3 s. */
  answerMs: number;
  /** Largest payload slice per data frame; bigger payloads are split (sum/seq). */
  fragmentBytes: number;
  /** Sent in the endpoint answer and in every pong. */
  clientConfig: ClientConfig;
  /** Largest frame a client may send; a bigger one closes its connection (1009). */
  maxFrameBytes: number;
  /** Bytes that may wait unsent to one client; past it the client is not reading and is closed (1008). */
  maxBufferedBytes: number;
  /** Connection tickets waiting to be used; past it the oldest are dropped. */
  maxTickets: number;
  /** How long a closed connection may take to finish its closing handshake before it is cut. */
  closeGraceMs: number;
}

export const DEFAULT_WS_SETTINGS: WsSettings = {
  maxConnections: 50,
  answerMs: 3000,
  // The platform's slice size is not documented [INFERRED]; small enough to exercise reassembly.
  fragmentBytes: 32 * 1024,
  clientConfig: { ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30, PingInterval: 120 },
  // What clients send is pings and acks; an ack carries the handler's answer (a card is at most 30 KB).
  maxFrameBytes: 1024 * 1024,
  // Room for the largest delivery (the control API takes 2 MB bodies) on a client that reads slowly.
  maxBufferedBytes: 4 * 1024 * 1024,
  maxTickets: 1000,
  closeGraceMs: 1000,
};

/** Close codes the emulator uses (RFC 6455 §7.4.1); no SDK reads them, but people and logs do. */
export const WS_CLOSE = {
  /** The client stopped reading, or sent a frame with too many headers. */
  policy: 1008,
  /** A frame above maxFrameBytes (ws sends it itself). */
  tooBig: 1009,
} as const;

/** Answers of the endpoint that the SDKs act on (§1.1). */
export const ENDPOINT_CODES = { authFailed: 514, exceedConnLimit: 1000040350 } as const;

export interface WsConnectionInfo {
  device_id: string;
  app_id: string;
  service_id: number;
  connected_at: number;
  remote: string | null;
  delivered: number;
}

export interface WsDelivery {
  device_id: string;
  message_id: string;
  frame_type: 'event' | 'card';
  fragments: number;
  /** The reply's `code`, or null when none came. */
  status: number | null;
  /** The handler's answer (base64 `data` decoded), '' when the reply had none. */
  body: string | null;
  ms: number | null;
  /** Why there is no usable reply: timeout, closed, or an undecodable reply. */
  error: string | null;
  reply: unknown;
}

export class NoConnectionError extends Error {}

interface Ticket {
  app_id: string;
  device_id: string;
  service_id: number;
  expires_at: number;
}

interface Pending {
  resolve: (d: { status: number | null; body: string | null; error: string | null; reply: unknown }) => void;
}

interface Connection {
  info: WsConnectionInfo;
  socket: WebSocket;
  pending: Map<string, Pending>;
  /** Set once the emulator closes it: nothing more is sent. */
  closing: boolean;
}

const TICKET_TTL_MS = 5 * 60 * 1000;

export class WsHub {
  settings: WsSettings;
  /** Clients coming and going, for the emulator's log. */
  readonly events = new EventEmitter<{ connect: [WsConnectionInfo]; disconnect: [WsConnectionInfo]; shut: [WsConnectionInfo & { code: number; reason: string }] }>();
  private tickets = new Map<string, Ticket>();
  private conns = new Map<string, Connection>();
  private server: WebSocketServer | null = null;
  private serverMaxPayload = 0;
  private pongCache: { service: number; config: string; bytes: Uint8Array } | null = null;
  private seq = 0;

  constructor(
    private readonly now: () => number,
    settings: Partial<WsSettings> = {},
  ) {
    this.settings = { ...DEFAULT_WS_SETTINGS, ...settings };
  }

  /** `POST /callback/ws/endpoint`: a fresh one-time URL for the app's next connection. */
  endpoint(origin: string, app: AppRecord): { URL: string; ClientConfig: ClientConfig } {
    const ticket = randomUUID();
    const device_id = String(7_000_000_000_000_000_000n + BigInt(randomBytes(6).readUIntBE(0, 6)));
    const service_id = 100_000 + randomBytes(2).readUInt16BE(0);
    this.sweepTickets();
    this.tickets.set(ticket, { app_id: app.app_id, device_id, service_id, expires_at: this.now() + TICKET_TTL_MS });
    // The Node SDK runs qs.parse over the whole URL, so the first parameter is a throwaway (§1.2).
    const url = new URL('/ws/v2', origin.replace(/^http/, 'ws'));
    url.search = new URLSearchParams({ fpid: '1', aid: '1', device_id, access_key: randomBytes(16).toString('hex'), service_id: String(service_id), ticket }).toString();
    return { URL: url.toString(), ClientConfig: { ...this.settings.clientConfig } };
  }

  /** Tickets waiting to be used. */
  get ticketCount(): number {
    return this.tickets.size;
  }

  /**
   * Drops expired tickets, oldest first (the map keeps them in the order they were made), and the
   * oldest past the bound: a client that asks and never connects cannot grow the map.
   */
  private sweepTickets(): void {
    const now = this.now();
    for (const [key, t] of this.tickets) {
      if (t.expires_at >= now && this.tickets.size < this.settings.maxTickets) break;
      this.tickets.delete(key);
    }
  }

  /** The HTTP upgrade on /ws/v2: refused as the platform does, with Handshake-* headers. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, store: Store): void {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const refuse = (status: number, handshake: number, msg: string, autherr?: number) => {
      const lines = [`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Bad Request'}`, `Handshake-Status: ${handshake}`, `Handshake-Msg: ${msg}`];
      if (autherr) lines.push(`Handshake-Autherrcode: ${autherr}`);
      socket.end(`${lines.join('\r\n')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws/v2') return refuse(400, 400, 'not a long-connection URL');
    // SDK clients send no Origin; a web page does. Only the emulator's own pages may connect.
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== req.headers.host) return refuse(403, 403, 'cross-origin WebSocket refused');
    }
    this.sweepTickets();
    const ticket = this.tickets.get(url.searchParams.get('ticket') ?? '');
    if (!ticket || ticket.expires_at < this.now() || !store.apps.has(ticket.app_id) || url.searchParams.get('device_id') !== ticket.device_id) {
      return refuse(403, 514, 'auth failed: unknown or expired ticket; call /callback/ws/endpoint again');
    }
    this.tickets.delete(url.searchParams.get('ticket')!);
    if (this.connections(ticket.app_id).length >= this.settings.maxConnections) {
      return refuse(403, 514, 'the number of connections exceeded the limit', ENDPOINT_CODES.exceedConnLimit);
    }
    const wss = this.wsServer();
    wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket, req));
  }

  connections(appId?: string): WsConnectionInfo[] {
    return [...this.conns.values()].filter((c) => !appId || c.info.app_id === appId).map((c) => ({ ...c.info }));
  }

  /**
   * Sends one message to a random connection of the app and waits for its ack, as the platform
   * does ("cluster mode": no broadcast). Throws NoConnectionError when the app has none.
   */
  async deliver(appId: string, payload: unknown, frameType: 'event' | 'card' = 'event'): Promise<WsDelivery> {
    const candidates = [...this.conns.values()].filter((c) => c.info.app_id === appId);
    if (!candidates.length) throw new NoConnectionError(`no long-connection client of ${appId} is connected`);
    const conn = candidates[Math.floor(Math.random() * candidates.length)]!;
    conn.info.delivered++;
    const bytes = jsonBytes(payload);
    const messageId = randomUUID();
    const traceId = randomBytes(16).toString('hex');
    const size = Math.max(1, this.settings.fragmentBytes);
    const sum = Math.max(1, Math.ceil(bytes.length / size));
    const started = performance.now();
    const answered = new Promise<{ status: number | null; body: string | null; error: string | null; reply: unknown }>((resolve) => {
      const timer = setTimeout(() => {
        conn.pending.delete(messageId);
        resolve({ status: null, body: null, error: `no answer within ${this.settings.answerMs} ms`, reply: null });
      }, this.settings.answerMs);
      conn.pending.set(messageId, {
        resolve: (d) => {
          clearTimeout(timer);
          conn.pending.delete(messageId);
          resolve(d);
        },
      });
    });
    for (let seq = 0; seq < sum; seq++) {
      const frame: Frame = {
        SeqID: ++this.seq,
        LogID: Number(BigInt('0x' + randomBytes(6).toString('hex'))),
        service: conn.info.service_id,
        method: FRAME_DATA,
        headers: [
          { key: 'type', value: frameType },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: String(sum) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
          { key: 'timestamp', value: String(this.now()) },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      };
      if (!this.send(conn, encodeFrame(frame))) {
        conn.pending.get(messageId)?.resolve({ status: null, body: null, error: 'the client is not reading: the emulator closed its connection', reply: null });
        break;
      }
    }
    const r = await answered;
    return { device_id: conn.info.device_id, message_id: messageId, frame_type: frameType, fragments: sum, ...r, ms: r.status === null ? null : Math.round(performance.now() - started) };
  }

  /** Closes every connection (the clients will reconnect, as after a platform restart). */
  disconnect(appId?: string): number {
    let n = 0;
    for (const c of this.conns.values()) {
      if (appId && c.info.app_id !== appId) continue;
      c.socket.terminate();
      n++;
    }
    return n;
  }

  close(): void {
    this.disconnect();
    this.server?.close();
    this.server = null;
  }

  private wsServer(): WebSocketServer {
    const maxPayload = this.settings.maxFrameBytes;
    if (this.server && this.serverMaxPayload === maxPayload) return this.server;
    // Loaded on the first upgrade, so starting the emulator does not pay for `ws`.
    const { WebSocketServer: Server } = createRequire(import.meta.url)('ws') as typeof WsModule;
    // A changed bound applies to connections made from now on; a server with noServer holds nothing else.
    this.server = new Server({ noServer: true, maxPayload });
    this.serverMaxPayload = maxPayload;
    return this.server;
  }

  /**
   * Sends unless the client has stopped reading: what waits unsent to it is bounded, and a client
   * that lets it fill is closed rather than buffered for without end.
   */
  private send(conn: Connection, bytes: Uint8Array): boolean {
    if (conn.closing) return false;
    const waiting = conn.socket.bufferedAmount;
    if (waiting + bytes.length > this.settings.maxBufferedBytes) {
      this.shut(conn, WS_CLOSE.policy, `not reading: ${waiting} bytes wait unsent, the bound is ${this.settings.maxBufferedBytes}`);
      return false;
    }
    conn.socket.send(bytes);
    return true;
  }

  /** Closes with a code and reason, and cuts the connection if the client does not finish closing. */
  private shut(conn: Connection, code: number, reason: string): void {
    if (conn.closing) return;
    conn.closing = true;
    conn.socket.close(code, reason);
    this.events.emit('shut', { ...conn.info, code, reason });
    const cut = setTimeout(() => conn.socket.terminate(), this.settings.closeGraceMs);
    cut.unref();
    conn.socket.once('close', () => clearTimeout(cut));
  }

  private accept(socket: WebSocket, ticket: Ticket, req: IncomingMessage): void {
    const conn: Connection = {
      socket,
      pending: new Map(),
      closing: false,
      info: { device_id: ticket.device_id, app_id: ticket.app_id, service_id: ticket.service_id, connected_at: this.now(), remote: req.socket.remoteAddress ?? null, delivered: 0 },
    };
    this.conns.set(ticket.device_id, conn);
    this.events.emit('connect', { ...conn.info });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) return;
      this.onFrame(conn, data as Buffer);
    });
    socket.on('close', () => {
      this.conns.delete(ticket.device_id);
      this.events.emit('disconnect', { ...conn.info });
      for (const p of conn.pending.values()) p.resolve({ status: null, body: null, error: 'the client closed the connection before answering', reply: null });
    });
    // ws has already begun closing (1009 for a frame above maxFrameBytes): give it the grace to finish.
    socket.on('error', () => {
      conn.closing = true;
      const cut = setTimeout(() => socket.terminate(), this.settings.closeGraceMs);
      cut.unref();
      socket.once('close', () => clearTimeout(cut));
    });
  }

  /** The pong for a service, encoded once for as long as the client settings stay the same. */
  private pong(service: number): Uint8Array {
    const config = JSON.stringify(this.settings.clientConfig);
    if (this.pongCache?.service !== service || this.pongCache.config !== config) {
      const frame: Frame = { SeqID: 0, LogID: 0, service, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(config, 'utf8') };
      this.pongCache = { service, config, bytes: encodeFrame(frame) };
    }
    return this.pongCache.bytes;
  }

  private onFrame(conn: Connection, data: Buffer): void {
    if (conn.closing) return;
    let frame: Frame;
    try {
      frame = decodeFrame(data, MAX_FRAME_HEADERS);
    } catch (err) {
      if (err instanceof FrameLimitError) this.shut(conn, WS_CLOSE.policy, err.message);
      return; // Not a frame: the platform ignores it, and so do we.
    }
    const type = header(frame, 'type');
    if (frame.method === FRAME_CONTROL && type === 'ping') {
      this.send(conn, this.pong(frame.service));
      return;
    }
    if (frame.method !== FRAME_DATA) return;
    const pending = conn.pending.get(header(frame, 'message_id') ?? '');
    if (!pending) return;
    pending.resolve(readReply(frame));
  }
}

/** The ack's payload: `{"code", "data": base64 of the handler's JSON}` (§1.7). */
export function readReply(frame: Frame): { status: number | null; body: string | null; error: string | null; reply: unknown } {
  const text = frame.payload ? Buffer.from(frame.payload).toString('utf8') : '';
  let reply: FrameResponse;
  try {
    reply = JSON.parse(text) as FrameResponse;
  } catch {
    return { status: null, body: null, error: `the reply payload is not JSON: ${text.slice(0, 120)}`, reply: text };
  }
  if (typeof reply !== 'object' || reply === null || typeof reply.code !== 'number') {
    return { status: null, body: null, error: 'the reply payload has no numeric "code"', reply };
  }
  const body = typeof reply.data === 'string' && reply.data ? Buffer.from(reply.data, 'base64').toString('utf8') : '';
  return { status: reply.code, body, error: null, reply };
}
