import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { chromiumForFile } from '../helpers/browser.js';

/**
 * A pasted link's preview in Chromium: the person pastes a link in the page, the bot (the official
 * SDK's EventDispatcher on the callback URL, signed and encrypted) answers url.preview.get with an
 * inline title and a card, and the page shows both under the message; a batch_update through the
 * SDK makes the emulator ask again, and the page redraws what the new answer says. What the bot
 * writes is shown as text; a refused answer shows why.
 */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;
const APP_ID = 'cli_a1b2c3d4e5f60c21';
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"><b>Request</b> & "co"';

let emu: TestEmulator;
let bot: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let page: Page;
const asked: any[] = [];
const pageErrors: string[] = [];

/** The bot's answer: a title and a card naming the request and how often it was asked; some links get a hostile or a broken answer. */
function answer(data: any) {
  asked.push(data);
  const url = String(data.context.url);
  const id = url.split('/').pop();
  const n = asked.filter((a) => a.context.url === url).length;
  if (id === 'hostile') return { inline: { title: HOSTILE }, card: { type: 'card_json', data: card(HOSTILE) } };
  if (id === 'broken') return { inline: { title: '' } };
  return { inline: { title: `Request ${id} (v${n})`, i18n_title: { zh_cn: `申请 ${id}` } }, card: { type: 'card_json', data: card(`Request ${id} v${n}`) } };
}
const card = (title: string) => ({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [{ tag: 'markdown', content: 'waiting for your approval' }] } });

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register({
    'url.preview.get': answer,
    'im.message.receive_v1': () => ({}),
  } as any);
  bot = await serve(dispatcherWebhook(dispatcher, seeded.encrypt_key!));
  // Its own app id: the SDK caches tenant tokens per app id for the whole process.
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, APP_ID));
  emu = await startEmulator({ seed, callbackUrl: `${bot.url}/callbacks`, rateLimits: false });
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.locator('.conv', { hasText: 'Card Playground' }).click();
  await page.locator('#chat-bar-name:text("Card Playground")').waitFor();
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await bot?.close();
});

const sdk = () => new lark.Client({ appId: emu.app().appId, appSecret: emu.app().appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });

/** Pastes a link from the page; resolves with its message's box once the page shows its preview. */
async function paste(url: string) {
  const before = asked.length;
  if (!(await page.locator('#link-form').isVisible())) await page.locator('#link-btn').click();
  await page.locator('#link-url').fill(url);
  await page.locator('#link-send').click();
  // The note says "pasted …" while it waits: wait for what the paste caused.
  await page.waitForFunction((u) => ((globalThis as any).document.getElementById('extras-note').textContent as string).startsWith(`pasted ${u} · `) || (globalThis as any).document.getElementById('extras-note').classList.contains('bad'), url);
  expect(await page.locator('#extras-note').textContent()).toContain(`pasted ${url} · `);
  expect(asked.length).toBe(before + 1);
  const id = asked.at(-1).context.open_message_id as string;
  const box = page.locator(`.msg[data-message-id="${id}"]`);
  await box.locator('.link-preview').waitFor();
  return { id, box, token: asked.at(-1).context.preview_token as string };
}

describe('the inbox page shows link previews', () => {
  it('draws the inline title, the link and the card the bot answered, and redraws them after a batch_update', { timeout: 60_000 }, async () => {
    const url = 'https://approvals.example.com/requests/EXP-7';
    const { box, token } = await paste(url);
    expect(await page.locator('#extras-note').textContent()).toContain('url.preview.get → Card Demo Bot (event URL): ok');
    const preview = box.locator('.link-preview');
    expect(await preview.getAttribute('data-preview-token')).toBe(token);
    expect(await preview.locator('.inline .title').textContent()).toBe('Request EXP-7 (v1)');
    expect(await preview.locator('a.url').getAttribute('href')).toBe(url);
    // The card is the emulator's rendering of the card the bot answered.
    await preview.locator('.card-holder .header .title:text("Request EXP-7 v1")').waitFor();

    const r = await sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token] } });
    expect(r.code).toBe(0);
    // No reload: the page follows the event stream.
    await preview.locator('.inline .title:text("Request EXP-7 (v2)")').waitFor();
    await preview.locator('.card-holder .header .title:text("Request EXP-7 v2")').waitFor();
    expect(await preview.locator('.by').textContent()).toContain('asked 2 times');
    expect(asked).toHaveLength(2);
    expect(pageErrors).toEqual([]);
  });

  it('shows a hostile title as text, in the inline preview and in the card', { timeout: 60_000 }, async () => {
    const url = 'https://approvals.example.com/requests/hostile';
    const { box } = await paste(url);
    const preview = box.locator('.link-preview');
    expect(await preview.locator('.inline .title').textContent()).toBe(HOSTILE);
    await preview.locator('.card-holder .header .title').waitFor();
    expect(await preview.locator('.card-holder .header .title').textContent()).toBe(HOSTILE);
    expect(await preview.locator('a.url').getAttribute('href')).toBe(url);
    // Markup in it makes no element, and nothing of it ran.
    expect(await preview.locator('img, b, script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).document.body.dataset.pwned ?? null)).toBeNull();
  });

  it("shows why a bot's answer was refused", { timeout: 60_000 }, async () => {
    const { box } = await paste('https://approvals.example.com/requests/broken');
    const preview = box.locator('.link-preview');
    await preview.locator('.problem').first().waitFor();
    expect(await preview.locator('.inline .title').textContent()).toBe('No preview');
    expect(await preview.locator('.problem').first().textContent()).toContain('$.inline.title');
    expect(await page.locator('#extras-note').textContent()).toContain('url.preview.get → Card Demo Bot (event URL): failed');
    expect(pageErrors).toEqual([]);
  });
});
