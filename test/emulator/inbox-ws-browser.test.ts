import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';
import { chromiumForFile } from '../helpers/browser.js';

/** The inbox in Chromium with a bot on the long connection: a click is answered over it and shown. */
let emu: RunningEmulator;
let browser: Browser;
let page: Page;
let bot: WsBot;
const received: any[] = [];
const sb = new Sandbox();
const approved = JSON.parse(readFileSync(join(FIXTURES, 'cards/approved.v2.json'), 'utf8'));

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  // The default seed's first app names no callback URL, so it receives over the long connection.
  emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  sb.env = emulatorEnv(emu.url, app);
  const api = new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: emu.url, logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} } } as any);
  bot = await startWsBot(emu.url, app, {
    // The bot answers a message with a card, in the chat it came from.
    'im.message.receive_v1': async (data: any) => {
      received.push(data);
      const text = JSON.parse(data.message.content).text as string;
      await api.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: data.message.chat_id, msg_type: 'interactive', content: JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: `Re: ${text}` } }, body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Ack' }, behaviors: [{ type: 'callback', value: { ack: text } }] }] } }) },
      });
    },
    'card.action.trigger': async (data: any) => {
      received.push(data);
      return { toast: { type: 'success', content: 'Approved over the long connection' }, card: { type: 'raw', data: approved } };
    },
  });
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
});
afterAll(async () => {
  await page?.context().close();
  bot?.close();
  await emu?.close();
  sb.cleanup();
});

describe('the emulator inbox with a WSClient bot', () => {
  it('a click in the browser reaches the bot over the long connection, and its toast and card show', async () => {
    const chat = emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
    expect((await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', chat])).code).toBe(0);
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.locator('.msg button:text("Approve")').click();
    await page.locator('.ix').first().waitFor();
    await page.waitForSelector('#toast.success:text("Approved over the long connection")');
    await page.waitForSelector('.msg .header .subtitle:text("Approved")');
    expect(received.filter((d) => d.action).at(-1).action.value).toEqual({ action: 'approve', request_id: 'EXP-1024' });
    const list = (await (await fetch(`${emu.url}/_emulator/inbox/interactions`)).json()) as any;
    expect(list.data.interactions.at(-1)).toMatchObject({ ok: true, channel: 'ws', applied: 'card' });
    expect(await page.locator('.ix').first().textContent()).toContain('long connection');
  });

  it('the message box: a user @mentions the bot in a group, the bot answers with a card, and the card is clicked', async () => {
    await page.fill('#composer-text', 'deploy <b>now</b>');
    await page.click('#composer-send');
    await page.waitForSelector('#composer-note:text("im.message.receive_v1")');
    const mine = page.locator('.msg.mine .text-msg').last();
    await mine.waitFor();
    // What a user types is text, never markup.
    expect(await mine.textContent()).toBe('@_user_1 deploy <b>now</b>');
    expect(await page.locator('.msg.mine b').count()).toBe(0);
    const event = received.find((d) => d.event_type === 'im.message.receive_v1');
    expect(event.message).toMatchObject({ chat_type: 'group', content: JSON.stringify({ text: '@_user_1 deploy <b>now</b>' }) });
    await page.waitForSelector('.msg .header .title:text("Re: @_user_1 deploy <b>now</b>")');
    // The first test's toast may still be showing: wait for this click's own interaction, not any toast.
    const seen = await page.locator('.ix').count();
    await page.locator('.msg button:text("Ack")').last().click();
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.ix').length > n, seen);
    await page.waitForSelector('#toast.success:text("Approved over the long connection")');
    expect(received.filter((d) => d.action).at(-1).action.value).toEqual({ ack: '@_user_1 deploy <b>now</b>' });
  });
});
