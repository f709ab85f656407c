import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';
import type { AppFeedCardFields, AppFeedCardRecord, AppRecord, Store } from '../store.js';
import { USER_ID_TYPE } from './contact.js';

/**
 * App feed cards (应用消息流卡片): cards an app puts in users' feeds, each addressed by its biz_id
 * and the user. Per-user failures come back in `failed_cards` with code 0, as the docs show.
 */

/** The docs bound no action_map; the emulator keeps what a button plausibly carries back to its app. */
const MAX_ACTION_MAP_ENTRIES = 20;
const MAX_ACTION_MAP_TEXT = 1000;

const URL_FIELD = s.optional(s.string({ maxLength: 700 }));

/** A quick button, as app feed cards and a chat's feed card take it (0–2 per card). */
export const FEED_BUTTONS = s.object({
  buttons: s.array(
    s.object({
      multi_url: s.optional(s.object({ url: URL_FIELD, android_url: URL_FIELD, ios_url: URL_FIELD, pc_url: URL_FIELD })),
      action_type: s.enum(['url_page', 'webhook']),
      text: s.object({ text: s.string({ minLength: 1, maxLength: 30 }) }),
      button_type: s.optional(s.enum(['default', 'primary', 'success'])),
      action_map: s.optional(s.record(s.string())),
    }),
    { maxItems: 2 },
  ),
});

const CARD = s.object({
  biz_id: s.optional(s.string({ maxLength: 200 })),
  title: s.optional(s.string({ maxLength: 60 })),
  avatar_key: s.optional(s.string({ maxLength: 100 })),
  preview: s.optional(s.string({ maxLength: 120 })),
  status_label: s.optional(s.object({ text: s.string({ minLength: 1, maxLength: 20 }), type: s.enum(['primary', 'secondary', 'success', 'danger']) })),
  buttons: s.optional(FEED_BUTTONS),
  link: s.optional(s.object({ link: URL_FIELD })),
  time_sensitive: s.optional(s.boolean()),
  notify: s.optional(s.object({ close_notify: s.optional(s.boolean()), custom_sound_text: s.optional(s.string({ maxLength: 20 })), with_custom_sound: s.optional(s.boolean()) })),
});
type Card = Infer<typeof CARD>;

/** The links a card opens must be https (an applink is an https URL too). */
export function checkButtonLinks(buttons: Infer<typeof FEED_BUTTONS> | undefined, where: string): void {
  buttons?.buttons.forEach((b, i) => {
    for (const [k, v] of Object.entries(b.multi_url ?? {})) {
      if (v && !isHttps(v)) throw fail(230001, `${where}.buttons[${i}].multi_url.${k} must be an https URL`);
    }
    if (b.action_type === 'url_page' && !Object.values(b.multi_url ?? {}).some(Boolean)) throw fail(230001, `${where}.buttons[${i}] opens a page (url_page) but has no multi_url`);
    const map = Object.entries(b.action_map ?? {});
    if (map.length > MAX_ACTION_MAP_ENTRIES || map.some(([k, v]) => k.length + v.length > MAX_ACTION_MAP_TEXT)) {
      throw fail(230001, `${where}.buttons[${i}].action_map holds at most ${MAX_ACTION_MAP_ENTRIES} entries of at most ${MAX_ACTION_MAP_TEXT} characters each`);
    }
  });
}

function isHttps(url: string): boolean {
  return /^https:\/\/[^\s/]+/i.test(url);
}

function checkCard(store: Store, app: AppRecord, card: Card, where: string, fields?: ReadonlySet<string>): void {
  const named = (code: string) => !fields || fields.has(code);
  if (named('12') && card.link?.link && !isHttps(card.link.link)) throw fail(230001, `${where}.link.link must be an https URL or an applink`);
  if (named('11')) checkButtonLinks(card.buttons, `${where}.buttons`);
  if (named('2') && card.avatar_key && !store.media.usableImage(card.avatar_key, app.app_id)) {
    throw fail(230001, `${where}.avatar_key ${card.avatar_key} is not an image this app uploaded`);
  }
}

/** The displayed fields of a card as given (biz_id is the address, not content). */
function fieldsOf(card: Card): AppFeedCardFields {
  const { biz_id: _biz, ...rest } = card;
  return structuredClone(rest);
}

/** What each update_fields code copies from the card given (101–103 act instead of copying). */
const UPDATE_FIELDS: Record<string, keyof AppFeedCardFields> = { '1': 'title', '2': 'avatar_key', '3': 'preview', '10': 'status_label', '11': 'buttons', '12': 'link', '13': 'time_sensitive' };

type Reason = '0' | '1' | '2' | '3' | '4';
const NO_PERMISSION: Reason = '1';
const NOT_CREATED: Reason = '2';
const DUPLICATE: Reason = '4';

export const appFeedCardRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v2/app_feed_card',
    title: '创建应用消息流卡片',
    tokens: ['tenant'],
    scopes: ['im:app_feed_card:write'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ app_feed_card: s.optional(CARD), user_ids: s.optional(s.array(s.string(), { minItems: 1, maxItems: 20 })) }),
    errors: [230001],
    notes: 'One card per app, `biz_id` and user, for 1 to 20 `user_ids` (title up to 60 characters, preview 120, at most 2 buttons); a user the bot cannot reach or a card the user already has comes back in `failed_cards` (reason `"1"` or `"4"`) while the call succeeds.',
    coverage: {
      partial:
        'the docs give no reason for a failed card: a user the bot cannot reach (unknown, resigned, outside its availability) is reason 1 (no permission) and a biz_id the user already has is reason 4 (duplicate); a url_page button needs a multi_url and an action_map holds at most 20 entries of 1000 characters (the docs state neither); the 10/s limit is the app-wide one; the card shows in no inbox yet',
    },
    handle({ query, body, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const card = body.app_feed_card;
      if (!card) throw fail(230001, 'app_feed_card is required');
      if (!body.user_ids?.length) throw fail(230001, 'user_ids is required');
      if (!card.link?.link) throw fail(230001, 'app_feed_card.link.link is required when creating a card');
      const store = core.store;
      checkCard(store, app, card, 'app_feed_card');
      const now = core.now();
      const bizId = card.biz_id || store.newFeedBizId(now);
      const failed_cards: Array<{ biz_id: string; user_id: string; reason: Reason }> = [];
      const seen = new Set<string>();
      for (const userId of body.user_ids) {
        const user = store.reachableUser(app, idType, userId);
        if (!user) {
          failed_cards.push({ biz_id: bizId, user_id: userId, reason: NO_PERMISSION });
          continue;
        }
        if (seen.has(user.open_id) || store.appFeedCard(app, user.open_id, bizId)) {
          failed_cards.push({ biz_id: bizId, user_id: userId, reason: DUPLICATE });
          continue;
        }
        seen.add(user.open_id);
        store.putAppFeedCard({
          app_id: app.app_id,
          biz_id: bizId,
          open_id: user.open_id,
          card: fieldsOf(card),
          create_time: now,
          update_time: now,
          display_time: now,
          sort_time: now,
          notifications: card.notify?.close_notify ? 0 : 1,
        });
      }
      return ok({ biz_id: bizId, failed_cards });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/im/v2/app_feed_card/batch',
    title: '更新应用消息流卡片',
    tokens: ['tenant'],
    scopes: ['im:app_feed_card:write'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      feed_cards: s.optional(
        s.array(
          s.object({
            app_feed_card: CARD,
            user_id: s.string(),
            update_fields: s.array(s.enum(['1', '2', '3', '10', '11', '12', '13', '101', '102', '103']), { minItems: 1, maxItems: 20 }),
          }),
          { minItems: 1, maxItems: 20 },
        ),
      ),
    }),
    errors: [230001],
    notes: 'Updates 1 to 20 cards, each named by `biz_id` and `user_id`, copying only the fields `update_fields` names (`101` / `102` move the display and sort times, `103` notifies again); a card the user does not have comes back in `failed_cards` with reason `"2"`.',
    coverage: {
      partial:
        'the docs give no reason for a failed card: a card the user does not have is reason 2 (not created), a user the bot cannot reach reason 1, the same card twice in one call reason 4; a field named in update_fields but absent from app_feed_card is cleared; buttons follow the create rules',
    },
    handle({ query, body, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      if (!body.feed_cards?.length) throw fail(230001, 'feed_cards is required');
      const store = core.store;
      body.feed_cards.forEach((f, i) => {
        if (!f.app_feed_card.biz_id) throw fail(230001, `feed_cards[${i}].app_feed_card.biz_id is required: it names the card to update`);
        checkCard(store, app, f.app_feed_card, `feed_cards[${i}].app_feed_card`, new Set(f.update_fields));
      });
      const now = core.now();
      const failed_cards: Array<{ biz_id: string; user_id: string; reason: Reason }> = [];
      const seen = new Set<AppFeedCardRecord>();
      for (const f of body.feed_cards) {
        const bizId = f.app_feed_card.biz_id!;
        const user = store.reachableUser(app, idType, f.user_id);
        const rec = user && store.appFeedCard(app, user.open_id, bizId);
        const reason = !user ? NO_PERMISSION : !rec ? NOT_CREATED : seen.has(rec) ? DUPLICATE : null;
        if (reason || !rec) {
          failed_cards.push({ biz_id: bizId, user_id: f.user_id, reason: reason ?? NOT_CREATED });
          continue;
        }
        seen.add(rec);
        const given = fieldsOf(f.app_feed_card) as Record<string, unknown>;
        const target = rec.card as Record<string, unknown>;
        for (const code of f.update_fields) {
          const field = UPDATE_FIELDS[code];
          if (field) {
            if (given[field] === undefined) delete target[field];
            else target[field] = given[field];
          }
          if (code === '101') rec.display_time = now;
          if (code === '102') rec.sort_time = now;
          if (code === '103') {
            rec.notifications++;
            if (given.notify !== undefined) target.notify = given.notify;
          }
        }
        rec.update_time = now;
        store.feedChanged(rec.open_id);
      }
      return ok({ failed_cards });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/im/v2/app_feed_card/batch',
    title: '删除应用消息流卡片',
    tokens: ['tenant'],
    scopes: ['im:app_feed_card:write'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ feed_cards: s.optional(s.array(s.object({ biz_id: s.string(), user_id: s.string() }), { minItems: 1, maxItems: 20 })) }),
    errors: [230001],
    notes: 'Deletes 1 to 20 cards, each named by `biz_id` and `user_id`; a card the user does not have comes back in `failed_cards` with reason `"2"`.',
    coverage: { partial: 'the docs give no reason for a failed card: a card the user does not have is reason 2 (not created), a user the bot cannot reach reason 1' },
    handle({ query, body, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      if (!body.feed_cards?.length) throw fail(230001, 'feed_cards is required');
      const store = core.store;
      const failed_cards: Array<{ biz_id: string; user_id: string; reason: Reason }> = [];
      for (const f of body.feed_cards) {
        const user = store.reachableUser(app, idType, f.user_id);
        const rec = user && store.appFeedCard(app, user.open_id, f.biz_id);
        if (!rec) {
          failed_cards.push({ biz_id: f.biz_id, user_id: f.user_id, reason: user ? NOT_CREATED : NO_PERMISSION });
          continue;
        }
        store.deleteAppFeedCard(rec);
      }
      return ok({ failed_cards });
    },
  }),
];
