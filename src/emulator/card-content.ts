import {
  CARD_LIMITS,
  cardSchemaOf,
  classifyCardContent,
  countBodyElements,
  findRemovedV2Tags,
  isObject,
  type CardObject,
} from '../card/inspect.js';
import { checkVariableTypes, renderTemplate, TemplateVariableError, type VariableSpec } from '../card/template.js';
import { findImageRefs, isPlaceholder } from '../card/image-refs.js';
import { cardBuildError, PARSE_ERR_MSG, refuseDeepContent } from './card-errors.js';
import { enforceCardRules } from './card-rules.js';
import { cardSource, type CardSource } from '../card/check.js';

import { PlatformError } from './http.js';
import type { AppRecord, Store } from './store.js';
import { entityCardForSend, rejectBareCardId } from './cardkit-store.js';

const TEXT_MAX_BYTES = 150 * 1024;
const TEMPLATE_MISSING = 'template does not exist, please confirm whether this template has been released';

/** The platform's 230025 text, with what was measured after `ext=`. */
export function tooLong(what: string, limitBytes: number, actual: number): PlatformError {
  return new PlatformError(400, 230025, `The length of the message content reaches its limit, ext=${what} is ${actual} bytes, the limit is ${limitBytes} bytes`);
}

/** What a message's content turned out to be, once checked. */
export interface CheckedContent {
  /** The card that renders, for cards; null for the other message types. */
  card: CardObject | null;
  /** The card is exactly the content parsed (not a template or entity): a store may keep the text alone. */
  inline: boolean;
}

const NOT_A_CARD: CheckedContent = { card: null, inline: false };

/**
 * Resolves a card object (inline or template) to the card that renders, applying the
 * checks the platform makes when it builds card content.
 */
export function resolveCard(store: Store, app: AppRecord, obj: unknown): CardObject {
  if (!isObject(obj)) throw cardBuildError(200621, null, PARSE_ERR_MSG, 'the card is not a JSON object');
  const content = classifyCardContent(obj);
  switch (content.kind) {
    case 'invalid':
      throw cardBuildError(200621, null, PARSE_ERR_MSG, content.reason);
    case 'entity':
      return entityCardForSend(store, app, content.cardId);
    case 'template': {
      const template = store.templates.get(content.templateId);
      if (!template) throw cardBuildError(200380, null, TEMPLATE_MISSING, `templateID: ${content.templateId}`);
      if (template.apps && !template.apps.has(app.app_id)) {
        throw cardBuildError(200381, null, 'template is not visible to app, please confirm whether the app is allowed to use this template', `${app.app_id}, templateID: ${content.templateId}`);
      }
      const version = content.versionName
        ? template.versions.find((v) => v.version_name === content.versionName)
        : template.versions[template.versions.length - 1];
      if (!version) throw cardBuildError(200380, null, TEMPLATE_MISSING, `templateID: ${content.templateId}, template_version_name: ${content.versionName}`);
      const specs = (version.variables ?? {}) as Record<string, VariableSpec>;
      try {
        checkVariableTypes(specs, content.variables);
      } catch (err) {
        if (err instanceof TemplateVariableError) {
          throw cardBuildError(
            200732,
            null,
            'the actual type of the variable is inconsistent with the specified type in the template. Please check the type of the variable',
            `${err.variable}, specifiedType: ${err.expected}, actualType: ${err.actual}`,
          );
        }
        throw err;
      }
      const card = renderTemplate(version.card, specs, content.variables);
      checkInlineCard(store, app, card);
      return card;
    }
    case 'inline':
      rejectBareCardId(content.card);
      checkInlineCard(store, app, content.card);
      return content.card;
  }
}

/** The platform builds a card only from image keys the sending app uploaded (or that exist for it). */
function checkImageKeys(store: Store, app: AppRecord, card: CardObject): void {
  for (const ref of findImageRefs(card)) {
    if (isPlaceholder(ref.value) || store.media.usableImage(ref.value, app.app_id)) continue;
    // A URL in a markdown image is not a key: the docs do not say the platform refuses it, and no client loads it.
    if (ref.kind === 'markdown' && /^[a-z][a-z0-9+.-]*:/i.test(ref.value)) continue;
    const errPath = `ROOT${ref.pointer.split('/').slice(1).map((p) => ` -> ${p}`).join('')}`;
    throw cardBuildError(200570, errPath, 'card contains invalid image keys', ref.value.slice(0, 200));
  }
}

function checkInlineCard(store: Store, app: AppRecord, card: CardObject): void {
  checkImageKeys(store, app, card);
  if (cardSchemaOf(card) !== '2.0') return;
  const removed = findRemovedV2Tags(card);
  if (removed.length) {
    const first = removed[0]!;
    throw cardBuildError(200861, first.errPath, 'cards of schema V2 no longer support this capability', `unsupported tag ${first.tag}`);
  }
  const count = countBodyElements(card);
  if (count > CARD_LIMITS.maxElementsV2) {
    throw cardBuildError(11310, 'ROOT -> body', 'element exceeds the limit', `${count} elements, the limit is ${CARD_LIMITS.maxElementsV2}`);
  }
}

/**
 * checkContent, then the lint rules the platform enforces on the card that renders:
 * every route that takes card content (send, reply, PATCH, ephemeral, batch send) goes through here.
 */
export function checkContentWithRules(store: Store, app: AppRecord, msgType: string, content: string, rules = true): CheckedContent {
  const checked = checkContent(store, app, msgType, content);
  if (checked.card && rules) enforceCardRules(checked.card, checked.source);
  return checked;
}

/** resolveCard for card objects (not strings), then the same rules. */
export function resolveCardWithRules(store: Store, app: AppRecord, obj: unknown, rules = true): CardObject {
  const card = resolveCard(store, app, obj);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > CARD_LIMITS.maxContentBytes) throw tooLong('the card', CARD_LIMITS.maxContentBytes, bytes);
  if (rules) enforceCardRules(card, { bytes });
  return card;
}

/**
 * Checks a message's `content` string for its msg_type. For cards it returns the card that renders,
 * whether that is the content itself, and what its JSON text showed (size, depth, placeholders: the
 * content as sent, or the size of the rendered template), so the rules need not find them again.
 */
function checkContent(store: Store, app: AppRecord, msgType: string, content: string): CheckedContent & { source?: CardSource } {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (msgType === 'interactive') {
    if (bytes > CARD_LIMITS.maxContentBytes) throw tooLong('the card', CARD_LIMITS.maxContentBytes, bytes);
    const source = cardSource(content, bytes);
    // Past the lint's depth limit the rules refuse it; far past it, it is refused unparsed.
    if (!source.shallow) refuseDeepContent(content);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw cardBuildError(200621, null, PARSE_ERR_MSG, (err as Error).message);
    }
    const card = resolveCard(store, app, parsed);
    if (card === parsed) return { card, inline: true, source };
    // A template counts the template's own card data against the limit too (an inline card was counted above).
    const renderedBytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    if (renderedBytes > CARD_LIMITS.maxContentBytes) throw tooLong('the rendered card', CARD_LIMITS.maxContentBytes, renderedBytes);
    return { card, inline: false, source: { bytes: renderedBytes } };
  }
  checkOtherContent(store, app, msgType, content, bytes);
  return NOT_A_CARD;
}

/** Text, post, image and file content: refused or let through, nothing to keep. */
function checkOtherContent(store: Store, app: AppRecord, msgType: string, content: string, bytes: number): void {
  if (msgType === 'text') {
    if (bytes > TEXT_MAX_BYTES) throw tooLong('the text', TEXT_MAX_BYTES, bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed) || typeof parsed.text !== 'string') {
      throw new PlatformError(400, 230001, 'Your request contains an invalid request parameter: text content must be {"text": "..."}.');
    }
    return;
  }
  if (msgType === 'post') {
    if (bytes > CARD_LIMITS.maxContentBytes) throw tooLong('the post', CARD_LIMITS.maxContentBytes, bytes);
    refuseDeepContent(content);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) throw new PlatformError(400, 230001, 'Your request contains an invalid request parameter: post content must be a JSON object.');
    return;
  }
  if (msgType === 'image' || msgType === 'file') {
    const field = msgType === 'image' ? 'image_key' : 'file_key';
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    const key = isObject(parsed) ? parsed[field] : undefined;
    if (typeof key !== 'string') throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: ${msgType} content must be {"${field}": "..."}.`);
    const m = store.media.get(key);
    if (!m || m.kind !== msgType || (m.app_id !== null && m.app_id !== app.app_id)) {
      throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: ${field} ${key} was not uploaded by this app.`);
    }
    return;
  }
  throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: msg_type "${msgType}" is not emulated (interactive, text, post, image and file are).`);
}
