import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { cardkitOf } from '../../src/emulator/cardkit-store.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

let api: EmulatorClient | null = null;
afterEach(async () => {
  await api?.emu.close();
  api = null;
});

const streamingCard = { schema: '2.0', config: { streaming_mode: true }, body: { elements: [{ tag: 'markdown', content: '', element_id: 'md' }] } };

async function create(c: EmulatorClient, token: string): Promise<string> {
  const r = await c.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(streamingCard) }, token);
  expect(r.body.code).toBe(0);
  return r.body.data.card_id;
}

const push = (c: EmulatorClient, token: string, id: string, content: string, sequence: number) =>
  c.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/md/content`, { content, sequence, uuid: `u${sequence}` }, token);

describe('what CardKit keeps of a stream', () => {
  it('keeps the card as it stands, not the texts of every push, and the inbox still types the stream out', async () => {
    api = await withEmulator({ settings: { rateLimits: false } });
    const token = await api.token();
    const id = await create(api, token);
    const chat = api.emu.state().chats.find((ch) => ch.name === 'Card Playground')!.chat_id;
    await api.send(token, 'chat_id', chat, { type: 'card', data: { card_id: id } });
    let text = '';
    for (let seq = 1; seq <= 25; seq++) {
      text += `${'x'.repeat(500)} ${seq}\n`;
      expect((await push(api, token, id, text, seq)).body.code).toBe(0);
    }
    const entity = cardkitOf(api.emu.core).entities.get(id)!;
    // Everything the entity holds besides its card (and the lock, a promise): a few KB, not 25 texts of up to 12 KB twice over.
    const rest = serialize({ ...entity, card: null, lock: null }).length;
    expect(rest).toBeLessThan(8 * 1024);
    const view = (await api.call('GET', `/_emulator/inbox/messages?chat_id=${chat}`)).body.data.messages[0].stream;
    expect(view).toMatchObject({ card_id: id, streaming: true, elements: [{ element_id: 'md', text }] });
    // The uuid rule still holds: the same uuid with the same request is the same success, with another it conflicts.
    expect((await push(api, token, id, text, 25)).body.code).toBe(0);
    expect((await push(api, token, id, 'other', 25)).body.code).toBe(200770);
    expect((await push(api, token, id, 'older', 24)).body.code).toBe(200770);
    expect((await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/md/content`, { content: 'next', sequence: 25 }, token)).body.code).toBe(300317);
  });

  it('holds at most cardkitBytes across entities, dropping the oldest', async () => {
    api = await withEmulator({ settings: { rateLimits: false, cardkitBytes: 64 * 1024 } });
    const token = await api.token();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await create(api, token);
      ids.push(id);
      expect((await push(api, token, id, 'y'.repeat(10_000), 1)).body.code).toBe(0);
    }
    const store = cardkitOf(api.emu.core);
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
    const kept = [...store.entities.keys()];
    expect(kept.length).toBeGreaterThan(2);
    expect(kept.length).toBeLessThan(12);
    expect(kept).toEqual(ids.slice(ids.length - kept.length));
    // A dropped entity is gone the way an unknown one is.
    expect((await push(api, token, ids[0]!, 'again', 2)).body.code).toBe(200740);
    expect((await push(api, token, ids.at(-1)!, 'again', 2)).body.code).toBe(0);
  });
});
