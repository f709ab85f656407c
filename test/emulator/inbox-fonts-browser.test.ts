import { describe, expect, it } from 'vitest';
import { glyphsDrawn, inboxInBrowser } from '../helpers/browser.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

/** The inbox in Chromium with no CJK or emoji font of the system's: the fonts card ships draw the text. */
const t = inboxInBrowser();

describe('the inbox draws Chinese and emoji', () => {
  it('with the served fonts, not as missing-glyph boxes, and fetches only fonts of its own', { timeout: 60_000 }, async () => {
    const token = await t.c.token();
    const chat = t.c.emu.state().chats[0]!;
    const sent = await t.c.send(token, 'chat_id', chat.chat_id, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '请假审批 :THUMBSUP: 👍' }] } });
    expect(sent.body.code).toBe(0);
    const page = await t.browser.newPage();
    const requests: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(`${t.c.emu.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.locator(`.conv[data-chat-id="${chat.chat_id}"]`).click();
    await page.locator('.msg .markdown', { hasText: '请假审批' }).waitFor();
    await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
    // Each character drawn in the message's font is compared with a character no font has (a box).
    const differs = await glyphsDrawn(page, '.msg .markdown', ['请', '审', '👍']);
    expect(differs).toEqual([true, true, true]);
    const fonts = requests.filter((u) => u.includes('/_emulator/inbox/fonts/'));
    expect(fonts.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(t.c.emu.url))).toBe(true);
    expect(refused.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    await page.close();
  });
});
