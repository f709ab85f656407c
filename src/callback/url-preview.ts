import { randomBytes } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { checkTemplateData, TOAST_LOCALES, type Problem } from './check-answer.js';
import type { UserIds } from './events.js';

/**
 * The link-preview callback (拉取链接预览数据, `url.preview.get`): the platform asks the app for
 * the preview of a link a person sent that matches the app's URL rules, with a preview token that
 * `im/v2/url_previews/batch_update` names to make the clients ask again. It travels as a card
 * callback does (same envelope, signature and encryption); the app answers within 3 s with the
 * inline preview and, optionally, a card.
 */

export interface UrlPreviewRequest {
  app_id: string;
  tenant_key: string;
  now: number;
  operator: UserIds;
  url: string;
  preview_token: string;
  message_id: string;
  chat_id: string;
  /** Where the link is shown: a message (im_message) or a chat's top notice (im_top_notice). */
  host?: 'im_message' | 'im_top_notice';
}

/** The callback as the platform sends it; create_time in microseconds, as card callbacks carry it. */
export function urlPreviewGet(r: UrlPreviewRequest): Record<string, unknown> {
  return {
    schema: '2.0',
    header: { event_id: randomBytes(16).toString('hex'), token: '', create_time: String(r.now * 1000), event_type: 'url.preview.get', tenant_key: r.tenant_key, app_id: r.app_id },
    event: {
      operator: { tenant_key: r.tenant_key, user_id: r.operator.user_id, open_id: r.operator.open_id, union_id: r.operator.union_id },
      host: r.host ?? 'im_message',
      context: { url: r.url, preview_token: r.preview_token, open_message_id: r.message_id, open_chat_id: r.chat_id },
    },
  };
}

/** Locales a title may be given in (those a card callback's toast takes). */
const LOCALES = TOAST_LOCALES;
/** The per-client links of an inline preview. */
const URL_KEYS = ['ios', 'android', 'pc', 'web'];
/** The longest inline title the emulator accepts: a line of text, not a document. */
export const MAX_INLINE_TITLE = 500;

/**
 * The answer is the bot's, so untrusted: a key or locale the answer should not hold is reported
 * once for all of them (naming a few), not once each, so a 16 MB answer of stray keys does not
 * become millions of problems kept on the preview and the delivery log.
 */
function strays(keys: string[], at: (k: string) => string, message: string, problems: Problem[]): void {
  if (!keys.length) return;
  const named = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
  problems.push({ path: keys.length === 1 ? at(keys[0]!.slice(0, 40)) : at('*'), message: `${message}${keys.length > 1 ? ` (${keys.length} of them: ${named.join(', ')}${keys.length > 5 ? ', …' : ''})` : ''}` });
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** The longest link an inline preview may carry: the length browsers keep. */
const MAX_PREVIEW_URL = 2048;
const httpUrl = (v: unknown) => typeof v === 'string' && v.length <= MAX_PREVIEW_URL && /^https?:\/\/\S+$/i.test(v);

function checkInline(inline: unknown, problems: Problem[]): void {
  if (!isObject(inline)) {
    problems.push({ path: '$.inline', message: `must be an object {title, i18n_title?, image_key?, url?}, not ${typeName(inline)}` });
    return;
  }
  strays(Object.keys(inline).filter((k) => !['title', 'i18n_title', 'image_key', 'url'].includes(k)), (k) => `$.inline.${k}`, 'unknown key: an inline preview holds title, i18n_title, image_key and url', problems);
  if (typeof inline.title !== 'string' || !inline.title.trim()) problems.push({ path: '$.inline.title', message: 'the inline preview needs a title: a non-empty string (the client shows it in place of the link)' });
  else if (inline.title.length > MAX_INLINE_TITLE) problems.push({ path: '$.inline.title', message: `is ${inline.title.length} characters; at most ${MAX_INLINE_TITLE}` });
  if (inline.i18n_title !== undefined) {
    if (!isObject(inline.i18n_title)) problems.push({ path: '$.inline.i18n_title', message: `must be an object of locale: title, not ${typeName(inline.i18n_title)}` });
    else {
      const titles = Object.entries(inline.i18n_title);
      strays(titles.map(([locale]) => locale).filter((l) => !LOCALES.includes(l)), (l) => `$.inline.i18n_title.${l}`, `unknown locale; use one of ${LOCALES.join(', ')}`, problems);
      for (const [locale, text] of titles) {
        if (!LOCALES.includes(locale)) continue;
        if (typeof text !== 'string') problems.push({ path: `$.inline.i18n_title.${locale}`, message: `must be a string, not ${typeName(text)}` });
        else if (text.length > MAX_INLINE_TITLE) problems.push({ path: `$.inline.i18n_title.${locale}`, message: `is ${text.length} characters; at most ${MAX_INLINE_TITLE}` });
      }
    }
  }
  if (inline.image_key !== undefined && (typeof inline.image_key !== 'string' || !/^img_[\w-]+$/.test(inline.image_key))) {
    problems.push({ path: '$.inline.image_key', message: 'must be an image key (img_…) of an image the app uploaded' });
  }
  if (inline.url !== undefined && !httpUrl(inline.url)) {
    if (!isObject(inline.url)) problems.push({ path: '$.inline.url', message: `must be an http(s) URL or an object of ${URL_KEYS.join(', ')} URLs, not ${typeName(inline.url)}` });
    else {
      strays(Object.keys(inline.url).filter((k) => !URL_KEYS.includes(k)), (k) => `$.inline.url.${k}`, `unknown client; use ${URL_KEYS.join(', ')}`, problems);
      for (const [k, v] of Object.entries(inline.url)) if (URL_KEYS.includes(k) && !httpUrl(v)) problems.push({ path: `$.inline.url.${k}`, message: `must be an http(s) URL of at most ${MAX_PREVIEW_URL} characters` });
    }
  }
}

/**
 * The shape of an answer to url.preview.get: `{inline: {title, …}, card?: {type: "card_json" |
 * "template", data}}`. A card_json card is then held to `card lint`'s rules by the replay.
 */
export function checkUrlPreviewAnswer(answer: Record<string, unknown>, problems: Problem[]): void {
  strays(Object.keys(answer).filter((k) => k !== 'inline' && k !== 'card'), (k) => `$.${k}`, 'unknown key: a url.preview.get answer holds inline and card (client error 200672)', problems);
  if (answer.inline === undefined) problems.push({ path: '$.inline', message: 'the answer needs inline {title}: without it the client shows no preview (client error 200672)' });
  else checkInline(answer.inline, problems);
  if (answer.card === undefined) return;
  const card = answer.card;
  if (!isObject(card)) {
    problems.push({ path: '$.card', message: `must be an object {type, data}, not ${typeName(card)}` });
    return;
  }
  strays(Object.keys(card).filter((k) => k !== 'type' && k !== 'data'), (k) => `$.card.${k}`, 'unknown key: card holds type and data', problems);
  if (card.type === 'card_json') {
    if (!isObject(card.data)) problems.push({ path: '$.card.data', message: `a card_json card is the card's JSON object, not ${typeName(card.data)}` });
  } else if (card.type === 'template') checkTemplateData(card.data, '$.card.data', problems);
  else problems.push({ path: '$.card.type', message: `${JSON.stringify(card.type)} is not a preview card type; use "card_json" or "template"` });
}

/** The card an answer carries as JSON, for the linter. */
export function previewCardJson(answer: unknown): Record<string, unknown> | null {
  return isObject(answer) && isObject(answer.card) && answer.card.type === 'card_json' && isObject(answer.card.data) ? answer.card.data : null;
}
