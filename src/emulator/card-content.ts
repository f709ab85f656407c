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
import { PlatformError } from './http.js';
import type { AppRecord, Store } from './store.js';

const TEXT_MAX_BYTES = 150 * 1024;

/** 230099 with the sub-code embedded the way the platform formats it. */
export function cardBuildError(subCode: number, errPath: string, errMsg: string, value?: string): PlatformError {
  const ext = `ErrCode: ${subCode}; ErrPath: ${errPath}; ErrMsg: ${errMsg};${value ? ` ErrorValue: ${value};` : ''} `;
  return new PlatformError(400, 230099, `Failed to create card content, ext=${ext}`);
}

export function tooLong(what: string, limitBytes: number, actual: number): PlatformError {
  return new PlatformError(400, 230025, `The message content is too long: ${what} is ${actual} bytes, the limit is ${limitBytes} bytes.`);
}

/** Cards that are exactly their message's content parsed: a store may keep the text alone. */
const INLINE = new WeakSet<object>();

export function isInlineCard(card: CardObject | null): boolean {
  return card !== null && INLINE.has(card);
}

/**
 * Resolves a card object (inline or template) to the card that renders, applying the
 * checks the platform makes when it builds card content.
 */
export function resolveCard(store: Store, app: AppRecord, obj: unknown): CardObject {
  if (!isObject(obj)) throw cardBuildError(200621, 'ROOT', 'parse card json err, please check whether the card json is correct', 'the card is not a JSON object');
  const content = classifyCardContent(obj);
  switch (content.kind) {
    case 'invalid':
      throw cardBuildError(200621, 'ROOT -> data', content.reason);
    case 'entity':
      throw new PlatformError(400, 230001, 'Your request contains an invalid request parameter: card entities (type "card") are not emulated.');
    case 'template': {
      const template = store.templates.get(content.templateId);
      if (!template) throw cardBuildError(200380, 'ROOT', 'template is not exist or not published', content.templateId);
      if (template.apps && !template.apps.has(app.app_id)) {
        throw cardBuildError(200381, 'ROOT', 'template is not visible to the app', content.templateId);
      }
      const version = content.versionName
        ? template.versions.find((v) => v.version_name === content.versionName)
        : template.versions[template.versions.length - 1];
      if (!version) throw cardBuildError(200380, 'ROOT', 'template version is not exist or not published', `${content.templateId}@${content.versionName}`);
      const specs = (version.variables ?? {}) as Record<string, VariableSpec>;
      try {
        checkVariableTypes(specs, content.variables);
      } catch (err) {
        if (err instanceof TemplateVariableError) throw cardBuildError(200732, `ROOT -> template_variable -> ${err.variable}`, 'variable type mismatch', err.message);
        throw err;
      }
      const card = renderTemplate(version.card, specs, content.variables);
      checkInlineCard(card);
      return card;
    }
    case 'inline':
      checkInlineCard(content.card);
      INLINE.add(content.card);
      return content.card;
  }
}

function checkInlineCard(card: CardObject): void {
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

/** Checks a message's `content` string for its msg_type; returns the rendered card for cards. */
export function checkMessageContent(store: Store, app: AppRecord, msgType: string, content: string): CardObject | null {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (msgType === 'interactive') {
    if (bytes > CARD_LIMITS.maxContentBytes) throw tooLong('the card', CARD_LIMITS.maxContentBytes, bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw cardBuildError(200621, 'ROOT', 'parse card json err, please check whether the card json is correct', (err as Error).message);
    }
    const card = resolveCard(store, app, parsed);
    // A template counts the template's own card data against the limit too.
    const renderedBytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    if (renderedBytes > CARD_LIMITS.maxContentBytes) throw tooLong('the rendered card', CARD_LIMITS.maxContentBytes, renderedBytes);
    return card;
  }
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
    return null;
  }
  if (msgType === 'post') {
    if (bytes > CARD_LIMITS.maxContentBytes) throw tooLong('the post', CARD_LIMITS.maxContentBytes, bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) throw new PlatformError(400, 230001, 'Your request contains an invalid request parameter: post content must be a JSON object.');
    return null;
  }
  throw new PlatformError(400, 230001, `Your request contains an invalid request parameter: msg_type "${msgType}" is not emulated (interactive, text and post are).`);
}
