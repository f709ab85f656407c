import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { serve } from '../helpers/handler.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * What a preview keeps of a refused url.preview.get answer is bounded: a card of hundreds of bad
 * elements leaves the first problems and a count on the preview, not hundreds on each preview.
 */
let emu: TestEmulator | undefined;
const stop: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stop.splice(0)) await s();
  await emu?.close();
  emu = undefined;
});

describe('a refused preview keeps a bounded list of problems', () => {
  it('keeps 20 problems and says how many more', async () => {
    const elements = Array.from({ length: 300 }, () => ({ tag: 'no_such_tag' }));
    const answer = { inline: { title: 'Order' }, card: { type: 'card_json', data: { schema: '2.0', body: { elements } } } };
    const bot = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    stop.push(bot.close);
    const seed = loadDefaultSeed();
    seed.apps[0]!.url_previews = [{ pattern: 'https://shop.example.com/*' }];
    emu = await startEmulator({ seed, callbackUrl: `${bot.url}/cb`, rateLimits: false });
    const state = await json(fetch(`${emu.url}/_emulator/state`));
    const group = state.data.chats.find((c: any) => c.name === 'Card Playground').chat_id;
    const alice = state.data.users.find((u: any) => u.email === 'alice@example.com').open_id;
    const res = await json(fetch(`${emu.url}/_emulator/users/${alice}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: group, url: 'https://shop.example.com/1' }) }));
    const [preview] = res.data.previews;
    expect(preview.ok).toBe(false);
    expect(preview.problems).toHaveLength(21);
    expect(preview.problems[20].message).toMatch(/^and \d+ more problems/);
  });
});
