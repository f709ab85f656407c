import { cardSchemaOf, isObject } from '../card/inspect.js';
import type { Fixture } from './fixtures.js';

export interface Problem {
  /** JSON path into the answer ($ for the answer as a whole). */
  path: string;
  message: string;
}

export interface AnswerInput {
  fixture: Fixture;
  status: number;
  location: string | null;
  bodyText: string;
  ms: number;
  budgetMs: number;
  challenge: string | null;
  /** An empty answer fails even where the platform accepts it (CI: a handler that rejected the signature answers empty). */
  strict?: boolean;
}

export interface AnswerCheck {
  problems: Problem[];
  /** Things worth knowing that break no rule. */
  notes: string[];
  /** The parsed answer, or null when it is not JSON. */
  answer: unknown;
}

export const TOAST_TYPES = ['info', 'success', 'error', 'warning'];
export const TOAST_LOCALES = ['zh_cn', 'en_us', 'zh_hk', 'zh_tw', 'ja_jp', 'id_id', 'vi_vn', 'th_th', 'pt_br', 'es_es', 'ko_kr', 'de_de', 'fr_fr', 'it_it', 'ru_ru', 'ms_my'];
const LEGACY_CARD_KEYS = ['config', 'header', 'elements', 'i18n_elements', 'i18n_header', 'card_link', 'fallback'];

/** The budget the platform gives each kind of request. */
export function defaultBudgetMs(fixture: Fixture): number {
  return fixture.format === 'url_verification' ? 1000 : 3000;
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function checkToast(toast: unknown, path: string, problems: Problem[]): void {
  if (!isObject(toast)) {
    problems.push({ path, message: `toast must be an object, not ${typeName(toast)}` });
    return;
  }
  for (const key of Object.keys(toast)) {
    if (!['type', 'content', 'i18n'].includes(key)) problems.push({ path: `${path}.${key}`, message: 'unknown key: a toast holds type, content and i18n' });
  }
  if (!TOAST_TYPES.includes(toast.type as string)) {
    problems.push({ path: `${path}.type`, message: `${JSON.stringify(toast.type)} is not a toast type; use one of ${TOAST_TYPES.join(', ')}` });
  }
  if (toast.content === undefined && toast.i18n === undefined) problems.push({ path, message: 'a toast needs content or i18n' });
  if (toast.content !== undefined && typeof toast.content !== 'string') problems.push({ path: `${path}.content`, message: `must be a string, not ${typeName(toast.content)}` });
  if (toast.i18n !== undefined) {
    if (!isObject(toast.i18n)) problems.push({ path: `${path}.i18n`, message: `must be an object of locale: text, not ${typeName(toast.i18n)}` });
    else
      for (const [locale, text] of Object.entries(toast.i18n)) {
        if (!TOAST_LOCALES.includes(locale)) problems.push({ path: `${path}.i18n.${locale}`, message: `unknown locale; use one of ${TOAST_LOCALES.join(', ')}` });
        else if (typeof text !== 'string') problems.push({ path: `${path}.i18n.${locale}`, message: `must be a string, not ${typeName(text)}` });
      }
  }
}

/** Shape and version of a returned card; `card lint`'s rules are applied to it by the replay. */
export function checkReturnedCard(card: unknown, path: string, sentSchema: '1.0' | '2.0' | null, problems: Problem[]): void {
  if (!isObject(card)) {
    problems.push({ path, message: `a card must be a JSON object, not ${typeName(card)}` });
    return;
  }
  if (sentSchema === '2.0' && cardSchemaOf(card) !== '2.0') {
    problems.push({ path, message: 'the clicked card is JSON 2.0 and an answer cannot turn it into a 1.0 card (client error 200830): set "schema": "2.0"' });
  }
}

/** Where the answer carries a card, and the JSON path it sits at. */
export function returnedCard(answer: unknown, format: Fixture['format']): { card: Record<string, unknown>; path: string } | null {
  if (!isObject(answer)) return null;
  // A link preview's card: url.preview.get answers {card: {type: "card_json", data}}.
  if (format === 'url.preview.get' && isObject(answer.card) && answer.card.type === 'card_json' && isObject(answer.card.data)) {
    return { card: answer.card.data, path: '$.card.data' };
  }
  if (format === 'card.action.trigger' && isObject(answer.card) && answer.card.type === 'raw' && isObject(answer.card.data)) {
    return { card: answer.card.data, path: '$.card.data' };
  }
  if (format === 'card.action.trigger_v1' && Object.keys(answer).some((k) => LEGACY_CARD_KEYS.includes(k))) {
    const { toast: _toast, ...card } = answer;
    return { card, path: '$' };
  }
  return null;
}

export function checkTemplateData(data: unknown, path: string, problems: Problem[]): void {
  if (!isObject(data)) {
    problems.push({ path, message: `template data must be an object, not ${typeName(data)}` });
    return;
  }
  if (typeof data.template_id !== 'string' || !data.template_id) problems.push({ path: `${path}.template_id`, message: 'a template answer needs template_id' });
  if (data.template_version_name !== undefined && typeof data.template_version_name !== 'string') {
    problems.push({ path: `${path}.template_version_name`, message: `must be a string, not ${typeName(data.template_version_name)}` });
  }
  if (data.template_variable !== undefined && !isObject(data.template_variable)) {
    problems.push({ path: `${path}.template_variable`, message: `must be an object, not ${typeName(data.template_variable)}` });
  }
  for (const key of Object.keys(data)) {
    if (!['template_id', 'template_version_name', 'template_variable'].includes(key)) problems.push({ path: `${path}.${key}`, message: 'unknown key in template data' });
  }
}

function checkV2Answer(answer: Record<string, unknown>, fixture: Fixture, problems: Problem[]): void {
  for (const key of Object.keys(answer)) {
    if (key !== 'toast' && key !== 'card') problems.push({ path: `$.${key}`, message: 'unknown key: a card.action.trigger answer holds only toast and card (client error 200672)' });
  }
  if (answer.toast !== undefined) checkToast(answer.toast, '$.toast', problems);
  if (answer.card === undefined) return;
  const card = answer.card;
  if (!isObject(card)) {
    problems.push({ path: '$.card', message: `must be an object {type, data}, not ${typeName(card)}` });
    return;
  }
  for (const key of Object.keys(card)) if (key !== 'type' && key !== 'data') problems.push({ path: `$.card.${key}`, message: 'unknown key: card holds type and data' });
  if (card.type === 'raw') checkReturnedCard(card.data, '$.card.data', fixture.cardSchema ?? '2.0', problems);
  else if (card.type === 'template') checkTemplateData(card.data, '$.card.data', problems);
  else problems.push({ path: '$.card.type', message: `${JSON.stringify(card.type)} is not a card answer type; use "raw" or "template"` });
}

function checkLegacyAnswer(answer: Record<string, unknown>, problems: Problem[], notes: string[]): void {
  if (answer.toast !== undefined) checkToast(answer.toast, '$.toast', problems);
  if (answer.type === 'template') {
    checkTemplateData(answer.data, '$.data', problems);
    for (const key of Object.keys(answer)) if (!['type', 'data', 'toast'].includes(key)) problems.push({ path: `$.${key}`, message: 'unknown key in a template answer' });
    return;
  }
  const keys = Object.keys(answer).filter((k) => k !== 'toast');
  if (keys.length === 1 && keys[0] === 'msg') {
    notes.push('{"msg": …} is what the Go and Python SDKs answer when the handler returns nothing; the card is left as it is');
    return;
  }
  if (keys.some((k) => LEGACY_CARD_KEYS.includes(k))) {
    for (const k of keys) if (!LEGACY_CARD_KEYS.includes(k) && k !== 'schema') problems.push({ path: `$.${k}`, message: 'unknown key beside a card answer' });
    const { toast: _toast, ...card } = answer;
    checkReturnedCard(card, '$', '1.0', problems);
    return;
  }
  for (const k of keys) problems.push({ path: `$.${k}`, message: 'unknown key: a legacy answer is {}, a card at the top level, or a template answer' });
}

/** Checks a handler's answer against the platform's rules for the fixture's callback format. */
export function checkAnswer(input: AnswerInput): AnswerCheck {
  const { fixture, status, bodyText, ms, budgetMs } = input;
  const problems: Problem[] = [];
  const notes: string[] = [];
  if (status >= 300 && status < 400) {
    problems.push({ path: '$', message: `HTTP ${status} redirect${input.location ? ` to ${input.location}` : ''}: the platform does not follow redirects` });
  } else if (status !== 200) {
    problems.push({ path: '$', message: `HTTP ${status}: the platform needs HTTP 200 (the client shows error 200671)` });
  }
  if (ms > budgetMs) problems.push({ path: '$', message: `answered in ${ms} ms, over the ${budgetMs} ms budget (the client shows error 200341)` });

  let answer: unknown = null;
  const trimmed = bodyText.trim();
  // Events need only the 200 in time; the body is not read (an SDK answers events with nothing).
  if (fixture.format === 'event') {
    try {
      answer = trimmed ? JSON.parse(trimmed) : null;
    } catch {
      answer = null;
    }
    return { problems, notes, answer };
  }
  if (!trimmed) {
    if (status !== 200) {
      // The handler failed (it threw, or its framework did): that is the problem, not the keys.
      notes.push(`the handler answered HTTP ${status} with no body: see its own log for the error`);
    } else if (fixture.format === 'card.action.trigger_v1') {
      notes.push('an empty body leaves the card as it is; but a Node SDK handler also answers empty when it rejected the signature (check the verification token)');
      if (input.strict) problems.push({ path: '$', message: 'empty answer (--strict): a Node SDK handler answers empty when it rejected the signature or verification token, or when it threw' });
    } else {
      problems.push({
        path: '$',
        message: 'empty body: the platform expects JSON such as {} (200672). A Node SDK handler answers empty when it rejected the signature or verification token: check the keys',
      });
    }
    return { problems, notes, answer };
  }
  try {
    answer = JSON.parse(trimmed);
  } catch {
    problems.push({ path: '$', message: `the body is not JSON (client error 200672); it began: ${trimmed.slice(0, 120)}` });
    return { problems, notes, answer: null };
  }
  if (status !== 200) return { problems, notes, answer };
  if (!isObject(answer)) {
    problems.push({ path: '$', message: `the answer must be a JSON object, not ${typeName(answer)}` });
    return { problems, notes, answer };
  }
  if (fixture.format === 'wps_card') {
    if (answer.result !== 'ok') problems.push({ path: '$.result', message: `WPS expects {"result": "ok"}, got ${JSON.stringify(answer.result ?? null)}` });
    for (const key of Object.keys(answer)) if (key !== 'result') notes.push(`WPS reads only "result"; "${key}" is ignored`);
  } else if (fixture.format === 'url_verification') {
    if (answer.challenge !== input.challenge) {
      problems.push({ path: '$.challenge', message: `must echo the challenge ${JSON.stringify(input.challenge)}, got ${JSON.stringify(answer.challenge)}` });
    }
  } else if (fixture.format === 'card.action.trigger_v1') {
    checkLegacyAnswer(answer, problems, notes);
  } else if (fixture.format === 'card.action.trigger') {
    checkV2Answer(answer, fixture, problems);
  }
  return { problems, notes, answer };
}
