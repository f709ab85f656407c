import * as lark from '@larksuiteoapi/node-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mp4, oggOpus } from '../helpers/person-media.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';
import { chromiumForFile } from '../helpers/browser.js';
import { CHAT_EVENT_KINDS, MESSAGE_EVENT_KINDS } from '../helpers/event-bots.js';

/**
 * Every event a person's action in the inbox causes, received over the long connection by the
 * official SDK's WSClient and parsed into its typed handlers: a message of each kind a person
 * sends, a reaction and its taking back, a read, a recall, the bot's menu, the one-to-one chat
 * opened, and a group's life (bot added and removed, people added, withdrawn and removed, renamed,
 * disbanded). One Chromium page, one load, walking through the actions as a person would.
 */
const seeded = loadDefaultSeed().apps[0]!;
const APP_ID = 'cli_a1b2c3d4e5f60c22';
const KINDS = ['im.message.receive_v1', ...MESSAGE_EVENT_KINDS, ...CHAT_EVENT_KINDS, 'application.bot.menu_v6'];

let emu: TestEmulator;
let bot: WsBot;
let browser: Browser;
let page: Page;
const got: Array<{ kind: string; data: any }> = [];
const pageErrors: string[] = [];

// The worker's Chromium, lent to this file; the pages it opens are closed after its last test.
const chromium = chromiumForFile();
beforeAll(async () => {
  // Its own app id: the SDK caches tenant tokens per app id for the whole process.
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, APP_ID));
  emu = await startEmulator({ seed, longConnection: true, rateLimits: false });
  const app = emu.app();
  bot = await startWsBot(emu.url, { app_id: app.appId, app_secret: app.appSecret }, Object.fromEntries(KINDS.map((k) => [k, (data: any) => void got.push({ kind: k, data })])));
  browser = chromium.browser;
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${emu.url}/`);
  await page.waitForSelector('body[data-ready="1"]');
}, 120_000);
afterAll(async () => {
  await page?.context().close();
  bot?.close();
  await emu?.close();
});

const alice = () => emu.user('alice@example.com');
const sdk = () => new lark.Client({ appId: emu.app().appId, appSecret: emu.app().appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });

/** Events an action already accounted for: each action must bring a new one. */
const seen = new Set<string>();

/**
 * Waits until the note shows what the action `what` caused (not its "…" while it runs, nor the
 * last action's words), checks the WSClient was the one told, and answers the new event its
 * handler got.
 */
async function caused(note: string, what: string, kind: string): Promise<any> {
  await page.waitForFunction(([sel, w]) => ((globalThis as any).document.querySelector(sel)?.textContent ?? '').startsWith(`${w} · `), [note, what] as const);
  expect(await page.locator(note).first().textContent()).toContain(`${kind} → Card Demo Bot (long connection): ok`);
  // The action answers once the bot acknowledged: its event is in.
  const fresh = got.filter((g) => g.kind === kind && !seen.has(g.data.event_id));
  expect(fresh, `the WSClient's ${kind} handler got one new event`).toHaveLength(1);
  seen.add(fresh[0]!.data.event_id);
  return fresh[0]!.data;
}

/** How many events of a kind the WSClient got so far. */
const count = (kind: string) => got.filter((g) => g.kind === kind).length;

async function more() {
  await page.locator('#more-btn').click();
  await page.locator('#more-menu').waitFor();
}

describe('the inbox page causes every event of a person, and the WSClient parses each', () => {
  it('walks through the actions', { timeout: 180_000 }, async () => {
    const me = alice().openId;
    const receive = 'im.message.receive_v1';
    const received = () => got.filter((g) => g.kind === receive).at(-1)!.data.message;

    // The one-to-one chat with the bot.
    await page.locator('#open-p2p-btn').click();
    await page.locator('#open-p2p-app').selectOption(APP_ID);
    await page.locator('#list-menu button:text("Open")').click();
    const entered = await caused('#list-note', 'opened the chat with Card Demo Bot', 'im.chat.access_event.bot_p2p_chat_entered_v1');
    expect(entered.operator_id.open_id).toBe(me);
    const p2p = entered.chat_id as string;
    await page.locator(`.conv.active[data-chat-id="${p2p}"]`).waitFor();

    // Text, from the message box.
    let n = count(receive);
    await page.fill('#composer-text', 'hello <b>bot</b>');
    await page.click('#composer-send');
    await page.waitForFunction(() => ((globalThis as any).document.getElementById('composer-note').textContent as string).startsWith('im.message.receive_v1'));
    expect(count(receive)).toBe(n + 1);
    seen.add(got.at(-1)!.data.event_id);
    expect(received()).toMatchObject({ chat_id: p2p, chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: 'hello <b>bot</b>' }) });
    const textId = received().message_id as string;

    // A post, a picture and a file, under the message box.
    await page.locator('#post-btn').click();
    await page.fill('#post-title', 'Plan');
    await page.fill('#post-text', 'ship on Friday');
    await page.click('#post-send');
    expect((await caused('#extras-note', 'sent a post', receive)).message).toMatchObject({ message_type: 'post' });
    const postId = received().message_id as string;
    await page.locator('#attach-image').setInputFiles({ name: 'pic.png', mimeType: 'image/png', buffer: PNG_1X1 });
    expect(JSON.parse((await caused('#extras-note', 'sent image pic.png', receive)).message.content).image_key).toMatch(/^img_/);
    await page.locator('#attach-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') });
    expect(JSON.parse((await caused('#extras-note', 'sent file notes.txt', receive)).message.content).file_name).toBe('notes.txt');

    // The More menu: voice, video, sticker, a group and a person shared, a location, a task.
    await more();
    await page.locator('#attach-audio').setInputFiles({ name: 'memo.opus', mimeType: 'audio/ogg', buffer: oggOpus(1500) });
    const audio = await caused('#extras-note', 'sent audio memo.opus', receive);
    expect(audio.message.message_type).toBe('audio');
    expect(JSON.parse(audio.message.content).duration).toBe(1500);
    await more();
    await page.locator('#attach-video').setInputFiles({ name: 'clip.mp4', mimeType: 'video/mp4', buffer: mp4(2000) });
    const video = await caused('#extras-note', 'sent media clip.mp4', receive);
    expect(video.message.message_type).toBe('media');
    expect(JSON.parse(video.message.content)).toMatchObject({ file_name: 'clip.mp4', duration: 2000 });
    await more();
    await page.click('#sticker-send');
    expect((await caused('#extras-note', 'sent a sticker', receive)).message.message_type).toBe('sticker');
    const playground = ((await (await fetch(`${emu.url}/_emulator/state`)).json()) as any).data.chats.find((c: any) => c.name === 'Card Playground').chat_id as string;
    await more();
    await page.locator('#share-chat-which').selectOption(playground);
    await page.click('#share-chat-send');
    expect(JSON.parse((await caused('#extras-note', 'shared the group Card Playground', receive)).message.content)).toEqual({ chat_id: playground });
    const bob = emu.user('bob@example.com');
    await more();
    await page.locator('#share-user-which').selectOption(bob.openId);
    await page.click('#share-user-send');
    const shared = await caused('#extras-note', `shared ${bob.name}`, receive);
    expect(shared.message.message_type).toBe('share_user');
    expect(JSON.parse(shared.message.content)).toEqual({ user_id: bob.openId });
    await more();
    await page.fill('#location-name', 'Office <i>HQ</i>');
    await page.fill('#location-lat', '31.2304');
    await page.fill('#location-lon', '121.4737');
    await page.click('#location-send');
    const location = await caused('#extras-note', 'sent the location Office <i>HQ</i>', receive);
    expect(JSON.parse(location.message.content)).toEqual({ name: 'Office <i>HQ</i>', latitude: '31.2304', longitude: '121.4737' });
    expect(await page.locator('#extras-note i, .msg i').count()).toBe(0);
    await more();
    await page.fill('#todo-summary', 'file the expense');
    await page.click('#todo-send');
    const todo = await caused('#extras-note', 'sent the task file the expense', receive);
    expect(todo.message.message_type).toBe('todo');
    expect(JSON.stringify(JSON.parse(todo.message.content).summary)).toContain('file the expense');

    // Merge-forward: pick two messages of the open chat and forward them, merged, to this chat.
    await more();
    await page.click('#forward-pick');
    await page.locator(`.msg[data-message-id="${textId}"] .pick-box`).check();
    await page.locator(`.msg[data-message-id="${postId}"] .pick-box`).check();
    await page.locator('#forward-count:text("2 selected")').waitFor();
    await page.locator('#forward-to').selectOption(p2p);
    await page.click('#forward-send');
    const merged = await caused('#extras-note', 'forwarded 2 messages merged', receive);
    expect(merged.message.message_type).toBe('merge_forward');
    const children = await sdk().im.message.get({ path: { message_id: merged.message.message_id } });
    expect(children.data!.items!.slice(1).map((m) => m.msg_type)).toEqual(['text', 'post']);
    expect(await page.locator('#forward-bar').isVisible()).toBe(false);

    // The bot's menu.
    await page.locator('#bot-menu-btn').click();
    await page.locator('#chat-menu button.item[data-event-key="new_expense"]').click();
    expect((await caused('#chat-note', 'pressed Expense claim', 'application.bot.menu_v6')).event_key).toBe('new_expense');

    // On a message the bot sent: react, take it back, read; then recall one's own message.
    const sent = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: p2p, msg_type: 'text', content: JSON.stringify({ text: 'your claim is in' }) } });
    const botMsg = page.locator(`.msg[data-message-id="${sent.data!.message_id}"]`);
    await botMsg.waitFor();
    await botMsg.locator('.acts button:text("React")').click();
    await botMsg.locator('.emoji-picker button[data-emoji="THUMBSUP"]').click();
    expect(await caused(`.msg[data-message-id="${sent.data!.message_id}"] .acts .note`, 'reacted THUMBSUP', 'im.message.reaction.created_v1')).toMatchObject({ reaction_type: { emoji_type: 'THUMBSUP' }, user_id: { open_id: me } });
    await botMsg.locator('.reactions .chip.mine').click();
    expect(await caused(`.msg[data-message-id="${sent.data!.message_id}"] .acts .note`, 'took back THUMBSUP', 'im.message.reaction.deleted_v1')).toMatchObject({ message_id: sent.data!.message_id });
    await botMsg.locator('.acts button:text("Mark read")').click();
    expect((await caused(`.msg[data-message-id="${sent.data!.message_id}"] .acts .note`, 'marked read', 'im.message.message_read_v1')).message_id_list).toEqual([sent.data!.message_id]);
    await page.locator(`.msg[data-message-id="${textId}"] .acts button:text("Recall")`).click();
    expect(await caused(`.msg[data-message-id="${textId}"] .acts .note`, 'recalled', 'im.message.recalled_v1')).toMatchObject({ message_id: textId, recall_type: 'message_owner' });

    // A group's life.
    await page.locator('#new-group-btn').click();
    await page.fill('#new-group-name', 'Trip');
    await page.locator('#new-group-bot').selectOption(APP_ID);
    await page.locator('#list-menu button:text("Create")').click();
    const group = (await caused('#list-note', 'made the group Trip', 'im.chat.member.bot.added_v1')).chat_id as string;
    await page.locator('#chat-bar-name:text("Trip")').waitFor();
    const carol = emu.user('carol@example.com');
    const chatMenu = async () => {
      await page.locator('#chat-menu-btn').click();
      await page.locator('#chat-menu').waitFor();
    };
    // The note shows an action's outcome before the page reloads the conversations its chat menu is
    // drawn from: the next step opens the menu once the page holds the chat as this step left it.
    const pageHolds = (kind: 'members' | 'bots', id: string, present: boolean) =>
      page.waitForFunction(
        ([g, k, who, yes]) => {
          const c = ((globalThis as any).state.convs as any[]).find((x) => x.chat_id === g);
          return !!c && (c[k] as any[]).some((m) => (k === 'bots' ? m.app_id : m.open_id) === who) === yes;
        },
        [group, kind, id, present] as const,
      );
    await chatMenu();
    await page.locator('#chat-add-who').selectOption(`user:${carol.openId}`);
    await page.locator('#chat-menu button:text("Add")').click();
    expect(await caused('#chat-note', `added ${carol.name}`, 'im.chat.member.user.added_v1')).toMatchObject({ chat_id: group, users: [{ user_id: { open_id: carol.openId } }] });
    await pageHolds('members', carol.openId, true);
    await chatMenu();
    await page.locator('#chat-withdraw-who').selectOption(carol.openId);
    await page.locator('#chat-menu button:text("Withdraw invitation")').click();
    expect(await caused('#chat-note', `withdrew the invitation of ${carol.name}`, 'im.chat.member.user.withdrawn_v1')).toMatchObject({ chat_id: group, users: [{ user_id: { open_id: carol.openId } }] });
    await pageHolds('members', carol.openId, false);
    await chatMenu();
    // Only people this person added can be withdrawn: nobody is left to offer.
    expect(await page.locator('#chat-withdraw-who').count()).toBe(0);
    await page.locator('#chat-add-who').selectOption(`user:${bob.openId}`);
    await page.locator('#chat-menu button:text("Add")').click();
    await caused('#chat-note', `added ${bob.name}`, 'im.chat.member.user.added_v1');
    await pageHolds('members', bob.openId, true);
    await chatMenu();
    await page.locator('#chat-remove-who').selectOption(bob.openId);
    await page.locator('#chat-menu button:text("Remove")').click();
    expect(await caused('#chat-note', `removed ${bob.name}`, 'im.chat.member.user.deleted_v1')).toMatchObject({ chat_id: group, users: [{ user_id: { open_id: bob.openId } }] });
    await chatMenu();
    await page.fill('#chat-rename', 'Trip 2027');
    await page.locator('#chat-menu button:text("Rename")').click();
    expect(await caused('#chat-note', 'renamed to Trip 2027', 'im.chat.updated_v1')).toMatchObject({ chat_id: group, after_change: { name: 'Trip 2027' } });
    await chatMenu();
    await page.locator('#chat-remove-who').selectOption(APP_ID);
    await page.locator('#chat-menu button:text("Remove")').click();
    expect((await caused('#chat-note', 'removed Card Demo Bot (bot)', 'im.chat.member.bot.deleted_v1')).chat_id).toBe(group);
    await pageHolds('bots', APP_ID, false);
    await chatMenu();
    await page.locator('#chat-add-who').selectOption(`bot:${APP_ID}`);
    await page.locator('#chat-menu button:text("Add")').click();
    await caused('#chat-note', 'added Card Demo Bot (bot)', 'im.chat.member.bot.added_v1');
    await chatMenu();
    await page.locator('#chat-menu button:text("Disband the chat")').click();
    expect((await caused('#list-note', 'disbanded Trip 2027', 'im.chat.disbanded_v1')).chat_id).toBe(group);

    // The page reads no voice message or video larger than the route takes, and sends nothing.
    await page.locator(`.conv[data-chat-id="${p2p}"]`).click();
    const saved = { ...MEDIA_LIMITS };
    MEDIA_LIMITS.fileMaxBytes = 16 * 1024;
    try {
      await page.locator(`.conv[data-chat-id="${p2p}"]`).click();
      await page.waitForFunction(() => (globalThis as any).state?.uploadMax?.audio === 16 * 1024);
      const messages = emu.messages().length;
      await more();
      await page.locator('#attach-audio').setInputFiles({ name: 'long.opus', mimeType: 'audio/ogg', buffer: Buffer.concat([oggOpus(1000), Buffer.alloc(16 * 1024)]) });
      await page.locator('#extras-note.bad:has-text("long.opus")').waitFor();
      expect(await page.locator('#extras-note').textContent()).toBe('long.opus is 17 KB: the emulator takes voice messages up to 16 KB');
      expect(emu.messages().length).toBe(messages);
    } finally {
      Object.assign(MEDIA_LIMITS, saved);
    }

    // Every kind of issue 24 a person causes reached the WSClient, each message kind among them.
    expect(new Set(got.map((g) => g.kind))).toEqual(new Set(KINDS));
    expect(new Set(got.filter((g) => g.kind === receive).map((g) => g.data.message.message_type))).toEqual(
      new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'share_chat', 'share_user', 'location', 'todo', 'merge_forward']),
    );
    expect(emu.deliveries().filter((d) => d.transport !== 'long_connection')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
