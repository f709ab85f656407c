import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chromiumForFile, glyphsDrawn, lendChromium } from '../helpers/browser.js';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCardPage } from '../../src/card/render/html.js';
import { showWithFonts } from '../../src/card/render/screenshot.js';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { dangerousDom, poke, XSS_MARKDOWN, xssCard, xssCardV1 } from '../helpers/payloads.js';

/** The preview in a real browser: a system Chromium, or the one card ships, driven by playwright-core. */
const CARDS = new URL('../cards/valid/', import.meta.url).pathname;
const chromium = chromiumForFile();
const sb = new Sandbox();
// `preview --png` in this process draws with the worker's Chromium; the SIGTERM test below starts one for real.
sb.launchBrowser = lendChromium(chromium);

afterAll(() => sb.cleanup());

async function open(card: unknown, opts = {}) {
  const page = await chromium.browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => !r.url().startsWith('data:') && r.url() !== 'about:blank' && errors.push(`network request: ${r.url()}`));
  await page.setContent(renderCardPage(card as Record<string, unknown>, opts));
  return { page, errors };
}

describe('card preview in Chromium', () => {
  it('shows every part of a rich 2.0 card, with no console error and no network request', async () => {
    const card = JSON.parse(readFileSync(join(CARDS, 'everything.v2.json'), 'utf8'));
    const { page, errors } = await open(card);
    await expect(page.locator('.header .title').textContent()).resolves.toBe('Weekly report');
    const headerBg = await page.locator('.header').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
    expect(headerBg).not.toBe('rgba(0, 0, 0, 0)');
    await expect(page.locator('.md-h1').textContent()).resolves.toBe('Summary');
    expect(await page.locator('.markdown li').count()).toBe(2);
    await expect(page.locator('.md-at').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('.img-ph').count()).resolves.toBeGreaterThanOrEqual(3);
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await expect(page.locator('details.panel summary').textContent()).resolves.toBe('Details');
    expect(await page.locator('[data-tag="select_static"] option').count()).toBe(2);
    expect(await page.locator('[data-tag="overflow"]').count()).toBe(1);
    await expect(page.locator('input[type="time"]').inputValue()).resolves.toBe('10:30');
    expect(await page.locator('.interactive[data-url="https://example.com"]').count()).toBe(1);
    const box = await page.locator('.card').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a 1.0 card with note, action row, fields and a chosen locale', async () => {
    const card = JSON.parse(readFileSync(join(CARDS, 'everything.v1.json'), 'utf8'));
    const { page, errors } = await open(card);
    expect(await page.locator('.action > *').count()).toBe(4);
    await expect(page.locator('.note').textContent()).resolves.toContain('Paged at 10:00');
    expect(await page.locator('.field.short').count()).toBe(1);
    await expect(page.locator('.action button[data-tag="button"]').first().getAttribute('data-value')).resolves.toBe('{"a":"ack"}');
    expect(errors).toEqual([]);
    await page.close();
    const release = JSON.parse(readFileSync(join(FIXTURES, 'cards/release-approval.v1.json'), 'utf8'));
    const en = await open(release, { locale: 'en_us' });
    await expect(en.page.locator('button').textContent()).resolves.toBe('Mark as fully released');
    await en.page.close();
  });

  it('card preview --png writes a screenshot of the card', async () => {
    const png = join(sb.dir, 'card.png');
    const r = await sb.run(['preview', join(FIXTURES, 'cards/approval.v2.json'), '--png', png, '--out', join(sb.dir, 'card.html'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ schema: '2.0', png, html: join(sb.dir, 'card.html') });
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(500); // width at 2x
    expect(existsSync(join(sb.dir, 'card.html'))).toBe(true);
  });

  it('card preview renders a template card with --vars, and writes HTML to a pipe', async () => {
    const tpl = join(sb.dir, 'tpl.json');
    const vars = join(sb.dir, 'vars.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tpl, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hello ${name}' }] } }));
    writeFileSync(vars, JSON.stringify({ name: 'Preview' }));
    const r = await sb.run(['preview', tpl, '--vars', vars]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('Hello Preview');
    const missing = await sb.run(['preview', tpl]);
    expect(missing.stderr).toContain('${name}');
    const noBrowser = await sb.run(['preview', tpl, '--png', join(sb.dir, 'x.png')], { env: { CARD_CHROMIUM: '/nonexistent/chromium' } });
    expect(noBrowser.code).toBe(2);
    expect(noBrowser.stderr).toContain('CARD_CHROMIUM points at /nonexistent/chromium');
  });
});

describe('card preview --png: paths and fonts', () => {
  const zhCard = { schema: '2.0', header: { title: { tag: 'plain_text', content: '请假审批' }, template: 'blue' }, body: { elements: [{ tag: 'markdown', content: '申请人：张三 :THUMBSUP:' }] } };

  it('refuses a PNG path the user cannot write with exit 2 naming it, before starting a browser', async () => {
    const card = join(sb.dir, 'zh.json');
    writeFileSync(card, JSON.stringify(zhCard));
    const cases: Array<[string, RegExp]> = [
      ['/proc/nope/x.png', /--png \/proc\/nope\/x\.png: the folder \/proc\/nope does not exist/],
      [sb.dir, /is a folder/],
      ['/proc/x.png', /--png \/proc\/x\.png cannot be created/],
      [join(card, 'x.png'), /is not a folder/],
    ];
    for (const [path, message] of cases) {
      const started = Date.now();
      const r = await sb.run(['preview', card, '--png', path]);
      expect(r.code, `${path}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    const out = await sb.run(['preview', card, '--out', '/proc/nope/x.html']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out /proc/nope/x.html');
  });

  it('ends on SIGTERM while the browser runs, and closes it', async () => {
    const card = join(sb.dir, 'zh.json');
    writeFileSync(card, JSON.stringify(zhCard));
    const { execFileSync, spawn } = await import('node:child_process');
    const { CARD_BIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [CARD_BIN, 'preview', card, '--png', join(sb.dir, 'sig.png')], { env: { ...process.env, HOME: sb.dir }, stdio: 'ignore' });
    // Wait for the browser to be running under the command, so the signal lands mid-screenshot.
    const browserPids = () => {
      try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    let pids: number[] = [];
    for (let i = 0; i < 100 && !pids.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pids = browserPids();
    }
    expect(pids.length).toBeGreaterThan(0);
    const started = Date.now();
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    expect(Date.now() - started).toBeLessThan(5000);
    // A browser that ended may linger as a zombie when PID 1 does not reap: it counts as ended.
    const alive = pids.filter((pid) => {
      try {
        return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(code === 143 || signal === 'SIGTERM').toBe(true);
  });

  it('draws Chinese text and emoji with the shipped fonts, not boxes', async () => {
    const page = await chromium.browser.newPage();
    const { missingGlyphs } = await showWithFonts(page, renderCardPage(zhCard));
    expect(missingGlyphs).toEqual([]);
    // Each character drawn in the title's font is compared with a character no font has (a box).
    const differs = await glyphsDrawn(page, '.header .title', ['请', '审', '👍']);
    expect(differs).toEqual([true, true, true]);
    await page.close();
    const png = join(sb.dir, 'zh.png');
    const card = join(sb.dir, 'zh.json');
    writeFileSync(card, JSON.stringify(zhCard));
    const r = await sb.run(['preview', card, '--png', png, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.missing_glyphs).toEqual([]);
  });

  it('warns when the card has characters no font draws', async () => {
    const card = join(sb.dir, 'tibetan.json');
    writeFileSync(card, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'om ༀ' }] } }));
    const r = await sb.run(['preview', card, '--png', join(sb.dir, 'tibetan.png'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.missing_glyphs).toEqual(['ༀ']);
    expect(r.stderr).toContain('U+0F00');
  });
});

describe('card preview is safe in Chromium (issue 11)', () => {
  async function check(html: string) {
    const page = await chromium.browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => !r.url().startsWith('data:') && r.url() !== 'about:blank' && requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent(html);
    // Focus and hover everything, as a person would, to give any handler its chance.
    expect(await page.evaluate(poke, '.card *')).toBeGreaterThan(5);
    await page.keyboard.press('Tab');
    const dom = await page.evaluate(dangerousDom);
    // The CSP itself: an inline handler added by script does not run either.
    const ran = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      doc.body.insertAdjacentHTML('beforeend', '<button id="probe" onclick="document.title=\'pwned\'">p</button>');
      doc.getElementById('probe').click();
      return doc.title === 'pwned';
    });
    await page.close();
    return { requests, dialogs, dom, ran };
  }

  it('a card full of payloads makes no markup, handler, URL or style, runs no script and makes no request', async () => {
    for (const card of [xssCard(), xssCardV1()]) {
      const result = await check(renderCardPage(card));
      expect(result).toEqual({ requests: [], dialogs: [], dom: [], ran: false });
    }
  });

  it('holds for payloads that come in through template variables', async () => {
    const tpl = join(sb.dir, 'xss-tpl.json');
    const vars = join(sb.dir, 'xss-vars.json');
    writeFileSync(tpl, JSON.stringify(xssCard('${payload}')));
    writeFileSync(vars, JSON.stringify({ payload: XSS_MARKDOWN }));
    const r = await sb.run(['preview', tpl, '--vars', vars]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('https://a.example/');
    expect(await check(r.stdout)).toEqual({ requests: [], dialogs: [], dom: [], ran: false });
  });
});

describe('card preview looks as the client does', () => {
  const showcase = JSON.parse(readFileSync(new URL('../cards/showcase.v2.json', import.meta.url), 'utf8'));

  /** Runs in the page: the contrast ratio (WCAG) of an element's text against what is behind it. */
  function contrastOf(selector: string): number {
    const W = globalThis as any;
    const el = W.document.querySelector(selector);
    if (!el) return -1;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    let bg: number[] | null = null;
    for (let n = el; n && !bg; n = n.parentElement) {
      const c = rgb(W.getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.5)) bg = c.slice(0, 3);
    }
    const fg = lum(rgb(W.getComputedStyle(el).color));
    const back = lum(bg ?? [255, 255, 255]);
    return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
  }

  it('--dark keeps the header, inline code, table header, date picker and buttons readable', async () => {
    for (const dark of [false, true]) {
      const page = await chromium.browser.newPage();
      await page.setContent(renderCardPage(showcase, { dark }));
      for (const selector of ['.header .title', '.header .subtitle', '.markdown code', '.md-table th', 'input[type="date"]', '.btn-danger', '.md-at', '.tag-red', '.md-table .tag-green']) {
        const ratio = await page.evaluate(contrastOf, selector);
        expect(ratio, `${dark ? 'dark' : 'light'} ${selector}`).toBeGreaterThanOrEqual(4.5);
      }
      const scheme = await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).colorScheme);
      expect(scheme).toBe(dark ? 'dark' : 'normal');
      await page.close();
    }
  });

  it('shows header text_tags as coloured pills, and GFM tables as tables', async () => {
    const page = await chromium.browser.newPage();
    await page.setContent(renderCardPage(showcase));
    const pills = await page.locator('.header .tag').evaluateAll((els) => els.map((e) => {
      const s = (globalThis as any).getComputedStyle(e);
      return { text: e.textContent, bg: s.backgroundColor, round: parseFloat(s.borderTopLeftRadius) >= e.getBoundingClientRect().height / 2 };
    }));
    expect(pills.map((p) => p.text)).toEqual(['紧急', 'Backend']);
    expect(pills.every((p) => p.round)).toBe(true);
    expect(pills[0]!.bg).not.toBe(pills[1]!.bg);
    expect(await page.locator('.md-table tbody tr').count()).toBe(2);
    await expect(page.locator('.md-table th').nth(2).evaluate((e) => (globalThis as any).getComputedStyle(e).textAlign)).resolves.toBe('right');
    await page.close();
  });

  it('renders the WPS fixture as a WPS card, and --png says so', async () => {
    const r = await sb.run(['preview', join(FIXTURES, 'cards/wps-approval.json'), '--png', join(sb.dir, 'wps.png'), '--out', join(sb.dir, 'wps.html'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.schema).toBe('wps');
    const page = await chromium.browser.newPage();
    await page.setContent(readFileSync(join(sb.dir, 'wps.html'), 'utf8'));
    const text = await page.locator('.card').innerText();
    expect(text).not.toMatch(/object Object|unsupported/);
    expect(text).toContain('报销审批 Expense approval');
    expect(await page.locator('button').allInnerTexts()).toEqual(['Approve', 'Reject', 'Details']);
    await page.close();
  });
});
