import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';
import { dangerousDom, poke, xssCard, xssCardV1 } from '../helpers/payloads.js';
import { chromiumForFile } from '../helpers/browser.js';

/** The inbox in a real browser: cards arrive live, a click reaches a signed-checking handler, its answer shows. */
let emu: RunningEmulator;
let browser: Browser;
let handler: Awaited<ReturnType<typeof serve>>;
let page: Page;
const received: any[] = [];
let answerMode: 'approve' | 'broken' = 'approve';
const sb = new Sandbox();
const approved = JSON.parse(readFileSync(join(FIXTURES, 'cards/approved.v2.json'), 'utf8'));

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  const seed: SeedFile = loadDefaultSeed();
  const app = seed.apps[0]!;
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  // The official SDK checks the signature with the app's keys: a click that reaches the handler was signed right.
  const cardHandler = new lark.CardActionHandler({ encryptKey: app.encrypt_key, verificationToken: app.verification_token, logger } as any, async (data: any) => {
    received.push(data);
    if (answerMode === 'broken') return { toast: { type: 'ok', content: 'nope' } };
    if (data.action.form_value) return { toast: { type: 'info', content: `got ${data.action.form_value.title}` } };
    return { toast: { type: 'success', content: 'Approved by the handler' }, card: { type: 'raw', data: approved } };
  });
  handler = await serve(lark.adaptDefault('/card', cardHandler, { autoChallenge: true }) as any);
  app.callback_url = `${handler.url}/card`;
  emu = await startEmulator({ port: 0, seed });
  sb.env = emulatorEnv(emu.url, app);
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
  expect(errors).toEqual([]);
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await handler?.close();
  sb.cleanup();
});

const playground = () => emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;

describe('the emulator inbox', () => {
  it('shows a card sent with the CLI as it arrives, without a reload', async () => {
    const r = await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', playground()]);
    expect(r.code).toBe(0);
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.waitForSelector('.msg .header .title:text("Expense approval")');
    expect(await page.locator('.msg button[data-tag="button"]').count()).toBe(2);
  });

  it('a click sends the signed callback to the handler, and the page shows its toast and new card', async () => {
    await page.locator('.msg button:text("Approve")').click();
    await page.waitForSelector('#toast.success:text("Approved by the handler")');
    await page.waitForSelector('.msg .header .subtitle:text("Approved")');
    expect(received.at(-1).action).toEqual({ tag: 'button', value: { action: 'approve', request_id: 'EXP-1024' } });
    expect(received.at(-1).token).toMatch(/^c-/);
    const stored = emu.messages().find((m) => m.chat_id === playground())!;
    expect(stored.versions.map((v) => v.via)).toEqual(['create', 'callback']);
    await page.waitForSelector('.ix .good');
    expect(await page.locator('.ix').first().textContent()).toContain('HTTP 200');
    await page.screenshot({ path: join(sb.dir, 'inbox.png') });
  });

  it('lists the interaction and saves it as a fixture that replays', async () => {
    const list = (await (await fetch(`${emu.url}/_emulator/inbox/interactions`)).json()) as any;
    const last = list.data.interactions.at(-1);
    expect(last).toMatchObject({ ok: true, status: 200, applied: 'card', format: 'card.action.trigger', toast: { type: 'success' } });
    const fixture = await (await fetch(`${emu.url}/_emulator/inbox/interactions/${last.id}/fixture`)).json();
    const file = join(sb.dir, 'inbox-fixture.json');
    writeFileSync(file, JSON.stringify(fixture));
    const app = emu.state().apps[0]!;
    const r = await sb.run(['replay-callback', file, '--url', `${handler.url}/card`, '--encrypt-key', app.encrypt_key!, '--verification-token', app.verification_token!, '--json']);
    expect(r.code).toBe(0);
  });

  it('shows an error banner when the answer breaks the rules', async () => {
    answerMode = 'broken';
    await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', playground()]);
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.msg').length === 2);
    // Reject has a confirm: the dialog shows its title and text, Cancel sends nothing, OK sends.
    const before = received.length;
    await page.locator('.msg').last().locator('button:text("Reject")').click();
    await page.locator('#confirm.open .t:text("Reject this request?")').waitFor();
    expect(await page.locator('#confirm .x').textContent()).toBe('Alice will be told.');
    await page.locator('#confirm .cancel').click();
    await page.waitForTimeout(300);
    expect(received.length).toBe(before);
    expect(await page.locator('#confirm.open').count()).toBe(0);
    await page.locator('.msg').last().locator('button:text("Reject")').click();
    await page.locator('#confirm .ok').click();
    const banner = page.locator('.msg').last().locator('.banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain('$.toast.type');
    expect(received.length).toBe(before + 1);
    expect(received.at(-1).action.value).toEqual({ action: 'reject', request_id: 'EXP-1024' });
    answerMode = 'approve';
  });

  it('submits a form with its fields, and shows PATCH updates live', async () => {
    const form = { schema: '2.0', body: { elements: [{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'title', placeholder: { tag: 'plain_text', content: 'Title' } }, { tag: 'checker', name: 'urgent', text: { tag: 'plain_text', content: 'Urgent' } }, { tag: 'button', name: 'go', text: { tag: 'plain_text', content: 'Submit' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { a: 'submit' } }] }] }] } };
    const file = join(sb.dir, 'form.json');
    writeFileSync(file, JSON.stringify(form));
    const sent = await sb.run(['send', file, '--to', playground(), '--json']);
    const messageId = sent.json.data.messages[0].message_id;
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.msg').length === 3);
    const card = page.locator(`.msg[data-message-id="${messageId}"]`);
    await card.locator('input[data-name="title"]').fill('Laptop');
    await card.locator('input[data-name="urgent"]').check();
    await card.locator('button:text("Submit")').click();
    await page.waitForSelector('#toast.info:text("got Laptop")');
    expect(received.at(-1).action).toMatchObject({ tag: 'button', name: 'go', form_value: { title: 'Laptop', urgent: true } });
    const update = await sb.run(['update', messageId, join(FIXTURES, 'cards/approved.v2.json')]);
    expect(update.code).toBe(0);
    await card.locator('.header .subtitle:text("Approved")').waitFor();
  });

  it('keeps what a person typed in a form when another message redraws the list, and drops it when the card itself changes', async () => {
    const form = { schema: '2.0', body: { elements: [{ tag: 'form', name: 'f2', elements: [{ tag: 'input', name: 'note', placeholder: { tag: 'plain_text', content: 'Note' } }, { tag: 'checker', name: 'urgent', text: { tag: 'plain_text', content: 'Urgent' } }, { tag: 'select_static', name: 'size', options: [{ text: { tag: 'plain_text', content: 'Small' }, value: 's' }, { text: { tag: 'plain_text', content: 'Large' }, value: 'l' }] }, { tag: 'button', name: 'go', text: { tag: 'plain_text', content: 'Submit' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { a: 'submit' } }] }] }] } };
    const file = join(sb.dir, 'form2.json');
    writeFileSync(file, JSON.stringify(form));
    const messageId = (await sb.run(['send', file, '--to', playground(), '--json'])).json.data.messages[0].message_id;
    const card = page.locator(`.msg[data-message-id="${messageId}"]`);
    await card.waitFor();
    await card.locator('select[data-name="size"]').selectOption('l');
    await card.locator('input[data-name="urgent"]').check();
    await card.locator('input[data-name="note"]').fill('half-typ');
    await card.locator('input[data-name="note"]').press('ArrowLeft');
    const before = await page.locator('.msg').count();
    // A message from the bot to the same chat: the whole list is drawn again.
    const other = join(sb.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'meanwhile' }] } }));
    expect((await sb.run(['send', other, '--to', playground()])).code).toBe(0);
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.msg').length === n + 1, before);
    expect(await card.locator('input[data-name="note"]').inputValue()).toBe('half-typ');
    expect(await card.locator('input[data-name="urgent"]').isChecked()).toBe(true);
    expect(await card.locator('select[data-name="size"]').inputValue()).toBe('l');
    // The cursor is where it was: typing goes on from there.
    await page.keyboard.type('e');
    expect(await card.locator('input[data-name="note"]').inputValue()).toBe('half-tyep');
    await card.locator('button:text("Submit")').click();
    await page.waitForSelector('#toast.info');
    expect(received.at(-1).action).toMatchObject({ name: 'go', form_value: { note: 'half-tyep', urgent: true, size: 'l' } });
    // The same card sent again as an update is a new version: it shows what it says, empty fields.
    expect((await sb.run(['update', messageId, file])).code).toBe(0);
    await card.locator('.meta:text("updated")').waitFor();
    expect(await card.locator('input[data-name="note"]').inputValue()).toBe('');
    expect(await card.locator('input[data-name="urgent"]').isChecked()).toBe(false);
  });

  it('a message in another chat updates the list of chats, not the open chat', async () => {
    const card = join(sb.dir, 'elsewhere.json');
    writeFileSync(card, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'elsewhere' }] } }));
    const sendTo = async (to: string) => { const r = await sb.run(['send', card, '--to', to]); expect(r.code, r.stderr).toBe(0); };
    const shown = () => page.locator('#feed .msg').count();
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.locator('.conv.active', { hasText: 'Card Playground' }).waitFor();
    let count = await shown();
    await sendTo(playground());
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#feed .msg').length === n + 1, count);
    // Marked now: a list drawn again has no mark.
    await page.evaluate(() => { (globalThis as any).document.querySelector('#feed .msg').dataset.untouched = '1'; });
    const untouched = () => page.evaluate(() => !!(globalThis as any).document.querySelector('#feed .msg[data-untouched="1"]'));
    const convs = () => page.locator('.conv').allTextContents();
    for (let i = 0; i < 2; i++) {
      const before = (await convs()).join('|');
      await sendTo('bob@example.com');
      await page.waitForFunction((b) => [...(globalThis as any).document.querySelectorAll('.conv')].map((c: any) => c.textContent).join('|') !== b, before);
      expect(await untouched()).toBe(true);
    }
    count = await shown();
    await sendTo(playground());
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#feed .msg').length === n + 1, count);
    expect(await untouched()).toBe(false);
  });

  it('shows a delayed update made with the card token of a click', async () => {
    const list = (await (await fetch(`${emu.url}/_emulator/inbox/interactions`)).json()) as any;
    const click = list.data.interactions.at(-1);
    const app = emu.state().apps[0]!;
    const token = ((await (await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }) })).json()) as any).tenant_access_token;
    const later = { schema: '2.0', header: { title: { tag: 'plain_text', content: 'Processed later' }, template: 'grey' }, body: { elements: [{ tag: 'markdown', content: 'done in the background' }] } };
    const r = (await (await fetch(`${emu.url}/open-apis/interactive/v1/card/update`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ token: click.card_token, card: later }) })).json()) as any;
    expect(r.code).toBe(0);
    await page.locator(`.msg[data-message-id="${click.message_id}"] .header .title:text("Processed later")`).waitFor();
  });
});

describe('the inbox is safe (issue 11)', () => {
  it('sends a strict CSP: its own script by hash, requests to itself only', async () => {
    const res = await fetch(`${emu.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('shows cards full of payloads with no handler, URL or style of theirs, no script run and no request elsewhere', async () => {
    const requests: string[] = [];
    const dialogs: string[] = [];
    const popups: string[] = [];
    const onRequest = (r: { url(): string }) => !r.url().startsWith(emu.url) && !r.url().startsWith('data:') && requests.push(r.url());
    const onDialog = (d: any) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    const onPopup = (p: any) => popups.push(p.url());
    page.on('request', onRequest);
    page.on('dialog', onDialog);
    page.on('popup', onPopup);
    try {
      // The emulator builds cards only from image keys the app uploaded; let the hostile key be one,
      // so the renderer meets it as it would a key that reached the store some other way.
      const hostileKey = (xssCard() as any).body.elements.find((e: any) => e.tag === 'img').img_key;
      emu.core.store.media.seed(hostileKey, 'image', 0);
      // The emulator refuses cards that break the platform's rules (these hostile enums do); store them anyway.
      emu.core.settings.cardRules = false;
      for (const [i, card] of [xssCard(), xssCardV1()].entries()) {
        const file = join(sb.dir, `xss-${i}.json`);
        writeFileSync(file, JSON.stringify(card));
        // --no-lint: the inbox must be safe with whatever a bot manages to store, not only with lint-clean cards.
        const sent = await sb.run(['send', file, '--to', playground(), '--json', '--no-lint']);
        expect(sent.code, sent.stderr).toBe(0);
        await page.locator('.conv', { hasText: 'Card Playground' }).click();
        await page.locator(`.msg[data-message-id="${sent.json.data.messages[0].message_id}"] .card`).waitFor();
      }
      const last = page.locator('.msg').last();
      await last.locator('button:text("v1 url")').click();
      await last.locator('button:text("v1 multi")').click();
      await page.locator('.msg').nth(-2).locator('button:text("open")').click();
      expect(await page.evaluate(poke, '.msg .card *')).toBeGreaterThan(20);
      await page.waitForTimeout(300);
      expect(await page.evaluate(dangerousDom)).toEqual([]);
      const ran = await page.evaluate(() => {
        const doc = (globalThis as any).document;
        doc.body.insertAdjacentHTML('beforeend', '<button id="probe" onclick="document.title=\'pwned\'">p</button>');
        doc.getElementById('probe').click();
        doc.getElementById('probe').remove();
        return doc.title === 'pwned';
      });
      expect(ran).toBe(false);
      expect({ requests, dialogs, popups }).toEqual({ requests: [], dialogs: [], popups: [] });
    } finally {
      emu.core.settings.cardRules = true;
      page.off('request', onRequest);
      page.off('dialog', onDialog);
      page.off('popup', onPopup);
    }
  });
  it('shows an ephemeral card only when clicking as its member, and lets them click it', async () => {
    const users = emu.state().users;
    const alice = users.find((u) => u.email === 'alice@example.com')!;
    const bob = users.find((u) => u.email === 'bob@example.com')!;
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'for Alice only' }, { tag: 'button', text: { tag: 'plain_text', content: 'Mine' }, behaviors: [{ type: 'callback', value: { who: 'alice' } }] }] } };
    const r = await sb.run(['send', '-', '--to', playground(), '--ephemeral', alice.email!, '--json'], { input: JSON.stringify(card) });
    expect(r.code, r.stderr).toBe(0);
    const id = r.json.data.message_id;
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.selectOption('#operator', bob.open_id);
    await page.waitForTimeout(300);
    expect(await page.locator(`.msg[data-message-id="${id}"]`).count()).toBe(0);
    await page.selectOption('#operator', alice.open_id);
    const mine = page.locator(`.msg[data-message-id="${id}"]`);
    await mine.waitFor();
    expect(await mine.locator('.meta').textContent()).toContain('only you can see this');
    // An earlier test's toast may still be showing: wait for this click's callback, not any toast.
    const before = received.length;
    await mine.locator('button:text("Mine")').click();
    await expect.poll(() => received.length).toBeGreaterThan(before);
    await page.waitForSelector('#toast.success:text("Approved by the handler")');
    expect(received.at(-1).action.value).toEqual({ who: 'alice' });
    expect(received.at(-1).open_message_id ?? received.at(-1).context?.open_message_id).toBe(id);
  });

  it("shows reactions, a pin and the chat's announcement live, as a person would see them", async () => {
    const r = await sb.run(['send', join(FIXTURES, 'cards/approval.v2.json'), '--to', playground(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.json.data.messages[0].message_id as string;
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    const msg = page.locator(`.msg[data-message-id="${id}"]`);
    await msg.waitFor();
    const app = emu.state().apps[0]!;
    const token = (await (await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }) })).json() as any).tenant_access_token;
    const call = (method: string, path: string, body: unknown) =>
      fetch(emu.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then((x) => x.json() as Promise<any>);
    expect((await call('POST', `/open-apis/im/v1/messages/${id}/reactions`, { reaction_type: { emoji_type: 'DONE' } })).code).toBe(0);
    await msg.locator('.reactions .chip:text("DONE 1")').waitFor();
    expect(await msg.locator('.reactions .chip').getAttribute('title')).toBe(app.name);
    expect((await call('POST', '/open-apis/im/v1/pins', { message_id: id })).code).toBe(0);
    await msg.locator('.meta:has-text("pinned")').waitFor();
    // The announcement is anyone's text: markup in it is shown as text, never made into elements.
    const paragraph = { type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: '<img src=x onerror="document.title=1">周五发布' } }] } };
    const request = JSON.stringify({ requestType: 'InsertBlocksRequestType', insertBlocksRequest: { payload: JSON.stringify({ blocks: [paragraph] }), location: { zoneId: '0', endOfZone: true } } });
    expect((await call('PATCH', `/open-apis/im/v1/chats/${playground()}/announcement`, { revision: '0', requests: [request] })).code).toBe(0);
    await page.locator('.chat-head .ann:has-text("周五发布")').waitFor();
    expect(await page.locator('.chat-head img').count()).toBe(0);
    expect(await page.locator('.chat-head .ann').textContent()).toContain('<img src=x');
  });
});
