import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, TagRecord } from '../store.js';

/**
 * Tenant tags (标签) and the chats they are bound to. A tag's name is unique in the tenant: a
 * second tag of the same name is not made, and its id comes back as `duplicate_id` with code 0.
 */

/** The docs state no bound on a name; the emulator takes up to this many characters. */
const MAX_TAG_NAME = 100;
/** Tags one chat may hold (the docs state none; one call binds at most 40). */
const MAX_TAGS_PER_CHAT = 100;

const I18N_NAMES = s.optional(s.array(s.object({ locale: s.string({ minLength: 1, maxLength: 20 }), name: s.optional(s.string({ maxLength: MAX_TAG_NAME })) }), { maxItems: 40 }));
const BOT_ID = s.optional(s.string());
const TAG_IDS = s.optional(s.array(s.string(), { maxItems: 40 }));

function tagInfo(t: TagRecord) {
  return { id: t.id, tag_type: t.tag_type, name: t.name, i18n_names: t.i18n_names.map((n) => ({ ...n })), create_time: String(t.create_time), update_time: String(t.update_time) };
}

/** `bot_id` is in the SDK, not in the docs: the emulator takes it only as the calling app's own bot. */
function checkBotId(app: AppRecord, botId: string | undefined): void {
  if (botId !== undefined && botId !== app.app_id && botId !== app.bot_open_id) throw fail(230001, `bot_id ${botId} is not this app's bot`);
}

const BOT_ID_NOTE = 'bot_id (SDK only, not in the docs) is taken only as the calling app';

export const tagRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v2/tags',
    title: '创建标签',
    tokens: ['tenant'],
    scopes: ['im:tag:write'],
    body: s.object({
      create_tag: s.object({ tag_type: s.enum(['tenant']), name: s.string({ minLength: 1, maxLength: MAX_TAG_NAME }), i18n_names: I18N_NAMES }),
      bot_id: BOT_ID,
    }),
    errors: [230001],
    notes: "A tenant tag with a unique name; a duplicate name answers code 0 with the existing tag's `duplicate_id`.",
    coverage: { partial: `name length and the number of tags are not documented: names up to ${MAX_TAG_NAME} characters, 5000 tags kept; a duplicate default name answers code 0 with create_tag_fail_reason.duplicate_id; ${BOT_ID_NOTE}` },
    handle({ body, app, core }) {
      checkBotId(app, body.bot_id);
      const store = core.store;
      const dup = store.tagNamed(body.create_tag.name);
      if (dup) return ok({ create_tag_fail_reason: { duplicate_id: dup.id } });
      const now = core.now();
      const tag: TagRecord = { id: store.newTagId(), tag_type: 'tenant', name: body.create_tag.name, i18n_names: structuredClone(body.create_tag.i18n_names ?? []), create_time: now, update_time: now };
      store.addTag(tag);
      return ok({ id: tag.id });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v2/tags/:tag_id',
    title: '修改标签',
    tokens: ['tenant'],
    scopes: ['im:tag:write'],
    params: s.object({ tag_id: s.string() }),
    body: s.object({
      patch_tag: s.optional(s.object({ id: s.optional(s.string()), name: s.optional(s.string({ minLength: 1, maxLength: MAX_TAG_NAME })), i18n_names: I18N_NAMES })),
      bot_id: BOT_ID,
    }),
    errors: [230001],
    notes: 'Renames a tag; a name another tag has answers code 0 with `duplicate_id` and changes nothing.',
    coverage: { partial: `the docs name no code for an unknown tag: it is 230001; a name another tag has answers code 0 with patch_tag_fail_reason.duplicate_id and changes nothing; ${BOT_ID_NOTE}` },
    handle({ params, body, app, core }) {
      checkBotId(app, body.bot_id);
      const store = core.store;
      const tag = store.tags.get(params.tag_id);
      if (!tag) throw fail(230001, `tag_id ${params.tag_id} is not a tag`);
      const patch = body.patch_tag ?? {};
      if (patch.id !== undefined && patch.id !== tag.id) throw fail(230001, `patch_tag.id ${patch.id} differs from the tag_id in the path`);
      if (patch.name !== undefined) {
        const dup = store.tagNamed(patch.name, tag.id);
        if (dup) return ok({ tag_info: tagInfo(tag), patch_tag_fail_reason: { duplicate_id: dup.id } });
      }
      if (patch.name !== undefined || patch.i18n_names !== undefined) {
        if (patch.name !== undefined) tag.name = patch.name;
        if (patch.i18n_names !== undefined) tag.i18n_names = structuredClone(patch.i18n_names);
        tag.update_time = core.now();
      }
      return ok({ tag_info: tagInfo(tag) });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v2/biz_entity_tag_relation',
    title: '绑定标签到群',
    tokens: ['tenant'],
    scopes: ['im:biz_entity_tag_relation:write'],
    body: s.object({ tag_biz_type: s.enum(['chat']), biz_entity_id: s.string({ minLength: 1 }), tag_ids: TAG_IDS, bot_id: BOT_ID }),
    errors: [230001, 230027],
    notes: 'Binds tags to a chat the bot is in (`tag_biz_type` chat, `biz_entity_id` its `chat_id`).',
    coverage: {
      partial: `the docs state no bound per chat: the emulator keeps ${MAX_TAGS_PER_CHAT} and refuses more with 230001, as it does an unknown tag or chat; a bot outside the chat is 230027; ${BOT_ID_NOTE}`,
    },
    handle({ body, app, core }) {
      checkBotId(app, body.bot_id);
      const store = core.store;
      const chat = store.v2Chat(app, body.biz_entity_id, 'biz_entity_id');
      const ids = [...new Set(body.tag_ids ?? [])];
      for (const id of ids) if (!store.tags.has(id)) throw fail(230001, `tag_ids: ${id} is not a tag`);
      const bound = store.chatTags(chat.chat_id);
      const added = ids.filter((id) => !bound.has(id));
      if (bound.size + added.length > MAX_TAGS_PER_CHAT) throw fail(230001, `a chat holds at most ${MAX_TAGS_PER_CHAT} tags`);
      const now = core.now();
      for (const id of added) bound.set(id, now);
      return ok({});
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v2/biz_entity_tag_relation',
    title: '解绑标签与群',
    tokens: ['tenant'],
    scopes: ['im:biz_entity_tag_relation:write'],
    body: s.object({ tag_biz_type: s.enum(['chat']), biz_entity_id: s.string({ minLength: 1 }), tag_ids: TAG_IDS, bot_id: BOT_ID }),
    errors: [230001, 230027],
    notes: 'Unbinds tags from a chat the bot is in; a tag the chat does not hold is passed over.',
    coverage: { partial: `a tag the chat does not hold is passed over; an unknown chat is 230001 and a bot outside it 230027 (the docs list only 230001); ${BOT_ID_NOTE}` },
    handle({ body, app, core }) {
      checkBotId(app, body.bot_id);
      const store = core.store;
      const chat = store.v2Chat(app, body.biz_entity_id, 'biz_entity_id');
      const bound = store.tagBindings.get(chat.chat_id);
      for (const id of body.tag_ids ?? []) bound?.delete(id);
      return ok({});
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v2/biz_entity_tag_relation',
    title: '查询实体与标签的绑定关系',
    tokens: ['tenant'],
    scopes: ['im:biz_entity_tag_relation:read', 'im:tag:read'],
    query: s.object({ tag_biz_type: s.enum(['chat']), biz_entity_id: s.string({ minLength: 1 }), bot_id: BOT_ID }),
    errors: [230001, 230027],
    notes: 'The tags bound to a chat the bot is in, with when each was bound.',
    coverage: { partial: `bind_version is the bind time in milliseconds (the docs call it the bind time); an unknown chat is 230001 and a bot outside it 230027; ${BOT_ID_NOTE}` },
    handle({ query, app, core }) {
      checkBotId(app, query.bot_id);
      const store = core.store;
      const chat = store.v2Chat(app, query.biz_entity_id, 'biz_entity_id');
      const items = [];
      for (const [id, at] of store.tagBindings.get(chat.chat_id) ?? []) {
        const tag = store.tags.get(id);
        if (tag) items.push({ tag_info: tagInfo(tag), bind_version: String(at) });
      }
      return ok({ tag_info_with_bind_versions: items });
    },
  }),
];
