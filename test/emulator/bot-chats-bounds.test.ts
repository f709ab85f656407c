import { describe, expect, it } from 'vitest';
import { MAX_CHATS } from '../../src/emulator/store.js';
import { answer, sdkForFile } from '../helpers/sdk.js';

/**
 * A bot making groups cannot grow the emulator's chats without end: bots and people meet the same
 * bound (Store.roomForChat), and the bot is answered with the platform's invalid-request code and
 * the emulator's cap in the message.
 */
const { t, sdk } = sdkForFile();

/** Fills the emulator up to the bound without the HTTP round trips. */
function fill(): void {
  const store = t.emu.core.store;
  while (store.chats.size < MAX_CHATS) {
    const c = store.newChat({ name: 'filler', description: '', members: new Set(), bots: new Set(), now: 0 });
    store.chats.set(c.chat_id, c);
  }
}

describe('chats a bot makes are bounded', () => {
  it('refuses a new chat once the emulator holds the most it keeps, and makes none', async () => {
    const made = await answer(sdk().im.chat.create({ data: { name: 'before the bound' } }));
    expect(made.body.code).toBe(0);
    fill();
    const refused = await answer(sdk().im.chat.create({ data: { name: 'one more' } }));
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(232001);
    expect(refused.body.msg).toContain(`the most it keeps (${MAX_CHATS})`);
    expect(refused.body.msg).toContain('/_emulator/reset');
    expect(t.emu.core.store.chats.size).toBe(MAX_CHATS);
  });

  it('is the bound a person meets too', async () => {
    fill();
    const alice = t.users.find((u) => u.email === 'alice@example.com')!;
    const res = await t.call('POST', `/_emulator/users/${alice.open_id}/chats`, { name: 'one more' });
    expect(res.status).toBe(400);
    expect(res.body.msg).toContain(`the most it keeps (${MAX_CHATS})`);
  });
});
