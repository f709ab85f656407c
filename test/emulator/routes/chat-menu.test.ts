import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';
import { sharedCard } from '../../helpers/emulator.js';
import { PNG_1X1 } from '../../helpers/images.js';

const { t, sdk } = sdkForFile();

async function ownChat(): Promise<string> {
  const r = await sdk().im.chat.create({ data: { name: 'Menus' } });
  return r.data!.chat_id!;
}

function seededChat(): string {
  return t.emu.state().chats[0]!.chat_id;
}

function chatRecord(chatId: string) {
  return t.emu.core.store.chats.get(chatId)!;
}

const link = (name: string) => ({ chat_menu_item: { action_type: 'REDIRECT_LINK', name, redirect_link: { common_url: `https://example.com/${name}` } } });
const folder = (name: string, children: string[]) => ({
  chat_menu_item: { action_type: 'NONE', name },
  children: children.map((c) => link(c)),
});

const add = (chatId: string, tops: any[]) => answer(sdk().im.chatMenuTree.create({ path: { chat_id: chatId }, data: { menu_tree: { chat_menu_top_levels: tops } } }));
const tree = async (chatId: string) => (await answer(sdk().im.chatMenuTree.get({ path: { chat_id: chatId } }))).body.data.menu_tree.chat_menu_top_levels as any[];

describe('GET /open-apis/im/v1/chats/:chat_id/menu_tree', () => {
  it('answers an empty tree for a chat without menus', async () => {
    const r = await answer(sdk().im.chatMenuTree.get({ path: { chat_id: seededChat() } }));
    expect(r.body).toMatchObject({ code: 0, data: { menu_tree: { chat_menu_top_levels: [] } } });
  });

  it('refuses a one-to-one chat (232008) and a bot outside the chat (232011)', async () => {
    const sent = await t.send(await t.token(), 'open_id', t.users[0]!.open_id, sharedCard());
    const p2p = await answer(sdk().im.chatMenuTree.get({ path: { chat_id: sent.body.data.chat_id } }));
    expect(p2p.body).toMatchObject({ code: 232008, msg: expect.stringContaining('Your request specifies a chat whose type is NOT supported currently') });
    chatRecord(seededChat()).bots.delete(t.app.app_id);
    expect((await answer(sdk().im.chatMenuTree.get({ path: { chat_id: seededChat() } }))).body.code).toBe(232011);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/menu_tree', () => {
  it('appends top-level menus with their children, each with an id, and answers the whole tree', async () => {
    const chatId = await ownChat();
    const first = await add(chatId, [link('Home')]);
    expect(first.status).toBe(200);
    const r = await add(chatId, [folder('More', ['Docs', 'Help'])]);
    const tops = r.body.data.menu_tree.chat_menu_top_levels;
    expect(tops.map((m: any) => m.chat_menu_item.name)).toEqual(['Home', 'More']);
    expect(tops[1].children.map((c: any) => c.chat_menu_item.name)).toEqual(['Docs', 'Help']);
    expect(tops[0].chat_menu_item).toEqual({ action_type: 'REDIRECT_LINK', name: 'Home', redirect_link: { common_url: 'https://example.com/Home' } });
    const ids = [tops[0].chat_menu_top_level_id, tops[1].chat_menu_top_level_id, ...tops[1].children.map((c: any) => c.chat_menu_second_level_id)];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
    expect(await tree(chatId)).toEqual(tops);
  });

  it('holds at most 3 top-level menus (232070) and 5 children each (232071)', async () => {
    const chatId = await ownChat();
    expect((await add(chatId, [link('a'), link('b')])).body.code).toBe(0);
    const four = await add(chatId, [link('c'), link('d')]);
    expect(four.body).toMatchObject({ code: 232070, msg: expect.stringContaining('The number of chat_menu_top_level has reached the limit') });
    const six = await add(chatId, [folder('f', ['1', '2', '3', '4', '5', '6'])]);
    expect(six.body).toMatchObject({ code: 232071, msg: expect.stringContaining('The number of chat_menu_second_level has reached the limit') });
    expect((await add(chatId, [folder('f', ['1', '2', '3', '4', '5'])])).body.code).toBe(0);
    expect(await tree(chatId)).toHaveLength(3);
  });

  it('refuses menus the platform calls illegal (232078): a link without an address or not http(s), a folder that links, a long name', async () => {
    const chatId = await ownChat();
    const noLink = await add(chatId, [{ chat_menu_item: { action_type: 'REDIRECT_LINK', name: 'x' } }]);
    expect(noLink.body).toMatchObject({ code: 232078, msg: expect.stringContaining('The chat menu is illegal') });
    const ftp = await add(chatId, [{ chat_menu_item: { action_type: 'REDIRECT_LINK', name: 'x', redirect_link: { pc_url: 'ftp://example.com' } } }]);
    expect(ftp.body.code).toBe(232078);
    const linkingFolder = await add(chatId, [{ ...link('x'), children: [link('y')] }]);
    expect(linkingFolder.body.code).toBe(232078);
    expect((await add(chatId, [link('n'.repeat(121))])).body.code).toBe(232078);
    expect((await add(chatId, [{ chat_menu_item: { action_type: 'NONE', name: 'x' }, children: [{}] }])).body.code).toBe(232078);
    expect((await add(chatId, [{ chat_menu_item: { action_type: 'OPEN', name: 'x' } }])).body.code).toBe(99992402);
    expect(await tree(chatId)).toEqual([]);
  });

  it('takes an icon this bot uploaded and refuses another (232056)', async () => {
    const chatId = await ownChat();
    const up: any = await sdk().im.image.create({ data: { image_type: 'message', image: PNG_1X1 } });
    const key = up.image_key ?? up.data?.image_key;
    const good = await add(chatId, [{ chat_menu_item: { ...link('i').chat_menu_item, image_key: key } }]);
    expect(good.body.data.menu_tree.chat_menu_top_levels[0].chat_menu_item.image_key).toBe(key);
    const bad = await add(chatId, [{ chat_menu_item: { ...link('j').chat_menu_item, image_key: 'img_v3_elsewhere' } }]);
    expect(bad.body).toMatchObject({ code: 232056, msg: expect.stringContaining("The operator is not the image's owner") });
  });

  it('refuses a bot the chat does not let manage menus (232055), a one-to-one chat (232008), a dissolved chat (232009)', async () => {
    const seeded = seededChat();
    chatRecord(seeded).tool_permission = 'only_owner_and_managers';
    const refused = await add(seeded, [link('x')]);
    expect(refused.body).toMatchObject({ code: 232055, msg: expect.stringContaining('The operator does not have chat tab, chat menu, chat widget manage permission') });
    const own = await ownChat();
    chatRecord(own).tool_permission = 'only_owner_and_managers';
    expect((await add(own, [link('x')])).body.code).toBe(0);
    const sent = await t.send(await t.token(), 'open_id', t.users[0]!.open_id, sharedCard());
    expect((await add(sent.body.data.chat_id, [link('x')])).body.code).toBe(232008);
    await sdk().im.chat.delete({ path: { chat_id: own } });
    expect((await add(own, [link('y')])).body.code).toBe(232009);
  });

  it('is refused to a tenant without the scope (99991672)', async () => {
    const r = await answer(sdk(1).im.chatMenuTree.create({ path: { chat_id: seededChat() }, data: { menu_tree: { chat_menu_top_levels: [link('x') as any] } } }));
    expect(r.body.code).toBe(99991672);
  });
});

describe('DELETE /open-apis/im/v1/chats/:chat_id/menu_tree', () => {
  it('removes top-level menus with their children and answers what is left', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), folder('b', ['c'])])).body.data.menu_tree.chat_menu_top_levels;
    const r = await answer(sdk().im.chatMenuTree.delete({ path: { chat_id: chatId }, data: { chat_menu_top_level_ids: [tops[1].chat_menu_top_level_id] } }));
    expect(r.body.data.menu_tree.chat_menu_top_levels.map((m: any) => m.chat_menu_item.name)).toEqual(['a']);
    expect((await tree(chatId)).map((m) => m.chat_menu_item.name)).toEqual(['a']);
  });

  it('refuses an id that is not a top-level menu of the chat (232001), removing nothing', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), folder('b', ['c'])])).body.data.menu_tree.chat_menu_top_levels;
    const child = tops[1].children[0].chat_menu_second_level_id;
    const r = await answer(sdk().im.chatMenuTree.delete({ path: { chat_id: chatId }, data: { chat_menu_top_level_ids: [tops[0].chat_menu_top_level_id, child] } }));
    expect(r.body).toMatchObject({ code: 232001, msg: expect.stringContaining('is not a top-level menu') });
    expect(await tree(chatId)).toHaveLength(2);
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/menu_tree/sort', () => {
  it('orders the top-level menus as given', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), link('b'), link('c')])).body.data.menu_tree.chat_menu_top_levels;
    const ids = tops.map((m: any) => m.chat_menu_top_level_id);
    const r = await answer(sdk().im.chatMenuTree.sort({ path: { chat_id: chatId }, data: { chat_menu_top_level_ids: [ids[2], ids[0], ids[1]] } }));
    expect(r.status).toBe(200);
    expect((await tree(chatId)).map((m) => m.chat_menu_item.name)).toEqual(['c', 'a', 'b']);
  });

  it('refuses a list that differs from the existing top-level menus (232072)', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), link('b')])).body.data.menu_tree.chat_menu_top_levels;
    const r = await answer(sdk().im.chatMenuTree.sort({ path: { chat_id: chatId }, data: { chat_menu_top_level_ids: [tops[1].chat_menu_top_level_id] } }));
    expect(r.body).toMatchObject({ code: 232072, msg: expect.stringContaining("Sort chat_menu_top_level's param is invalid") });
    expect((await tree(chatId)).map((m) => m.chat_menu_item.name)).toEqual(['a', 'b']);
  });
});

describe('PATCH /open-apis/im/v1/chats/:chat_id/menu_items/:menu_item_id', () => {
  it('changes only the fields named in update_fields, of a top-level or a second-level menu', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), folder('b', ['c'])])).body.data.menu_tree.chat_menu_top_levels;
    const patch = (id: string, update_fields: any[], chat_menu_item: any) =>
      answer(sdk().im.chatMenuItem.patch({ path: { chat_id: chatId, menu_item_id: id }, data: { update_fields, chat_menu_item } }));
    const r = await patch(tops[0].chat_menu_top_level_id, ['NAME', 'REDIRECT_LINK'], { name: 'A2', redirect_link: { web_url: 'https://example.com/web' }, i18n_names: { en_us: 'ignored' } });
    expect(r.body.data.chat_menu_item).toEqual({ action_type: 'REDIRECT_LINK', name: 'A2', redirect_link: { web_url: 'https://example.com/web' } });
    await patch(tops[1].children[0].chat_menu_second_level_id, ['I18N_NAME'], { name: 'ignored', i18n_names: { zh_cn: '帮助' } });
    const now = await tree(chatId);
    expect(now[0].chat_menu_item.name).toBe('A2');
    expect(now[1].children[0].chat_menu_item).toMatchObject({ name: 'c', i18n_names: { zh_cn: '帮助' } });
  });

  it('refuses a change of type, a link on a NONE menu, an icon on a folder (232078), and an unknown item (232001)', async () => {
    const chatId = await ownChat();
    const tops = (await add(chatId, [link('a'), folder('b', ['c'])])).body.data.menu_tree.chat_menu_top_levels;
    const patch = (id: string, update_fields: any[], chat_menu_item: any) =>
      answer(sdk().im.chatMenuItem.patch({ path: { chat_id: chatId, menu_item_id: id }, data: { update_fields, chat_menu_item } }));
    const type = await patch(tops[0].chat_menu_top_level_id, ['NAME'], { action_type: 'NONE', name: 'x' });
    expect(type.body).toMatchObject({ code: 232078, msg: expect.stringContaining('The chat menu is illegal') });
    expect((await patch(tops[1].chat_menu_top_level_id, ['REDIRECT_LINK'], { redirect_link: { common_url: 'https://example.com' } })).body.code).toBe(232078);
    expect((await patch(tops[1].chat_menu_top_level_id, ['ICON'], { image_key: 'img_v3_x' })).body.code).toBe(232078);
    expect((await patch('123', ['NAME'], { name: 'x' })).body.code).toBe(232001);
    expect((await patch(tops[0].chat_menu_top_level_id, ['COLOR'], { name: 'x' })).body.code).toBe(99992402);
    expect(await tree(chatId)).toEqual(tops);
  });
});
