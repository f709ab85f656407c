import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';

/** The inbox's event stream tells an open page when a pasted link's previews were answered. */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;

let emu: TestEmulator | undefined;
const stop: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stop.splice(0)) await s();
  await emu?.close();
  emu = undefined;
});

describe('the inbox event stream and link previews', () => {
  it('sends `previews` with the message and its chat once the apps answered', async () => {
    const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register({
      'url.preview.get': () => ({ inline: { title: 'Request 9' } }),
    } as any);
    const bot = await serve(dispatcherWebhook(dispatcher, seeded.encrypt_key!));
    stop.push(bot.close);
    emu = await startEmulator({ callbackUrl: `${bot.url}/callbacks`, rateLimits: false });
    const abort = new AbortController();
    stop.push(() => abort.abort());
    const res = await fetch(`${emu.url}/_emulator/inbox/events`, { signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${needle}`);
        text += new TextDecoder().decode(value);
      }
    };
    await until(': connected');
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as any;
    const group = state.data.chats.find((c: any) => c.name === 'Card Playground').chat_id;
    const alice = emu.user('alice@example.com');
    const pasted = (await (
      await fetch(`${emu.url}/_emulator/users/${alice.openId}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: group, url: 'https://approvals.example.com/requests/9' }) })
    ).json()) as any;
    expect(pasted.data.previews).toMatchObject([{ ok: true, inline: { title: 'Request 9' } }]);
    await until('event: previews');
    const line = text.slice(text.indexOf('event: previews')).split('\n')[1]!;
    expect(JSON.parse(line.replace(/^data: /, ''))).toEqual({ message_id: pasted.data.message_id, chat_id: group });
  });
});
