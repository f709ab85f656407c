import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { launchChromium } from '../../src/card/render/screenshot.js';
import { emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/** The inbox in Chromium with a bot on the long connection: a click is answered over it and shown. */
let emu: RunningEmulator;
let browser: Browser;
let page: Page;
let bot: WsBot;
const received: any[] = [];
const sb = new Sandbox();
const approved = JSON.parse(readFileSync(join(FIXTURES, 'cards/approved.v2.json'), 'utf8'));

beforeAll(async () => {
  // The default seed's first app names no callback URL, so it receives over the long connection.
  emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  sb.env = emulatorEnv(emu.url, app);
  bot = await startWsBot(emu.url, app, {
    'card.action.trigger': async (data: any) => {
      received.push(data);
      return { toast: { type: 'success', content: 'Approved over the long connection' }, card: { type: 'raw', data: approved } };
    },
  });
  browser = await launchChromium(process.env);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
});
afterAll(async () => {
  bot?.close();
  await browser?.close();
  await emu?.close();
  sb.cleanup();
});

describe('the emulator inbox with a WSClient bot', () => {
  it('a click in the browser reaches the bot over the long connection, and its toast and card show', async () => {
    const chat = emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
    expect((await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', chat])).code).toBe(0);
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.locator('.msg button:text("Approve")').click();
    await page.waitForSelector('#toast.success:text("Approved over the long connection")');
    await page.waitForSelector('.msg .header .subtitle:text("Approved")');
    expect(received.at(-1).action.value).toEqual({ action: 'approve', request_id: 'EXP-1024' });
    const list = (await (await fetch(`${emu.url}/_emulator/inbox/interactions`)).json()) as any;
    expect(list.data.interactions.at(-1)).toMatchObject({ ok: true, channel: 'ws', applied: 'card' });
  });
});
