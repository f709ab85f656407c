import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';
import { chromiumForFile } from '../helpers/browser.js';

/** "Record a test" in the inbox page, in a real browser: record a click, stop, and get the test file. */
let emu: RunningEmulator;
let browser: Browser;
let handler: Awaited<ReturnType<typeof serve>>;
let page: Page;
const errors: string[] = [];
const sb = new Sandbox();

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  const seed: SeedFile = loadDefaultSeed();
  const app = seed.apps[0]!;
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const cardHandler = new lark.CardActionHandler({ encryptKey: app.encrypt_key, verificationToken: app.verification_token, logger } as any, async () => ({ toast: { type: 'success', content: 'Approved </script> "by" the handler' } }));
  handler = await serve(lark.adaptDefault('/card', cardHandler, { autoChallenge: true }) as any);
  app.callback_url = `${handler.url}/card`;
  emu = await startEmulator({ port: 0, seed });
  sb.env = emulatorEnv(emu.url, app);
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await handler?.close();
  sb.cleanup();
});

it('records a click on a card and downloads it as a vitest file, under the page\'s CSP', async () => {
  const playground = emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
  await page.locator('#record').click();
  await page.waitForSelector('#record[data-recording]');
  expect(await page.locator('#record').textContent()).toBe('Stop and download');
  const sent = await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', playground]);
  expect(sent.code).toBe(0);
  await page.locator('.conv', { hasText: 'Card Playground' }).click();
  await page.locator('.msg button:text("Approve")').click();
  await page.waitForSelector('#toast.success');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#record').click()]);
  expect(download.suggestedFilename()).toMatch(/^recorded-rec_[0-9a-f]+\.test\.ts$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text).toContain('const m1 = await emu.waitForMessage((m) => m.card !== null && firstLine(m.card) === "Expense approval");');
  // The button as the testing library names it: its element_id, the first unique name it has.
  expect(text).toContain('const r1 = await alice.click(m1.messageId, { elementId: "approve_btn" });');
  expect(text).toContain('expect(r1.toast).toEqual({ type: "success", content: "Approved </script> \\"by\\" the handler" });');
  await page.waitForSelector('#record-note:text("2 steps recorded")');
  expect(await page.locator('#record').textContent()).toBe('Record a test');
  expect(errors).toEqual([]);
});
