import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CARD_BIN, emulatorEnv, Sandbox } from '../helpers/cli.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

describe('card replay-callback --ws', () => {
  let c: EmulatorClient;
  let sb: Sandbox;
  beforeAll(async () => {
    c = await withEmulator();
    sb = new Sandbox(emulatorEnv(c.emu.url, c.app));
  });
  afterAll(async () => {
    await c.emu.close();
    sb.cleanup();
  });

  test('with no client connected it says so and exits 4', async () => {
    const r = await sb.run(['replay-callback', 'button', '--ws']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no long-connection client of cli_\w+ is connected/);
  });

  test('delivers callbacks and events to the connected SDK client and judges the acks', async () => {
    const seen: string[] = [];
    let throwNow = false;
    const bot: WsBot = await startWsBot(c.emu.url, c.app, {
      'card.action.trigger': async (d: any) => {
        seen.push(`click:${d.action.value.action}`, `app:${d.app_id}`);
        if (throwNow) throw new Error('boom');
        return { toast: { type: 'success', content: `ok ${d.action.value.action}` } };
      },
      'im.message.receive_v1': async (d: any) => void seen.push(`message:${JSON.parse(d.message.content).text}`),
    });
    try {
      const ok = await sb.run(['replay-callback', 'button', '--ws', '--set', 'event.action.value.action=reject', '--set', 'header.app_id=cli_0000000000000000', '--expect', 'toast.content=ok reject', '--json']);
      expect(ok.stderr).not.toMatch(/✗/);
      expect(ok.code).toBe(0);
      expect(ok.json.data.results[0]).toMatchObject({ status: 200, ok: true, answer: { toast: { type: 'success', content: 'ok reject' } } });
      expect(seen).toContain('click:reject');
      expect(seen).toContain(`app:${c.app.app_id}`);

      const events = await sb.run(['replay-callback', 'message-p2p', 'message-group-mention', '--ws']);
      expect(events.code).toBe(0);
      expect(seen).toContain('message:hello bot');
      expect(events.stderr).toMatch(/2 passed, 0 failed/);

      const wrong = await sb.run(['replay-callback', 'button', '--ws', '--expect', 'toast.type=error']);
      expect(wrong.code).toBe(5);

      throwNow = true;
      const thrown = await sb.run(['replay-callback', 'button', '--ws']);
      expect(thrown.code).toBe(5);
      expect(thrown.stderr).toMatch(/ack code 500.*200671/);

      const legacy = await sb.run(['replay-callback', 'legacy-button', '--ws']);
      expect(legacy.code).toBe(2);
      expect(legacy.stderr).toMatch(/not available over the long connection/);
      expect((await sb.run(['replay-callback', 'button', '--ws', '--url', 'http://127.0.0.1:9/x'])).code).toBe(2);
    } finally {
      bot.close();
    }
  });
});

describe('card emulator and card fixtures, for the long connection and events', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());

  test('--ws, --event-url and --ws-card-frames set where each app receives, shown in the ready line', async () => {
    const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0', '--json', '--callback-url', 'http://127.0.0.1:9/cb', '--event-url', 'http://127.0.0.1:9/ev', '--ws', '--ws-card-frames'], {
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      const ready = JSON.parse((await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value);
      expect(ready.apps[0]).toMatchObject({ callback_url: 'http://127.0.0.1:9/cb', callback_mode: 'ws', event_url: 'http://127.0.0.1:9/ev', event_mode: 'ws', ws_card_frames: true });
      const ep = await fetch(`${ready.url}/callback/ws/endpoint`, { method: 'POST', body: JSON.stringify({ AppID: ready.apps[0].app_id, AppSecret: ready.apps[0].app_secret }) });
      expect(((await ep.json()) as { code: number }).code).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const bad = await sb.run(['emulator', '--event-url', 'ftp://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--event-url');
  });

  test('the emulator logs long-connection clients as they come and go', async () => {
    const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0'], {
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(cond()).toBe(true);
    };
    try {
      await until(() => /listening on http:\/\/\S+/.test(stdout));
      const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
      expect(stdout).toMatch(/callbacks over the long connection/);
      const bot = await startWsBot(url, { app_id: 'cli_a0e1d2c3b4a59687', app_secret: 'emu-demo-secret-not-real-0001' }, {});
      await until(() => /long connection: cli_a0e1d2c3b4a59687 connected \(connection \d+, 1 open\)/.test(stderr));
      bot.close();
      await until(() => /long connection: cli_a0e1d2c3b4a59687 disconnected/.test(stderr));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  test('card fixtures list shows the shipped events', async () => {
    const list = await sb.run(['fixtures', 'list', '--json']);
    const events = list.json.data.fixtures.filter((f: any) => f.format === 'event').map((f: any) => f.name);
    expect(events).toEqual(expect.arrayContaining(['message-p2p', 'message-group-mention', 'bot-added', 'p2p-chat-entered']));
    const show = await sb.run(['fixtures', 'show', 'message-group-mention']);
    expect(JSON.parse(show.stdout).payload.header.event_type).toBe('im.message.receive_v1');
  });
});
