import { isObject } from '../../card/inspect.js';
import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { resolveCardWithRules } from '../card-content.js';
import { extraOf, newExtraId } from '../message-extras.js';
import { recall, storeMessage } from './messages.js';
import type { UserRecord } from '../store.js';

const MAX_IDS = 200;
const MSG_TYPES = ['text', 'image', 'post', 'share_chat', 'interactive'];

/** This older API answers its errors with HTTP 200 and a non-zero code. */
const refuse = (code: number, msg: string) => new PlatformError(200, code, msg);

export const batchSendRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/message/v4/batch_send',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot'],
    async handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const body = isObject(ctx.body) ? ctx.body : null;
      if (!body) throw refuse(10003, 'invalid param: the body must be a JSON object');
      const msgType = body.msg_type;
      if (typeof msgType !== 'string' || !MSG_TYPES.includes(msgType)) throw refuse(10003, `invalid param: msg_type must be one of ${MSG_TYPES.join(', ')}`);
      const lists = { department_ids: body.department_ids, open_ids: body.open_ids, user_ids: body.user_ids, union_ids: body.union_ids };
      for (const [name, v] of Object.entries(lists)) {
        if (v === undefined) continue;
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw refuse(10003, `invalid param: ${name} must be an array of strings`);
        if (v.length > MAX_IDS) throw refuse(10003, `invalid param: ${name} holds ${v.length} ids, at most ${MAX_IDS} are allowed`);
      }
      const ids = (name: keyof typeof lists) => (lists[name] as string[] | undefined) ?? [];
      if (!ids('department_ids').length && !ids('open_ids').length && !ids('user_ids').length && !ids('union_ids').length) {
        throw refuse(10003, 'invalid param: give at least one of department_ids, open_ids, user_ids, union_ids');
      }
      const has = (s: string) => !app.scopes || app.scopes.has(s);
      if ((ids('open_ids').length || ids('user_ids').length || ids('union_ids').length) && !has('im:message:send_multi_users')) {
        throw refuse(11203, 'no permission to send to multiple users: the app needs the scope im:message:send_multi_users');
      }
      if (ids('department_ids').length && !has('im:message:send_multi_depts')) {
        throw refuse(11204, 'no permission to send to departments: the app needs the scope im:message:send_multi_depts');
      }
      let content: string;
      let card = null;
      if (msgType === 'interactive') {
        if (!isObject(body.card)) throw refuse(10003, 'invalid param: an interactive message puts the card object in "card"');
        try {
          card = resolveCardWithRules(store, app, body.card, core.settings.cardRules);
        } catch (err) {
          // The same build errors as 230099, reported under this API's own code.
          if (err instanceof PlatformError && (err.code === 230099 || err.code === 230025)) throw refuse(11246, `create message content fail: ${err.message}`);
          throw err;
        }
        content = JSON.stringify(body.card);
      } else {
        if (!isObject(body.content)) throw refuse(10003, 'invalid param: content must be a JSON object for this msg_type');
        content = JSON.stringify(body.content);
      }
      // The emulator has no departments: every department id is reported invalid.
      const invalid = { department_ids: [...ids('department_ids')], open_ids: [] as string[], user_ids: [] as string[], union_ids: [] as string[] };
      const receivers = new Map<string, UserRecord>();
      for (const [name, idType] of [['open_ids', 'open_id'], ['user_ids', 'user_id'], ['union_ids', 'union_id']] as const) {
        for (const id of ids(name)) {
          const u = store.findUser(idType, id);
          if (!u || u.resigned || (app.availability && !app.availability.has(u.open_id))) invalid[name].push(id);
          else receivers.set(u.open_id, u);
        }
      }
      const now = core.now();
      const batchId = newExtraId.batch();
      const messageIds: string[] = [];
      for (const u of receivers.values()) {
        const chat = store.p2pChatFor(app, u, now);
        const m = storeMessage(ctx, { app, chatId: chat.chat_id, msgType, content, card, inline: card !== null && card === body.card, receiveId: u.open_id, receiveIdType: 'open_id', uuid: null, now });
        extraOf(m).batch_id = batchId;
        messageIds.push(m.message_id);
        core.events.emit('message', m);
      }
      store.addBatch({ batch_id: batchId, app_id: app.app_id, message_ids: messageIds, create_time: now, recalled: false });
      return {
        body: {
          code: 0,
          msg: 'success',
          data: {
            message_id: batchId,
            invalid_department_ids: invalid.department_ids,
            invalid_open_ids: invalid.open_ids,
            invalid_user_ids: invalid.user_ids,
            invalid_union_ids: invalid.union_ids,
          },
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/batch_messages/:batch_message_id/get_progress',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot'],
    handle(ctx) {
      const rec = ownBatch(ctx);
      const recalled = rec.message_ids.filter((id) => ctx.core.store.messages.get(id)?.deleted).length;
      // The emulator delivers at once and nobody reads: every valid receiver succeeded, none has read it.
      return {
        body: {
          code: 0,
          msg: 'success',
          data: {
            batch_message_send_progress: { valid_user_ids_count: rec.message_ids.length, success_user_ids_count: rec.message_ids.length, read_user_ids_count: 0 },
            batch_message_recall_progress: { recall: rec.recalled, recall_count: recalled },
          },
        },
      };
    },
  },
  {
    method: 'DELETE',
    pattern: '/open-apis/im/v1/batch_messages/:batch_message_id',
    auth: 'tenant',
    scopes: ['im:message', 'im:message:send_as_bot'],
    handle(ctx) {
      const rec = ownBatch(ctx);
      rec.recalled = true;
      for (const id of rec.message_ids) {
        const m = ctx.core.store.messages.get(id);
        if (m && !m.deleted) recall(ctx, m);
      }
      return { body: { code: 0, msg: 'success', data: {} } };
    },
  },
];

/** The batch named in the path, sent by the calling app. */
function ownBatch(ctx: RouteContext) {
  const rec = ctx.core.store.batches.get(ctx.params.batch_message_id!);
  if (!rec) throw new PlatformError(400, 230030, 'The message id is invalid, record not found.');
  if (rec.app_id !== ctx.app.app_id) throw new PlatformError(400, 230012, 'Bot is NOT the sender of the message.');
  return rec;
}
