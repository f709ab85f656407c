import { CARD_LIMITS, cardSchemaOf, isObject, type CardObject } from '../../card/inspect.js';
import { resolveCard } from '../card-content.js';
import { enforceCardRules } from '../card-rules.js';
import {
  addElements,
  checkEntityCard,
  deleteElements,
  parseJsonField,
  patchElement,
  replaceElement,
  setElementText,
} from '../cardkit-elements.js';
import {
  bindMessage,
  cardkitOf,
  entityFor,
  entityOfMessage,
  newCardId,
  recordText,
  runOperation,
  streamingModeOf,
  type CardEntity,
} from '../cardkit-store.js';
import type { Route, RouteContext } from '../core.js';
import { jsonTooDeep, PlatformError } from '../http.js';
import { pageSize } from '../ring.js';
import { checkFields, objectBody } from '../validate.js';

/**
 * CardKit v1: card entities and streaming updates (reference/long-connection-cardkit.md §2).
 * Every operation on an entity runs through runOperation, which holds the shared rules.
 */

const WRITE = ['cardkit:card:write'] as const;
const READ = ['cardkit:card:read', 'cardkit:card:write'] as const;
const BASE = '/open-apis/cardkit/v1/cards';
const MAX_CONTENT_CHARS = 100_000;

/** The card rules send applies (card lint's errors), answered the way CardKit answers a card it cannot build. */
async function checkRules(ctx: RouteContext, card: CardObject): Promise<void> {
  if (ctx.core.settings.cardRules === false) return;
  try {
    enforceCardRules(card);
  } catch (err) {
    if (err instanceof PlatformError && err.code === 230099) throw new PlatformError(400, 200220, err.message.replace('Failed to create card content', 'Failed to generate card content'));
    throw err;
  }
}

/** Builds a card from card JSON or a template; what the platform cannot build is 200220. */
async function buildCard(ctx: RouteContext, type: string, data: string): Promise<CardObject> {
  const parsed = parseJsonField('data', data);
  if (!isObject(parsed)) throw new PlatformError(400, 300307, 'The card DSL is empty: data must be a JSON object.');
  let card: CardObject;
  if (type === 'template') {
    if (typeof parsed.template_id !== 'string' || !parsed.template_id) throw new PlatformError(400, 10002, 'invalid request parameter: a template needs data.template_id.');
    card = platformBuild(() => resolveCard(ctx.core.store, ctx.app, { type: 'template', data: parsed }));
  } else {
    // The entity's own rules come first: they name what is wrong more precisely.
    checkEntityCard(parsed);
    card = platformBuild(() => resolveCard(ctx.core.store, ctx.app, parsed));
  }
  checkEntityCard(card);
  await checkRules(ctx, card);
  return structuredClone(card);
}

function platformBuild(build: () => CardObject): CardObject {
  try {
    return build();
  } catch (err) {
    if (err instanceof PlatformError && err.code === 230099) throw new PlatformError(400, 200220, err.message.replace('Failed to create card content', 'Failed to generate card content'));
    throw err;
  }
}

function body(ctx: RouteContext) {
  return objectBody(ctx.body);
}

function sequenced<T>(ctx: RouteContext, rules: Parameters<typeof checkFields>[1]): T & { uuid?: string; sequence: number } {
  return checkFields(body(ctx), { ...rules, uuid: { type: 'string' }, sequence: { type: 'number', required: true } });
}

function elementParam(ctx: RouteContext): string {
  const id = ctx.params.element_id!;
  if (id.length < 1 || id.length > 20) throw new PlatformError(400, 10002, 'invalid request parameter: element_id must be 1 to 20 characters.');
  return id;
}

/** Merges a settings document (`config`, `card_link`) into a card. */
function applySettings(card: CardObject, settings: unknown): void {
  if (!isObject(settings)) throw new PlatformError(400, 10002, 'invalid request parameter: settings must be a JSON object with config and/or card_link.');
  for (const key of Object.keys(settings)) {
    if (key !== 'config' && key !== 'card_link') throw new PlatformError(400, 300122, `Failed to update card configuration: settings holds config and card_link only, not "${key}".`);
  }
  if (settings.config !== undefined) {
    if (!isObject(settings.config)) throw new PlatformError(400, 300122, 'Failed to update card configuration: settings.config must be an object.');
    card.config = { ...(isObject(card.config) ? card.config : {}), ...settings.config };
  }
  if (settings.card_link !== undefined) {
    if (!isObject(settings.card_link)) throw new PlatformError(400, 300122, 'Failed to update card configuration: settings.card_link must be an object.');
    card.card_link = settings.card_link;
  }
}

/**
 * The settings call changes config and card_link only, and its 30 KB rule (200860) measures what
 * it is given, not the card: text streamed into an element has its own bound (100,000 characters
 * per element, on the content call), and a card that grew past 30 KB by streaming must still be
 * able to close streaming mode, as it can on the platform. The card's other rules still apply.
 */
function checkSettingsCard(card: CardObject, settingsText: string): void {
  const size = Buffer.byteLength(settingsText, 'utf8');
  if (size > CARD_LIMITS.maxContentBytes) throw new PlatformError(400, 200860, `Card content exceeds limit: the settings are ${size} bytes, the limit is ${CARD_LIMITS.maxContentBytes}.`);
  try {
    checkEntityCard(card);
  } catch (err) {
    // The whole card's size is the one entity rule settings does not measure (it is checked last).
    if (!(err instanceof PlatformError && err.code === 200860)) throw err;
  }
}

const turnsOn = (settings: unknown) => isObject(settings) && isObject(settings.config) && settings.config.streaming_mode === true;

function streamText(entity: CardEntity, elementId: string, content: string) {
  return (card: CardObject) => {
    if (!streamingModeOf(entity.card)) {
      if (entity.timed_out) {
        // Said once; after that the card is simply closed.
        entity.timed_out = false;
        throw new PlatformError(400, 200850, 'Card streaming timeout: streaming mode closed itself 10 minutes after it was turned on. Turn it on again with settings, or stop.');
      }
      throw new PlatformError(400, 300309, 'Card streaming closed: streaming text needs config.streaming_mode true (at create, or with settings).');
    }
    setElementText(card, elementId, content);
    recordText(entity, elementId);
    return card;
  };
}

type BatchAction = { action: string; params: Record<string, unknown> };

function applyBatch(card: CardObject, actions: BatchAction[]): void {
  for (const [i, a] of actions.entries()) {
    const p = a.params;
    switch (a.action) {
      case 'partial_update_setting':
        applySettings(card, typeof p.settings === 'string' ? parseJsonField(`actions[${i}].params.settings`, p.settings) : p.settings);
        break;
      case 'add_elements':
        addElements(card, typeof p.type === 'string' ? p.type : 'append', p.target_element_id as string | undefined, p.elements);
        break;
      case 'delete_elements':
        deleteElements(card, p.element_ids);
        break;
      case 'partial_update_element':
        patchElement(card, String(p.element_id), p.partial_element);
        break;
      case 'update_element':
        replaceElement(card, String(p.element_id), p.element);
        break;
      default:
        throw new PlatformError(400, 10002, `invalid request parameter: actions[${i}].action "${a.action}" is not one of partial_update_setting, add_elements, delete_elements, partial_update_element, update_element.`);
    }
  }
}

function parseActions(text: string): BatchAction[] {
  const value = parseJsonField('actions', text);
  if (!Array.isArray(value) || value.length === 0) throw new PlatformError(400, 10002, 'invalid request parameter: actions must be a non-empty JSON array.');
  return value.map((a, i) => {
    if (!isObject(a) || typeof a.action !== 'string' || !isObject(a.params)) {
      throw new PlatformError(400, 10002, `invalid request parameter: actions[${i}] must be {"action": "...", "params": {...}}.`);
    }
    return a as BatchAction;
  });
}

const ADD_TYPES = ['insert_before', 'insert_after', 'append'];

export const cardkitRoutes: Route[] = [
  {
    // The emulator's own view, for tests and the inbox: entities with their streaming state.
    method: 'GET',
    pattern: '/_emulator/cardkit/cards',
    auth: 'none',
    handle(ctx) {
      // Paged as every /_emulator/ list: page_token is the last card_id of the page before. Only
      // the oldest entities are ever dropped, so a token whose entity is gone means all kept come after it.
      const entities = cardkitOf(ctx.core).entities;
      const token = ctx.query.get('page_token');
      const size = pageSize(ctx.query);
      let started = !token || !entities.has(token);
      const cards = [];
      let hasMore = false;
      for (const entity of entities.values()) {
        if (!started) {
          started = entity.card_id === token;
          continue;
        }
        if (cards.length === size) {
          hasMore = true;
          break;
        }
        cards.push(entityView(entity));
      }
      return { body: { code: 0, msg: 'success', data: { cards, has_more: hasMore, page_token: hasMore ? cards[cards.length - 1]!.card_id : null } } };
    },
  },
  {
    method: 'POST',
    pattern: `${BASE}/id_convert`,
    auth: 'tenant',
    scopes: READ,
    async handle(ctx) {
      const { message_id: messageId } = checkFields<{ message_id: string }>(body(ctx), { message_id: { type: 'string', required: true } });
      const message = ctx.core.store.messages.get(messageId);
      if (!message || message.deleted) throw new PlatformError(400, 10002, `invalid request parameter: no message "${messageId}".`);
      if (message.app_id !== ctx.app.app_id) throw new PlatformError(400, 300311, 'app has no permission to use this card: the message was sent by another app.');
      if (message.msg_type !== 'interactive') throw new PlatformError(400, 10002, `invalid request parameter: ${messageId} is a ${message.msg_type} message, not a card.`);
      let entity = entityOfMessage(ctx.core, messageId);
      if (!entity) {
        // A card sent inline becomes an entity bound to its message, as the platform converts it.
        const card = message.versions[message.versions.length - 1]!.card;
        if (!card || cardSchemaOf(card) !== '2.0') throw new PlatformError(400, 300303, 'Only schema 2.0 is supported: the message holds a JSON 1.0 card.');
        entity = newEntity(ctx, structuredClone(card));
        bindMessage(ctx.core, entity, message);
      }
      return { body: { code: 0, msg: 'success', data: { card_id: entity.card_id } } };
    },
  },
  {
    method: 'POST',
    pattern: BASE,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = checkFields<{ type: string; data: string }>(body(ctx), {
        type: { type: 'string', required: true, maxLength: 50 },
        data: { type: 'string', required: true },
      });
      if (b.type !== 'card_json' && b.type !== 'template') throw new PlatformError(400, 10002, `invalid request parameter: type must be card_json or template, not "${b.type}".`);
      const entity = newEntity(ctx, await buildCard(ctx, b.type, b.data));
      return { body: { code: 0, msg: 'success', data: { card_id: entity.card_id } } };
    },
  },
  {
    method: 'PATCH',
    pattern: `${BASE}/:card_id/settings`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ settings: string }>(ctx, { settings: { type: 'string', required: true, maxLength: 100_000 } });
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const settings = parseJsonField('settings', b.settings);
      return {
        body: await runOperation(ctx.core, entity, { kind: 'settings', body: b, uuid: b.uuid, sequence: b.sequence, turnsStreamingOn: turnsOn(settings) }, async (card) => {
          applySettings(card, settings);
          checkSettingsCard(card, b.settings);
          await checkRules(ctx, card);
        }),
      };
    },
  },
  {
    method: 'PUT',
    pattern: `${BASE}/:card_id`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ card: { type?: unknown; data?: unknown } }>(ctx, { card: { type: 'object', required: true } });
      if (b.card.type !== 'card_json' || typeof b.card.data !== 'string') throw new PlatformError(400, 10002, 'invalid request parameter: card must be {"type": "card_json", "data": "<card JSON>"}.');
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const next = await buildCard(ctx, 'card_json', b.card.data);
      return { body: await runOperation(ctx.core, entity, { kind: 'update', body: b, uuid: b.uuid, sequence: b.sequence, turnsStreamingOn: streamingModeOf(next) }, () => next) };
    },
  },
  {
    method: 'POST',
    pattern: `${BASE}/:card_id/batch_update`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ actions: string }>(ctx, { actions: { type: 'string', required: true } });
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const actions = parseActions(b.actions);
      const on = actions.some((a) => a.action === 'partial_update_setting' && turnsOn(typeof a.params.settings === 'string' ? safeParse(a.params.settings) : a.params.settings));
      return {
        body: await runOperation(ctx.core, entity, { kind: 'batch_update', body: b, uuid: b.uuid, sequence: b.sequence, turnsStreamingOn: on }, async (card) => {
          applyBatch(card, actions);
          checkEntityCard(card);
          await checkRules(ctx, card);
        }),
      };
    },
  },
  {
    method: 'POST',
    pattern: `${BASE}/:card_id/elements`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ type: string; target_element_id?: string; elements: string }>(ctx, {
        type: { type: 'string', required: true },
        target_element_id: { type: 'string' },
        elements: { type: 'string', required: true, maxLength: 1_000_000 },
      });
      if (!ADD_TYPES.includes(b.type)) throw new PlatformError(400, 10002, `invalid request parameter: type must be one of ${ADD_TYPES.join(', ')}.`);
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const elements = parseJsonField('elements', b.elements);
      return {
        body: await runOperation(ctx.core, entity, { kind: 'add_elements', body: b, uuid: b.uuid, sequence: b.sequence }, async (card) => {
          addElements(card, b.type, b.target_element_id || undefined, elements);
          checkEntityCard(card);
          await checkRules(ctx, card);
        }),
      };
    },
  },
  {
    method: 'PUT',
    pattern: `${BASE}/:card_id/elements/:element_id`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ element: string }>(ctx, { element: { type: 'string', required: true, maxLength: 1_000_000 } });
      const id = elementParam(ctx);
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const element = parseJsonField('element', b.element);
      return {
        body: await runOperation(ctx.core, entity, { kind: `update_element:${id}`, body: b, uuid: b.uuid, sequence: b.sequence }, async (card) => {
          replaceElement(card, id, element);
          checkEntityCard(card);
          await checkRules(ctx, card);
        }),
      };
    },
  },
  {
    method: 'PATCH',
    pattern: `${BASE}/:card_id/elements/:element_id`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ partial_element: string }>(ctx, { partial_element: { type: 'string', required: true, maxLength: 1_000_000 } });
      const id = elementParam(ctx);
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      const partial = parseJsonField('partial_element', b.partial_element);
      return {
        body: await runOperation(ctx.core, entity, { kind: `patch_element:${id}`, body: b, uuid: b.uuid, sequence: b.sequence }, async (card) => {
          patchElement(card, id, partial);
          checkEntityCard(card);
          await checkRules(ctx, card);
        }),
      };
    },
  },
  {
    method: 'PUT',
    pattern: `${BASE}/:card_id/elements/:element_id/content`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<{ content: string }>(ctx, { content: { type: 'string', required: true, maxLength: MAX_CONTENT_CHARS } });
      const id = elementParam(ctx);
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      return { body: await runOperation(ctx.core, entity, { kind: `content:${id}`, body: b, uuid: b.uuid, sequence: b.sequence }, streamText(entity, id, b.content)) };
    },
  },
  {
    method: 'DELETE',
    pattern: `${BASE}/:card_id/elements/:element_id`,
    auth: 'tenant',
    scopes: WRITE,
    async handle(ctx) {
      const b = sequenced<Record<string, never>>(ctx, {});
      const id = elementParam(ctx);
      const entity = entityFor(ctx.core, ctx.app, ctx.params.card_id!);
      return {
        body: await runOperation(ctx.core, entity, { kind: `delete_element:${id}`, body: b, uuid: b.uuid, sequence: b.sequence }, async (card) => {
          deleteElements(card, [id]);
          checkEntityCard(card);
          await checkRules(ctx, card);
        }),
      };
    },
  },
];

function safeParse(text: string): unknown {
  if (jsonTooDeep(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function newEntity(ctx: RouteContext, card: CardObject): CardEntity {
  const now = ctx.core.now();
  const entity: CardEntity = {
    card_id: newCardId(),
    app_id: ctx.app.app_id,
    card,
    created_at: now,
    sequence: 0,
    uuids: new Map(),
    message_id: null,
    streaming_since: streamingModeOf(card) ? now : null,
    timed_out: false,
    streamed_elements: new Set(),
    bytes: 0,
    window: { start: 0, count: 0 },
    lock: Promise.resolve(),
  };
  cardkitOf(ctx.core).add(entity);
  return entity;
}

/** For the emulator's own API and the inbox: an entity as JSON. */
export function entityView(entity: CardEntity) {
  return {
    card_id: entity.card_id,
    app_id: entity.app_id,
    message_id: entity.message_id,
    created_at: entity.created_at,
    sequence: entity.sequence,
    streaming_mode: streamingModeOf(entity.card),
    streaming_since: entity.streaming_since,
    card: entity.card,
  };
}
