import { spawn } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signV2 } from '../../src/callback/crypto.js';
import { resolveFixtures } from '../../src/callback/fixtures.js';
import { replayOne } from '../../src/callback/replay.js';
import { send } from '../../src/http/request.js';
import { webhookRequest } from '../../src/ws/forward.js';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

/**
 * What a bot receives, read as a handler that looks headers up case-sensitively would: the names
 * exactly as they came over the wire (req.rawHeaders), not Node's lowercased req.headers.
 */
const KEY = 'made-up-wire-encrypt-key';
const TOKEN = 'made-up-wire-verification-token';
let handler: Awaited<ReturnType<typeof serve>>;
let received: Array<{ names: string[]; dict: Record<string, string> }> = [];

beforeAll(async () => {
  handler = await serve(async (req: IncomingMessage, res) => {
    await readBody(req);
    const names: string[] = [];
    const dict: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      names.push(req.rawHeaders[i]!);
      dict[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
    }
    received.push({ names, dict });
    res.end('{}');
  });
});
afterAll(() => handler.close());
beforeEach(() => {
  received = [];
});

const SIGNED = ['Content-Type', 'User-Agent', 'X-Lark-Request-Timestamp', 'X-Lark-Request-Nonce', 'X-Lark-Signature', 'Content-Length'];

/** Each name once, in exactly the case given. */
function expectExactly(names: string[], want: string[]): void {
  expect(names).toEqual(expect.arrayContaining(want));
  const lower = names.map((n) => n.toLowerCase());
  expect(new Set(lower).size).toBe(lower.length);
}

describe('callbacks and events go out with the platform header case', () => {
  it('card replay-callback: a new-format callback and a legacy one', async () => {
    const [button, legacy] = await resolveFixtures(['button', 'legacy-button']);
    for (const fixture of [button!, legacy!]) {
      const r = await replayOne(fixture, { url: `${handler.url}/cb`, timeoutMs: 5000, keys: { encryptKey: KEY, verificationToken: TOKEN } });
      expect(r.status).toBe(200);
      expect(Object.keys(r.sent.headers)).toEqual(expect.arrayContaining(SIGNED.filter((h) => h !== 'Content-Length')));
    }
    expect(received).toHaveLength(2);
    for (const got of received) expectExactly(got.names, SIGNED);
  });

  it('a header given in another case replaces the default instead of going twice', async () => {
    const [button] = await resolveFixtures(['button']);
    await replayOne(button!, { url: `${handler.url}/cb`, timeoutMs: 5000, keys: { encryptKey: KEY, verificationToken: TOKEN }, extraHeaders: { 'user-agent': 'my-gateway', 'x-custom-trace': 't1' } });
    expectExactly(received[0]!.names, [...SIGNED, 'X-Custom-Trace']);
    expect(received[0]!.dict['User-Agent']).toBe('my-gateway');
  });

  it('an event delivery as card listen --ws forwards it', async () => {
    const req = webhookRequest({ schema: '2.0', header: { event_type: 'im.message.receive_v1', token: '' }, event: {} }, { encryptKey: KEY, verificationToken: TOKEN });
    await send({ method: 'POST', url: `${handler.url}/events`, headers: req.headers, body: req.body, timeoutMs: 5000, plainHttp: 'any' });
    expectExactly(received[0]!.names, SIGNED);
    const d = received[0]!.dict;
    expect(d['X-Lark-Signature']).toBe(signV2(d['X-Lark-Request-Timestamp']!, d['X-Lark-Request-Nonce']!, KEY, req.body));
  });

  it('card listen --forward-to passes on a callback in the platform case, whatever case it came in', async () => {
    const sb = new Sandbox();
    const listener = spawn(process.execPath, [CARD_BIN, 'listen', '--port', '0', '--json', '--no-save', '--forward-to', `${handler.url}/card`, '--encrypt-key', KEY], {
      cwd: sb.dir,
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: listener.stdout! })[Symbol.asyncIterator]();
      const listenUrl = JSON.parse((await lines.next()).value).url as string;
      const body = JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token: '' }, event: { action: { value: {} } } });
      const ts = String(Math.floor(Date.now() / 1000));
      // Sent lowercase, as a proxy in front of the bot might pass it on.
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${listenUrl}/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n1', 'x-lark-signature': signV2(ts, 'n1', KEY, body) },
        }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
      await lines.next();
      expect(received).toHaveLength(1);
      expectExactly(received[0]!.names, ['Content-Type', 'X-Lark-Request-Timestamp', 'X-Lark-Request-Nonce', 'X-Lark-Signature', 'Content-Length']);
    } finally {
      listener.kill('SIGTERM');
      sb.cleanup();
    }
  });
});
