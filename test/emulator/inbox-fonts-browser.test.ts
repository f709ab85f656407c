import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/card/render/screenshot.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

/** The inbox in Chromium with no CJK or emoji font of the system's: the fonts card ships draw the text. */
let c: EmulatorClient;
let browser: Browser;

// The first run on a machine unpacks the Chromium that card ships: allow for it.
beforeAll(async () => {
  c = await withEmulator();
  browser = await launchChromium(process.env);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await c?.emu.close();
});

describe('the inbox draws Chinese and emoji', () => {
  it('with the served fonts, not as missing-glyph boxes, and fetches only fonts of its own', { timeout: 60_000 }, async () => {
    const token = await c.token();
    const chat = c.emu.state().chats[0]!;
    const sent = await c.send(token, 'chat_id', chat.chat_id, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '请假审批 :THUMBSUP: 👍' }] } });
    expect(sent.body.code).toBe(0);
    const page = await browser.newPage();
    const requests: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(`${c.emu.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.locator(`.conv[data-chat-id="${chat.chat_id}"]`).click();
    await page.locator('.msg .markdown', { hasText: '请假审批' }).waitFor();
    await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
    // Each character drawn in the message's font is compared with a character no font has (a box).
    const differs = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const font = (globalThis as any).getComputedStyle(doc.querySelector('.msg .markdown')).font as string;
      const draw = (ch: string) => {
        const canvas = doc.createElement('canvas');
        canvas.width = 64;
        canvas.height = 64;
        const g = canvas.getContext('2d');
        g.font = font.replace(/\d+px/, '40px');
        g.fillText(ch, 4, 48);
        return Array.from(g.getImageData(0, 0, 64, 64).data as Uint8ClampedArray).join(',');
      };
      const box = draw('\u{10FFFD}');
      return ['请', '审', '👍'].map((ch) => draw(ch) !== box);
    });
    expect(differs).toEqual([true, true, true]);
    const fonts = requests.filter((u) => u.includes('/_emulator/inbox/fonts/'));
    expect(fonts.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(c.emu.url))).toBe(true);
    expect(refused.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    await page.close();
  });
});
