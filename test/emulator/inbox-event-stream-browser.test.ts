import { describe, expect, it } from 'vitest';
import { inboxInBrowser } from '../helpers/browser.js';
import { DEFAULT_INBOX_STREAM_BYTES } from '../../src/emulator/settings-limits.js';
import { sharedCard, withEmulator, type EmulatorClient } from '../helpers/emulator.js';

/** The inbox page in Chromium when the emulator cuts its event stream (as it does a page that stopped reading). */
const t = inboxInBrowser();

/** Open event streams: only they listen for inbox clicks. */
const streams = () => t.c.emu.core.events.listenerCount('interaction');

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the inbox page after its event stream was cut', () => {
  it('connects again and shows what arrived meanwhile', { timeout: 60_000 }, async () => {
    const token = await t.c.token();
    const chat = t.c.emu.state().chats[0]!;
    const page = await t.browser.newPage();
    await page.goto(`${t.c.emu.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.locator(`.conv[data-chat-id="${chat.chat_id}"]`).click();
    await until('the page to listen', () => streams() === 1);
    // A bound nothing fits under: the announcement of the next message cuts the stream instead of reaching the page.
    t.c.emu.core.settings.inboxStreamBytes = 1;
    const sent = await t.c.send(token, 'chat_id', chat.chat_id, sharedCard('sent while the stream was cut'));
    expect(sent.body.code).toBe(0);
    await until('the stream to be cut', () => streams() === 0);
    t.c.emu.core.settings.inboxStreamBytes = DEFAULT_INBOX_STREAM_BYTES;
    await page.locator('.msg .markdown', { hasText: 'sent while the stream was cut' }).waitFor({ timeout: 10_000 });
    // On a busy machine the page may first come back while the bound is still 1 byte: that stream is cut
    // at once (the page shows what it reloads all the same), and the next one stays.
    await until('the page to listen again', () => streams() === 1);
    // And the page listens again: the next message arrives live.
    await t.c.send(token, 'chat_id', chat.chat_id, sharedCard('sent after'));
    await page.locator('.msg .markdown', { hasText: 'sent after' }).waitFor({ timeout: 10_000 });
    await page.close();
  });
});
