import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { invalidParam, peekExtra, unknownMessage } from '../message-extras.js';

/** An urgent notice stays unread until the user reads it; the platform stops at 200 per user. */
const MAX_UNREAD_URGENT = 200;

const TITLES = { app: '发送应用内加急', sms: '发送短信加急', phone: '发送电话加急' } as const;

function urgentRoute(kind: 'app' | 'sms' | 'phone', scopes: string[]): Route {
  return openApi({
    method: 'PATCH',
    path: `/open-apis/im/v1/messages/:message_id/urgent_${kind}`,
    title: TITLES[kind],
    tokens: ['tenant'],
    scopes,
    params: s.object({ message_id: s.string() }),
    query: s.object({ user_id_type: s.optional(s.enum(['open_id', 'union_id', 'user_id'])) }),
    body: s.object({ user_id_list: s.array(s.string(), { maxItems: 200 }) }),
    errors: [230001, 230002, 230011, 230012, 230023, 232009],
    notes: `Buzzes members about one of the bot's own messages (not recalled) in a chat the bot is in: \`user_id_list\` of up to 200 ids of \`user_id_type\` (default \`open_id\`); ids not in the chat come back in \`invalid_user_id_list\`, and none valid is refused; at most ${MAX_UNREAD_URGENT} unread urgent notices per user.`,
    coverage: { partial: `nobody reads an urgent notice in the emulator, so the unread count per user only grows (to the platform's cap of ${MAX_UNREAD_URGENT}); ${kind === 'app' ? 'no' : `no ${kind} is placed and no`} per-tenant urgent quota` },
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const idType = query.user_id_type ?? 'open_id';
      const m = store.messages.get(params.message_id);
      if (!m) throw unknownMessage(store, params.message_id);
      if (m.deleted) throw fail(230011);
      if (m.app_id !== app.app_id) throw fail(230012);
      if (peekExtra(m).batch_id) throw invalidParam('a batch-sent message cannot be sent as urgent');
      const chat = store.botChat(app, m.chat_id, 'message');
      if (!chat) throw fail(230002);
      // Only people in the message's chat can be buzzed; the rest are reported back.
      const invalid: string[] = [];
      const targets: string[] = [];
      for (const id of body.user_id_list) {
        const u = store.findUser(idType, id);
        if (!u || u.resigned || !chat.members.has(u.open_id)) invalid.push(id);
        else targets.push(u.open_id);
      }
      if (!targets.length) throw invalidParam('no user in user_id_list is a member of the chat');
      const unread = store.urgentUnread;
      for (const openId of targets) {
        if ((unread.get(openId) ?? 0) >= MAX_UNREAD_URGENT) throw fail(230023);
      }
      for (const openId of targets) unread.set(openId, (unread.get(openId) ?? 0) + 1);
      return ok({ invalid_user_id_list: invalid });
    },
  });
}

export const urgentRoutes: Route[] = [
  urgentRoute('app', ['im:message.urgent', 'im:message.urgent:app_send']),
  urgentRoute('sms', ['im:message.urgent:sms']),
  urgentRoute('phone', ['im:message.urgent:phone']),
];
