import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../src/card/render/screenshot.js';
import { withEmulator, type EmulatorClient } from './emulator.js';

let shared: Promise<Browser> | undefined;

/**
 * The Chromium of this test worker: started by the first file that asks (the first run on a
 * machine unpacks the Chromium card ships: allow for it), then lent to every later file the worker
 * runs, since files share a worker's modules (isolate: false). Playwright ends it with the worker.
 */
function workerChromium(): Promise<Browser> {
  shared ??= launchChromium(process.env).then((browser) => {
    browser.on('disconnected', () => (shared = undefined));
    return browser;
  });
  shared.catch(() => (shared = undefined));
  return shared;
}

/**
 * A Chromium for a test file. Each page a test opens with `browser.newPage()` is a context of its
 * own (no cookies, storage or cache shared); whatever the file leaves open is closed after its
 * last test, so the next file finds the browser as new.
 */
export function chromiumForFile(): { readonly browser: Browser } {
  const t = {} as { browser: Browser };
  let before = new Set<BrowserContext>();
  beforeAll(async () => {
    t.browser = await workerChromium();
    before = new Set(t.browser.contexts());
  }, 120_000);
  afterAll(async () => {
    const left = t.browser?.isConnected() ? t.browser.contexts().filter((c) => !before.has(c)) : [];
    await Promise.all(left.map((c) => c.close()));
  });
  return t;
}

/** An emulator and a Chromium for a test file of the inbox page, started before its first test and stopped after its last. */
export function inboxInBrowser(): { readonly c: EmulatorClient; readonly browser: Browser } {
  const chromium = chromiumForFile();
  const t = {
    c: undefined as unknown as EmulatorClient,
    get browser() {
      return chromium.browser;
    },
  };
  beforeAll(async () => {
    t.c = await withEmulator();
  });
  afterAll(async () => {
    await t.c?.emu.close();
  });
  return t;
}

/**
 * For each character, whether the page draws it in the font of `selector` as something other than
 * the box a character no font has: a missing CJK or emoji font shows as `false`.
 */
export function glyphsDrawn(page: Page, selector: string, chars: string[]): Promise<boolean[]> {
  return page.evaluate(
    ({ selector, chars }) => {
      const doc = (globalThis as any).document;
      const font = (globalThis as any).getComputedStyle(doc.querySelector(selector)).font as string;
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
      return chars.map((ch) => draw(ch) !== box);
    },
    { selector, chars },
  );
}
