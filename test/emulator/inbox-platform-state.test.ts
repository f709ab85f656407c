import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../helpers/sdk.js';
import { sharedCard } from '../helpers/emulator.js';

/**
 * What a person would see in the inbox of the state the catalogue's routes keep: reactions under a
 * message, pins, a chat's new name, its announcement and top notice, and their feed.
 */
const { t, sdk } = sdkForFile();

const chatId = () => t.emu.state().chats[0]!.chat_id;

async function sendCard(): Promise<string> {
  const r = await t.send(await t.token(), 'chat_id', chatId(), sharedCard('hello'));
  expect(r.body.code).toBe(0);
  return r.body.data.message_id as string;
}

async function inboxMessages(viewer = '') {
  const r = await t.call('GET', `/_emulator/inbox/messages?chat_id=${chatId()}&open_id=${viewer}`);
  return r.body.data.messages as any[];
}

async function conversation() {
  const r = await t.call('GET', '/_emulator/inbox/conversations');
  return (r.body.data.conversations as any[]).find((c) => c.chat_id === chatId());
}

/** Collects the core's events of one kind while `act` runs. */
async function eventsDuring<K extends 'update' | 'chat' | 'feed'>(kind: K, act: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const on = (e: unknown) => seen.push(e);
  t.emu.core.events.on(kind, on as any);
  try {
    await act();
  } finally {
    t.emu.core.events.off(kind, on as any);
  }
  return seen;
}

describe('the inbox shows the platform state of the catalogue routes', () => {
  it('shows reactions under a message with who made them, and tells an open page at once', async () => {
    const id = await sendCard();
    const alice = t.users.find((u) => t.emu.state().chats[0]!.members.includes(u.open_id))!;
    const updates = await eventsDuring('update', async () => {
      expect((await answer(sdk().im.messageReaction.create({ path: { message_id: id }, data: { reaction_type: { emoji_type: 'THUMBSUP' } } }))).body.code).toBe(0);
      t.emu.core.store.react(t.emu.core.store.messages.get(id)!, { type: 'user', id: alice.open_id }, 'THUMBSUP', t.emu.core.now());
    });
    expect(updates).toHaveLength(2);
    const m = (await inboxMessages()).find((x) => x.message_id === id);
    expect(m.reactions).toMatchObject([{ emoji_type: 'THUMBSUP', count: 2, names: [t.emu.state().apps[0]!.name, alice.name] }]);
    expect(m.pinned).toBe(false);
  });

  it('marks a pinned message, and unmarks it when unpinned', async () => {
    const id = await sendCard();
    expect((await answer(sdk().im.pin.create({ data: { message_id: id } }))).body.code).toBe(0);
    expect((await inboxMessages()).find((x) => x.message_id === id).pinned).toBe(true);
    expect((await answer(sdk().im.pin.delete({ path: { message_id: id } }))).body.code).toBe(0);
    expect((await inboxMessages()).find((x) => x.message_id === id).pinned).toBe(false);
  });

  it("shows the chat's new name, its announcement and its top notice, and tells an open page", async () => {
    const id = await sendCard();
    const changes = await eventsDuring('chat', async () => {
      expect((await answer(sdk().im.chat.update({ path: { chat_id: chatId() }, data: { name: 'Renamed by the bot' } }))).body.code).toBe(0);
      const paragraph = { type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: 'Standup at ten' } }] } };
      const request = JSON.stringify({ requestType: 'InsertBlocksRequestType', insertBlocksRequest: { payload: JSON.stringify({ blocks: [paragraph] }), location: { zoneId: '0', endOfZone: true } } });
      expect((await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: chatId() }, data: { revision: '0', requests: [request] } }))).body.code).toBe(0);
      expect((await answer(sdk().im.chatTopNotice.putTopNotice({ path: { chat_id: chatId() }, data: { chat_top_notice: [{ action_type: '1', message_id: id }] } }))).body.code).toBe(0);
    });
    expect(changes).toEqual([{ chat_id: chatId() }, { chat_id: chatId() }, { chat_id: chatId() }]);
    const c = await conversation();
    expect(c.name).toBe('Renamed by the bot');
    expect(c.announcement).toContain('Standup at ten');
    expect(c.top_notice).toMatch(/^Pinned: /);
  });

  it("shows a person's app feed cards and time-sensitive chats in their feed, and no one else's", async () => {
    const [alice, bob] = t.users;
    const feeds = await eventsDuring('feed', async () => {
      const r = await answer(
        sdk().im.v2.appFeedCard.create({
          params: { user_id_type: 'open_id' },
          data: { app_feed_card: { biz_id: 'order-1', title: 'Order 1', preview: 'shipped today', link: { link: 'https://example.com/o/1' } }, user_ids: [alice!.open_id] },
        }),
      );
      expect(r.body.code).toBe(0);
    });
    expect(feeds).toEqual([{ open_id: alice!.open_id }]);
    const mine = (await t.call('GET', `/_emulator/inbox/feed?open_id=${alice!.open_id}`)).body.data;
    expect(mine.cards).toEqual([expect.objectContaining({ biz_id: 'order-1', title: 'Order 1', preview: 'shipped today' })]);
    const theirs = (await t.call('GET', `/_emulator/inbox/feed?open_id=${bob!.open_id}`)).body.data;
    expect(theirs.cards).toEqual([]);
  });
});
