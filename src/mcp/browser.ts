import type * as Playwright from 'playwright-core';
import { launchChromium, showWithFonts } from '../card/render/screenshot.js';

/**
 * One headless browser for the session, started on the first picture asked for and closed with
 * the server: the same browser and fonts as `card preview --png`, without paying a start for
 * every look an agent takes.
 */
export class SessionBrowser {
  private launching: Promise<Playwright.Browser> | null = null;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly warn: (message: string) => void,
  ) {}

  private browser(): Promise<Playwright.Browser> {
    this.launching ??= launchChromium(this.env, { warn: this.warn });
    // A browser that failed to start is tried again on the next call, not remembered as failed.
    this.launching.catch(() => (this.launching = null));
    return this.launching;
  }

  /** A PNG of a preview page's card, and the characters of it no font draws. */
  async cardPng(html: string, opts: { width?: number } = {}): Promise<{ png: Buffer; missingGlyphs: string[]; pageErrors: string[] }> {
    const page = await (await this.browser()).newPage({ viewport: { width: opts.width ?? 680, height: 600 }, deviceScaleFactor: 2 });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      const { missingGlyphs } = await showWithFonts(page, html);
      return { png: await page.locator('.card').screenshot(), missingGlyphs, pageErrors };
    } finally {
      await page.close();
    }
  }

  /**
   * A PNG of the emulator's inbox as a person sees it: one conversation, or one message in it.
   * The inbox page serves its own fonts, so Chinese and emoji are drawn as in `card preview`.
   */
  async inboxPng(url: string, where: { chatId: string | null; messageId: string | null }): Promise<Buffer> {
    const page = await (await this.browser()).newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
    try {
      await page.goto(`${url}/`);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
      const shown = await page.locator('.conv.active').first().getAttribute('data-chat-id').catch(() => null);
      if (where.chatId && shown !== where.chatId) {
        // The feed is redrawn from scratch when a conversation is picked: a marker in the old one tells when.
        await page.evaluate(() => (globalThis as any).document.getElementById('feed').appendChild((globalThis as any).document.createElement('i')).setAttribute('data-stale', '1'));
        await page.locator(`.conv[data-chat-id="${cssString(where.chatId)}"]`).click();
        await page.locator('#feed [data-stale]').waitFor({ state: 'detached', timeout: 10_000 });
        await page.locator('#feed > *').first().waitFor({ timeout: 10_000 });
      }
      const message = where.messageId ? page.locator(`.msg[data-message-id="${cssString(where.messageId)}"]`) : null;
      await message?.waitFor({ timeout: 10_000 });
      await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
      return message ? await message.screenshot() : await page.screenshot();
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    const launching = this.launching;
    this.launching = null;
    await launching?.then((b) => b.close()).catch(() => {});
  }
}

/** An id inside a CSS attribute selector: ids are checked against the store first; this keeps the quotes closed anyway. */
function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
