// The bot's own tests: the emulator stands in for Feishu, a test user writes to the bot and clicks
// its card, and the test asserts on what the bot sent and answered. No human, no network.
// (One emulator per test file: the SDK caches its token per app for the whole process.)
import { startEmulator } from 'feishu-card-cli/testing';
import { afterAll, beforeAll, test } from 'vitest';
import { createBot } from '../bot.js';
import { approveAnExpense } from './expense-flow.js';

let emu;
let hook;
beforeAll(async () => {
  emu = await startEmulator();
  const app = emu.app();
  const bot = createBot({ appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, domain: emu.url });
  hook = await bot.listen();
  emu.setCallbackUrl(hook.url); // callbacks and events on one path, as the bot serves them
});
afterAll(async () => {
  await hook?.close();
  await emu?.close();
});

test('approves an expense over a webhook', () => approveAnExpense(emu));
