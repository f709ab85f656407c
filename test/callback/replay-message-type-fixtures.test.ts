import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { REPLAY_KEYS, replayReceiver } from '../helpers/event-bots.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * The shipped fixtures of every message type a person sends: `card fixtures` lists them,
 * `replay-callback` sends them signed and encrypted to the official SDK's dispatcher, and at the
 * emulator (--ws) the message each names is made to exist with its type and content, so the bot
 * reads it back and replies to it.
 */
const FIXTURES: Record<string, string> = {
  'message-image': 'image',
  'message-file': 'file',
  'message-post': 'post',
  'message-audio': 'audio',
  'message-media': 'media',
  'message-sticker': 'sticker',
  'message-merge-forward': 'merge_forward',
  'message-share-chat': 'share_chat',
  'message-share-user': 'share_user',
  'message-location': 'location',
  'message-todo': 'todo',
};
const { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN } = REPLAY_KEYS;

// Nine replies land in one chat within the second: past the platform's 5 a second per chat.
const t = emulatorForFile({ settings: { rateLimits: false } });
let bot: WsBot | null = null;
afterEach(() => {
  bot?.close();
  bot = null;
});

describe('the message type fixtures', () => {
  it('card fixtures lists each one', async () => {
    const sb = new Sandbox();
    try {
      const list = await sb.run(['fixtures', 'list', '--json']);
      const names = list.json.data.fixtures.map((f: any) => f.name);
      for (const name of Object.keys(FIXTURES)) expect(names).toContain(name);
    } finally {
      sb.cleanup();
    }
  });

  it('replay-callback: each reaches the typed handler of an EventDispatcher behind a webhook, with its type and content', async () => {
    const got: any[] = [];
    const server = await replayReceiver({
      'im.message.receive_v1': (data: any) => {
        got.push(data);
        return {};
      },
    });
    const sb = new Sandbox();
    try {
      const r = await sb.run(['replay-callback', ...Object.keys(FIXTURES), '--url', `${server.url}/webhook/event`, '--encrypt-key', ENCRYPT_KEY, '--verification-token', VERIFICATION_TOKEN, '--json']);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      sb.cleanup();
      await server.close();
    }
    // Replays run side by side: what arrived is matched by type.
    expect(got.map((g) => g.message.message_type).sort()).toEqual(Object.values(FIXTURES).sort());
    const byType = (type: string) => got.find((g) => g.message.message_type === type).message;
    expect(JSON.parse(byType('post').content).content[0][0]).toMatchObject({ tag: 'at', user_id: '@_user_1' });
    expect(byType('post').mentions[0]).toMatchObject({ key: '@_user_1', name: 'Card Demo Bot' });
    expect(JSON.parse(byType('audio').content)).toMatchObject({ duration: 4200 });
    expect(byType('merge_forward').content).toBe('Merged and Forwarded Message');
  });

  it('--ws at the emulator: each message is made to exist as the type it is; the bot reads it back and replies', async () => {
    const app = t.emu.state().apps[0]!;
    const client = new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: t.emu.url, loggerLevel: lark.LoggerLevel.fatal });
    const seen: Array<{ event: any; read: any; reply: number | undefined }> = [];
    let all!: () => void;
    const done = new Promise<void>((resolve) => (all = resolve));
    bot = await startWsBot(t.emu.url, app, {
      'im.message.receive_v1': async (data: any) => {
        const read = await client.im.message.get({ path: { message_id: data.message.message_id } });
        const reply = await client.im.message.reply({ path: { message_id: data.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'got it' }) } });
        seen.push({ event: data, read: read.data!.items, reply: reply.code });
        if (seen.length === Object.keys(FIXTURES).length) all();
      },
    });
    const r = await t.sb.run(['replay-callback', ...Object.keys(FIXTURES), '--ws', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    await done;
    const users = t.emu.state().users;
    expect(seen.map((s) => s.event.message.message_type).sort()).toEqual(Object.values(FIXTURES).sort());
    for (const { event, read, reply } of seen) {
      expect(read[0]).toMatchObject({ msg_type: event.message.message_type, body: { content: event.message.content } });
      expect(reply).toBe(0);
    }
    const byType = (type: string) => seen.find((s) => s.event.message.message_type === type)!.event.message;
    // A shared group and a shared person are ones this emulator has.
    const shareChat = JSON.parse(byType('share_chat').content);
    expect(t.emu.state().chats.some((c: any) => c.chat_id === shareChat.chat_id)).toBe(true);
    expect(users.some((u) => u.open_id === JSON.parse(byType('share_user').content).user_id)).toBe(true);
    // The keys a replayed voice message names are known; the recording carried no bytes.
    const audio = JSON.parse(byType('audio').content);
    const token = await t.token();
    const res = await fetch(`${t.emu.url}/open-apis/im/v1/messages/${byType('audio').message_id}/resources/${audio.file_key}?type=file`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ code: 234001, msg: expect.stringContaining('no bytes') });
  });
});
