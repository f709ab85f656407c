import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';
import { CHAT_TAB_TYPES, type AppRecord, type ChatRecord, type ChatTab, type Store } from '../store.js';
import { charCount, chatOfBot, isHttpUrl } from './chat-tools.js';

/** Custom tabs a chat may hold, besides its built-in ones. */
const MAX_CUSTOM_TABS = 20;
const MAX_TAB_NAME = 60;

const CHAT_ID = s.object({ chat_id: s.string() });

const TAB = s.object({
  tab_id: s.optional(s.string()),
  tab_name: s.optional(s.string()),
  tab_type: s.enum(CHAT_TAB_TYPES),
  tab_content: s.optional(
    s.object({
      url: s.optional(s.string()),
      doc: s.optional(s.string()),
      meeting_minute: s.optional(s.string()),
      task: s.optional(s.string()),
    }),
  ),
  tab_config: s.optional(s.object({ icon_key: s.optional(s.string()), is_built_in: s.optional(s.boolean()) })),
});
type TabInput = Infer<typeof TAB>;

const WRITE_SCOPES = ['im:chat', 'im:chat.tabs:write_only'] as const;

/** Every code a route that changes tabs may answer, beyond its own. */
const WRITE_ERRORS = [232006, 232009, 232011, 232055] as const;

const COVERAGE_NOTE =
  'no doc permissions (232051 never answered), no external chats or topic chats (232033, 232050); the only built-in tab is the message tab; who may manage tabs is a chat setting no API sets (tool_permission on the store)';

/** A chat the bot may change the tabs of. */
function managedChat(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = chatOfBot(store, app, chatId);
  if (!store.mayManageChatTools(app, chat)) {
    throw fail(232055, 'the chat lets only its owner and managers manage tabs, menus and widgets');
  }
  return chat;
}

/** Only doc and url tabs are made, changed or removed through the API. */
function isCustom(tab: { tab_type: string }): boolean {
  return tab.tab_type === 'doc' || tab.tab_type === 'url';
}

/** The tab as `input` describes it, checked by the rules create and update share; `base` is the tab it updates. */
function checkedTab(store: Store, app: AppRecord, input: TabInput, base: ChatTab | null, where: string): Omit<ChatTab, 'tab_id'> {
  const name = input.tab_name ?? base?.tab_name;
  if (name !== undefined && charCount(name) > MAX_TAB_NAME) throw fail(232047, `${where}.tab_name is longer than ${MAX_TAB_NAME} characters`);
  const type = input.tab_type as 'doc' | 'url';
  const content = input.tab_content ?? base?.tab_content ?? {};
  const link = type === 'url' ? content.url : content.doc;
  if (!isHttpUrl(link)) throw fail(232048, `${where}.tab_content.${type} must be an http or https address`);
  const tab: Omit<ChatTab, 'tab_id'> = { tab_type: type, tab_content: type === 'url' ? { url: link } : { doc: link } };
  if (name !== undefined) tab.tab_name = name;
  // The icon and where the tab opens are settings of url tabs only.
  const config = input.tab_config ?? (base?.tab_type === 'url' ? base.tab_config : undefined);
  if (type === 'url' && config) {
    if (config.icon_key !== undefined && !store.media.usableImage(config.icon_key, app.app_id)) {
      throw fail(232056, `${where}.tab_config.icon_key is not an image this bot uploaded`);
    }
    tab.tab_config = { ...(config.icon_key !== undefined ? { icon_key: config.icon_key } : {}), is_built_in: config.is_built_in ?? false };
  }
  return tab;
}

function tabsAnswer(store: Store, chat: ChatRecord) {
  return ok({ chat_tabs: store.chatTabs(chat) });
}

export const chatTabRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/chat_tabs',
    title: '添加会话标签页',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ chat_tabs: s.array(TAB, { minItems: 1 }) }),
    errors: [...WRITE_ERRORS, 232001, 232046, 232047, 232048, 232056],
    coverage: { partial: COVERAGE_NOTE },
    notes: "Adds doc and url tabs (other types 232001) after the chat's built-in message tab: at most 20 (232046), names up to 60 characters (232047), http(s) links (232048), icons the bot uploaded (232056); answers every tab of the chat.",
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedChat(store, app, params.chat_id);
      const tabs = store.chatTabs(chat);
      const made = body.chat_tabs.map((input, i) => {
        const where = `chat_tabs[${i}]`;
        if (!isCustom(input)) throw fail(232001, `${where}.tab_type: only doc and url tabs can be added; ${input.tab_type} tabs are made in the Feishu client`);
        return checkedTab(store, app, input, null, where);
      });
      const custom = tabs.filter(isCustom).length;
      if (custom + made.length > MAX_CUSTOM_TABS) {
        throw fail(232046, `the chat has ${custom} custom tabs; at most ${MAX_CUSTOM_TABS} are allowed`);
      }
      for (const tab of made) tabs.push({ tab_id: store.nextChatToolId(), ...tab });
      return tabsAnswer(store, chat);
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/chat_tabs/update_tabs',
    title: '更新会话标签页',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ chat_tabs: s.optional(s.array(TAB)) }),
    errors: [...WRITE_ERRORS, 232001, 232047, 232048, 232049, 232056],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Only doc and url tabs (232049); what an item leaves out is kept; every item is checked before any changes.',
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedChat(store, app, params.chat_id);
      const tabs = store.chatTabs(chat);
      // Every change is checked before any is made: a refused call leaves the tabs as they were.
      const changes = (body.chat_tabs ?? []).map((input, i) => {
        const where = `chat_tabs[${i}]`;
        if (!input.tab_id) throw fail(232001, `${where}.tab_id is required`);
        const tab = tabs.find((t) => t.tab_id === input.tab_id);
        if (!tab) throw fail(232001, `${where}.tab_id ${input.tab_id} is not a tab of this chat`);
        if (!isCustom(tab) || !isCustom(input)) throw fail(232049, `${where}: only doc and url tabs can be updated`);
        return { tab, next: checkedTab(store, app, input, tab, where) };
      });
      for (const { tab, next } of changes) {
        delete tab.tab_name;
        delete tab.tab_config;
        Object.assign(tab, next);
      }
      return tabsAnswer(store, chat);
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/chat_tabs/sort_tabs',
    title: '会话标签页排序',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ tab_ids: s.optional(s.array(s.string())) }),
    errors: [...WRITE_ERRORS, 232001],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'tab_ids must name every tab once, the message tab included (232001); the message tab stays first.',
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedChat(store, app, params.chat_id);
      const tabs = store.chatTabs(chat);
      const ids = body.tab_ids ?? [];
      const byId = new Map(tabs.map((t) => [t.tab_id, t]));
      if (ids.length !== tabs.length || new Set(ids).size !== ids.length || ids.some((id) => !byId.has(id))) {
        throw fail(232001, `tab_ids must list every tab of the chat once (${tabs.length} tabs, the message tab included)`);
      }
      // The message tab stays first whatever the order asked for.
      const sorted = ids.map((id) => byId.get(id)!);
      chat.tabs = [...sorted.filter((t) => t.tab_type === 'message'), ...sorted.filter((t) => t.tab_type !== 'message')];
      return tabsAnswer(store, chat);
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/chats/:chat_id/chat_tabs/delete_tabs',
    title: '删除会话标签页',
    tokens: ['tenant', 'user'],
    scopes: WRITE_SCOPES,
    params: CHAT_ID,
    body: s.object({ tab_ids: s.array(s.string(), { minItems: 1 }) }),
    errors: [...WRITE_ERRORS, 232001, 232049],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Only doc and url tabs (232049); an unknown id removes nothing (232001).',
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = managedChat(store, app, params.chat_id);
      const tabs = store.chatTabs(chat);
      const gone = new Set<string>();
      for (const id of body.tab_ids) {
        const tab = tabs.find((t) => t.tab_id === id);
        if (!tab) throw fail(232001, `tab_ids: ${id} is not a tab of this chat`);
        if (!isCustom(tab)) throw fail(232049, `tab_ids: ${id} is a ${tab.tab_type} tab; only doc and url tabs can be deleted`);
        gone.add(id);
      }
      chat.tabs = tabs.filter((t) => !gone.has(t.tab_id));
      return tabsAnswer(store, chat);
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/chat_tabs/list_tabs',
    title: '拉取会话标签页',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.tabs:read', 'im:chat:readonly'],
    params: CHAT_ID,
    errors: [232006, 232009, 232011],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Every chat, group or one-to-one, has its built-in message tab first.',
    handle({ params, app, core }) {
      const store = core.store;
      return tabsAnswer(store, chatOfBot(store, app, params.chat_id));
    },
  }),
];
