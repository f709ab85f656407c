import { cardSchemaOf, isSharedCard } from '../../card/inspect.js';
import { resolveCard } from '../card-content.js';
import { enforceCardRules } from '../card-rules.js';
import type { Route } from '../core.js';
import { PlatformError } from '../http.js';
import { checkFields, objectBody } from '../validate.js';
import { userViewsOf } from '../store.js';

/** Callback card tokens: valid 30 minutes from the click, for 2 updates (Feishu's rule). */
export const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
export const CARD_TOKEN_MAX_USES = 2;

export const cardUpdateRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/interactive/v1/card/update',
    auth: 'tenant',
    // The same scopes as PATCH: the delayed update is an update of a sent card.
    scopes: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
    async handle(ctx) {
      const { core, app } = ctx;
      const store = core.store;
      const body = checkFields<{ token: string; card: unknown }>(objectBody(ctx.body), {
        token: { type: 'string', required: true },
        card: { type: 'object', required: true },
      });
      if (!/^c-\S+$/.test(body.token)) throw new PlatformError(400, 300020, 'token format is invalid: a card token starts with "c-".');
      const record = store.cardTokens.get(body.token);
      if (!record) throw new PlatformError(400, 300020, 'token is invalid: it was not issued by a card callback.');
      const now = core.now();
      if (now - record.issued_at > CARD_TOKEN_TTL_MS) throw new PlatformError(400, 300030, 'token is expired: a card token is valid for 30 minutes after the click.');
      if (record.uses >= CARD_TOKEN_MAX_USES) throw new PlatformError(400, 300040, `token has been used ${record.uses} times; a card token can update a card ${CARD_TOKEN_MAX_USES} times.`);
      if (record.app_id !== app.app_id) throw new PlatformError(400, 200310, 'The card was sent by another app.');
      const message = store.messages.get(record.message_id);
      if (!message) throw new PlatformError(400, 10002, `card param invalid: the message behind this token no longer exists.${store.droppedNote(record.message_id)}`);
      if (message.deleted) throw new PlatformError(400, 200000, 'The message was recalled.');
      const cardObj = body.card as Record<string, unknown>;
      const { open_ids: openIds, ...cardWithoutTargets } = cardObj;
      if (openIds !== undefined && (!Array.isArray(openIds) || !openIds.every((x) => typeof x === 'string'))) {
        throw new PlatformError(400, 200320, 'open_ids must be an array of open_id strings.');
      }
      let card;
      try {
        card = resolveCard(store, app, cardWithoutTargets);
        if (core.settings.cardRules) enforceCardRules(card);
      } catch (err) {
        // This endpoint reports a card it cannot build as 11311 rather than 230099.
        if (err instanceof PlatformError && err.code === 230099) throw new PlatformError(400, 11311, `invalid card format: ${err.message}`);
        throw err;
      }
      const previous = message.versions[message.versions.length - 1]!.card;
      if (previous && cardSchemaOf(previous) === '2.0' && cardSchemaOf(card) !== '2.0') {
        throw new PlatformError(400, 200830, 'A JSON 2.0 card cannot be updated to a JSON 1.0 card.');
      }
      const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
      if (size > 30 * 1024) throw new PlatformError(400, 100000, `card content is ${size} bytes, more than the 30 KB limit.`);
      const shared = isSharedCard(card);
      if (!shared && !openIds) throw new PlatformError(400, 300090, 'a non-shared card (config.update_multi false) needs card.open_ids: the users whose view is updated.');
      if ((shared || cardSchemaOf(card) === '2.0') && openIds) {
        throw new PlatformError(400, 200320, 'open_ids must not be set for a shared card (config.update_multi true) or a JSON 2.0 card.');
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
  },
];
