import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { chromiumForFile, glyphsDrawn } from '../helpers/browser.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { PNG_1X1 } from '../helpers/images.js';

/**
 * The inbox page's actions in Chromium, as the person chosen in its top bar: each changes the
 * emulator's state, and the bot (the official SDK's EventDispatcher behind a signed, encrypted
 * webhook) receives the event it causes; the page shows each delivery, and the Deliveries panel
 * follows a failed one's re-send live.
 */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;
const APP_ID = 'cli_a1b2c3d4e5f60c01';
const KINDS = ['im.message.receive_v1', 'im.message.reaction.created_v1', 'im.message.reaction.deleted_v1', 'im.message.message_read_v1', 'im.message.recalled_v1'];

let emu: TestEmulator;
let bot: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let page: Page;
const got: Array<{ kind: string; data: any }> = [];
/** Event kinds the bot's handler fails (throws: the SDK's webhook answers 500). */
const failing = new Set<string>();
const pageErrors: string[] = [];

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register(
    Object.fromEntries(KINDS.map((k) => [k, (data: any) => {
      got.push({ kind: k, data });
      if (failing.has(k)) throw new Error(`${k} handler is down`);
      return {};
    }])) as any,
  );
  bot = await serve(dispatcherWebhook(dispatcher, seeded.encrypt_key!));
  // Its own app id: the SDK caches tenant tokens per app id for the whole process.
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, APP_ID));
  emu = await startEmulator({ seed, eventUrl: `${bot.url}/events`, rateLimits: false });
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await bot?.close();
});

const alice = () => emu.user('alice@example.com');
const sdk = () => new lark.Client({ appId: emu.app().appId, appSecret: emu.app().appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });

/** The bot writes to Alice (which opens their one-to-one chat); the page shows that chat. */
async function botWritesToAlice(text: string): Promise<string> {
  const r = await sdk().im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'text', content: JSON.stringify({ text }) } });
  const id = r.data!.message_id!;
  if (!page.url().startsWith(emu.url)) {
    await page.goto(`${emu.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
  }
  await page.locator('.conv', { hasText: 'Alice Zhang' }).click();
  await page.locator(`.msg[data-message-id="${id}"]`).waitFor();
  return id;
}

/** The message as the inbox answers it to Alice: its chips and read receipts. */
async function inboxView(id: string): Promise<any> {
  const chat = emu.message(id).chatId;
  const r = (await (await fetch(`${emu.url}/_emulator/inbox/messages?chat_id=${chat}&open_id=${alice().openId}`)).json()) as any;
  return r.data.messages.find((m: any) => m.message_id === id);
}

async function tenantToken(): Promise<string> {
  const app = emu.app();
  const r = await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.appId, app_secret: app.appSecret }) });
  return ((await r.json()) as any).tenant_access_token;
}

/** Resolves once the bot was handed an event of this kind about this message. */
async function botGot(kind: string, messageId: string): Promise<any> {
  // Every action answers once its deliveries are done; the page shows that answer, so it is in by now.
  const e = got.find((x) => x.kind === kind && (x.data.message_id === messageId || x.data.message?.message_id === messageId || x.data.message_id_list?.includes(messageId)));
  expect(e, `the bot got ${kind} for ${messageId}`).toBeDefined();
  return e!.data;
}

describe('the inbox page: a person acts on messages', () => {
  it('reacts from the picker and takes the reaction back by clicking its own chip', { timeout: 60_000 }, async () => {
    const id = await botWritesToAlice('your expense was approved');
    const msg = page.locator(`.msg[data-message-id="${id}"]`);
    await msg.locator('.acts button:text("React")').click();
    // The picker draws its emoji in the fonts the emulator serves, not as missing-glyph boxes.
    await page.evaluate(() => (globalThis as any).document.fonts.ready.then(() => true));
    expect(await glyphsDrawn(page, '.emoji-picker button', ['\u{1F44D}', '\u2705'])).toEqual([true, true]);
    await msg.locator('.emoji-picker button[data-emoji="THUMBSUP"]').click();
    await msg.locator('.reactions .chip.mine:text("THUMBSUP 1")').waitFor();
    await msg.locator('.acts .note:has-text("im.message.reaction.created_v1")').waitFor();
    expect(await msg.locator('.acts .note').textContent()).toContain('reacted THUMBSUP · im.message.reaction.created_v1 → Card Demo Bot (event URL): ok');
    // The bot reads the reaction back through the Open API.
    const listed = await sdk().im.messageReaction.list({ path: { message_id: id } });
    expect(listed.data!.items!.map((r) => [r.reaction_type?.emoji_type, r.operator?.operator_id])).toEqual([['THUMBSUP', alice().openId]]);
    const created = await botGot('im.message.reaction.created_v1', id);
    expect(created).toMatchObject({ reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user', user_id: { open_id: alice().openId } });

    await msg.locator('.reactions .chip.mine').click();
    await msg.locator('.acts .note:has-text("im.message.reaction.deleted_v1")').waitFor();
    // The note may be written before the list is drawn again without the chip.
    await msg.locator('.reactions .chip').waitFor({ state: 'detached' });
    expect((await sdk().im.messageReaction.list({ path: { message_id: id } })).data!.items ?? []).toEqual([]);
    expect(await botGot('im.message.reaction.deleted_v1', id)).toMatchObject({ reaction_type: { emoji_type: 'THUMBSUP' }, user_id: { open_id: alice().openId } });
  });

  it('marks a message read', { timeout: 60_000 }, async () => {
    const id = await botWritesToAlice('please read the policy');
    const msg = page.locator(`.msg[data-message-id="${id}"]`);
    await msg.locator('.acts button:text("Mark read")').click();
    // The note, not the mark: another redraw of the list may show the read before the action's answer.
    await msg.locator('.acts .note:has-text("im.message.message_read_v1")').waitFor();
    await msg.locator('.acts .read-mark').waitFor();
    expect(await msg.locator('.acts .note').textContent()).toContain('marked read · im.message.message_read_v1 → Card Demo Bot (event URL): ok');
    const readers = await sdk().im.message.readUsers({ path: { message_id: id }, params: { user_id_type: 'open_id' } });
    expect(readers.data!.items!.map((u) => u.user_id)).toEqual([alice().openId]);
    expect(await inboxView(id)).toMatchObject({ reads: 1, read_by_viewer: true });
    expect(await botGot('im.message.message_read_v1', id)).toMatchObject({ reader: { reader_id: { open_id: alice().openId } }, message_id_list: [id] });
  });

  it("recalls the person's own message, and offers no recall of the bot's", { timeout: 60_000 }, async () => {
    const botMessage = await botWritesToAlice('hello Alice');
    const said = await alice().sendText('p2p', 'a message I will take back');
    const msg = page.locator(`.msg[data-message-id="${said.messageId}"]`);
    await msg.waitFor();
    expect(await page.locator(`.msg[data-message-id="${botMessage}"] .acts button:text("Recall")`).count()).toBe(0);
    await msg.locator('.acts button:text("Recall")').click();
    // The recall redraws the list (the message is updated) before the action's answer, which waits
    // for the bot's delivery: the note is this step's outcome only once it names the event.
    await msg.locator('.acts .note:has-text("im.message.recalled_v1")').waitFor();
    await msg.locator('.text-msg.recalled').waitFor();
    expect(await msg.locator('.acts .note').textContent()).toContain('recalled · im.message.recalled_v1 → Card Demo Bot (event URL): ok');
    expect(emu.message(said.messageId).recalled).toBe(true);
    expect(await botGot('im.message.recalled_v1', said.messageId)).toMatchObject({ recall_type: 'message_owner' });
  });
});

describe('the inbox page: a person sends an image and a file from this computer', () => {
  it('sends an image the bot receives as an image message', { timeout: 60_000 }, async () => {
    await botWritesToAlice('send me the receipt');
    const before = emu.messages().length;
    await page.locator('#attach-image').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await page.locator('#extras-note:has-text("im.message.receive_v1")').waitFor();
    expect(await page.locator('#extras-note').textContent()).toBe('sent image receipt.png · im.message.receive_v1 → Card Demo Bot (event URL): ok');
    const sent = emu.messages().slice(before).find((m) => m.msgType === 'image')!;
    expect(sent).toBeDefined();
    // The person sees the picture in the chat, loaded from the emulator.
    const shown = page.locator(`.msg[data-message-id="${sent.messageId}"] img.sent-image`);
    await shown.waitFor();
    await page.waitForFunction((id) => (globalThis as any).document.querySelector(`.msg[data-message-id="${id}"] img.sent-image`)?.naturalWidth === 1, sent.messageId);
    const e = await botGot('im.message.receive_v1', sent.messageId);
    expect(e.message.message_type).toBe('image');
    expect(JSON.parse(e.message.content).image_key).toMatch(/^img_/);
    // The bot downloads the picture from the message: the bytes the page read from the file.
    const key = JSON.parse(e.message.content).image_key;
    const res = await fetch(`${emu.url}/open-apis/im/v1/messages/${sent.messageId}/resources/${key}?type=image`, { headers: { authorization: `Bearer ${await tenantToken()}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG_1X1);
  });

  it('sends a file under its own name, and refuses one larger than the emulator takes before reading it', { timeout: 60_000 }, async () => {
    const name = '<b>Q3 report<b> "final".csv';
    const before = emu.messages().length;
    await page.locator('#attach-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
    await page.locator('#extras-note:has-text("im.message.receive_v1")').waitFor();
    // The name is shown as text: markup in it makes no element.
    expect(await page.locator('#extras-note b').count()).toBe(0);
    expect(await page.locator(`.msg b`).count()).toBe(0);
    expect(await page.locator('#extras-note').textContent()).toContain(`sent file ${name}`);
    const sent = emu.messages().slice(before).find((m) => m.msgType === 'file')!;
    await page.locator(`.msg[data-message-id="${sent.messageId}"] .text-msg`).waitFor();
    expect(await page.locator(`.msg[data-message-id="${sent.messageId}"] .text-msg`).textContent()).toBe(`File: ${name}`);
    const e = await botGot('im.message.receive_v1', sent.messageId);
    expect(e.message.message_type).toBe('file');
    expect(JSON.parse(e.message.content).file_name).toBe(name);

    const count = emu.messages().length;
    const saved = { ...MEDIA_LIMITS };
    // A small bound, so the test hands the page kilobytes, not the platform's 30 MB.
    MEDIA_LIMITS.fileMaxBytes = 48 * 1024;
    try {
      const limits = async () => ((await (await fetch(`${emu.url}/_emulator/inbox/conversations`)).json()) as any).data.upload_max_bytes;
      expect((await limits()).file).toBe(48 * 1024);
      // The page reads the bound with the conversations.
      await page.locator('.conv', { hasText: 'Alice Zhang' }).click();
      await page.waitForFunction(() => (globalThis as any).state?.uploadMax?.file === 48 * 1024);
      await page.locator('#attach-file').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(48 * 1024 + 1) });
      await page.locator('#extras-note.bad:has-text("big.bin")').waitFor();
      expect(await page.locator('#extras-note').textContent()).toBe('big.bin is 49 KB: the emulator takes files up to 48 KB');
      expect(emu.messages().length).toBe(count);
    } finally {
      Object.assign(MEDIA_LIMITS, saved);
    }
  });
});

describe('the inbox page: the Deliveries panel', () => {
  it('shows a failed delivery retrying, then delivered when the clock makes its re-send due', { timeout: 60_000 }, async () => {
    const id = await botWritesToAlice('react to this');
    failing.add('im.message.reaction.created_v1');
    const msg = page.locator(`.msg[data-message-id="${id}"]`);
    await msg.locator('.acts button:text("React")').click();
    await msg.locator('.emoji-picker button[data-emoji="DONE"]').click();
    // The action's note says the bot failed, why, and when it is sent again.
    await msg.locator('.acts .note.bad:has-text("failed")').waitFor();
    expect(await msg.locator('.acts .note').textContent()).toMatch(/im\.message\.reaction\.created_v1 → Card Demo Bot \(event URL\): failed \(attempt 1 of 5\), HTTP 500: .*handler is down; sent again at /);
    const eventId = (await botGot('im.message.reaction.created_v1', id)) && emu.deliveries({ kind: 'im.message.reaction.created_v1' }).at(-1)!.event_id!;
    const row = page.locator(`#deliveries .dl[data-event-id="${eventId}"]`);
    await row.locator('.s.retrying').waitFor();
    expect(await row.textContent()).toContain('attempt 1 of 5 · webhook · failed: HTTP 500');
    expect(await row.textContent()).toContain('next retry');

    failing.delete('im.message.reaction.created_v1');
    const attempts = got.filter((x) => x.kind === 'im.message.reaction.created_v1' && x.data.event_id === eventId).length;
    await emu.advanceClock(15);
    // The panel follows the event stream: the re-send shows without a reload.
    await row.locator('.s.delivered').waitFor();
    expect(await row.textContent()).toContain('attempt 2 of 5 · webhook · ok');
    expect(got.filter((x) => x.kind === 'im.message.reaction.created_v1' && x.data.event_id === eventId)).toHaveLength(attempts + 1);
    expect(pageErrors).toEqual([]);
  });
});

describe('the inbox page offers what the emulator serves', () => {
  it('shows each action exactly when the conversations answer lists it', { timeout: 60_000 }, async () => {
    await botWritesToAlice('what can you do?');
    const actions: string[] = ((await (await fetch(`${emu.url}/_emulator/inbox/conversations`)).json()) as any).data.actions;
    const visible = (selector: string) => page.locator(selector).first().isVisible();
    // In the one-to-one chat with the bot.
    expect({
      react: await visible('.msg .acts button:text("React")'),
      send: await visible('#attach-image-btn'),
      send_post: await visible('#post-btn'),
      paste_link: await visible('#link-btn'),
      create_group: await visible('#new-group-btn'),
      open_p2p: await visible('#open-p2p-btn'),
      bot_menu: await visible('#bot-menu-btn'),
      deliveries: await visible('#deliveries-panel'),
    }).toEqual({
      react: actions.includes('react'),
      send: actions.includes('send'),
      send_post: actions.includes('send_post'),
      paste_link: actions.includes('paste_link'),
      create_group: actions.includes('create_group'),
      open_p2p: actions.includes('open_p2p'),
      bot_menu: actions.includes('bot_menu'),
      deliveries: actions.includes('deliveries'),
    });
    // In a group: the chat's menu, if any of its actions is served.
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.locator('#chat-bar-name:text("Card Playground")').waitFor();
    expect(await visible('#chat-menu-btn')).toBe(['add_members', 'remove_member', 'rename_chat', 'disband_chat'].some((a) => actions.includes(a)));
    expect(await visible('#bot-menu-btn')).toBe(false);
  });
});
