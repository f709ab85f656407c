import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../src/card/render/screenshot.js';
import { withEmulator, type EmulatorClient } from './emulator.js';

/**
 * An emulator and a Chromium for a test file of the inbox page, started before its first test and
 * stopped after its last. The first run on a machine unpacks the Chromium card ships: allow for it.
 */
export function inboxInBrowser(): { readonly c: EmulatorClient; readonly browser: Browser } {
  const t = {} as { c: EmulatorClient; browser: Browser };
  beforeAll(async () => {
    t.c = await withEmulator();
    t.browser = await launchChromium(process.env);
  }, 120_000);
  afterAll(async () => {
    await t.browser?.close();
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
