import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { fail } from '../catalogue/errors.js';
import { extraOf, invalidParam, unknownMessage } from '../message-extras.js';
import { checkFields, objectBody, queryEnum } from '../validate.js';

/** An urgent notice stays unread until the user reads it; the platform stops at 200 per user. */
const MAX_UNREAD_URGENT = 200;

function urgentRoute(kind: 'app' | 'sms' | 'phone', scopes: string[]): Route {
  return {
    method: 'PATCH',
    pattern: `/open-apis/im/v1/messages/:message_id/urgent_${kind}`,
    auth: 'tenant',
    scopes,
    handle(ctx: RouteContext) {
      const { core, app } = ctx;
      const store = core.store;
      const idType = queryEnum(ctx.query, 'user_id_type', ['open_id', 'union_id', 'user_id'], 'open_id');
      const body = checkFields<{ user_id_list: string[] }>(objectBody(ctx.body), {
        user_id_list: { type: 'string[]', required: true, maxItems: 200 },
      });
      const m = store.messages.get(ctx.params.message_id!);
      if (!m) throw unknownMessage(store, ctx.params.message_id!);
      if (m.deleted) throw new PlatformError(400, 230011, 'The message is recalled.');
      if (m.app_id !== app.app_id) throw new PlatformError(400, 230012, 'Bot is NOT the sender of the message.');
      if (extraOf(m).batch_id) throw invalidParam('a batch-sent message cannot be sent as urgent');
      const chat = store.botChat(app, m.chat_id, 'message');
      if (!chat) throw fail(230002);
      // Only people in the message's chat can be buzzed; the rest are reported back.
      const invalid: string[] = [];
      const targets: string[] = [];
      for (const id of body.user_id_list) {
        const u = store.findUser(idType, id);
        if (!u || u.resigned || !chat?.members.has(u.open_id)) invalid.push(id);
        else targets.push(u.open_id);
      }
      if (!targets.length) throw invalidParam('no user in user_id_list is a member of the chat');
      const unread = store.urgentUnread;
      for (const openId of targets) {
        if ((unread.get(openId) ?? 0) >= MAX_UNREAD_URGENT) {
          throw new PlatformError(400, 230023, 'The user has too many unread urgent messages.');
        }
      }
      for (const openId of targets) unread.set(openId, (unread.get(openId) ?? 0) + 1);
      return { body: { code: 0, msg: 'success', data: { invalid_user_id_list: invalid } } };
    },
  };
}

export const urgentRoutes: Route[] = [
  urgentRoute('app', ['im:message.urgent', 'im:message.urgent:app_send']),
  urgentRoute('sms', ['im:message.urgent:sms']),
  urgentRoute('phone', ['im:message.urgent:phone']),
];
