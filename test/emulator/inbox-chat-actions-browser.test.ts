import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { chromiumForFile } from '../helpers/browser.js';

/**
 * The inbox page's chat actions in Chromium, as the person chosen in its top bar: a new group with
 * the bot, a post in it, a person added and removed, a rename, the group disbanded, the one-to-one
 * chat opened. Each changes the chat as the Open API reads it back, and the bot (the official SDK's
 * EventDispatcher behind a signed, encrypted webhook) receives the event it causes.
 */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const seeded = loadDefaultSeed().apps[0]!;
const APP_ID = 'cli_a1b2c3d4e5f60c02';
const KINDS = [
  'im.message.receive_v1',
  'im.chat.member.bot.added_v1',
  'im.chat.member.user.added_v1',
  'im.chat.member.user.deleted_v1',
  'im.chat.updated_v1',
  'im.chat.disbanded_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
  'application.bot.menu_v6',
];

let emu: TestEmulator;
let bot: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let page: Page;
const got: Array<{ kind: string; data: any }> = [];
const pageErrors: string[] = [];

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  const dispatcher = new lark.EventDispatcher({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any).register(
    Object.fromEntries(KINDS.map((k) => [k, (data: any) => void got.push({ kind: k, data })])) as any,
  );
  bot = await serve(dispatcherWebhook(dispatcher, seeded.encrypt_key!));
  // Its own app id: the SDK caches tenant tokens per app id for the whole process.
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, APP_ID));
  emu = await startEmulator({ seed, eventUrl: `${bot.url}/events`, rateLimits: false });
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  await emu?.close();
  await bot?.close();
});

const alice = () => emu.user('alice@example.com');
const carol = () => emu.user('carol@example.com');
const sdk = () => new lark.Client({ appId: emu.app().appId, appSecret: emu.app().appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });

/** The last event of this kind the bot was handed (every action answers once its deliveries are done). */
function lastOf(kind: string): any {
  const e = got.filter((x) => x.kind === kind).at(-1);
  expect(e, `the bot got ${kind}`).toBeDefined();
  return e!.data;
}

async function members(chatId: string): Promise<string[]> {
  const r = await sdk().im.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' } });
  return (r.data!.items ?? []).map((m) => m.member_id!).sort();
}

describe('the inbox page: a person acts on chats', () => {
  let group = '';

  it('makes a group with the bot, and the page opens it', { timeout: 60_000 }, async () => {
    await page.locator('#new-group-btn').click();
    await page.locator('#new-group-name').fill('Lunch');
    await page.locator('#new-group-bot').selectOption(emu.app().appId);
    await page.locator('#list-menu button:text("Create")').click();
    await page.locator('#list-note:has-text("im.chat.member.bot.added_v1")').waitFor();
    expect(await page.locator('#list-note').textContent()).toBe('made the group Lunch · im.chat.member.bot.added_v1 → Card Demo Bot (event URL): ok');
    await page.locator('#chat-bar-name:text("Lunch")').waitFor();
    group = lastOf('im.chat.member.bot.added_v1').chat_id;
    const chat = await sdk().im.chat.get({ path: { chat_id: group }, params: { user_id_type: 'open_id' } });
    expect(chat.data).toMatchObject({ name: 'Lunch', owner_id: alice().openId });
  });

  it('sends a post that @mentions the bot', { timeout: 60_000 }, async () => {
    await page.locator('#post-btn').click();
    await page.locator('#post-title').fill('Where to?');
    await page.locator('#post-text').fill('noodles or dumplings');
    await page.locator('#post-send').click();
    await page.locator('#extras-note:has-text("im.message.receive_v1")').waitFor();
    expect(await page.locator('#extras-note').textContent()).toBe('sent a post · im.message.receive_v1 → Card Demo Bot (event URL): ok');
    const e = lastOf('im.message.receive_v1');
    expect(e.message).toMatchObject({ message_type: 'post', chat_id: group });
    expect(JSON.parse(e.message.content).title).toBe('Where to?');
    expect(e.message.mentions.map((m: any) => m.name)).toEqual(['Card Demo Bot']);
  });

  it('adds a person and removes them', { timeout: 60_000 }, async () => {
    await page.locator('#chat-menu-btn').click();
    await page.locator('#chat-add-who').selectOption(`user:${carol().openId}`);
    await page.locator('#chat-menu button:text("Add")').click();
    await page.locator('#chat-note:has-text("im.chat.member.user.added_v1")').waitFor();
    expect(await members(group)).toEqual([alice().openId, carol().openId].sort());
    expect(lastOf('im.chat.member.user.added_v1')).toMatchObject({ chat_id: group, users: [{ user_id: { open_id: carol().openId } }] });

    // The note shows the outcome before the page reloads the conversations its chat menu is drawn
    // from: the menu offers Carol for removal once the page holds her as a member.
    await page.waitForFunction(
      ([g, who]) => ((globalThis as any).state.convs as any[]).find((c) => c.chat_id === g)?.members.some((m: any) => m.open_id === who),
      [group, carol().openId] as const,
    );
    await page.locator('#chat-menu-btn').click();
    await page.locator('#chat-remove-who').selectOption(carol().openId);
    await page.locator('#chat-menu button:text("Remove")').click();
    await page.locator('#chat-note:has-text("im.chat.member.user.deleted_v1")').waitFor();
    expect(await members(group)).toEqual([alice().openId]);
    expect(lastOf('im.chat.member.user.deleted_v1')).toMatchObject({ chat_id: group, users: [{ user_id: { open_id: carol().openId } }] });
  });

  it('renames the group, then disbands it', { timeout: 60_000 }, async () => {
    await page.locator('#chat-menu-btn').click();
    await page.locator('#chat-rename').fill('Lunch club');
    await page.locator('#chat-menu button:text("Rename")').click();
    await page.locator('#chat-note:has-text("im.chat.updated_v1")').waitFor();
    await page.locator('#chat-bar-name:text("Lunch club")').waitFor();
    expect((await sdk().im.chat.get({ path: { chat_id: group } })).data!.name).toBe('Lunch club');
    expect(lastOf('im.chat.updated_v1')).toMatchObject({ chat_id: group, after_change: { name: 'Lunch club' } });

    await page.locator('#chat-menu-btn').click();
    await page.locator('#chat-menu button:text("Disband the chat")').click();
    await page.locator('#list-note:has-text("im.chat.disbanded_v1")').waitFor();
    expect(await page.locator('#list-note').textContent()).toBe('disbanded Lunch club · im.chat.disbanded_v1 → Card Demo Bot (event URL): ok');
    await page.locator('.conv', { hasText: 'Lunch club' }).waitFor({ state: 'detached' });
    expect(lastOf('im.chat.disbanded_v1')).toMatchObject({ chat_id: group });
    expect(emu.deliveries({ kind: 'im.chat.disbanded_v1' }).at(-1)).toMatchObject({ verdict: 'ok' });
  });

  it('leaves a group', { timeout: 60_000 }, async () => {
    await page.locator('.conv', { hasText: 'Card Playground' }).click();
    await page.locator('#chat-bar-name:text("Card Playground")').waitFor();
    const playground = (await page.locator('.conv.active').getAttribute('data-chat-id'))!;
    expect(await members(playground)).toContain(alice().openId);
    await page.locator('#chat-menu-btn').click();
    await page.locator('#chat-menu button:text("Leave the chat")').click();
    await page.locator('#chat-note:has-text("im.chat.member.user.deleted_v1")').waitFor();
    expect(await members(playground)).not.toContain(alice().openId);
    expect(lastOf('im.chat.member.user.deleted_v1')).toMatchObject({ chat_id: playground, users: [{ user_id: { open_id: alice().openId } }] });
  });

  it('opens the one-to-one chat with the bot', { timeout: 60_000 }, async () => {
    await page.locator('#open-p2p-btn').click();
    await page.locator('#open-p2p-app').selectOption(emu.app().appId);
    await page.locator('#list-menu button:text("Open")').click();
    await page.locator('#list-note:has-text("im.chat.access_event.bot_p2p_chat_entered_v1")').waitFor();
    await page.locator('#chat-bar-name:text("Alice Zhang · Card Demo Bot")').waitFor();
    const entered = lastOf('im.chat.access_event.bot_p2p_chat_entered_v1');
    expect(entered).toMatchObject({ operator_id: { open_id: alice().openId } });
    expect(await page.locator('.conv.active').getAttribute('data-chat-id')).toBe(entered.chat_id);
  });

  it("presses an item of the bot's menu in the one-to-one chat", { timeout: 60_000 }, async () => {
    await page.locator('#bot-menu-btn').click();
    await page.locator('#chat-menu button.item[data-event-key="new_expense"]').click();
    await page.locator('#chat-note:has-text("application.bot.menu_v6")').waitFor();
    expect(await page.locator('#chat-note').textContent()).toBe('pressed Expense claim · application.bot.menu_v6 → Card Demo Bot (event URL): ok');
    expect(lastOf('application.bot.menu_v6')).toMatchObject({ event_key: 'new_expense', operator: { operator_id: { open_id: alice().openId } } });
  });

  it('pastes a link: the bot receives the message that carries it', { timeout: 60_000 }, async () => {
    const url = 'https://approvals.example.com/requests/42';
    await page.locator('#link-btn').click();
    await page.locator('#link-url').fill(url);
    await page.locator('#link-send').click();
    await page.locator('#extras-note:has-text("im.message.receive_v1")').waitFor();
    expect(await page.locator('#extras-note').textContent()).toMatch(/^pasted https:\/\/approvals\.example\.com\/requests\/42 · .*im\.message\.receive_v1 → Card Demo Bot \(event URL\): ok.* · 1 link preview$/);
    const e = lastOf('im.message.receive_v1');
    expect(e.message.content).toContain(url);
    await page.locator(`.msg[data-message-id="${e.message.message_id}"]`).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
