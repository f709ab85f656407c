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
  type Operation,
} from '../cardkit-store.js';
import type { EmulatorCore, Route, RouteResult } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail, type ErrorCode } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { jsonTooDeep, PlatformError } from '../http.js';
import { pageSize } from '../ring.js';
import type { AppRecord } from '../store.js';

/**
 * CardKit v1: card entities and streaming updates (reference/long-connection-cardkit.md §2).
 * Every operation on an entity runs through runOperation, which holds the shared rules.
 */

const WRITE = ['cardkit:card:write'] as const;
const READ = ['cardkit:card:read', 'cardkit:card:write'] as const;
const BASE = '/open-apis/cardkit/v1/cards';
const MAX_CONTENT_CHARS = 100_000;
/** A JSON document passed as a string field (element, elements, card data): at most this many characters. */
const MAX_DOCUMENT_CHARS = 1_000_000;

// Path parameters are 1–20 characters; CardKit answers a longer one with its own 10002, so the
// length is checked where the entity is looked up (entityFor) and by elementId, not by the schema.
const CARD = s.object({ card_id: s.string() });
const ELEMENT = s.object({ card_id: s.string(), element_id: s.string() });
/** Idempotency key of an operation. */
const UUID = s.optional(s.string({ minLength: 1, maxLength: 64 }));
/** One counter for every operation on a card; 0 is let through because the platform answers it with 300317. */
const SEQUENCE = s.integer({ minimum: 0, maximum: 2147483647 });

/** What looking up an entity may answer (entityFor). */
const ENTITY_CODES = [10002, 200740, 200750, 300311] as const satisfies readonly ErrorCode[];
/** What the shared operation rules may answer (runOperation): uuid conflict, sequence, a click in progress. */
const OPERATION_CODES = [200770, 300317, 200810] as const satisfies readonly ErrorCode[];
/**
 * What building or checking a whole card may answer: its JSON (10002; content nested past the
 * emulator's bound is refused as sending refuses it, 230099), the entity rules, and the card rules
 * send applies (200220).
 */
const CARD_CODES = [10002, 230099, 200220, 200860, 300301, 300302, 300303, 300305, 300307] as const satisfies readonly ErrorCode[];

/** A route's codes from the lists its steps answer, each once. */
const codes = (...lists: ReadonlyArray<readonly ErrorCode[]>): ErrorCode[] => [...new Set(lists.flat())];

/** The card rules send applies (card lint's errors), answered the way CardKit answers a card it cannot build. */
function checkRules(core: EmulatorCore, card: CardObject): void {
  if (core.settings.cardRules === false) return;
  platformBuild(() => (enforceCardRules(card), card));
}

/** What send answers as 230099 (a card it cannot build) CardKit answers as 200220, with the same reason. */
function platformBuild(build: () => CardObject): CardObject {
  try {
    return build();
  } catch (err) {
    if (err instanceof PlatformError && err.code === 230099) throw fail(200220, err.message.replace(/^Failed to create card content, ext=/, ''));
    throw err;
  }
}

/** Builds a card from card JSON or a template; what the platform cannot build is 200220. */
function buildCard(core: EmulatorCore, app: AppRecord, type: 'card_json' | 'template', data: string): CardObject {
  const parsed = parseJsonField('data', data);
  if (!isObject(parsed)) throw fail(300307, 'data must be a JSON object');
  let card: CardObject;
  if (type === 'template') {
    if (typeof parsed.template_id !== 'string' || !parsed.template_id) throw fail(10002, 'a template needs data.template_id');
    card = platformBuild(() => resolveCard(core.store, app, { type: 'template', data: parsed }));
  } else {
    // The entity's own rules come first: they name what is wrong more precisely.
    checkEntityCard(parsed);
    card = platformBuild(() => resolveCard(core.store, app, parsed));
  }
  checkEntityCard(card);
  checkRules(core, card);
  return structuredClone(card);
}

/** The element a call names: 1 to 20 characters. */
function elementId(id: string): string {
  if (id.length < 1 || id.length > 20) throw fail(10002, 'element_id must be 1 to 20 characters');
  return id;
}

/** Merges a settings document (`config`, `card_link`) into a card. */
function applySettings(card: CardObject, settings: unknown): void {
  if (!isObject(settings)) throw fail(10002, 'settings must be a JSON object with config and/or card_link');
  for (const key of Object.keys(settings)) {
    if (key !== 'config' && key !== 'card_link') throw fail(300122, `settings holds config and card_link only, not "${key}"`);
  }
  if (settings.config !== undefined) {
    if (!isObject(settings.config)) throw fail(300122, 'settings.config must be an object');
    card.config = { ...(isObject(card.config) ? card.config : {}), ...settings.config };
  }
  if (settings.card_link !== undefined) {
    if (!isObject(settings.card_link)) throw fail(300122, 'settings.card_link must be an object');
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
  if (size > CARD_LIMITS.maxContentBytes) throw fail(200860, `the settings are ${size} bytes, the limit is ${CARD_LIMITS.maxContentBytes}`);
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
        throw fail(200850, 'streaming mode closed itself 10 minutes after it was turned on. Turn it on again with settings, or stop.');
      }
      throw fail(300309, 'streaming text needs config.streaming_mode true (at create, or with settings)');
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
        throw fail(10002, `actions[${i}].action "${a.action}" is not one of partial_update_setting, add_elements, delete_elements, partial_update_element, update_element`);
    }
  }
}

/** `actions` is a JSON array inside a string: the body's schema cannot see into it. */
function parseActions(text: string): BatchAction[] {
  const value = parseJsonField('actions', text);
  if (!Array.isArray(value) || value.length === 0) throw fail(10002, 'actions must be a non-empty JSON array');
  return value.map((a, i) => {
    if (!isObject(a) || typeof a.action !== 'string' || !isObject(a.params)) throw fail(10002, `actions[${i}] must be {"action": "...", "params": {...}}`);
    return a as BatchAction;
  });
}

/** Runs one operation on an entity under the shared rules (uuid, sequence, clicks, rate) and answers success. */
async function operate(
  core: EmulatorCore,
  entity: CardEntity,
  op: Omit<Operation, 'uuid' | 'sequence'> & { body: { uuid?: string; sequence: number } },
  apply: (card: CardObject) => CardObject | void,
): Promise<RouteResult> {
  await runOperation(core, entity, { ...op, uuid: op.body.uuid, sequence: op.body.sequence }, apply);
  return ok();
}

/** The checks every operation that changes the card's elements ends with. */
function checkCard(core: EmulatorCore, card: CardObject): void {
  checkEntityCard(card);
  checkRules(core, card);
}

const ENTITY_WORK: Pick<Parameters<typeof openApi>[0], 'tokens' | 'scopes'> = { tokens: ['tenant'], scopes: WRITE };

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
  openApi({
    method: 'POST',
    path: `${BASE}/id_convert`,
    title: '转换 ID',
    tokens: ['tenant'],
    scopes: READ,
    body: s.object({ message_id: s.string({ minLength: 1 }) }),
    errors: [10002, 300311, 300303],
    notes: '`message_id` of a card message the app sent → its `card_id`: a 2.0 card sent inline becomes an entity bound to its message; a 1.0 card cannot.',
    coverage: { partial: 'a message id the bot cannot see is answered 10002 (the docs give no code for it)' },
    handle({ body, app, core }) {
      const message = core.store.messages.get(body.message_id);
      if (!message || message.deleted) throw fail(10002, `no message "${body.message_id}"`);
      if (message.app_id !== app.app_id) throw fail(300311, 'the message was sent by another app');
      if (message.msg_type !== 'interactive') throw fail(10002, `${body.message_id} is a ${message.msg_type} message, not a card`);
      let entity = entityOfMessage(core, body.message_id);
      if (!entity) {
        // A card sent inline becomes an entity bound to its message, as the platform converts it.
        const card = message.versions[message.versions.length - 1]!.card;
        if (!card || cardSchemaOf(card) !== '2.0') throw fail(300303, 'the message holds a JSON 1.0 card');
        entity = newEntity(core, app, structuredClone(card));
        bindMessage(core, entity, message);
      }
      return ok({ card_id: entity.card_id });
    },
  }),
  openApi({
    method: 'POST',
    path: BASE,
    title: '创建卡片实体',
    ...ENTITY_WORK,
    body: s.object({
      type: s.enum(['card_json', 'template']),
      data: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }),
    }),
    errors: codes(CARD_CODES),
    notes: 'An entity from `card_json` (JSON 2.0 only, shared only, not empty, at most 200 components, unique `element_id`s, at most 30 KB, and the card rules a send checks) or a `template`; answers a 19-digit `card_id`. Send it with `content` `{"type":"card","data":{"card_id"}}`, once, by the app that made it.',
    coverage: { partial: 'templates are the seed\'s: the emulator has no card builder to publish them, and takes any seeded template, not only builder cards of the new kind' },
    handle({ body, app, core }) {
      const entity = newEntity(core, app, buildCard(core, app, body.type, body.data));
      return ok({ card_id: entity.card_id });
    },
  }),
  openApi({
    method: 'PATCH',
    path: `${BASE}/:card_id/settings`,
    title: '更新卡片配置',
    ...ENTITY_WORK,
    params: CARD,
    body: s.object({ settings: s.string({ minLength: 1, maxLength: 100_000 }), uuid: UUID, sequence: SEQUENCE }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300122]),
    notes: '`config` and `card_link` of the entity; turning `streaming_mode` on starts 10 minutes of streaming. As every CardKit operation: the creating app only, a `sequence` that grows strictly over all operations on the card, a repeated `uuid` answers as the first time, no update while a click on the card is being answered, 10 operations a second per card; the entity lives 14 days.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const entity = entityFor(core, app, params.card_id);
      const settings = parseJsonField('settings', body.settings);
      return operate(core, entity, { kind: 'settings', body, turnsStreamingOn: turnsOn(settings) }, (card) => {
        applySettings(card, settings);
        checkSettingsCard(card, body.settings);
        checkRules(core, card);
      });
    },
  }),
  openApi({
    method: 'PUT',
    path: `${BASE}/:card_id`,
    title: '全量更新卡片实体',
    ...ENTITY_WORK,
    params: CARD,
    body: s.object({
      card: s.object({ type: s.enum(['card_json']), data: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }) }),
      uuid: UUID,
      sequence: SEQUENCE,
    }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES),
    notes: 'Replaces the whole card, checked as a new card is; the common CardKit rules (creating app, growing `sequence`, `uuid`, 14 days).',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const entity = entityFor(core, app, params.card_id);
      const next = buildCard(core, app, 'card_json', body.card.data);
      return operate(core, entity, { kind: 'update', body, turnsStreamingOn: streamingModeOf(next) }, () => next);
    },
  }),
  openApi({
    method: 'POST',
    path: `${BASE}/:card_id/batch_update`,
    title: '局部更新卡片实体',
    ...ENTITY_WORK,
    params: CARD,
    body: s.object({ actions: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }), uuid: UUID, sequence: SEQUENCE }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300122, 300315, 300314, 300313, 300312, 300121]),
    notes: '`actions` of `partial_update_setting`, `add_elements`, `delete_elements`, `partial_update_element` and `update_element`, applied all or none; the common CardKit rules.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const entity = entityFor(core, app, params.card_id);
      const actions = parseActions(body.actions);
      const on = actions.some((a) => a.action === 'partial_update_setting' && turnsOn(typeof a.params.settings === 'string' ? safeParse(a.params.settings) : a.params.settings));
      return operate(core, entity, { kind: 'batch_update', body, turnsStreamingOn: on }, (card) => {
        applyBatch(card, actions);
        checkCard(core, card);
      });
    },
  }),
  openApi({
    method: 'POST',
    path: `${BASE}/:card_id/elements`,
    title: '新增组件',
    ...ENTITY_WORK,
    params: CARD,
    body: s.object({
      type: s.enum(['insert_before', 'insert_after', 'append']),
      target_element_id: s.optional(s.string({ maxLength: 20 })),
      elements: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }),
      uuid: UUID,
      sequence: SEQUENCE,
    }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300315]),
    notes: 'Adds `elements` with `type` `insert_before`, `insert_after` or `append` relative to `target_element_id` (append puts them inside a container); the common CardKit rules.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const entity = entityFor(core, app, params.card_id);
      const elements = parseJsonField('elements', body.elements);
      return operate(core, entity, { kind: 'add_elements', body }, (card) => {
        addElements(card, body.type, body.target_element_id || undefined, elements);
        checkCard(core, card);
      });
    },
  }),
  openApi({
    method: 'PUT',
    path: `${BASE}/:card_id/elements/:element_id`,
    title: '更新组件',
    ...ENTITY_WORK,
    params: ELEMENT,
    body: s.object({ element: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }), uuid: UUID, sequence: SEQUENCE }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300121]),
    notes: 'Replaces the element found by `element_id` anywhere under `body`; the common CardKit rules.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const id = elementId(params.element_id);
      const entity = entityFor(core, app, params.card_id);
      const element = parseJsonField('element', body.element);
      return operate(core, entity, { kind: `update_element:${id}`, body }, (card) => {
        replaceElement(card, id, element);
        checkCard(core, card);
      });
    },
  }),
  openApi({
    method: 'PATCH',
    path: `${BASE}/:card_id/elements/:element_id`,
    title: '更新组件属性',
    ...ENTITY_WORK,
    params: ELEMENT,
    body: s.object({ partial_element: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_CHARS }), uuid: UUID, sequence: SEQUENCE }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300313, 300312]),
    notes: 'Changes the properties `partial_element` names; the `tag` cannot change; the common CardKit rules.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const id = elementId(params.element_id);
      const entity = entityFor(core, app, params.card_id);
      const partial = parseJsonField('partial_element', body.partial_element);
      return operate(core, entity, { kind: `patch_element:${id}`, body }, (card) => {
        patchElement(card, id, partial);
        checkCard(core, card);
      });
    },
  }),
  openApi({
    method: 'PUT',
    path: `${BASE}/:card_id/elements/:element_id/content`,
    title: '流式更新文本',
    ...ENTITY_WORK,
    params: ELEMENT,
    body: s.object({ content: s.string({ minLength: 1, maxLength: MAX_CONTENT_CHARS }), uuid: UUID, sequence: SEQUENCE }),
    // 200220: a card nested past the element walk's bound.
    errors: codes(ENTITY_CODES, OPERATION_CODES, [200220, 200850, 300309, 300310, 300313]),
    notes: 'Streams text (1 to 100,000 characters) into a `markdown` or `plain_text` element while `streaming_mode` is on; the first push after streaming closed itself (10 minutes after it was turned on) is told so once. The common CardKit rules.',
    coverage: { partial: 'on a card made from a template, plain_text elements take streamed text too (the platform: markdown only)' },
    handle({ params, body, app, core }) {
      const id = elementId(params.element_id);
      const entity = entityFor(core, app, params.card_id);
      return operate(core, entity, { kind: `content:${id}`, body }, streamText(entity, id, body.content));
    },
  }),
  openApi({
    method: 'DELETE',
    path: `${BASE}/:card_id/elements/:element_id`,
    title: '删除组件',
    ...ENTITY_WORK,
    params: ELEMENT,
    body: s.object({ uuid: UUID, sequence: SEQUENCE }),
    errors: codes(ENTITY_CODES, OPERATION_CODES, CARD_CODES, [300314]),
    notes: 'Deletes the element (a container with its children); the common CardKit rules.',
    coverage: 'full',
    handle({ params, body, app, core }) {
      const id = elementId(params.element_id);
      const entity = entityFor(core, app, params.card_id);
      return operate(core, entity, { kind: `delete_element:${id}`, body }, (card) => {
        deleteElements(card, [id]);
        checkCard(core, card);
      });
    },
  }),
];

function safeParse(text: string): unknown {
  if (jsonTooDeep(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function newEntity(core: EmulatorCore, app: AppRecord, card: CardObject): CardEntity {
  const now = core.now();
  const entity: CardEntity = {
    card_id: newCardId(),
    app_id: app.app_id,
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
  cardkitOf(core).add(entity);
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
