import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumForFile, lendChromium } from '../helpers/browser.js';
import { emulatorForFile } from '../helpers/emulator.js';

/** `card inbox screenshot`: the emulator's inbox page drawn by the browser and fonts card preview uses. */
const t = emulatorForFile();
// The runs draw with the worker's Chromium; starting one is what the real-process tests show.
const chromium = chromiumForFile();
beforeAll(() => {
  t.sb.launchBrowser = lendChromium(chromium);
});
const card = {
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: '报销审批 ✅' } },
  body: { elements: [{ tag: 'markdown', content: '金额：¥1,280 🚄' }, { tag: 'button', text: { tag: 'plain_text', content: '同意' }, behaviors: [{ type: 'callback', value: { ok: 1 } }] }] },
};
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('card inbox screenshot', () => {
  it('draws one message (Chinese and emoji in the shipped fonts) and the whole page', async () => {
    const sent = await t.send(await t.token(), 'email', 'alice@example.com', card);
    const id = sent.body.data.message_id as string;
    const one = await t.sb.run(['inbox', 'screenshot', id, '--out', 'card.png', '--dark', '--json']);
    expect(one.code, one.stderr + one.stdout).toBe(0);
    expect(one.json.data).toMatchObject({ file: 'card.png', message_id: id, dark: true, missing_glyphs: [] });
    const png = readFileSync(join(t.sb.dir, 'card.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // One message, at twice the pixels: narrower than the page, and not empty.
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(400);
    expect(width).toBeLessThan(2560);
    expect(height).toBeGreaterThan(100);

    const page = await t.sb.run(['inbox', 'screenshot', '--out', 'inbox.png']);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout.trim()).toBe('inbox.png');
    expect(pngSize(readFileSync(join(t.sb.dir, 'inbox.png')))).toEqual({ width: 2560, height: 1600 });
  }, 120_000);

  it('an unknown message is exit 2 before any browser starts, and nothing is written', async () => {
    const r = await t.sb.run(['inbox', 'screenshot', 'om_nope', '--out', 'x.png']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('the emulator has no message om_nope')]);
    expect(existsSync(join(t.sb.dir, 'x.png'))).toBe(false);
  });
});
