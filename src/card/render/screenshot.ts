import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Playwright from 'playwright-core';
import { usageError } from '../../output/errors.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** The browser to drive: CARD_CHROMIUM, else a system Chromium or Chrome. */
export function findChromium(env: NodeJS.ProcessEnv): string {
  const found = env.CARD_CHROMIUM ?? CANDIDATES.find((p) => existsSync(p));
  if (!found || !existsSync(found)) {
    throw usageError('no Chromium found for the screenshot', {
      hint: 'Install it (Debian/Ubuntu: apt-get install chromium) or point CARD_CHROMIUM at a Chromium or Chrome binary.',
    });
  }
  return found;
}

/** Flags for a headless browser that must never reach the network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(env: NodeJS.ProcessEnv): Promise<Playwright.Browser> {
  const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof Playwright;
  return chromium.launch({ executablePath: findChromium(env), args: CHROMIUM_ARGS, headless: true });
}

/** Renders a preview page and writes a PNG of the card; returns what the page logged as errors. */
export async function screenshotCard(html: string, pngPath: string, env: NodeJS.ProcessEnv, opts: { width?: number; scale?: number } = {}): Promise<{ consoleErrors: string[] }> {
  const browser = await launchChromium(env);
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 680, height: 600 }, deviceScaleFactor: opts.scale ?? 2 });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.setContent(html, { waitUntil: 'load' });
    await page.locator('.card').screenshot({ path: pngPath });
    return { consoleErrors };
  } finally {
    await browser.close();
  }
}
