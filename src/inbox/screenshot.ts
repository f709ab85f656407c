import { launchChromium } from '../card/render/screenshot.js';
import { fontsFor } from '../card/render/fonts.js';
import { CliError } from '../output/errors.js';
import type { FoundChromium } from '../card/render/chromium.js';
import type { BrowserLauncher } from '../io.js';

export interface InboxShot {
  png: Buffer;
  /** Characters on the page that no shipped font draws. */
  missingGlyphs: string[];
  browser: FoundChromium | null;
}

/** How long the page may take to load its lists and fonts. */
const PAGE_MS = 20_000;

/**
 * The inbox page of a running emulator, or one message in it, as a PNG: drawn by the browser
 * `card preview` uses (the bundled one unless CARD_CHROMIUM names another), with the fonts the
 * emulator serves to its page, so Chinese and emoji draw. The page shows the message's chat, as the
 * person who sees the card (`viewer`).
 */
export async function screenshotInbox(baseUrl: string, env: NodeJS.ProcessEnv, opts: { chatId?: string; messageId?: string; viewer?: string; dark?: boolean; warn?: (m: string) => void; launch?: BrowserLauncher }): Promise<InboxShot> {
  let found: FoundChromium | null = null;
  const browser = await (opts.launch ?? launchChromium)(env, { warn: opts.warn, onFound: (f) => (found = f) });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2, colorScheme: opts.dark ? 'dark' : 'light' });
    await page.goto(`${baseUrl}/`, { waitUntil: 'load', timeout: PAGE_MS });
    await page.waitForSelector('body[data-ready="1"]', { timeout: PAGE_MS });
    if (opts.viewer) {
      await page.selectOption('#operator', opts.viewer);
    }
    if (opts.chatId) {
      await page.click(`.conv[data-chat-id="${cssString(opts.chatId)}"]`, { timeout: PAGE_MS });
    }
    if (opts.dark) await page.evaluate(() => (globalThis as any).document.body.classList.replace('light', 'dark'));
    const target = opts.messageId ? page.locator(`.msg[data-message-id="${cssString(opts.messageId)}"]`) : null;
    if (target) await target.waitFor({ timeout: PAGE_MS });
    await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
    const text = await (target ?? page.locator('body')).innerText();
    const png = target ? await target.screenshot({ timeout: PAGE_MS }) : await page.screenshot({ timeout: PAGE_MS });
    return { png, missingGlyphs: fontsFor(text).missing, browser: found };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('network', `the inbox page at ${baseUrl} did not draw: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  } finally {
    await browser.close().catch(() => {});
  }
}

/** An id inside a CSS attribute selector's quotes. */
function cssString(id: string): string {
  return id.replace(/["\\]/g, (c) => `\\${c}`);
}
