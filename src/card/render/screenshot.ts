import { createRequire } from 'node:module';
import type * as Playwright from 'playwright-core';
import { CliError } from '../../output/errors.js';
import type { BrowserLaunchOptions, BrowserLauncher } from '../../io.js';
import { findChromium, type FoundChromium } from './chromium.js';
import { fontsFor } from './fonts.js';

/** Flags for a headless browser that must never reach the network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--no-zygote', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-domain-reliability', '--no-pings'];

export type LaunchOptions = BrowserLaunchOptions;

export async function launchChromium(env: NodeJS.ProcessEnv, opts: LaunchOptions = {}): Promise<Playwright.Browser> {
  const found = await findChromium({ env, warn: opts.warn });
  opts.onFound?.(found);
  const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof Playwright;
  try {
    return await chromium.launch({
      executablePath: found.path,
      args: CHROMIUM_ARGS,
      headless: true,
      env: { ...env, ...found.env },
      timeout: 60_000,
      // The command closes the browser itself on a signal (see `screenshotCard`).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    throw new CliError('usage', `the browser at ${found.path} (${found.source}) did not start: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'Point CARD_CHROMIUM at a working Chrome or Chromium binary.',
      cause: err,
    });
  }
}

/**
 * Shows a preview page in `page` with the shipped fonts its text needs: first the page as is,
 * to read the text it shows (emoji keys become characters only there); then again with the
 * fonts inlined. Returns the characters no font draws.
 */
export async function showWithFonts(page: Playwright.Page, html: string): Promise<{ missingGlyphs: string[] }> {
  await page.setContent(html, { waitUntil: 'load' });
  const text = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const fields = [...doc.querySelectorAll('input,textarea,select option')].map((e: any) => `${e.placeholder ?? ''} ${e.value ?? ''} ${e.textContent ?? ''}`);
    return `${doc.body.innerText as string} ${fields.join(' ')}`;
  });
  const fonts = fontsFor(text);
  if (fonts.css) {
    await page.setContent(html.replace('</style>', () => `${fonts.css}</style>`), { waitUntil: 'load' });
    await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
  }
  return { missingGlyphs: fonts.missing };
}

export interface ScreenshotResult {
  png: Buffer;
  consoleErrors: string[];
  /** Characters on the card that no font available to the screenshot draws. */
  missingGlyphs: string[];
  browser: FoundChromium | null;
}

/**
 * Renders a preview page and returns a PNG of the card. The caller writes the file, so every
 * file-system problem is reported against the user's path rather than from inside the browser.
 * A SIGINT or SIGTERM while the browser runs closes it, and the process ends as it would have.
 */
export async function screenshotCard(html: string, env: NodeJS.ProcessEnv, opts: { width?: number; scale?: number; warn?: (m: string) => void; launch?: BrowserLauncher } = {}): Promise<ScreenshotResult> {
  let found: FoundChromium | null = null;
  let launching: Promise<Playwright.Browser> | null = null;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // A browser still starting is waited for, so that it is closed rather than orphaned.
    const closing = launching ? launching.then((b) => b.close()) : Promise.resolve();
    void closing.catch(() => {}).finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, signal);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    launching = (opts.launch ?? launchChromium)(env, { warn: opts.warn, onFound: (f) => (found = f) });
    const browser = await launching;
    const page = await browser.newPage({ viewport: { width: opts.width ?? 680, height: 600 }, deviceScaleFactor: opts.scale ?? 2 });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const { missingGlyphs } = await showWithFonts(page, html);
    const png = await page.locator('.card').screenshot();
    return { png, consoleErrors, missingGlyphs, browser: found };
  } catch (err) {
    // The browser was closed under us by a signal: the handler ends the process, say nothing.
    if (stopping) return new Promise<never>(() => {});
    throw err;
  } finally {
    if (!stopping) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await launching?.then((b) => b.close()).catch(() => {});
    }
  }
}
