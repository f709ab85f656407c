import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { findChromium } from '../../src/card/render/chromium.js';
import { launchChromium } from '../../src/card/render/screenshot.js';
import type { BrowserLauncher } from '../../src/io.js';
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

/**
 * A launcher for in-process CLI runs (`sb.launchBrowser = lendChromium(chromium)`) that lends the
 * file's Chromium instead of starting one per run: the browser is found as a launch finds it (so
 * CARD_CHROMIUM and the reported source behave as they do), then the run gets the running one,
 * whose close() closes only the pages the run opened. Starting the browser for real is what the
 * real-process tests show (preview's SIGTERM test, `card mcp`).
 */
export function lendChromium(chromium: { readonly browser: Browser }): BrowserLauncher {
  return async (env, opts = {}) => {
    opts.onFound?.(await findChromium({ env, warn: opts.warn }));
    const browser = chromium.browser;
    const opened: BrowserContext[] = [];
    return new Proxy(browser, {
      get(target, prop) {
        if (prop === 'newPage') {
          return async (options?: Parameters<Browser['newPage']>[0]) => {
            const page = await target.newPage(options);
            opened.push(page.context());
            return page;
          };
        }
        if (prop === 'close') return async () => void (await Promise.all(opened.splice(0).map((c) => c.close())));
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
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
