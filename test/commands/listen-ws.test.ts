import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';
import { serve } from '../helpers/handler.js';

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** card listen --ws as the app's long-connection client, forwarding to the SDK's webhook handlers. */
describe('card listen --ws --forward-to', () => {
  let c: EmulatorClient;
  const sb = new Sandbox();
  let handler: Awaited<ReturnType<typeof serve>>;
  const received: any[] = [];
  let messageId: string;

  beforeAll(async () => {
    c = await withEmulator();
    const app = c.emu.state().apps[0]!;
    const keys = { encryptKey: app.encrypt_key!, verificationToken: app.verification_token!, logger: quiet } as any;
    const cards = lark.adaptDefault('/webhook/card', new lark.CardActionHandler(keys, async (d: any) => {
      received.push(d);
      return { toast: { type: 'success', content: `webhook saw ${d.action.value.act}` } };
    }), { autoChallenge: true }) as any;
    const events = lark.adaptDefault('/webhook/event', new lark.EventDispatcher(keys).register({ 'im.message.receive_v1': async (d: any) => void received.push(d) } as any), { autoChallenge: true }) as any;
    handler = await serve((req, res) => (req.url?.startsWith('/webhook/card') ? cards(req, res) : events(req, res)));
    const token = await c.token();
    const sent = await c.send(token, 'open_id', c.users[0]!.open_id, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } });
    messageId = sent.body.data.message_id;
  });
  afterAll(async () => {
    await handler.close();
    await c.emu.close();
    sb.cleanup();
  });

  const listen = async (forwardTo: string) => {
    const app = c.emu.state().apps[0]!;
    const child = spawn(process.execPath, [CARD_BIN, 'listen', '--ws', '--json', '--out', join(sb.dir, 'recorded'), '--forward-to', forwardTo], {
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1', CARD_BASE_URL: c.emu.url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret, CARD_ENCRYPT_KEY: app.encrypt_key!, CARD_VERIFICATION_TOKEN: app.verification_token! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const ready = JSON.parse((await lines.next()).value);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, lines, ready, stderr: () => stderr, stop: async () => (child.kill('SIGTERM'), exited) };
  };

  test('clicks and events reach the webhook handler encrypted and signed; its answer goes back over the connection', async () => {
    const l = await listen(`${handler.url}/webhook/card`);
    try {
      expect(l.ready).toMatchObject({ mode: 'ws', app_id: c.app.app_id, forward_to: `${handler.url}/webhook/card` });
      expect(c.emu.core.ws.connections()).toHaveLength(1);
      const click = await c.call('POST', '/_emulator/inbox/click', { message_id: messageId, action: { tag: 'button', value: { act: 'approve' } } });
      const i = click.body.data.interaction;
      expect(i).toMatchObject({ channel: 'ws', ok: true, toast: { type: 'success', content: 'webhook saw approve' } });
      expect(received.at(-1).open_message_id ?? received.at(-1).context?.open_message_id).toBe(messageId);
      const entry = JSON.parse((await l.lines.next()).value);
      expect(entry).toMatchObject({ frame_type: 'event', format: 'card.action.trigger', forwarded: { status: 200 }, ack_code: 200 });
      const saved = JSON.parse(readFileSync(entry.saved, 'utf8'));
      expect(saved.payload.event.action.value).toEqual({ act: 'approve' });
      // A message split into fragments is put back together before it is forwarded.
      await c.call('PATCH', '/_emulator/ws/settings', { fragment_bytes: 400 });
      const big = 'z'.repeat(5000);
      const split = await c.call('POST', '/_emulator/inbox/click', { message_id: messageId, action: { tag: 'button', value: { act: 'big', big } } });
      expect(split.body.data.interaction).toMatchObject({ ok: true, toast: { content: 'webhook saw big' } });
      expect(received.at(-1).action.value.big).toBe(big);
      expect(JSON.parse((await l.lines.next()).value).fragments).toBeGreaterThan(10);
      await c.call('PATCH', '/_emulator/ws/settings', { fragment_bytes: 32768 });
      expect(l.stderr()).toMatch(/share the traffic/);
    } finally {
      const code = await l.stop();
      if (code !== 0) console.log("LISTEN STDERR", l.stderr());
      expect(code).toBe(0);
    }
    // No port of its own: the ready line names none.
    expect(l.ready.url).toBeUndefined();
  });

  test('events go to the event handler, and a handler that is down is acked with 500', async () => {
    const l = await listen(`${handler.url}/webhook/event`);
    try {
      const r = await c.call('POST', `/_emulator/users/${c.users[0]!.open_id}/messages`, { text: 'via listen' });
      expect(r.body.data.deliveries[0]).toMatchObject({ channel: 'ws', ok: true });
      expect(received.at(-1).message.content).toBe(JSON.stringify({ text: 'via listen' }));
    } finally {
      await l.stop();
    }
    const down = await listen('http://127.0.0.1:9/nothing');
    try {
      const click = await c.call('POST', '/_emulator/inbox/click', { message_id: messageId, action: { tag: 'button', value: { act: 'x' } } });
      expect(click.body.data.interaction.status).toBe(500);
      expect(down.stderr()).toMatch(/could not reach/);
    } finally {
      await down.stop();
    }
  });

  test('wrong credentials are refused with exit 3', async () => {
    const r = await sb.run(['listen', '--ws'], { env: { CARD_BASE_URL: c.emu.url, CARD_APP_ID: c.app.app_id, CARD_APP_SECRET: 'wrong' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the long connection/);
  });
});
