import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
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
        seen.push(`click:${d.action.value.action}`);
        if (throwNow) throw new Error('boom');
        return { toast: { type: 'success', content: `ok ${d.action.value.action}` } };
      },
      'im.message.receive_v1': async (d: any) => void seen.push(`message:${JSON.parse(d.message.content).text}`),
    });
    try {
      const ok = await sb.run(['replay-callback', 'button', '--ws', '--set', 'event.action.value.action=reject', '--expect', 'toast.content=ok reject', '--json']);
      expect(ok.stderr).not.toMatch(/✗/);
      expect(ok.code).toBe(0);
      expect(ok.json.data.results[0]).toMatchObject({ status: 200, ok: true, answer: { toast: { type: 'success', content: 'ok reject' } } });
      expect(seen).toContain('click:reject');

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
