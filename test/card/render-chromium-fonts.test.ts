import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDirs, extractTar, findChromium, systemCandidates } from '../../src/card/render/chromium.js';
import { bundledFonts, fontsFor, SANS_FAMILY, EMOJI_FAMILY } from '../../src/card/render/fonts.js';

const dir = mkdtempSync(join(tmpdir(), 'card-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const never = async () => null;

describe('finding a Chromium', () => {
  it('takes CARD_CHROMIUM first, and refuses one that is not there (exit 2)', async () => {
    const exe = join(dir, 'my-chrome');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    await expect(findChromium({ env: { CARD_CHROMIUM: exe, PATH: '/usr/bin' }, exists: () => true, bundled: never })).resolves.toMatchObject({ path: exe, source: 'CARD_CHROMIUM' });
    await expect(findChromium({ env: { CARD_CHROMIUM: join(dir, 'nope') }, bundled: never })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(join(dir, 'nope')) });
  });

  it('finds a system Chrome, Chromium or Edge on Linux, macOS and Windows', async () => {
    const linux = systemCandidates({ PATH: '/usr/local/bin:/usr/bin' }, 'linux');
    expect(linux).toContain('/usr/bin/chromium');
    expect(linux).toContain('/usr/local/bin/google-chrome');
    expect(linux).toContain('/usr/bin/microsoft-edge');
    expect(systemCandidates({ HOME: '/Users/a' }, 'darwin')).toEqual(expect.arrayContaining(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Users/a/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge']));
    const win = systemCandidates({ PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32');
    expect(win).toEqual(expect.arrayContaining(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Users\\a\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe']));
    const found = await findChromium({ env: { PATH: '/opt/x/bin' }, platform: 'linux', exists: (p) => p === '/opt/x/bin/chromium-browser', bundled: never });
    expect(found).toMatchObject({ path: '/opt/x/bin/chromium-browser', source: 'system' });
  });

  it('falls back to the bundled browser on Linux, and says what to do when there is none', async () => {
    const bundled = async () => ({ path: '/cache/chromium', source: 'bundled' as const, env: {} });
    await expect(findChromium({ env: { PATH: '' }, platform: 'linux', exists: () => false, bundled })).resolves.toMatchObject({ source: 'bundled' });
    await expect(findChromium({ env: { PATH: '' }, platform: 'darwin', exists: () => false, bundled })).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('CARD_CHROMIUM') });
  });

  it('keeps the unpacked browser in CARD_CACHE_DIR, else beside node_modules, else the user cache', () => {
    expect(cacheDirs({ CARD_CACHE_DIR: '/c' }, '/p/node_modules/@sparticuz/chromium')).toEqual(['/c']);
    expect(cacheDirs({ HOME: '/h' }, '/p/node_modules/@sparticuz/chromium')).toEqual(['/p/node_modules/.cache/card', '/h/.cache/card']);
  });

  it('unpacks tar archives, and refuses a path that climbs out', () => {
    const tar = (name: string, body: string) => {
      const header = Buffer.alloc(512);
      header.write(name, 0);
      header.write(body.length.toString(8).padStart(11, '0'), 124);
      header.write('0', 156);
      const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
      data.write(body);
      return Buffer.concat([header, data, Buffer.alloc(1024)]);
    };
    const into = join(dir, 'x');
    mkdirSync(into);
    extractTar(tar('lib/a.txt', 'hello'), into);
    expect(readFileSync(join(into, 'lib/a.txt'), 'utf8')).toBe('hello');
    expect(() => extractTar(tar('../evil', 'x'), into)).toThrow(/unsafe path/);
  });
});

describe('fonts for the PNG', () => {
  it('ships Noto Sans SC and a colour emoji font, inlined only for the text that needs them', () => {
    expect(bundledFonts()).not.toBeNull();
    const latin = fontsFor('Hello');
    const zh = fontsFor('请假审批 👍');
    expect(latin.css).toContain(`font-family:'${SANS_FAMILY}'`);
    expect(latin.css).not.toContain(EMOJI_FAMILY + "';font-weight");
    expect(zh.css).toContain(`font-family:'${EMOJI_FAMILY}'`);
    expect(zh.css.length).toBeGreaterThan(latin.css.length);
    expect(zh.css).toMatch(/src:url\(data:font\/woff2;base64,/);
    expect(zh.css).not.toMatch(/url\((?!data:)/);
    expect(zh.missing).toEqual([]);
  });

  it('names the characters no shipped font draws', () => {
    expect(fontsFor('ok ༀ \u{10FFFD}').missing).toEqual(['ༀ', '\u{10FFFD}']);
    expect(fontsFor('中', null).missing).toEqual(['中']);
  });
});
