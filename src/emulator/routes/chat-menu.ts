import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';
import type { AppRecord, ChatMenuItem, ChatMenuTopLevel, ChatRecord, Store } from '../store.js';
import { charCount, chatOfBot, isHttpUrl } from './chat-tools.js';

const MAX_TOP_LEVEL = 3;
const MAX_SECOND_LEVEL = 5;
const MAX_NAME = 120;

const CHAT_ID = s.object({ chat_id: s.string() });
const ACTION = s.enum(['NONE', 'REDIRECT_LINK']);
const REDIRECT_LINK = s.object({
  common_url: s.optional(s.string()),
  ios_url: s.optional(s.string()),
  android_url: s.optional(s.string()),
  pc_url: s.optional(s.string()),
  web_url: s.optional(s.string()),
});
const I18N_NAMES = s.object({ zh_cn: s.optional(s.string()), en_us: s.optional(s.string()), ja_jp: s.optional(s.string()) });

/** A menu item as a request gives it; what is required of it is checked by `checkedItem`. */
const ITEM_INPUT = s.object({
  action_type: s.optional(ACTION),
  redirect_link: s.optional(REDIRECT_LINK),
  image_key: s.optional(s.string()),
  name: s.optional(s.string()),
  i18n_names: s.optional(I18N_NAMES),
});
type ItemInput = Infer<typeof ITEM_INPUT>;

const TOP_LEVEL_INPUT = s.object({
  chat_menu_item: s.object({
    action_type: ACTION,
    redirect_link: s.optional(REDIRECT_LINK),
    image_key: s.optional(s.string()),
    name: s.string(),
    i18n_names: s.optional(I18N_NAMES),
  }),
  children: s.optional(s.array(s.object({ chat_menu_item: s.optional(ITEM_INPUT) }))),
});

const WRITE_SCOPES = ['im:chat', 'im:chat.menu_tree:write_only'] as const;
const CHAT_ERRORS = [232006, 232008, 232009, 232011] as const;
const WRITE_ERRORS = [...CHAT_ERRORS, 232055] as const;

const COVERAGE_NOTE =
  'no concurrent-edit refusal (232073) and no external chats (232033); who may manage menus is a chat setting no API sets (tool_permission on the store)';

/** A group chat the bot is in: menus exist in group chats only. */
function menuChat(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = chatOfBot(store, app, chatId);
  if (chat.chat_mode !== 'group') throw fail(232008, `chat menus exist in group chats only; this chat is ${chat.chat_mode}`);
  return chat;
}

function managedMenuChat(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = menuChat(store, app, chatId);
  if (!store.mayManageChatTools(app, chat)) {
    throw fail(232055, 'the chat lets only its owner and managers manage tabs, menus and widgets');
  }
  return chat;
}

function checkName(name: string | undefined, where: string): string {
  if (name === undefined || charCount(name) < 1 || charCount(name) > MAX_NAME) throw fail(232078, `${where}.name must be 1 to ${MAX_NAME} characters`);
  return name;
}

function checkLink(link: ChatMenuItem['redirect_link'], where: string): NonNullable<ChatMenuItem['redirect_link']> {
  const urls = Object.entries(link ?? {}).filter(([, v]) => v !== undefined && v !== '');
  if (urls.length === 0) throw fail(232078, `${where}.redirect_link needs at least one address for a REDIRECT_LINK item`);
  for (const [field, url] of urls) {
    if (!isHttpUrl(url)) throw fail(232078, `${where}.redirect_link.${field} must be an http or https address`);
  }
  return Object.fromEntries(urls) as NonNullable<ChatMenuItem['redirect_link']>;
}

function checkIcon(store: Store, app: AppRecord, key: string, where: string): string {
  if (!store.media.usableImage(key, app.app_id)) throw fail(232056, `${where}.image_key is not an image this bot uploaded`);
  return key;
}

/** A new menu item, by the platform's rules; `parent` items (with children) cannot link or carry an icon. */
function checkedItem(store: Store, app: AppRecord, input: ItemInput | undefined, parent: boolean, where: string): ChatMenuItem {
  if (!input) throw fail(232078, `${where} is required`);
  const action = input.action_type ?? 'NONE';
  const item: ChatMenuItem = { action_type: action, name: checkName(input.name, where) };
  if (parent && (action !== 'NONE' || input.image_key !== undefined)) {
    throw fail(232078, `${where}: a top-level menu with children must have action_type NONE and no icon`);
  }
  if (action === 'REDIRECT_LINK') item.redirect_link = checkLink(input.redirect_link, where);
  if (input.image_key !== undefined) item.image_key = checkIcon(store, app, input.image_key, where);
  if (input.i18n_names) item.i18n_names = { ...input.i18n_names };
  return item;
}

function treeAnswer(chat: ChatRecord) {
  return ok({ menu_tree: { chat_menu_top_levels: chat.menu ?? [] } });
}

/** The item with this id, top level or second level, and whether it has children. */
function findItem(chat: ChatRecord, id: string): { item: ChatMenuItem; parent: boolean } | undefined {
  for (const top of chat.menu ?? []) {
    if (top.chat_menu_top_level_id === id) return { item: top.chat_menu_item, parent: top.children.length > 0 };
    const child = top.children.find((c) => c.chat_menu_second_level_id === id);
    if (child) return { item: child.chat_menu_item, parent: false };
  }
  return undefined;
}

export const chatMenuRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/menu_tree',
    title: '获取群菜单',
    tokens: ['tenant'],
    scopes: ['im:chat', 'im:chat.menu_tree:read', 'im:chat:readonly'],
    params: CHAT_ID,
    errors: [...CHAT_ERRORS],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Group chats only (232008); an empty tree when the chat has no menus.',
    handle({ params, app, core }) {
      return treeAnswer(menuChat(core.store, app, params.chat_id));
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/menu_tree',
    title: '添加群菜单',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ menu_tree: s.object({ chat_menu_top_levels: s.array(TOP_LEVEL_INPUT, { minItems: 1 }) }) }),
    errors: [...WRITE_ERRORS, 232056, 232070, 232071, 232078],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Appends: at most 3 top-level menus (232070) with 5 children each (232071); a menu with children is NONE without an icon, REDIRECT_LINK needs an http(s) address, names 1-120 characters (232078); icons the bot uploaded (232056); ids assigned by the emulator.',
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedMenuChat(store, app, params.chat_id);
      const menu = chat.menu ?? [];
      const adding = body.menu_tree.chat_menu_top_levels;
      if (menu.length + adding.length > MAX_TOP_LEVEL) {
        throw fail(232070, `the chat has ${menu.length} top-level menus; at most ${MAX_TOP_LEVEL} are allowed`);
      }
      // Everything is checked before the tree changes; new menus are appended after the existing ones.
      const made: ChatMenuTopLevel[] = adding.map((top, i) => {
        const where = `menu_tree.chat_menu_top_levels[${i}]`;
        const children = top.children ?? [];
        if (children.length > MAX_SECOND_LEVEL) throw fail(232071, `${where}.children has ${children.length} menus; at most ${MAX_SECOND_LEVEL} are allowed`);
        return {
          chat_menu_top_level_id: '',
          chat_menu_item: checkedItem(store, app, top.chat_menu_item, children.length > 0, `${where}.chat_menu_item`),
          children: children.map((c, j) => ({ chat_menu_second_level_id: '', chat_menu_item: checkedItem(store, app, c.chat_menu_item, false, `${where}.children[${j}].chat_menu_item`) })),
        };
      });
      for (const top of made) {
        top.chat_menu_top_level_id = store.nextChatToolId();
        for (const child of top.children) child.chat_menu_second_level_id = store.nextChatToolId();
      }
      chat.menu = [...menu, ...made];
      return treeAnswer(chat);
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/chats/:chat_id/menu_tree',
    title: '删除群菜单',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ chat_menu_top_level_ids: s.array(s.string(), { minItems: 1 }) }),
    errors: [...WRITE_ERRORS, 232001],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Top-level ids only; their children go with them; an unknown id removes nothing (232001).',
    handle({ params, body, app, core }) {
      const chat = managedMenuChat(core.store, app, params.chat_id);
      const menu = chat.menu ?? [];
      for (const id of body.chat_menu_top_level_ids) {
        if (!menu.some((m) => m.chat_menu_top_level_id === id)) throw fail(232001, `chat_menu_top_level_ids: ${id} is not a top-level menu of this chat`);
      }
      // A top-level menu goes with its children.
      const gone = new Set(body.chat_menu_top_level_ids);
      chat.menu = menu.filter((m) => !gone.has(m.chat_menu_top_level_id));
      return treeAnswer(chat);
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/menu_tree/sort',
    title: '排序群菜单',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ chat_menu_top_level_ids: s.array(s.string()) }),
    errors: [...WRITE_ERRORS, 232072],
    coverage: { partial: COVERAGE_NOTE },
    notes: "The ids must be the chat's top-level menus, each once (232072).",
    handle({ params, body, app, core }) {
      const chat = managedMenuChat(core.store, app, params.chat_id);
      const menu = chat.menu ?? [];
      const ids = body.chat_menu_top_level_ids;
      const byId = new Map(menu.map((m) => [m.chat_menu_top_level_id, m]));
      if (ids.length !== menu.length || new Set(ids).size !== ids.length || ids.some((id) => !byId.has(id))) {
        throw fail(232072, `chat_menu_top_level_ids must list each of the chat's ${menu.length} top-level menus once`);
      }
      chat.menu = ids.map((id) => byId.get(id)!);
      return treeAnswer(chat);
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v1/chats/:chat_id/menu_items/:menu_item_id',
    title: '修改群菜单元信息',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: s.object({ chat_id: s.string(), menu_item_id: s.string() }),
    body: s.object({
      update_fields: s.array(s.enum(['ICON', 'NAME', 'I18N_NAME', 'REDIRECT_LINK']), { minItems: 1 }),
      chat_menu_item: ITEM_INPUT,
    }),
    errors: [...WRITE_ERRORS, 232001, 232056, 232078],
    coverage: { partial: COVERAGE_NOTE },
    notes: "Changes only the fields named in update_fields; a menu's type never changes and a menu with children takes no icon (232078); unknown item 232001.",
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedMenuChat(store, app, params.chat_id);
      const found = findItem(chat, params.menu_item_id);
      if (!found) throw fail(232001, `menu_item_id ${params.menu_item_id} is not a menu of this chat`);
      const { item, parent } = found;
      const input = body.chat_menu_item;
      const fields = new Set(body.update_fields);
      const where = 'chat_menu_item';
      if (input.action_type !== undefined && input.action_type !== item.action_type) {
        throw fail(232078, `a menu's action_type cannot change (it is ${item.action_type})`);
      }
      // Checked in full first, so a refused call changes nothing.
      const next: ChatMenuItem = { ...item };
      if (fields.has('NAME')) next.name = checkName(input.name, where);
      if (fields.has('I18N_NAME')) {
        if (input.i18n_names) next.i18n_names = { ...input.i18n_names };
        else delete next.i18n_names;
      }
      if (fields.has('ICON')) {
        if (parent && input.image_key !== undefined) throw fail(232078, 'a top-level menu with children cannot have an icon');
        if (input.image_key !== undefined) next.image_key = checkIcon(store, app, input.image_key, where);
        else delete next.image_key;
      }
      if (fields.has('REDIRECT_LINK')) {
        if (item.action_type !== 'REDIRECT_LINK') throw fail(232078, 'only a REDIRECT_LINK menu has a link to update');
        next.redirect_link = checkLink(input.redirect_link, where);
      }
      for (const key of Object.keys(item) as Array<keyof ChatMenuItem>) delete item[key];
      Object.assign(item, next);
      return ok({ chat_menu_item: item });
    },
  }),
];
