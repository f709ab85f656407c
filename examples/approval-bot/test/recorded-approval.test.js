// Made by recording, not by hand, and committed as generated: with `card emulator` running this bot
// (callbacks and events at its webhook), `card inbox record --out test/recorded-approval.test.js
// --setup ./start-bot.js --until-signal` ran while `card inbox say alice@example.com "expense 1280 for
// the client visit"` and `card inbox click <message_id> Approve` acted, then got SIGINT.
// Recorded in the card emulator's inbox ("Record a test" / card inbox record), 2026-12-07T15:46:02.852Z: 3 steps.
// What people did and what the bot answered, with what was seen then as the assertions.
// Edit freely: it is an ordinary test on feishu-card-cli/testing.
import { afterAll, beforeAll, expect, test } from "vitest";
import { cardAsText, startEmulator } from "feishu-card-cli/testing";
import startBot from "./start-bot.js";

let emu;
let bot;
beforeAll(async () => {
  emu = await startEmulator();
  bot = await startBot(emu);
});
afterAll(async () => {
  await bot?.close();
  await emu?.close();
});

test("recorded session: 3 steps", async () => {
  const alice = emu.user("alice@example.com");
  await alice.sendText("p2p", "expense 1280 for the client visit");
  const m1 = await emu.waitForMessage((m) => m.card !== null && firstLine(m.card) === "Expense approval");
  expect(cardAsText(m1.card)).toBe("Expense approval\nAmount: ¥1280\n[Approve]\n[Reject]");
  const r1 = await alice.click(m1.messageId, { text: "Approve" });
  expect(r1.toast).toEqual({ type: "success", content: "Expense approved" });
  expect(cardAsText(r1.card)).toBe("Expense approved\nAmount: ¥1280\napproved by @ou_0c641f1f5bc3909050b5905931364f9b");
});

/** The first line of a card as a person reads it (its title, when it has a header). */
function firstLine(card) {
  return cardAsText(card).split('\n')[0] ?? '';
}
