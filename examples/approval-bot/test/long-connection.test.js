// The same conversation with the bot on the long connection (the SDK's WSClient): no URL at all.
import { startEmulator } from 'feishu-card-cli/testing';
import { afterAll, beforeAll, test } from 'vitest';
import { createBot } from '../bot.js';
import { approveAnExpense } from './expense-flow.js';

let emu;
let ws;
beforeAll(async () => {
  emu = await startEmulator({ longConnection: true });
  const app = emu.app();
  ws = await createBot({ appId: app.appId, appSecret: app.appSecret, domain: emu.url }).connect();
});
afterAll(async () => {
  ws?.close();
  await emu?.close();
});

test('approves an expense over the long connection', () => approveAnExpense(emu));
