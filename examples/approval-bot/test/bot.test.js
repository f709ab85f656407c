// The bot's own tests: the emulator stands in for Feishu, a test user writes to the bot and clicks
// its card, and the test asserts on what the bot sent and answered. No human, no network.
import { startEmulator } from 'feishu-card-cli/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { createBot } from '../bot.js';

const stops = [];
afterEach(async () => {
  while (stops.length) await stops.pop()();
});

/** The expense conversation, whichever way the bot receives events. */
async function approveAnExpense(emu) {
  const alice = emu.user('alice@example.com');
  await alice.sendText('p2p', 'expense 1280 for the client visit');
  const card = await emu.waitForMessage((m) => m.card?.header?.title?.content === 'Expense approval');
  expect(card.parentId).not.toBeNull(); // a reply to Alice's message

  const { toast, card: after, problems } = await alice.click(card.messageId, { text: 'Approve' });
  expect(problems).toEqual([]);
  expect(toast).toEqual({ type: 'success', content: 'Expense approved' });
  expect(after.header.title.content).toBe('Expense approved');
  expect(JSON.stringify(after)).toContain(alice.openId);
}

describe('approval bot', () => {
  test('over a webhook', async () => {
    const emu = await startEmulator();
    stops.push(() => emu.close());
    const app = emu.app();
    const bot = createBot({ appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, domain: emu.url });
    const hook = await bot.listen();
    stops.push(hook.close);
    emu.setCallbackUrl(hook.url); // callbacks and events on one path, as the bot serves them
    await approveAnExpense(emu);
  });

  test('over the long connection', async () => {
    const emu = await startEmulator({ longConnection: true });
    stops.push(() => emu.close());
    const app = emu.app();
    const bot = createBot({ appId: app.appId, appSecret: app.appSecret, domain: emu.url });
    const ws = await bot.connect();
    stops.push(ws.close);
    await approveAnExpense(emu);
  });
});
