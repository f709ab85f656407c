import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

/** Group chats the demo bot makes through chat create, the way an app would. */
async function makeChat(name: string, memberIds: string[]): Promise<string> {
  const r = await answer(sdk().im.v1.chat.create({ params: { user_id_type: 'open_id' }, data: { name, user_id_list: memberIds } }));
  expect(r.body.code).toBe(0);
  return r.body.data.chat_id;
}

const names = (body: any) => (body.data.items as Array<{ meta_data: { name: string } }>).map((i) => i.meta_data.name);

describe('POST /open-apis/im/v2/chats/search', () => {
  it("finds the bot's group chats by chat name or a member's name, newest first", async () => {
    const [alice, bob, carol] = t.users;
    const ops = await makeChat('Ops Alerts', [carol!.open_id]);
    await t.call('POST', '/_emulator/clock', { advance_seconds: 1 });
    await makeChat('Release train', [alice!.open_id]);
    const byName = await answer(sdk().im.v2.chat.search({ data: { query: 'ops' } }));
    expect(byName.body.code).toBe(0);
    expect(byName.body.data).toMatchObject({ total: 1, has_more: false, items: [{ id: ops, meta_data: { chat_id: ops, name: 'Ops Alerts', chat_status: 'normal', owner_id_type: 'app_id' } }] });
    // "Alice" is a member of the seeded chat and of the release train, not of ops.
    expect(names((await answer(sdk().im.v2.chat.search({ data: { query: 'alice' } }))).body)).toEqual(['Release train', 'Card Playground']);
    expect(names((await answer(sdk().im.v2.chat.search({ data: { query: 'alice', filter: { disable_search_by_user: true } } }))).body)).toEqual([]);
    const withBob = await answer(sdk().im.v2.chat.search({ data: { filter: { member_ids: [bob!.open_id] } } }));
    expect(names(withBob.body)).toEqual(['Card Playground']);
  });

  it('leaves out chats the bot is not in, one-to-one chats and dissolved chats', async () => {
    const store = t.emu.core.store;
    const c = store.newChat({ name: 'Secret ops', description: '', members: new Set(), bots: new Set(), now: 0 });
    store.chats.set(c.chat_id, c);
    store.p2pChatFor(store.apps.get(t.app.app_id)!, t.users[0]!, 0);
    const gone = await makeChat('Old ops', []);
    store.chats.get(gone)!.dissolved = true;
    expect(names((await answer(sdk().im.v2.chat.search({ data: { query: 'ops' } }))).body)).toEqual([]);
    expect((await answer(sdk().im.v2.chat.search({ data: {} }))).body.data.total).toBe(1);
    // A public chat the bot is not in is found only when asked for.
    c.chat_type = 'public';
    expect(names((await answer(sdk().im.v2.chat.search({ data: { query: 'ops' } }))).body)).toEqual([]);
    const notJoined = await answer(sdk().im.v2.chat.search({ data: { query: 'ops', filter: { search_types: ['public_not_joined'] } } }));
    expect(names(notJoined.body)).toEqual(['Secret ops']);
  });

  it('pages with page_size and page_token', async () => {
    for (let i = 0; i < 3; i++) await makeChat(`Team ${i}`, []);
    const first = await answer(sdk().im.v2.chat.search({ params: { page_size: 2 }, data: { query: 'team' } }));
    expect(first.body.data).toMatchObject({ total: 3, has_more: true });
    expect(first.body.data.items).toHaveLength(2);
    const second = await answer(sdk().im.v2.chat.search({ params: { page_size: 2, page_token: first.body.data.page_token }, data: { query: 'team' } }));
    expect(second.body.data).toMatchObject({ has_more: false, page_token: '' });
    expect(new Set([...names(first.body), ...names(second.body)])).toEqual(new Set(['Team 0', 'Team 1', 'Team 2']));
  });

  it('refuses a page_token it did not give (230001), page_size over 100 and a query over 64 characters', async () => {
    const token = await answer(sdk().im.v2.chat.search({ params: { page_token: 'bogus' }, data: { query: 'x' } }));
    expect(token.body).toMatchObject({ code: 230001, msg: expect.stringContaining('page_token') });
    const size = await answer(sdk().im.v2.chat.search({ params: { page_size: 101 }, data: {} }));
    expect(size.body.error.field_violations[0].field).toBe('page_size');
    const long = await answer(sdk().im.v2.chat.search({ data: { query: 'x'.repeat(65) } }));
    expect(long.body.error.field_violations[0].field).toBe('query');
  });

  it('keeps only the chats the bot manages with is_manager, and sorts by member count when asked', async () => {
    const [alice, bob, carol] = t.users;
    await makeChat('Big', [alice!.open_id, bob!.open_id, carol!.open_id]);
    const managed = await answer(sdk().im.v2.chat.search({ data: { filter: { is_manager: true } } }));
    expect(names(managed.body)).toEqual(['Big']);
    const bySize = await answer(sdk().im.v2.chat.search({ data: { sorter: 'member_count_desc' } }));
    expect(names(bySize.body)).toEqual(['Big', 'Card Playground']);
  });
});
