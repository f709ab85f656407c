import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCardPage } from '../../src/card/render/html.js';
import { launchChromium } from '../../src/card/render/screenshot.js';
import { FIXTURES, Sandbox } from '../helpers/cli.js';

/** The preview in a real browser: Debian's Chromium driven by playwright-core (.ci/run installs it). */
const CARDS = new URL('../cards/valid/', import.meta.url).pathname;
let browser: Browser;
const sb = new Sandbox();

beforeAll(async () => {
  browser = await launchChromium(process.env);
});
afterAll(async () => {
  await browser?.close();
  sb.cleanup();
});

async function open(card: unknown, opts = {}) {
  const page = await browser.newPage();
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
    expect(noBrowser.stderr).toContain('apt-get install chromium');
  });
});
