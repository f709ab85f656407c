import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type * as WsModule from 'ws';
import { afterEach, describe, expect, test } from 'vitest';
import { LongConnection, type InboundMessage } from '../../src/ws/client.js';
import { decodeFrame, encodeFrame, header, type Frame } from '../../src/ws/frames.js';

const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof WsModule;

/** A made-up platform: the endpoint, and a socket that sends what the test scripts. */
async function fakePlatform(onSocket: (send: (f: Frame) => void, frames: Frame[]) => void) {
  const wss = new WebSocketServer({ noServer: true });
  const frames: Frame[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { AppID, AppSecret } = JSON.parse(body);
      const ok = AppID === 'cli_0123456789abcdef' && AppSecret === 'made-up-secret';
      const { port } = server.address() as AddressInfo;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(ok ? { code: 0, data: { URL: `ws://127.0.0.1:${port}/ws/v2?fpid=1&device_id=42&service_id=7&ticket=t`, ClientConfig: { PingInterval: 120 } } } : { code: 514, msg: 'auth failed' }));
    });
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (d) => frames.push(decodeFrame(d as Buffer)));
      onSocket((f) => ws.send(encodeFrame(f)), frames);
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    frames,
    close: () => new Promise<void>((r) => { wss.clients.forEach((c) => c.terminate()); server.close(() => r()); server.closeAllConnections(); }),
  };
}

const data = (id: string, sum: number, seq: number, payload: string, type = 'event'): Frame => ({
  SeqID: 100 + seq,
  LogID: 9,
  service: 7,
  method: 1,
  headers: [{ key: 'type', value: type }, { key: 'message_id', value: id }, { key: 'sum', value: String(sum) }, { key: 'seq', value: String(seq) }, { key: 'trace_id', value: 'tr' }],
  payload: Buffer.from(payload),
});

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the long-connection client of card listen --ws', () => {
  test('pings with the service id, puts out-of-order fragments together, acks on the completing frame', async () => {
    const got: InboundMessage[] = [];
    const whole = JSON.stringify({ schema: '2.0', header: { event_type: 'x' }, pad: 'p'.repeat(300) });
    const parts = [whole.slice(0, 100), whole.slice(100, 200), whole.slice(200)];
    const p = await fakePlatform((send) => {
      send(data('m1', 3, 2, parts[2]!));
      send(data('m1', 3, 0, parts[0]!));
      send(data('bad', 2, 5, 'x')); // seq out of range: dropped, never acked
      send(data('m1', 3, 1, parts[1]!));
      send(data('c1', 1, 0, '{"schema":"2.0"}', 'card'));
    });
    cleanup.push(p.close);
    const statuses: string[] = [];
    const conn = new LongConnection({
      baseUrl: p.url, appId: 'cli_0123456789abcdef', appSecret: 'made-up-secret', timeoutMs: 2000,
      onMessage: async (m) => (got.push(m), { code: 200, data: Buffer.from('{"ok":1}').toString('base64') }),
      onStatus: (l) => statuses.push(l),
    });
    cleanup.push(() => conn.close());
    await conn.start();
    expect(conn.deviceId).toBe('42');
    for (let i = 0; i < 50 && p.frames.filter((f) => f.method === 1).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const ping = p.frames.find((f) => header(f, 'type') === 'ping')!;
    expect(ping).toMatchObject({ method: 0, service: 7 });
    expect(got.map((m) => [m.type, m.message_id, m.fragments])).toEqual([['event', 'm1', 3], ['card', 'c1', 1]]);
    expect(got[0]!.payload.toString()).toBe(whole);
    const acks = p.frames.filter((f) => f.method === 1);
    expect(acks.map((f) => header(f, 'message_id'))).toEqual(['m1', 'c1']);
    // The ack is the completing frame (seq 1 here) with its payload replaced and biz_rt added.
    expect(acks[0]).toMatchObject({ SeqID: 101, LogID: 9, service: 7 });
    expect(header(acks[0]!, 'biz_rt')).toMatch(/^\d+$/);
    expect(JSON.parse(Buffer.from(acks[0]!.payload!).toString())).toEqual({ code: 200, data: Buffer.from('{"ok":1}').toString('base64') });
    expect(statuses.join('\n')).toMatch(/bad fragment headers/);
  });

  test('a handler that throws is acked with code 500; wrong credentials are an auth error', async () => {
    const p = await fakePlatform((send) => send(data('m2', 1, 0, '{}')));
    cleanup.push(p.close);
    const conn = new LongConnection({ baseUrl: p.url, appId: 'cli_0123456789abcdef', appSecret: 'made-up-secret', timeoutMs: 2000, onMessage: async () => { throw new Error('boom'); } });
    cleanup.push(() => conn.close());
    await conn.start();
    for (let i = 0; i < 50 && !p.frames.some((f) => f.method === 1); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(Buffer.from(p.frames.find((f) => f.method === 1)!.payload!).toString())).toEqual({ code: 500 });
    const wrong = new LongConnection({ baseUrl: p.url, appId: 'cli_0123456789abcdef', appSecret: 'nope', timeoutMs: 2000, onMessage: async () => ({ code: 200 }) });
    await expect(wrong.start()).rejects.toMatchObject({ type: 'auth', code: 514 });
  });
});
