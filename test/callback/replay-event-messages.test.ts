import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * A replayed message event names a message that exists in the emulator: a bot that replies to
 * it (the official SDK, over the long connection or behind a webhook) gets its reply through.
 */
const t = emulatorForFile();
let bot: WsBot | null = null;
afterEach(() => {
  bot?.close();
  bot = null;
});

/** The official SDK as the bot, with a token cache of its own (the emulator is reset between tests). */
function sdkClient(app: { app_id: string; app_secret: string }) {
  const store = new Map<string | symbol | Symbol, { value: unknown; expiredTime?: number }>();
  const cache: lark.Cache = {
    set: async (key, value, expiredTime) => (store.set(key, { value, expiredTime }), true),
    get: async (key) => {
      const hit = store.get(key);
      return hit && (!hit.expiredTime || hit.expiredTime > Date.now()) ? hit.value : undefined;
    },
  };
  return new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: t.emu.url, cache, loggerLevel: lark.LoggerLevel.fatal });
}

describe('replaying message events at the emulator', () => {
  it('--ws: the bot replies to message-p2p and the reply lands in the p2p chat', async () => {
    const app = t.emu.state().apps[0]!;
    const client = sdkClient(app);
    const replies: Array<{ code?: number; msg?: string; data?: any }> = [];
    let replied!: () => void;
    const answered = new Promise<void>((resolve) => (replied = resolve));
    bot = await startWsBot(t.emu.url, app, {
      'im.message.receive_v1': async (data: any) => {
        const r = await client.im.message.reply({ path: { message_id: data.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'hi back' }) } }).catch((e) => ({ code: e?.response?.data?.code ?? -1, msg: String(e) }));
        replies.push(r as any);
        replied();
      },
    });
    const r = await t.sb.run(['replay-callback', 'message-p2p', '--ws', '--json']);
    expect(r.code, r.stderr).toBe(0);
    await answered;
    expect(replies[0]?.code, JSON.stringify(replies[0])).toBe(0);
    const alice = t.emu.state().users[0]!;
    const sent = t.emu.messages().filter((m: any) => m.sender.open_id === alice.open_id);
    expect(sent).toHaveLength(1);
    expect(replies[0]!.data.chat_id).toBe(sent[0]!.chat_id);
  });

  it('--ws: message-group-mention lands in the seeded group the bot is in, and the reply works', async () => {
    const app = t.emu.state().apps[0]!;
    const client = sdkClient(app);
    const replies: any[] = [];
    let replied!: () => void;
    const answered = new Promise<void>((resolve) => (replied = resolve));
    bot = await startWsBot(t.emu.url, app, {
      'im.message.receive_v1': async (data: any) => {
        replies.push(await client.im.message.reply({ path: { message_id: data.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'on it' }) } }).catch((e) => ({ code: e?.response?.data?.code ?? -1 })));
        replied();
      },
    });
    expect((await t.sb.run(['replay-callback', 'message-group-mention', '--ws'])).code).toBe(0);
    await answered;
    expect(replies[0]?.code).toBe(0);
    expect(replies[0].data.chat_id).toBe(t.emu.state().chats[0]!.chat_id);
  });

  it('over a webhook whose bot uses the emulator: the message exists before the event is sent', async () => {
    const app = t.emu.state().apps[0]!;
    const client = sdkClient(app);
    let replyCode: number | null = null;
    const handler = await serve(async (req, res) => {
      const event = JSON.parse(await readBody(req));
      const r: any = await client.im.message.reply({ path: { message_id: event.event.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'via webhook' }) } }).catch((e) => ({ code: e?.response?.data?.code ?? -1 }));
      replyCode = r.code;
      res.end('{}');
    });
    try {
      const r = await t.sb.run(['replay-callback', 'message-p2p', '--url', handler.url, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(replyCode).toBe(0);
    } finally {
      await handler.close();
    }
  });
});
