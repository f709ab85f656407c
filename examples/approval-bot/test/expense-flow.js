import { expect } from 'vitest';

/** The expense conversation, whichever way the bot receives events: write, get the card, approve. */
export async function approveAnExpense(emu) {
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
