import { isObject } from '../../card/inspect.js';
import type { Route } from '../core.js';
import { PlatformError } from '../http.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail, failInBody } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { resolveCardWithRules } from '../card-content.js';
import { extraOf, newExtraId, peekExtra } from '../message-extras.js';
import { recall, storeMessage } from './messages.js';
import type { AppRecord, BatchRecord, Store, UserRecord } from '../store.js';

const MAX_IDS = 200;
const MSG_TYPES = ['text', 'image', 'post', 'share_chat', 'interactive'];
/** The read counts of a batch are kept for 30 days (batch_messages read_user). */
const READ_COUNT_DAYS_MS = 30 * 24 * 3600 * 1000;

const BATCH_PATH = s.object({ batch_message_id: s.string() });

/**
 * This older API answers every refusal with HTTP 200 and its own codes (10003 for a bad field),
 * so its body schema lets any JSON value through and the handler checks each field in its words.
 */
const LEGACY_BODY = s.object({
  msg_type: s.optional(s.any()),
  content: s.optional(s.any()),
  card: s.optional(s.any()),
  department_ids: s.optional(s.any()),
  open_ids: s.optional(s.any()),
  user_ids: s.optional(s.any()),
  union_ids: s.optional(s.any()),
});

export const batchSendRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/message/v4/batch_send',
    title: '批量发送消息',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:send_as_bot'],
    body: LEGACY_BODY,
    errors: [10003, 11203, 11204, 11246],
    notes: "`msg_type` with `card` (an object) or `content` (an object); `open_ids`, `user_ids`, `union_ids`, `department_ids` (at most 200 each); user lists need `im:message:send_multi_users` and departments `im:message:send_multi_depts`. Answers a `bm-…` id and the `invalid_*_ids` lists. Its errors come with HTTP 200: `10003` for bad parameters, `11246` for a card that cannot be built (with the card's sub-code in its text). Its cards cannot be updated, replied to, buzzed or clicked.",
    coverage: { partial: 'the emulator has no departments: every department id is answered invalid' },
    handle({ body, app, core }) {
      const store = core.store;
      const msgType = body.msg_type;
      if (typeof msgType !== 'string' || !MSG_TYPES.includes(msgType)) throw failInBody(10003, `msg_type must be one of ${MSG_TYPES.join(', ')}`);
      const lists = { department_ids: body.department_ids, open_ids: body.open_ids, user_ids: body.user_ids, union_ids: body.union_ids };
      for (const [name, v] of Object.entries(lists)) {
        if (v === undefined) continue;
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw failInBody(10003, `${name} must be an array of strings`);
        if (v.length > MAX_IDS) throw failInBody(10003, `${name} holds ${v.length} ids, at most ${MAX_IDS} are allowed`);
      }
      const ids = (name: keyof typeof lists) => (lists[name] as string[] | undefined) ?? [];
      if (!ids('department_ids').length && !ids('open_ids').length && !ids('user_ids').length && !ids('union_ids').length) {
        throw failInBody(10003, 'give at least one of department_ids, open_ids, user_ids, union_ids');
      }
      const has = (scope: string) => !app.scopes || app.scopes.has(scope);
      if ((ids('open_ids').length || ids('user_ids').length || ids('union_ids').length) && !has('im:message:send_multi_users')) {
        throw failInBody(11203, 'the app needs the scope im:message:send_multi_users');
      }
      if (ids('department_ids').length && !has('im:message:send_multi_depts')) throw failInBody(11204, 'the app needs the scope im:message:send_multi_depts');
      let content: string;
      let card = null;
      if (msgType === 'interactive') {
        if (!isObject(body.card)) throw failInBody(10003, 'an interactive message puts the card object in "card"');
        try {
          card = resolveCardWithRules(store, app, body.card, core.settings.cardRules);
        } catch (err) {
          // The same build errors as 230099, reported under this API's own code.
          if (err instanceof PlatformError && (err.code === 230099 || err.code === 230025)) throw failInBody(11246, err.message);
          throw err;
        }
        content = JSON.stringify(body.card);
      } else {
        if (!isObject(body.content)) throw failInBody(10003, 'content must be a JSON object for this msg_type');
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
        const m = storeMessage({ core }, { app, chatId: chat.chat_id, msgType, content, card, inline: card !== null && card === body.card, receiveId: u.open_id, receiveIdType: 'open_id', uuid: null, now });
        extraOf(m).batch_id = batchId;
        messageIds.push(m.message_id);
        core.events.emit('message', m);
      }
      store.addBatch({ batch_id: batchId, app_id: app.app_id, message_ids: messageIds, create_time: now, recalled: false });
      return ok({
        message_id: batchId,
        invalid_department_ids: invalid.department_ids,
        invalid_open_ids: invalid.open_ids,
        invalid_user_ids: invalid.user_ids,
        invalid_union_ids: invalid.union_ids,
      });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/batch_messages/:batch_message_id/get_progress',
    title: '查询批量消息整体进度',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:send_as_bot'],
    params: BATCH_PATH,
    errors: [230012, 230030],
    notes: "The app's own batches only; counts every valid receiver as sent, the receivers marked as having read their copy as read, and the recalled copies.",
    coverage: 'full',
    handle({ params, app, core }) {
      const rec = ownBatch(core.store, app, params.batch_message_id);
      const recalled = rec.message_ids.filter((id) => core.store.messages.get(id)?.deleted).length;
      // The emulator delivers at once: every valid receiver succeeded; reads are the store's.
      return ok({
        batch_message_send_progress: { valid_user_ids_count: rec.message_ids.length, success_user_ids_count: rec.message_ids.length, read_user_ids_count: batchReads(core.store, rec) },
        batch_message_recall_progress: { recall: rec.recalled, recall_count: recalled },
      });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/batch_messages/:batch_message_id/read_user',
    title: '查询批量消息推送和阅读人数',
    tokens: ['tenant'],
    scopes: ['im:message:send_multi_depts', 'im:message:send_multi_users'],
    params: BATCH_PATH,
    errors: [230001, 230012, 230030],
    notes: "The app's own batches only: `read_count` (receivers who read their copy) and `total_count`, as strings; the counts are kept for 30 days.",
    coverage: { partial: 'nobody reads a message by themselves in the emulator: reads are marked through the control API (POST /_emulator/messages/:message_id/read)' },
    handle({ params, app, core }) {
      const rec = ownBatch(core.store, app, params.batch_message_id);
      if (core.now() - rec.create_time > READ_COUNT_DAYS_MS) throw fail(230001, 'the read counts of a batch are kept for 30 days after it was sent');
      // Both counts are strings, as the platform writes them; this API says "ok".
      return { body: { code: 0, msg: 'ok', data: { read_user: { read_count: String(batchReads(core.store, rec)), total_count: String(rec.message_ids.length) } } } };
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v1/batch_messages/:batch_message_id',
    title: '批量撤回消息',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:send_as_bot'],
    params: BATCH_PATH,
    errors: [230012, 230030],
    notes: "Recalls every message of one of the app's own batches.",
    coverage: 'full',
    handle({ params, app, core }) {
      const rec = ownBatch(core.store, app, params.batch_message_id);
      rec.recalled = true;
      for (const id of rec.message_ids) {
        const m = core.store.messages.get(id);
        if (m && !m.deleted) recall({ core }, m);
      }
      return ok();
    },
  }),
];

/** The batch named in the path, sent by the calling app. */
function ownBatch(store: Store, app: AppRecord, batchId: string): BatchRecord {
  const rec = store.batches.get(batchId);
  if (!rec) throw fail(230030);
  if (rec.app_id !== app.app_id) throw fail(230012);
  return rec;
}

/** How many receivers of a batch have read their message. */
function batchReads(store: Store, rec: BatchRecord): number {
  let n = 0;
  for (const id of rec.message_ids) {
    const m = store.messages.get(id);
    if (m && peekExtra(m).reads?.has(m.receive_id)) n++;
  }
  return n;
}
