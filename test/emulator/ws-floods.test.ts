import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type * as WsModule from 'ws';
import { encodeFrame, decodeFrame, header } from '../../src/ws/frames.js';
import { WS_CLOSE } from '../../src/emulator/ws-hub.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

const { WebSocket } = createRequire(import.meta.url)('ws') as typeof WsModule;
type Socket = InstanceType<typeof WebSocket>;

let c: EmulatorClient | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await c?.emu.close();
  c = null;
});

const PING = encodeFrame({ SeqID: 0, LogID: 0, service: 1, method: 0, headers: [{ key: 'type', value: 'ping' }] });

/** A raw long-connection client of the first app, connected. */
async function connect(client: EmulatorClient): Promise<Socket> {
  const ep = await client.call('POST', '/callback/ws/endpoint', { AppID: client.app.app_id, AppSecret: client.app.app_secret });
  const ws = new WebSocket(ep.body.data.URL);
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

const closed = (ws: Socket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

/** Stops reading from the socket, as a client that never reads does. */
const stopReading = (ws: Socket) => (ws as unknown as { _socket: { pause(): void } })._socket.pause();
const resumeReading = (ws: Socket) => (ws as unknown as { _socket: { resume(): void } })._socket.resume();

describe('the long connection under hostile clients', () => {
  it('closes a client that pings and never reads (1008), holding at most maxBufferedBytes for it', async () => {
    c = await withEmulator();
    const hub = c.emu.core.ws;
    hub.settings.maxBufferedBytes = 16 * 1024;
    hub.settings.closeGraceMs = 10_000;
    const ws = await connect(c);
    const shut = new Promise<{ code: number; reason: string }>((resolve) => hub.events.once('shut', resolve));
    let isShut = false;
    void shut.then(() => (isShut = true));
    stopReading(ws);
    // The kernel's socket buffers take the first few MB of pongs; past them the emulator's own bound applies.
    for (let sent = 0; !isShut && sent < 300_000; sent += 1000) {
      for (let i = 0; i < 1000; i++) ws.send(PING);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await shut).toMatchObject({ code: WS_CLOSE.policy, reason: expect.stringContaining('not reading') });
    const info = closed(ws);
    resumeReading(ws);
    // What was buffered arrives, then the close frame with its reason.
    expect(await info).toMatchObject({ code: 1008, reason: expect.stringMatching(/^not reading: \d+ bytes wait unsent, the bound is 16384$/) });
  }, 30_000);

  it('fails a delivery to a client that stopped reading instead of buffering it, and closes the client', async () => {
    c = await withEmulator();
    const hub = c.emu.core.ws;
    hub.settings.maxBufferedBytes = 64 * 1024;
    hub.settings.answerMs = 100;
    const ws = await connect(c);
    stopReading(ws);
    const token = await c.token();
    const payload = { header: { event_type: 'im.message.receive_v1' }, event: { filler: 'x'.repeat(1024 * 1024) } };
    let last: { error: string | null } | null = null;
    for (let i = 0; i < 40; i++) {
      const r = await c.call('POST', '/_emulator/ws/deliver', { payload }, token);
      if (r.body.code !== 0) break;
      last = r.body.data;
      if (last!.error?.includes('not reading')) break;
    }
    expect(last?.error).toBe('the client is not reading: the emulator closed its connection');
  }, 30_000);

  it('closes a client whose frame carries too many headers before decoding it, and keeps serving others', async () => {
    c = await withEmulator();
    const hostile = await connect(c);
    const other = await connect(c);
    // SeqID, LogID, service, method, then 300,000 empty headers (tag 0x2a, length 0): 600 KB.
    const frame = Buffer.concat([Buffer.from([0x08, 0x00, 0x10, 0x00, 0x18, 0x01, 0x20, 0x00]), Buffer.alloc(600_000, Buffer.from([0x2a, 0x00]))]);
    const gone = closed(hostile);
    const started = performance.now();
    hostile.send(frame);
    expect(await gone).toEqual({ code: 1008, reason: 'the frame carries more than 100 headers' });
    const pong = new Promise<Buffer>((resolve) => other.once('message', (d) => resolve(d as Buffer)));
    other.send(PING);
    expect(header(decodeFrame(await pong), 'type')).toBe('pong');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('closes a client that sends a frame above maxFrameBytes (1009)', async () => {
    c = await withEmulator();
    c.emu.core.ws.settings.maxFrameBytes = 64 * 1024;
    const ws = await connect(c);
    const gone = closed(ws);
    ws.send(Buffer.alloc(100 * 1024));
    expect((await gone).code).toBe(WS_CLOSE.tooBig);
  });

  it('drops connection tickets when they expire and keeps at most maxTickets', async () => {
    c = await withEmulator();
    const hub = c.emu.core.ws;
    hub.settings.maxTickets = 50;
    const app = c.emu.core.store.apps.get(c.app.app_id)!;
    for (let i = 0; i < 500; i++) hub.endpoint('http://127.0.0.1:1', app);
    expect(hub.ticketCount).toBe(50);
    // The emulator's clock, not wall time: past the 5-minute lifetime every ticket is gone at the next call.
    await c.call('POST', '/_emulator/clock', { advance_seconds: 301 });
    await c.call('POST', '/callback/ws/endpoint', { AppID: c.app.app_id, AppSecret: c.app.app_secret });
    expect(hub.ticketCount).toBe(1);
  });
});
