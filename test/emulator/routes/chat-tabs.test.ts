import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';
import { PNG_1X1 } from '../../helpers/images.js';
import { sharedCard } from '../../helpers/emulator.js';

const { t, sdk } = sdkForFile();

/** A chat the bot created (so it owns it). */
async function ownChat(): Promise<string> {
  const r = await sdk().im.chat.create({ data: { name: 'Tabs' } });
  return r.data!.chat_id!;
}

/** The seeded chat: the bot is a member, neither its owner nor a manager. */
function seededChat(): string {
  return t.emu.state().chats[0]!.chat_id;
}

function chatRecord(chatId: string) {
  return t.emu.core.store.chats.get(chatId)!;
}

const create = (chatId: string, chat_tabs: any[]) => answer(sdk().im.chatTab.create({ path: { chat_id: chatId }, data: { chat_tabs } }));
const list = (chatId: string) => answer(sdk().im.chatTab.listTabs({ path: { chat_id: chatId } }));
const docTab = (name: string) => ({ tab_name: name, tab_type: 'doc', tab_content: { doc: `https://example.feishu.cn/wiki/${name}` } });
const urlTab = (name: string) => ({ tab_name: name, tab_type: 'url', tab_content: { url: `https://example.com/${name}` } });

describe('POST /open-apis/im/v1/chats/:chat_id/chat_tabs', () => {
  it('adds doc and url tabs after the built-in message tab, with ids, and answers every tab', async () => {
    const chatId = await ownChat();
    const r = await create(chatId, [docTab('Spec'), { ...urlTab('Board'), tab_config: { is_built_in: true } }]);
    expect(r.status).toBe(200);
    const tabs = r.body.data.chat_tabs;
    expect(tabs.map((x: any) => x.tab_type)).toEqual(['message', 'doc', 'url']);
    expect(tabs[1]).toMatchObject({ tab_name: 'Spec', tab_content: { doc: 'https://example.feishu.cn/wiki/Spec' } });
    expect(tabs[2]).toMatchObject({ tab_name: 'Board', tab_config: { is_built_in: true } });
    expect(new Set(tabs.map((x: any) => x.tab_id)).size).toBe(3);
    expect((await list(chatId)).body.data.chat_tabs).toEqual(tabs);
  });

  it('takes as icon an image this bot uploaded, and refuses one it did not (232056)', async () => {
    const chatId = await ownChat();
    const up: any = await sdk().im.image.create({ data: { image_type: 'message', image: PNG_1X1 } });
    const key = up.image_key ?? up.data?.image_key;
    const good = await create(chatId, [{ ...urlTab('Icon'), tab_config: { icon_key: key } }]);
    expect(good.body.data.chat_tabs[1].tab_config.icon_key).toBe(key);
    const bad = await create(chatId, [{ ...urlTab('Icon2'), tab_config: { icon_key: 'img_v3_not_uploaded' } }]);
    expect(bad.body).toMatchObject({ code: 232056, msg: expect.stringContaining("The operator is not the image's owner") });
  });

  it('refuses tab types other than doc and url, long names, and links that are not http(s)', async () => {
    const chatId = await ownChat();
    const pin = await create(chatId, [{ tab_name: 'Pins', tab_type: 'pin' }]);
    expect(pin.body).toMatchObject({ code: 232001, msg: expect.stringContaining('only doc and url tabs') });
    const long = await create(chatId, [{ ...docTab('x'), tab_name: 'n'.repeat(61) }]);
    expect(long.body).toMatchObject({ code: 232047, msg: expect.stringContaining('The length of the tab name reaches the limit') });
    const sixty = await create(chatId, [{ ...docTab('x'), tab_name: '名'.repeat(60) }]);
    expect(sixty.body.code).toBe(0);
    const ftp = await create(chatId, [{ tab_name: 'F', tab_type: 'url', tab_content: { url: 'ftp://example.com' } }]);
    expect(ftp.body).toMatchObject({ code: 232048, msg: expect.stringContaining('The chat tab content is illegal') });
    const missing = await create(chatId, [{ tab_name: 'D', tab_type: 'doc', tab_content: { url: 'https://example.com' } }]);
    expect(missing.body.code).toBe(232048);
    const kind = await create(chatId, [{ tab_name: 'K', tab_type: 'sheet' }]);
    expect(kind.body.code).toBe(99992402);
    expect((await list(chatId)).body.data.chat_tabs).toHaveLength(2);
  });

  it('holds at most 20 custom tabs (232046), and a refused call adds none', async () => {
    const chatId = await ownChat();
    expect((await create(chatId, Array.from({ length: 19 }, (_, i) => docTab(`d${i}`)))).body.code).toBe(0);
    const over = await create(chatId, [docTab('a'), docTab('b')]);
    expect(over.body).toMatchObject({ code: 232046, msg: expect.stringContaining('The number of chat tabs has reached the limit') });
    expect((await list(chatId)).body.data.chat_tabs).toHaveLength(20);
    expect((await create(chatId, [docTab('last')])).body.code).toBe(0);
  });

  it('refuses a bot that may not manage tabs (232055), outside the chat (232011), a dissolved chat (232009), an unknown chat (232006)', async () => {
    const seeded = seededChat();
    chatRecord(seeded).tool_permission = 'only_owner_and_managers';
    const refused = await create(seeded, [docTab('x')]);
    expect(refused.body).toMatchObject({ code: 232055, msg: expect.stringContaining('The operator does not have chat tab, chat menu, chat widget manage permission') });
    chatRecord(seeded).bot_managers.add(t.app.app_id);
    expect((await create(seeded, [docTab('x')])).body.code).toBe(0);
    chatRecord(seeded).bots.delete(t.app.app_id);
    expect((await create(seeded, [docTab('y')])).body).toMatchObject({ code: 232011, msg: 'Operator can NOT be out of the chat.' });
    const own = await ownChat();
    await sdk().im.chat.delete({ path: { chat_id: own } });
    expect((await create(own, [docTab('z')])).body.code).toBe(232009);
    expect((await create('oc_unknown', [docTab('z')])).body).toMatchObject({ code: 232006, msg: 'Your request specifies a chat_id which is invalid.' });
  });

  it('lets every member manage the tabs of a chat that does not restrict them, and of a one-to-one chat', async () => {
    expect((await create(seededChat(), [docTab('x')])).body.code).toBe(0);
    const sent = await t.send(await t.token(), 'open_id', t.users[0]!.open_id, sharedCard());
    const p2p = sent.body.data.chat_id;
    chatRecord(p2p).tool_permission = 'only_owner_and_managers';
    expect((await create(p2p, [urlTab('p')])).body.data.chat_tabs.map((x: any) => x.tab_type)).toEqual(['message', 'url']);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/chat_tabs/update_tabs', () => {
  it('changes the name and content of doc and url tabs, keeping what is not given', async () => {
    const chatId = await ownChat();
    const made = (await create(chatId, [docTab('Spec'), urlTab('Board')])).body.data.chat_tabs;
    const r = await answer(
      sdk().im.chatTab.updateTabs({
        path: { chat_id: chatId },
        data: { chat_tabs: [{ tab_id: made[1].tab_id, tab_type: 'doc', tab_name: 'Spec v2' }, { tab_id: made[2].tab_id, tab_type: 'url', tab_content: { url: 'https://example.com/new' } }] },
      }),
    );
    expect(r.status).toBe(200);
    const tabs = (await list(chatId)).body.data.chat_tabs;
    expect(tabs[1]).toMatchObject({ tab_id: made[1].tab_id, tab_name: 'Spec v2', tab_content: { doc: 'https://example.feishu.cn/wiki/Spec' } });
    expect(tabs[2]).toMatchObject({ tab_id: made[2].tab_id, tab_name: 'Board', tab_content: { url: 'https://example.com/new' } });
    expect(r.body.data.chat_tabs).toEqual(tabs);
  });

  it('refuses the message tab (232049), an unknown tab (232001), a long name (232047), and changes nothing when one item is refused', async () => {
    const chatId = await ownChat();
    const made = (await create(chatId, [docTab('Spec')])).body.data.chat_tabs;
    const update = (chat_tabs: any[]) => answer(sdk().im.chatTab.updateTabs({ path: { chat_id: chatId }, data: { chat_tabs } }));
    const message = await update([{ tab_id: made[0].tab_id, tab_type: 'message', tab_name: 'Chat' }]);
    expect(message.body).toMatchObject({ code: 232049, msg: expect.stringContaining('The chat tab content is illegal') });
    expect((await update([{ tab_id: '1', tab_type: 'doc' }])).body.code).toBe(232001);
    const mixed = await update([
      { tab_id: made[1].tab_id, tab_type: 'doc', tab_name: 'Renamed' },
      { tab_id: made[1].tab_id, tab_type: 'doc', tab_name: 'n'.repeat(61) },
    ]);
    expect(mixed.body.code).toBe(232047);
    expect((await list(chatId)).body.data.chat_tabs[1].tab_name).toBe('Spec');
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/chat_tabs/sort_tabs', () => {
  it('orders the tabs as given, the message tab staying first', async () => {
    const chatId = await ownChat();
    const [message, a, b] = (await create(chatId, [docTab('A'), urlTab('B')])).body.data.chat_tabs;
    const r = await answer(sdk().im.chatTab.sortTabs({ path: { chat_id: chatId }, data: { tab_ids: [b.tab_id, message.tab_id, a.tab_id] } }));
    expect(r.status).toBe(200);
    expect((await list(chatId)).body.data.chat_tabs.map((x: any) => x.tab_id)).toEqual([message.tab_id, b.tab_id, a.tab_id]);
  });

  it('refuses a list that is not every tab once (232001)', async () => {
    const chatId = await ownChat();
    const [message, a] = (await create(chatId, [docTab('A')])).body.data.chat_tabs;
    const partial = await answer(sdk().im.chatTab.sortTabs({ path: { chat_id: chatId }, data: { tab_ids: [a.tab_id] } }));
    expect(partial.body).toMatchObject({ code: 232001, msg: expect.stringContaining('tab_ids must list every tab') });
    const twice = await answer(sdk().im.chatTab.sortTabs({ path: { chat_id: chatId }, data: { tab_ids: [a.tab_id, a.tab_id] } }));
    expect(twice.body.code).toBe(232001);
    expect((await list(chatId)).body.data.chat_tabs.map((x: any) => x.tab_id)).toEqual([message.tab_id, a.tab_id]);
  });
});

describe('DELETE /open-apis/im/v1/chats/:chat_id/chat_tabs/delete_tabs', () => {
  it('removes doc and url tabs and answers the tabs left', async () => {
    const chatId = await ownChat();
    const [message, a, b] = (await create(chatId, [docTab('A'), urlTab('B')])).body.data.chat_tabs;
    const r = await answer(sdk().im.chatTab.deleteTabs({ path: { chat_id: chatId }, data: { tab_ids: [a.tab_id] } }));
    expect(r.body.data.chat_tabs.map((x: any) => x.tab_id)).toEqual([message.tab_id, b.tab_id]);
    expect((await list(chatId)).body.data.chat_tabs.map((x: any) => x.tab_id)).toEqual([message.tab_id, b.tab_id]);
  });

  it('refuses the message tab (232049) and an unknown tab (232001), removing nothing', async () => {
    const chatId = await ownChat();
    const [message, a] = (await create(chatId, [docTab('A')])).body.data.chat_tabs;
    const del = (tab_ids: string[]) => answer(sdk().im.chatTab.deleteTabs({ path: { chat_id: chatId }, data: { tab_ids } }));
    expect((await del([a.tab_id, message.tab_id])).body.code).toBe(232049);
    expect((await del([a.tab_id, '42'])).body.code).toBe(232001);
    expect((await list(chatId)).body.data.chat_tabs).toHaveLength(2);
  });
});

describe('GET /open-apis/im/v1/chats/:chat_id/chat_tabs/list_tabs', () => {
  it('shows a new chat its built-in message tab, with the same id each time', async () => {
    const chatId = seededChat();
    const first = await list(chatId);
    expect(first.body.data.chat_tabs).toEqual([{ tab_id: expect.stringMatching(/^\d+$/), tab_type: 'message' }]);
    expect((await list(chatId)).body.data.chat_tabs).toEqual(first.body.data.chat_tabs);
  });

  it('refuses a bot outside the chat (232011) and an app without the scope (99991672)', async () => {
    const chatId = seededChat();
    const narrow = await answer(sdk(1).im.chatTab.listTabs({ path: { chat_id: chatId } }));
    expect(narrow.body.code).toBe(99991672);
    chatRecord(chatId).bots.delete(t.app.app_id);
    expect((await list(chatId)).body.code).toBe(232011);
  });
});
