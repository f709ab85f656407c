import { createRequire } from 'node:module';
import type * as WsModule from 'ws';
import type { WebSocket } from 'ws';
import { HttpClient } from '../feishu/http.js';
import { CliError } from '../output/errors.js';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, header, jsonBytes, withHeader, type ClientConfig, type Frame, type FrameResponse } from './frames.js';

/**
 * A long-connection client (reference/long-connection-cardkit.md §1), what `card listen --ws`
 * runs: endpoint discovery with the app's credentials, the socket, pings, reassembly of split
 * messages, and one ack per message. Unlike the official SDKs it also hands over `type=card`
 * frames, so the listener can show them instead of dropping them silently.
 */

export interface InboundMessage {
  type: 'event' | 'card' | string;
  message_id: string;
  payload: Buffer;
  fragments: number;
}

export interface LongConnectionOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  /** Gets each whole message; what it returns is the ack (`{code, data}`). */
  onMessage: (m: InboundMessage) => Promise<FrameResponse>;
  /** Connection state changes, for the listener's log. */
  onStatus?: (line: string) => void;
  log?: ((line: string) => void) | null;
}

/** Bounds on what a peer can make us hold while a message is being reassembled. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const MAX_PARTIAL_MESSAGES = 64;
const PARTIAL_TTL_MS = 10_000;

interface PartialMessage {
  sum: number;
  /** Slots filled so far (the parts array is sparse until then). */
  received: number;
  parts: Array<Buffer | undefined>;
  bytes: number;
  started: number;
}

export class LongConnection {
  private socket: WebSocket | null = null;
  private config: ClientConfig = { ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30, PingInterval: 120 };
  private pingTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private partials = new Map<string, PartialMessage>();
  private closed = false;
  private serviceId = 0;
  deviceId: string | null = null;

  constructor(private readonly opts: LongConnectionOptions) {}

  /** Resolves once connected; rejects when the platform refuses the credentials or the socket. */
  async start(): Promise<void> {
    const url = await this.discover();
    await this.open(url);
  }

  close(): void {
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.terminate();
    this.socket = null;
  }

  /** POST /callback/ws/endpoint (no /open-apis prefix), PascalCase keys as every SDK sends. */
  private async discover(): Promise<string> {
    const http = new HttpClient(this.opts.baseUrl, this.opts.timeoutMs, this.opts.log ?? null);
    const res = await http.send({ method: 'POST', path: '/callback/ws/endpoint', body: { AppID: this.opts.appId, AppSecret: this.opts.appSecret } });
    const code = Number(res.body.code);
    const data = res.body.data as { URL?: unknown; ClientConfig?: Partial<ClientConfig> } | null;
    if (code !== 0 || !data || typeof data.URL !== 'string') {
      const msg = String(res.body.msg ?? `HTTP ${res.status}`);
      if (code === 514 || code === 403) throw new CliError('auth', `the platform refused the long connection for ${this.opts.appId}: ${msg}`, { code, hint: 'Check the app id and secret; the long connection is for self-built apps only.' });
      throw new CliError(code === 1 || code === 1000040343 ? 'network' : 'api', `the long-connection endpoint answered code ${code}: ${msg}`, { code });
    }
    if (data.ClientConfig) this.applyConfig(data.ClientConfig);
    return data.URL;
  }

  private applyConfig(c: Partial<ClientConfig>): void {
    for (const k of ['ReconnectCount', 'ReconnectInterval', 'ReconnectNonce', 'PingInterval'] as const) {
      if (typeof c[k] === 'number' && Number.isFinite(c[k])) this.config[k] = c[k]!;
    }
  }

  private open(url: string): Promise<void> {
    const parsed = new URL(url);
    this.deviceId = parsed.searchParams.get('device_id');
    this.serviceId = Number(parsed.searchParams.get('service_id')) || 0;
    const { WebSocket: Socket } = createRequire(import.meta.url)('ws') as typeof WsModule;
    return new Promise((resolve, reject) => {
      const socket = new Socket(url, { handshakeTimeout: this.opts.timeoutMs, maxPayload: MAX_MESSAGE_BYTES });
      this.socket = socket;
      let opened = false;
      socket.on('unexpected-response', (_req, res) => {
        const status = res.headers['handshake-status'];
        const msg = res.headers['handshake-msg'];
        const auth = res.headers['handshake-autherrcode'];
        socket.terminate();
        const limit = String(auth) === '1000040350';
        reject(new CliError(limit ? 'api' : 'network', `the long connection was refused: HTTP ${res.statusCode}${status ? `, Handshake-Status ${status}` : ''}${msg ? `: ${msg}` : ''}`, {
          code: limit ? 1000040350 : (res.statusCode ?? null),
          hint: limit ? 'The app holds the most connections the platform allows; close other clients of this app.' : null,
        }));
      });
      socket.on('open', () => {
        opened = true;
        this.ping();
        this.pingTimer = setInterval(() => this.ping(), Math.max(1, this.config.PingInterval) * 1000);
        resolve();
      });
      socket.on('message', (data, isBinary) => {
        // One bad message must not take the listener down.
        if (isBinary) this.onFrame(data as Buffer).catch((err: Error) => this.opts.onStatus?.(`could not handle a message: ${err.message}`));
      });
      socket.on('error', (err) => {
        if (!opened) reject(new CliError('network', `cannot open the long connection: ${err.message}`));
      });
      socket.on('close', () => {
        if (this.pingTimer) clearInterval(this.pingTimer);
        this.pingTimer = null;
        if (opened && !this.closed) this.reconnect(1);
      });
    });
  }

  /** Every attempt asks the endpoint for a fresh URL, as the SDKs do. */
  private reconnect(attempt: number): void {
    const delay = Math.min(30_000, 1000 * 2 ** (attempt - 1));
    this.opts.onStatus?.(`the long connection closed; reconnecting in ${Math.round(delay / 1000)} s`);
    this.retryTimer = setTimeout(async () => {
      if (this.closed) return;
      try {
        await this.start();
        this.opts.onStatus?.(`reconnected (connection ${this.deviceId})`);
      } catch (err) {
        this.opts.onStatus?.(`reconnect failed: ${(err as Error).message}`);
        if (!this.closed) this.reconnect(attempt + 1);
      }
    }, delay);
  }

  private ping(): void {
    const frame: Frame = { SeqID: 0, LogID: 0, service: this.serviceId, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'ping' }] };
    this.socket?.send(encodeFrame(frame));
  }

  private async onFrame(data: Buffer): Promise<void> {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch {
      this.opts.onStatus?.('ignored a message that is not a frame');
      return;
    }
    const type = header(frame, 'type') ?? '';
    if (frame.method === FRAME_CONTROL) {
      if (type === 'pong' && frame.payload?.length) {
        try {
          this.applyConfig(JSON.parse(Buffer.from(frame.payload).toString('utf8')) as Partial<ClientConfig>);
        } catch {
          // A malformed pong changes nothing (the SDKs log and go on).
        }
      }
      return;
    }
    if (frame.method !== FRAME_DATA) return;
    const whole = this.reassemble(frame);
    if (!whole) return;
    const started = performance.now();
    let response: FrameResponse;
    try {
      response = await this.opts.onMessage({ type, message_id: header(frame, 'message_id') ?? '', payload: whole.payload, fragments: whole.fragments });
    } catch {
      response = { code: 500 };
    }
    // The ack is the completing frame itself, its payload replaced, biz_rt added (§1.7).
    const reply: Frame = {
      SeqID: frame.SeqID,
      LogID: frame.LogID,
      service: frame.service,
      method: frame.method,
      headers: withHeader(frame.headers, 'biz_rt', String(Math.round(performance.now() - started))),
      payload: jsonBytes(response),
    };
    if (this.socket?.readyState === 1) this.socket.send(encodeFrame(reply));
  }

  /** Collects the fragments of a message (sum/seq); returns it whole once the last arrives. */
  private reassemble(frame: Frame): { payload: Buffer; fragments: number } | null {
    const payload = Buffer.from(frame.payload ?? []);
    const sum = Number(header(frame, 'sum') ?? 1);
    const seq = Number(header(frame, 'seq') ?? 0);
    const id = header(frame, 'message_id') ?? '';
    if (!Number.isInteger(sum) || sum < 1 || !Number.isInteger(seq) || seq < 0 || seq >= sum) {
      this.opts.onStatus?.(`dropped a frame with bad fragment headers (sum=${header(frame, 'sum')}, seq=${header(frame, 'seq')})`);
      return null;
    }
    if (sum === 1) return { payload, fragments: 1 };
    const now = Date.now();
    for (const [k, p] of this.partials) if (now - p.started > PARTIAL_TTL_MS) this.partials.delete(k);
    let p = this.partials.get(id);
    if (!p) {
      if (this.partials.size >= MAX_PARTIAL_MESSAGES) {
        this.opts.onStatus?.('too many split messages in flight; dropped one');
        return null;
      }
      p = { sum, received: 0, parts: new Array<Buffer | undefined>(sum), bytes: 0, started: now };
      this.partials.set(id, p);
    }
    if (p.sum !== sum) {
      this.partials.delete(id);
      this.opts.onStatus?.(`dropped message ${id}: its fragments disagree on sum`);
      return null;
    }
    if (!p.parts[seq]) {
      p.bytes += payload.length;
      p.received++;
    }
    p.parts[seq] = payload;
    if (p.bytes > MAX_MESSAGE_BYTES) {
      this.partials.delete(id);
      this.opts.onStatus?.(`dropped message ${id}: larger than ${MAX_MESSAGE_BYTES} bytes`);
      return null;
    }
    if (p.received < p.sum) return null;
    this.partials.delete(id);
    return { payload: Buffer.concat(p.parts as Buffer[]), fragments: sum };
  }
}
