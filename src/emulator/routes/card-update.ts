import { cardSchemaOf, isSharedCard } from '../../card/inspect.js';
import { resolveCard } from '../card-content.js';
import { enforceCardRules } from '../card-rules.js';
import type { Route } from '../core.js';
import { PlatformError } from '../http.js';
import { openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { userViewsOf } from '../store.js';

/** Callback card tokens: valid 30 minutes from the click, for 2 updates (Feishu's rule). */
export const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
export const CARD_TOKEN_MAX_USES = 2;

export const cardUpdateRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/interactive/v1/card/update',
    title: '延时更新消息卡片',
    tokens: ['tenant'],
    // The same scopes as PATCH: the delayed update is an update of a sent card.
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    body: s.object({ token: s.string({ minLength: 1 }), card: s.record(s.any()) }),
    errors: [10002, 11311, 100000, 200000, 200310, 200320, 200830, 300020, 300030, 300040, 300090, 230025, 230099],
    notes: 'The delayed update: `token` is the `c-…` card token a click carried, valid 30 minutes for 2 uses; `card` replaces the card the user clicked. `open_ids` is required for a non-shared 1.0 card and refused otherwise; a 2.0 card cannot become 1.0; the card is checked as a send checks it. Scopes as PATCH.',
    coverage: 'full',
    handle({ body, app, core }) {
      const store = core.store;
      if (!/^c-\S+$/.test(body.token)) throw fail(300020, 'a card token starts with "c-".');
      const record = store.cardTokens.get(body.token);
      if (!record) throw fail(300020, 'it was not issued by a card callback.');
      const now = core.now();
      if (now - record.issued_at > CARD_TOKEN_TTL_MS) throw fail(300030, 'a card token is valid for 30 minutes after the click.');
      if (record.uses >= CARD_TOKEN_MAX_USES) throw fail(300040, `it was used ${record.uses} times; a card token can update a card ${CARD_TOKEN_MAX_USES} times.`);
      if (record.app_id !== app.app_id) throw fail(200310);
      const message = store.messages.get(record.message_id);
      if (!message) throw fail(10002, `the message behind this token no longer exists.${store.droppedNote(record.message_id)}`);
      if (message.deleted) throw fail(200000);
      const { open_ids: openIds, ...cardWithoutTargets } = body.card;
      if (openIds !== undefined && (!Array.isArray(openIds) || !openIds.every((x) => typeof x === 'string'))) {
        throw fail(200320, 'open_ids must be an array of open_id strings.');
      }
      let card;
      try {
        card = resolveCard(store, app, cardWithoutTargets);
        if (core.settings.cardRules) enforceCardRules(card);
      } catch (err) {
        // This endpoint reports a card it cannot build as 11311 rather than 230099.
        if (err instanceof PlatformError && err.code === 230099) throw fail(11311, err.message);
        throw err;
      }
      const previous = message.versions[message.versions.length - 1]!.card;
      if (previous && cardSchemaOf(previous) === '2.0' && cardSchemaOf(card) !== '2.0') throw fail(200830);
      const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
      if (size > 30 * 1024) throw fail(100000, `the card is ${size} bytes.`);
      const shared = isSharedCard(card);
      if (!shared && !openIds) throw fail(300090);
      if ((shared || cardSchemaOf(card) === '2.0') && openIds) {
        throw fail(200320, 'open_ids must not be set for a shared card (config.update_multi true) or a JSON 2.0 card.');
      }
      record.uses++;
      const version = { content: JSON.stringify(cardWithoutTargets), card, at: now, via: 'card_update' as const };
      if (shared) {
        message.versions.push(version);
      } else {
        for (const openId of openIds as string[]) userViewsOf(message).set(openId, version);
      }
      message.updated = true;
      message.update_time = now;
      core.events.emit('update', message);
      return { body: { code: 0, msg: 'ok' } };
    },
  }),
];
