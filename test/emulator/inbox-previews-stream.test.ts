import { describe, expect, it } from 'vitest';
import { eventBots } from '../helpers/event-bots.js';

/** The inbox's event stream tells an open page when a pasted link's previews were answered. */
const bots = eventBots();

describe('the inbox event stream and link previews', () => {
  it('sends `previews` with the message and its chat once the apps answered', async () => {
    const emu = await bots.webhookBot({ 'url.preview.get': () => ({ inline: { title: 'Request 9' } }) }, { at: 'callbacks' });
    const abort = new AbortController();
    bots.defer(() => abort.abort());
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
