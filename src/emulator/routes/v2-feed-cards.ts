import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, ChatRecord, FeedCardButton, Store, UserRecord } from '../store.js';
import { checkButtonLinks, FEED_BUTTONS } from './v2-app-feed-cards.js';
import { USER_ID_TYPE } from './contact.js';

/**
 * A chat's feed card for each user: pinned at the top of the feed as time-sensitive (即时提醒),
 * and the quick buttons it shows. Users the call cannot act for come back in
 * `failed_user_reasons` while the call succeeds, as the docs show.
 */

const REQUIRED_USER_ID_TYPE = s.enum(['open_id', 'union_id', 'user_id']);

interface FailedUser {
  error_code: number;
  error_message: string;
  user_id: string;
}

/**
 * The members of `chat` among `ids`; the others are failures. The docs' one example writes such a
 * failure with error_code 0 and a sentence, so the emulator does the same.
 */
function membersOf(store: Store, app: AppRecord, chat: ChatRecord, idType: string, ids: readonly string[]): { users: UserRecord[]; failed: FailedUser[] } {
  const users: UserRecord[] = [];
  const failed: FailedUser[] = [];
  for (const id of new Set(ids)) {
    const u = store.reachableUser(app, idType, id);
    if (!u) failed.push({ error_code: 0, error_message: 'The user is not found or the app cannot reach the user', user_id: id });
    else if (!chat.members.has(u.open_id)) failed.push({ error_code: 0, error_message: 'The user is not in the chat', user_id: id });
    else users.push(u);
  }
  return { users, failed };
}

export const feedCardRoutes: Route[] = [
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v2/feed_cards/bot_time_sentive',
    title: '机器人单聊会话即时提醒',
    tokens: ['tenant'],
    scopes: ['im:datasync.feed_card.time_sensitive:write'],
    query: s.object({ user_id_type: REQUIRED_USER_ID_TYPE }),
    body: s.object({ bot_id: s.optional(s.string()), time_sensitive: s.boolean(), user_ids: s.array(s.string(), { minItems: 1, maxItems: 50 }) }),
    errors: [230001],
    notes: "Pins (`time_sensitive: true`) or unpins the bot's one-to-one chat in the feed of each of 1 to 50 `user_ids`; users the bot cannot reach come back in `failed_user_reasons`.",
    coverage: {
      partial:
        'bot_id (in the SDK, not in the docs) must be the calling app when given; a user the bot cannot reach comes back in failed_user_reasons with error_code 0, the form of the docs\' one example; the pin shows in no inbox yet',
    },
    handle({ query, body, app, core }) {
      if (body.bot_id !== undefined && body.bot_id !== app.app_id && body.bot_id !== app.bot_open_id) throw fail(230001, `bot_id ${body.bot_id} is not this app's bot`);
      const store = core.store;
      const now = core.now();
      const failed_user_reasons: FailedUser[] = [];
      for (const id of new Set(body.user_ids)) {
        const u = store.reachableUser(app, query.user_id_type, id);
        if (!u) {
          failed_user_reasons.push({ error_code: 0, error_message: 'The user is not found or the app cannot reach the user', user_id: id });
          continue;
        }
        // The bot's one-to-one chat with the user exists as soon as the user can reach the bot.
        const chat = store.p2pChatFor(app, u, now);
        store.setTimeSensitive(chat.chat_id, u.open_id, body.time_sensitive, now);
      }
      return ok({ failed_user_reasons });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v2/feed_cards/:feed_card_id',
    title: '即时提醒',
    tokens: ['tenant'],
    scopes: ['im:datasync.feed_card.time_sensitive:write'],
    params: s.object({ feed_card_id: s.string() }),
    query: s.object({ user_id_type: REQUIRED_USER_ID_TYPE }),
    body: s.object({ time_sensitive: s.boolean(), user_ids: s.array(s.string(), { minItems: 1, maxItems: 50 }) }),
    errors: [230001, 230027],
    notes: 'The same for a group chat (`:feed_card_id` is its `chat_id`) the bot is in, per user; users outside the chat come back in `failed_user_reasons`.',
    coverage: {
      partial: 'the docs state no bound on user_ids: the emulator takes 1–50 as for the bot chat; a user outside the chat comes back in failed_user_reasons with error_code 0 as the docs\' example shows',
    },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const chat = store.v2Chat(app, params.feed_card_id, 'feed_card_id');
      if (chat.chat_mode !== 'group') throw fail(230001, 'feed_card_id must be a group chat: only group chats are supported');
      const now = core.now();
      const { users, failed } = membersOf(store, app, chat, query.user_id_type, body.user_ids);
      for (const u of users) store.setTimeSensitive(chat.chat_id, u.open_id, body.time_sensitive, now);
      return ok({ failed_user_reasons: failed });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v2/chat_button',
    title: '更新消息流卡片按钮',
    tokens: ['tenant'],
    scopes: ['im:app_feed_card:write'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      bot_id: s.optional(s.string()),
      user_ids: s.optional(s.array(s.string(), { minItems: 1, maxItems: 20 })),
      chat_id: s.string({ minLength: 1 }),
      buttons: s.optional(FEED_BUTTONS),
    }),
    errors: [230001, 230027],
    notes: 'Buttons (as on app feed cards) of a chat the bot is in, for up to 20 `user_ids` or, without them, every member; users outside the chat come back in `failed_user_reasons`.',
    coverage: {
      partial:
        'without user_ids the buttons go to every member of the chat (the docs do not say); bot_id (SDK only) must be the calling app; a user outside the chat comes back in failed_user_reasons with error_code 0; buttons follow the app feed card rules (a url_page button needs a multi_url, action_map at most 20 entries); the buttons show in no inbox yet',
    },
    handle({ query, body, app, core }) {
      if (body.bot_id !== undefined && body.bot_id !== app.app_id && body.bot_id !== app.bot_open_id) throw fail(230001, `bot_id ${body.bot_id} is not this app's bot`);
      const store = core.store;
      const chat = store.v2Chat(app, body.chat_id, 'chat_id');
      checkButtonLinks(body.buttons, 'buttons');
      const idType = query.user_id_type ?? 'open_id';
      const ids =
        body.user_ids ??
        [...chat.members].flatMap((openId) => {
          const u = store.findUser('open_id', openId);
          return u ? [store.userIdOf(u, idType)] : [];
        });
      const { users, failed } = membersOf(store, app, chat, idType, ids);
      const now = core.now();
      // The list given replaces the card's buttons: omitted buttons go.
      const buttons = structuredClone(body.buttons?.buttons ?? []) as FeedCardButton[];
      for (const u of users) {
        const feed = store.chatFeed(chat.chat_id, u.open_id, now);
        feed.buttons = buttons;
        feed.update_time = now;
      }
      return ok({ failed_user_reasons: failed });
    },
  }),
];
