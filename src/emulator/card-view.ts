import { isObject, type CardObject } from '../card/inspect.js';
import { needsJsonEscape } from './json-string.js';

/**
 * What GET im/v1/messages/:id shows for a card. The platform does not hand back the card JSON it
 * was sent: unless the caller asks for `card_msg_content_type=user_card_content`, it answers the
 * legacy digest, a title and rows of text-like items. For a JSON 2.0 card that digest holds no
 * content at all, only a "please upgrade your client" line and a placeholder image (as developers
 * who read cards back report). The 1.0 rows here carry the text each component shows; they are
 * not byte-for-byte the platform's.
 */
export const V2_PLACEHOLDER_TEXT = '请升级至最新版本客户端，以查看内容';
/** A made-up key for the placeholder image (the platform's own key is not documented). */
export const V2_PLACEHOLDER_IMAGE = 'img_v3_emulator_upgrade_placeholder';

type Item = Record<string, unknown>;

/** The rows every 2.0 card's digest shows. */
const V2_DIGEST_ELEMENTS = JSON.stringify([[{ tag: 'text', text: V2_PLACEHOLDER_TEXT }], [{ tag: 'img', image_key: V2_PLACEHOLDER_IMAGE }]]);

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isObject(v)) {
    if (typeof v.content === 'string') return v.content;
    if (isObject(v.i18n)) {
      const first = Object.values(v.i18n).find((x) => typeof x === 'string');
      if (typeof first === 'string') return first;
    }
  }
  return null;
}

function rowsOf(node: unknown, rows: Item[][], depth: number): void {
  if (depth > 20) return;
  if (Array.isArray(node)) {
    for (const n of node) rowsOf(n, rows, depth + 1);
    return;
  }
  if (!isObject(node)) return;
  const tag = node.tag;
  if (tag === 'hr') rows.push([{ tag: 'hr' }]);
  else if (tag === 'img' || tag === 'image') rows.push([{ tag: 'img', image_key: typeof node.img_key === 'string' ? node.img_key : '' }]);
  else if (tag === 'button') {
    const t = textOf(node.text);
    if (t !== null) rows.push([{ tag: 'button', text: t }]);
  } else if (tag === 'markdown' || tag === 'lark_md' || tag === 'plain_text') {
    const t = textOf(node);
    if (t !== null) rows.push([{ tag: 'text', text: t }]);
  } else if (tag === 'div') {
    const t = textOf(node.text);
    if (t !== null) rows.push([{ tag: 'text', text: t }]);
    if (Array.isArray(node.fields)) for (const f of node.fields) rowsOf(isObject(f) ? f.text : null, rows, depth + 1);
  }
  for (const key of ['elements', 'columns', 'actions', 'body']) {
    if (node[key] !== undefined) rowsOf(node[key], rows, depth + 1);
  }
}

/** The end of every 2.0 digest after its title, as it reads inside a JSON string. */
const V2_DIGEST_TAIL_ESCAPED = JSON.stringify(`,"elements":${V2_DIGEST_ELEMENTS}}`).slice(1, -1);

/** The end of a 2.0 digest's literal (the constant rows and the closing quote), encoded once. */
export const V2_DIGEST_LITERAL_TAIL = Buffer.from(`${V2_DIGEST_TAIL_ESCAPED}"`, 'utf8');

/**
 * The start of JSON.stringify(cardDigest(card)) up to V2_DIGEST_LITERAL_TAIL, for a 2.0 card whose
 * title needs no escaping (it then reads the same inside the string; only the quotes around it are
 * escaped); null for any other card. A 2.0 digest is a constant but for its title, so answers
 * written out by hand put it together instead of escaping it again on every send.
 */
export function v2DigestLiteralHead(card: CardObject): string | null {
  if (card.schema !== '2.0') return null;
  const header = isObject(card.header) ? card.header : {};
  const title = textOf(header.title) ?? '';
  return needsJsonEscape(title) ? null : `"{\\"title\\":\\"${title}\\"`;
}

export function cardDigest(card: CardObject): string {
  const header = isObject(card.header) ? card.header : {};
  const title = textOf(header.title) ?? '';
  if (card.schema === '2.0') {
    // JSON.stringify({ title, elements }) with the constant elements serialised once.
    return `{"title":${JSON.stringify(title)},"elements":${V2_DIGEST_ELEMENTS}}`;
  }
  const rows: Item[][] = [];
  const source = card.elements ?? (isObject(card.i18n_elements) ? Object.values(card.i18n_elements)[0] : undefined);
  rowsOf(source, rows, 0);
  return JSON.stringify({ title, elements: rows });
}
