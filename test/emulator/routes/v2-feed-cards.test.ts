import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const store = () => t.emu.core.store;
const playground = () => t.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;

/** A group chat of users without the demo bot in it. */
function chatWithoutBot(): string {
  const c = store().newChat({ name: 'No bots here', description: '', members: new Set([t.users[0]!.open_id]), bots: new Set(), now: t.emu.core.now() });
  store().chats.set(c.chat_id, c);
  return c.chat_id;
}

describe('PATCH /open-apis/im/v2/feed_cards/bot_time_sentive', () => {
  it("pins the bot's one-to-one chat in each user's feed, then unpins it", async () => {
    const [alice, bob, , dave] = t.users;
    const r = await answer(
      sdk().im.v2.feedCard.botTimeSentive({ params: { user_id_type: 'user_id' }, data: { time_sensitive: true, user_ids: [alice!.user_id, bob!.user_id, dave!.user_id] } }),
    );
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_user_reasons).toEqual([{ error_code: 0, error_message: expect.stringContaining('not found'), user_id: dave!.user_id }]);
    const app = store().apps.get(t.app.app_id)!;
    const p2p = store().p2pChatFor(app, alice!, 0).chat_id;
    expect(store().chatFeeds.get(`${p2p}\0${alice!.open_id}`)?.time_sensitive_since).toEqual(expect.any(Number));
    await answer(sdk().im.v2.feedCard.botTimeSentive({ params: { user_id_type: 'open_id' }, data: { time_sensitive: false, user_ids: [alice!.open_id] } }));
    expect(store().chatFeeds.get(`${p2p}\0${alice!.open_id}`)?.time_sensitive_since).toBeNull();
  });

  it('requires user_id_type and at most 50 users', async () => {
    const noType = await t.call('PATCH', '/open-apis/im/v2/feed_cards/bot_time_sentive', { time_sensitive: true, user_ids: [t.users[0]!.open_id] }, await t.token());
    expect(noType.body.code).toBe(99992402);
    expect(noType.body.error.field_violations[0].field).toBe('user_id_type');
    const many = await answer(sdk().im.v2.feedCard.botTimeSentive({ params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: Array.from({ length: 51 }, (_, i) => `ou_${i}`) } }));
    expect(many.body.error.field_violations[0].field).toBe('user_ids');
  });

  it('needs im:datasync.feed_card.time_sensitive:write', async () => {
    const r = await answer(sdk(1).im.v2.feedCard.botTimeSentive({ params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: [t.users[0]!.open_id] } }));
    expect(r.body.code).toBe(99991672);
  });
});

describe('PATCH /open-apis/im/v2/feed_cards/:feed_card_id', () => {
  it("pins a group chat for its members and reports users outside it", async () => {
    const [alice, , carol] = t.users;
    const chatId = playground();
    const r = await answer(sdk().im.v2.feedCard.patch({ path: { feed_card_id: chatId }, params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: [alice!.open_id, carol!.open_id] } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_user_reasons).toEqual([{ error_code: 0, error_message: 'The user is not in the chat', user_id: carol!.open_id }]);
    expect(store().chatFeeds.get(`${chatId}\0${alice!.open_id}`)?.time_sensitive_since).toEqual(expect.any(Number));
    expect(store().chatFeeds.has(`${chatId}\0${carol!.open_id}`)).toBe(false);
  });

  it('answers 230027 when the bot is not in the chat and 230001 for an unknown or one-to-one chat', async () => {
    const user = [t.users[0]!.open_id];
    const outside = await answer(sdk().im.v2.feedCard.patch({ path: { feed_card_id: chatWithoutBot() }, params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: user } }));
    expect(outside.body).toMatchObject({ code: 230027, msg: expect.stringContaining('the bot is not in the chat') });
    const unknown = await answer(sdk().im.v2.feedCard.patch({ path: { feed_card_id: 'oc_nope' }, params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: user } }));
    expect(unknown.body).toMatchObject({ code: 230001, msg: expect.stringContaining('oc_nope') });
    const p2p = store().p2pChatFor(store().apps.get(t.app.app_id)!, t.users[0]!, 0).chat_id;
    const single = await answer(sdk().im.v2.feedCard.patch({ path: { feed_card_id: p2p }, params: { user_id_type: 'open_id' }, data: { time_sensitive: true, user_ids: user } }));
    expect(single.body).toMatchObject({ code: 230001, msg: expect.stringContaining('group') });
  });
});

describe('PUT /open-apis/im/v2/chat_button', () => {
  const button = (text: string) => ({ action_type: 'url_page' as const, text: { text }, multi_url: { url: `https://example.com/${text}` } });

  it("sets the buttons of the chat's feed card for the users given, and an empty list clears them", async () => {
    const [alice, bob, carol] = t.users;
    const chatId = playground();
    const r = await answer(sdk().im.v2.chatButton.update({ data: { chat_id: chatId, user_ids: [alice!.open_id, carol!.open_id], buttons: { buttons: [button('a'), button('b')] } } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_user_reasons).toEqual([{ error_code: 0, error_message: 'The user is not in the chat', user_id: carol!.open_id }]);
    expect(store().chatFeeds.get(`${chatId}\0${alice!.open_id}`)!.buttons.map((b) => b.text.text)).toEqual(['a', 'b']);
    expect(store().chatFeeds.has(`${chatId}\0${bob!.open_id}`)).toBe(false);
    // Without user_ids every member gets the new set; the list replaces the old one.
    await answer(sdk().im.v2.chatButton.update({ data: { chat_id: chatId, buttons: { buttons: [button('c')] } } }));
    expect(store().chatFeeds.get(`${chatId}\0${alice!.open_id}`)!.buttons.map((b) => b.text.text)).toEqual(['c']);
    expect(store().chatFeeds.get(`${chatId}\0${bob!.open_id}`)!.buttons.map((b) => b.text.text)).toEqual(['c']);
    await answer(sdk().im.v2.chatButton.update({ data: { chat_id: chatId, user_ids: [bob!.open_id] } }));
    expect(store().chatFeeds.get(`${chatId}\0${bob!.open_id}`)!.buttons).toEqual([]);
  });

  it('answers 230027 outside the chat and 230001 for a non-https button link', async () => {
    const outside = await answer(sdk().im.v2.chatButton.update({ data: { chat_id: chatWithoutBot(), buttons: { buttons: [] } } }));
    expect(outside.body).toMatchObject({ code: 230027 });
    const http = await answer(sdk().im.v2.chatButton.update({ data: { chat_id: playground(), buttons: { buttons: [{ action_type: 'url_page', text: { text: 'x' }, multi_url: { pc_url: 'http://example.com' } }] } } }));
    expect(http.body).toMatchObject({ code: 230001, msg: expect.stringContaining('buttons.buttons[0].multi_url.pc_url') });
    const action_map = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    const big = await answer(sdk().im.v2.chatButton.update({ data: { chat_id: playground(), buttons: { buttons: [{ action_type: 'webhook', text: { text: 'x' }, action_map }] } } }));
    expect(big.body).toMatchObject({ code: 230001, msg: expect.stringContaining('action_map holds at most 20') });
  });
});
