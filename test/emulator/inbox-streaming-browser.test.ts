import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { EmulatorClient } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';
import { chromiumForFile } from '../helpers/browser.js';

/** A streaming CardKit card in the inbox, in a real browser: the text types out, then ends complete. */
let emu: RunningEmulator;
let api: EmulatorClient;
let browser: Browser;
let page: Page;
let handler: Awaited<ReturnType<typeof serve>>;
const clicks: any[] = [];

const PIECES = ['Streaming cards type ', 'their text out a few ', 'characters at a time, ', 'the way the Feishu client ', 'shows an AI answer.'];

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  handler = await serve(async (req, res) => {
    clicks.push(JSON.parse(await readBody(req)));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ toast: { type: 'info', content: 'Stopping…' } }));
  });
  const seed: SeedFile = loadDefaultSeed();
  // Plain callbacks, no signature keys: this test is about streaming, not signing.
  seed.apps[0] = { ...seed.apps[0]!, callback_url: `${handler.url}/card`, encrypt_key: undefined, verification_token: undefined };
  emu = await startEmulator({ port: 0, seed });
  api = new EmulatorClient(emu);
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
});
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await handler?.close();
});

describe('the inbox shows a streaming card as the client does', () => {
  it('types the text out, keeps clicks working while it streams, and ends complete', async () => {
    const token = await api.token();
    const card = {
      schema: '2.0',
      config: { streaming_mode: true, streaming_config: { print_frequency_ms: { default: 20 }, print_step: { default: 1 }, print_strategy: 'fast' } },
      header: { title: { tag: 'plain_text', content: 'Assistant' } },
      body: {
        elements: [
          { tag: 'markdown', content: '', element_id: 'answer' },
          { tag: 'button', element_id: 'stop', text: { tag: 'plain_text', content: 'Stop' }, behaviors: [{ type: 'callback', value: { action: 'stop' } }] },
        ],
      },
    };
    const created = await api.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(card) }, token);
    const cardId = created.body.data.card_id;
    const chatId = emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
    const sent = await api.send(token, 'chat_id', chatId, { type: 'card', data: { card_id: cardId } });
    expect(sent.body.code).toBe(0);
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    const msg = page.locator(`.msg[data-message-id="${sent.body.data.message_id}"]`);
    await msg.waitFor();
    await page.waitForSelector('.msg[data-streaming] .summary:text("[生成中...]")');

    // Sample what the page shows every 15 ms while the text is pushed.
    await page.evaluate(() => {
      const w = globalThis as any;
      w.samples = [];
      w.sampler = setInterval(() => {
        const node = w.document.querySelector('[data-element-id="answer"]');
        w.samples.push(node ? (node.textContent ?? '').length : -1);
      }, 15);
    });
    let sofar = '';
    let seq = 0;
    for (const piece of PIECES) {
      sofar += piece;
      const r = await api.call('PUT', `/open-apis/cardkit/v1/cards/${cardId}/elements/answer/content`, { content: sofar, sequence: ++seq }, token);
      expect(r.body.code).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
    }

    // A click while it streams still reaches the bot.
    await msg.locator('button:text("Stop")').click();
    await page.waitForSelector('#toast:text("Stopping…")');
    expect(clicks.at(-1).event.action.value).toEqual({ action: 'stop' });

    const closed = await api.call('PATCH', `/open-apis/cardkit/v1/cards/${cardId}/settings`, { settings: JSON.stringify({ config: { streaming_mode: false } }), sequence: ++seq }, token);
    expect(closed.body.code).toBe(0);
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('.msg[data-streaming]'));
    await page.waitForFunction((full) => {
      const node = (globalThis as any).document.querySelector('[data-element-id="answer"]');
      return node && !node.classList.contains('typing') && node.textContent?.trim() === full;
    }, sofar);
    const samples: number[] = await page.evaluate(() => {
      const w = globalThis as any;
      clearInterval(w.sampler);
      return w.samples;
    });
    // The text grew through many lengths (typed, not dropped in whole), and never shrank.
    const growing = samples.filter((n) => n > 0 && n < sofar.length);
    expect(new Set(growing).size).toBeGreaterThan(20);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!).toBeGreaterThanOrEqual(samples[i - 1]!);
    expect(await msg.locator('.summary').count()).toBe(0);
  });
});
