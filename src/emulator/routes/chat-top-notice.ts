import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, ChatRecord, Store } from '../store.js';
import { chatOfBot } from './chat-tools.js';

const CHAT_ID = s.object({ chat_id: s.string() });
const SCOPES = ['im:chat', 'im:chat.top_notice:write_only'] as const;
const ERRORS = [232006, 232009, 232011, 232014] as const;

const COVERAGE_NOTE =
  'the docs do not say who may pin: the emulator lets those who may edit the chat (edit_permission); one notice per call; no self-destructing messages (230111) or external chats (232033); no route reads the notice back, the store keeps it (Store.topNotice)';

/** A chat the bot may pin on top of. */
function pinnableChat(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = chatOfBot(store, app, chatId);
  if (!store.mayPinTopNotice(app, chat)) throw fail(232014, 'the chat lets only its owner and managers edit it');
  return chat;
}

export const chatTopNoticeRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/top_notice/put_top_notice',
    title: '更新群置顶',
    tokens: ['tenant', 'user'],
    scopes: SCOPES,
    params: CHAT_ID,
    body: s.object({
      chat_top_notice: s.array(s.object({ action_type: s.optional(s.enum(['1', '2'])), message_id: s.optional(s.string()) }), { minItems: 1 }),
    }),
    errors: [...ERRORS, 232001],
    coverage: { partial: COVERAGE_NOTE },
    notes: "One notice: action_type 1 pins a message of the chat (unknown, another chat's or recalled: 232001), 2 (the default) the announcement; in a chat only its owner may edit, only an owner, creator or manager bot may pin (232014).",
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = pinnableChat(store, app, params.chat_id);
      if (body.chat_top_notice.length > 1) throw fail(232001, 'chat_top_notice: a chat has one top notice; give one item');
      const notice = body.chat_top_notice[0]!;
      // "1" pins a message of the chat; "2" (the default) pins the chat's announcement.
      const action = notice.action_type ?? '2';
      let messageId: string | null = null;
      if (action === '1') {
        if (!notice.message_id) throw fail(232001, 'chat_top_notice[0].message_id is required when action_type is 1');
        const message = store.messages.get(notice.message_id);
        if (!message || message.chat_id !== chat.chat_id) throw fail(232001, `chat_top_notice[0].message_id ${notice.message_id} is not a message of this chat`);
        if (message.deleted) throw fail(232001, `chat_top_notice[0].message_id ${notice.message_id} was recalled`);
        messageId = message.message_id;
      }
      core.store.setTopNotice(chat, { action_type: action, message_id: messageId, operator_app_id: app.app_id, create_time: core.now() });
      return ok();
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/chats/:chat_id/top_notice/delete_top_notice',
    title: '撤销群置顶',
    tokens: ['tenant', 'user'],
    scopes: SCOPES,
    params: CHAT_ID,
    errors: [...ERRORS],
    coverage: { partial: COVERAGE_NOTE },
    notes: 'Succeeds when nothing is pinned; the same rule as pinning on who may (232014).',
    handle({ params, app, core }) {
      const chat = pinnableChat(core.store, app, params.chat_id);
      core.store.setTopNotice(chat, null);
      return ok();
    },
  }),
];
