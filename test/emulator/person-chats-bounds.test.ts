import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { MAX_CHATS_FOR_PEOPLE } from '../../src/emulator/routes/person-chats.js';

/** A person making chats cannot grow the emulator's chats without end: past the bound it is refused. */
let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('chats a person makes are bounded', () => {
  it('refuses a new chat once the emulator holds the most it keeps, and makes none', async () => {
    emu = await startEmulator({ port: 0 });
    const store = emu.core.store;
    const alice = store.users.find((u) => u.email === 'alice@example.com')!;
    const make = () => fetch(`${emu!.url}/_emulator/users/${alice.open_id}/chats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'one more' }) });
    expect((await make()).status).toBe(200);
    // Fill up to the bound without the HTTP round trips.
    while (store.chats.size < MAX_CHATS_FOR_PEOPLE) {
      const c = store.newChat({ name: 'filler', description: '', members: new Set([alice.open_id]), bots: new Set(), now: 0, owner_open_id: alice.open_id });
      store.chats.set(c.chat_id, c);
    }
    const res = await make();
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).msg).toContain(`holds ${MAX_CHATS_FOR_PEOPLE} chats`);
    expect(store.chats.size).toBe(MAX_CHATS_FOR_PEOPLE);
  });
});
