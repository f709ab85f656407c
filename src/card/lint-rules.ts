import { CARD_LIMITS, cardSchemaOf, escapePointer, isObject, REMOVED_IN_V2, type CardObject } from './inspect.js';
import { datetimeMillis, MAX_DATETIME_MS } from './local-datetime.js';
import { htmlLinkTargets, markdownLinkTargets } from './text-links.js';

export type Severity = 'error' | 'warning';

export interface RuleProblem {
  severity: Severity;
  rule: string;
  pointer: string;
  message: string;
}

const CONTAINERS = new Set(['column_set', 'column', 'form', 'interactive_container', 'collapsible_panel']);
const FORM_FIELDS = new Set(['input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img', 'button']);
const FORM_ONLY = new Set(['multi_select_static', 'multi_select_person']);
const INTERACTIVE = new Set([...FORM_FIELDS, 'overflow', 'interactive_container']);
const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
const MAX_DEPTH = 5;
const MAX_TABLES = 5;
const MAX_HEADER_TAGS = 3;
const MAX_BUTTON_TEXT = 100;
/** Schemes a card link may use: the web, the client's own lark:// links, and tel: in markdown. */
const LINK_SCHEME = /^(https?:\/\/|lark:\/\/)/i;
const MARKDOWN_LINK_SCHEME = /^(https?:\/\/|lark:\/\/|tel:)/i;
const URL_KEYS = ['url', 'default_url', 'pc_url', 'ios_url', 'android_url'] as const;
const PLACEHOLDER = /\$\{[A-Za-z][A-Za-z0-9_]*\}/;
/** initial_* values of the pickers, in the platform's formats (reference/card-schema.md §1.4, §2.4). */
export const PICKER_FORMATS: Record<string, [key: string, format: string, re: RegExp]> = {
  date_picker: ['initial_date', 'yyyy-MM-dd, e.g. 2024-01-31', /^(\d{4})-(\d{2})-(\d{2})$/],
  picker_time: ['initial_time', 'HH:mm, e.g. 09:30', /^(\d{2}):(\d{2})$/],
  picker_datetime: ['initial_datetime', 'yyyy-MM-dd HH:mm, e.g. 2024-01-31 09:30', /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/],
};

/** Whether a string in a picker's format is also a real date and time (no 2024-02-30, no 24:00). */
export function realDateTime(tag: string, m: RegExpExecArray): boolean {
  const n = m.slice(1).map(Number);
  const [h, min] = tag === 'picker_time' ? n : tag === 'picker_datetime' ? n.slice(3) : [0, 0];
  if (h! > 23 || min! > 59) return false;
  if (tag === 'picker_time') return true;
  const [y, mo, d] = n as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

interface Walk {
  pointer: string;
  /** The form this node sits in, if any. */
  form: string | null;
  /** Containers above this node. */
  depth: number;
  atRoot: boolean;
}

const TEXT_FIELDS = ['content', 'text'] as const;

/** What a JSON Schema cannot say: rules across fields and across the whole card. */
export function crossFieldRules(card: CardObject, contentBytes: number): RuleProblem[] {
  const v2 = cardSchemaOf(card) === '2.0';
  const out: RuleProblem[] = [];
  const add = (severity: Severity, rule: string, pointer: string, message: string) => out.push({ severity, rule, pointer, message });
  const names = new Map<string, string>();
  const elementIds = new Map<string, string>();
  let tables = 0;
  let elementCount = 0;
  let interactive = 0;

  if (contentBytes > CARD_LIMITS.maxContentBytes) {
    add('error', 'card-size', '', `the card is ${contentBytes} bytes compacted; a card message may be at most 30 KB (${CARD_LIMITS.maxContentBytes}). Move long text out or split the card`);
  }
  const config = isObject(card.config) ? card.config : null;
  if (config?.wide_screen_mode !== undefined) add('warning', 'deprecated', '/config/wide_screen_mode', 'wide_screen_mode is deprecated: every card now adapts to the screen width; remove it');
  if (v2) {
    if (config?.update_multi === false) add('error', 'v2-update-multi', '/config/update_multi', 'JSON 2.0 cards are always shared: update_multi may only be true; remove it or set true');
    for (const key of ['elements', 'i18n_elements'] as const) {
      if (card[key] !== undefined) add('error', 'v2-top-level-elements', `/${key}`, `JSON 2.0 keeps elements under body.elements; top-level ${key} is not supported`);
    }
    if (card.fallback !== undefined) add('warning', 'deprecated', '/fallback', 'JSON 2.0 does not support fallback');
    if (card.i18n_header !== undefined) add('warning', 'deprecated', '/i18n_header', 'i18n_header is not documented for JSON 2.0: use i18n_content on the header texts');
  }
  const header = isObject(card.header) ? card.header : null;
  const body = isObject(card.body) ? card.body : null;
  // A placeholder fed a list at send time (a repeated element) counts as content.
  const hasItems = (v: unknown) => (Array.isArray(v) && v.length > 0) || (typeof v === 'string' && PLACEHOLDER.test(v));
  const empty = v2
    ? !hasItems(body?.elements)
    : !hasItems(card.elements) && !(isObject(card.i18n_elements) && Object.values(card.i18n_elements).some(hasItems));
  if (empty && !header && !isObject(card.i18n_header)) {
    add('error', 'empty-card', '', `the card is empty: it has no header and no ${v2 ? 'body.elements' : 'elements'}; the platform sends nothing to show`);
  }
  // Pointers are passed as a base and a key and joined only for a problem: most values have none.
  const checkUrl = (url: unknown, base: string, key: string) => {
    if (typeof url === 'string' && url && !LINK_SCHEME.test(url) && !PLACEHOLDER.test(url)) {
      add('warning', 'link-scheme', `${base}/${key}`, `"${url.slice(0, 80)}" is not an http(s) or lark:// link; the client will not open it`);
    }
  };
  const checkUrlObject = (v: unknown, base: string, key: string) => {
    if (!isObject(v)) return;
    const pointer = `${base}/${key}`;
    for (const k of URL_KEYS) checkUrl(v[k], pointer, k);
  };
  const checkTextLinks = (text: unknown, base: string, key: string) => {
    if (typeof text !== 'string' || !text.includes('](') && !/<(a|link)\s/i.test(text)) return;
    const pointer = `${base}/${key}`;
    // `$name` targets are 1.0 href variables, checked where they are defined.
    for (const url of [...markdownLinkTargets(text), ...htmlLinkTargets(text)]) {
      if (url.startsWith('$') || MARKDOWN_LINK_SCHEME.test(url) || PLACEHOLDER.test(url)) continue;
      add('warning', 'link-scheme', pointer, `the link "${url.slice(0, 80)}" is not http(s) or lark://; the client will not open it (links outside the allow-list are refused)`);
    }
  };
  // <local_datetime millisecond='…'>: a value no date can hold shows as raw text in the client.
  const checkDatetimes = (text: unknown, base: string, key: string) => {
    if (typeof text !== 'string') return;
    // Lowered in ASCII only, so every index stays where it was.
    const lower = text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    for (let at = lower.indexOf('<local_datetime'); at !== -1; ) {
      const end = lower.indexOf('>', at);
      if (end === -1) break;
      const value = /millisecond\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s>]+))/i.exec(text.slice(at, end));
      const ms = value ? (value[1] ?? value[2] ?? value[3] ?? '') : undefined;
      if (ms !== undefined && !PLACEHOLDER.test(ms) && !datetimeMillis(ms).ok) {
        add('warning', 'local-datetime', `${base}/${key}`, `<local_datetime millisecond='${ms.slice(0, 40)}'> is not a time in milliseconds (at most ${MAX_DATETIME_MS} either side of 1970); the client shows the tag as text`);
      }
      // The next tag starts after this one ends, so a run of unclosed tags is read once.
      at = lower.indexOf('<local_datetime', end + 1);
    }
  };
  checkUrlObject(card.card_link, '', 'card_link');
  if (Array.isArray(header?.text_tag_list) && header.text_tag_list.length > MAX_HEADER_TAGS) {
    add('warning', 'header-tags', '/header/text_tag_list', `${header.text_tag_list.length} text tags: the header shows at most ${MAX_HEADER_TAGS}, the rest are dropped`);
  }

  const visitNode = (node: Record<string, unknown>, w: Walk) => {
    const tag = typeof node.tag === 'string' ? node.tag : null;
    if (v2 && typeof node.element_id === 'string') {
      if (!ELEMENT_ID.test(node.element_id)) {
        add('error', 'element-id', `${w.pointer}/element_id`, `element_id "${node.element_id}" must start with a letter, hold only letters, digits and _, and be at most 20 characters`);
      } else if (elementIds.has(node.element_id)) {
        add('error', 'element-id', `${w.pointer}/element_id`, `element_id "${node.element_id}" is already used at ${elementIds.get(node.element_id)}; element ids are unique in a card`);
      } else elementIds.set(node.element_id, w.pointer);
    }
    if (!tag) return;
    if (tag === 'lark_md' || tag === 'markdown') {
      checkTextLinks(node.content, w.pointer, 'content');
      checkDatetimes(node.content, w.pointer, 'content');
      if (isObject(node.i18n_content)) {
        for (const [k, v] of Object.entries(node.i18n_content)) {
          checkTextLinks(v, `${w.pointer}/i18n_content`, escapePointer(k));
          checkDatetimes(v, `${w.pointer}/i18n_content`, escapePointer(k));
        }
      }
    }
    // JSON 1.0 links: url / multi_url on buttons and overflow options, action.multi_url on columns.
    checkUrl(node.url, w.pointer, 'url');
    checkUrlObject(node.multi_url, w.pointer, 'multi_url');
    if (isObject(node.action)) checkUrlObject(node.action.multi_url, `${w.pointer}/action`, 'multi_url');
    if (Array.isArray(node.options)) {
      node.options.forEach((o, i) => {
        if (!isObject(o)) return;
        checkUrl(o.url, `${w.pointer}/options/${i}`, 'url');
        checkUrlObject(o.multi_url, `${w.pointer}/options/${i}`, 'multi_url');
      });
    }
    if (tag === 'div' && node.text === undefined && node.fields === undefined) {
      add('error', 'div-content', w.pointer, 'a div needs "text" or "fields"; the platform refuses a div with neither');
    }
    const picker = PICKER_FORMATS[tag];
    if (picker && typeof node[picker[0]] === 'string') {
      const value = node[picker[0]] as string;
      const m = picker[2].exec(value);
      if (!m || !realDateTime(tag, m)) {
        add('error', 'format', `${w.pointer}/${picker[0]}`, `${JSON.stringify(value)} is not ${m ? 'a real date or time' : 'in the right format'}: ${picker[0]} is ${picker[1]}`);
      }
    }
    if (v2 && w.pointer.startsWith('/body')) elementCount++;
    if (v2 && REMOVED_IN_V2.has(tag)) {
      add('error', 'v2-removed-tag', `${w.pointer}/tag`, tag === 'action'
        ? 'JSON 2.0 removed the "action" tag: put its buttons directly in elements, or in a column_set for a row'
        : 'JSON 2.0 removed the "note" tag: use a div with text_size "notation" and a grey text_color');
    }
    if (INTERACTIVE.has(tag)) interactive++;
    if (tag === 'table') {
      tables++;
      if (!w.atRoot) add('error', 'table-placement', w.pointer, 'a table may only sit directly in the card body, not inside a container');
    }
    if (tag === 'form') {
      if (!w.atRoot) add('error', 'form-placement', w.pointer, 'a form may only sit directly in the card body, never inside another container or form');
      if (typeof node.name === 'string') {
        if (names.has(node.name)) add('error', 'name-unique', `${w.pointer}/name`, `name "${node.name}" is already used at ${names.get(node.name)}; names are unique in a card`);
        else names.set(node.name, w.pointer);
      }
      const buttons: Record<string, unknown>[] = [];
      const collect = (v: unknown) => {
        if (Array.isArray(v)) v.forEach(collect);
        else if (isObject(v)) {
          if (v.tag === 'button') buttons.push(v);
          Object.values(v).forEach(collect);
        }
      };
      collect(node.elements);
      const submits = buttons.filter((b) => b.form_action_type === 'submit' || b.action_type === 'form_submit' || (Array.isArray(b.behaviors) && b.behaviors.some((x) => isObject(x) && x.type === 'form_action' && x.behavior === 'submit')));
      if (!submits.length) add('error', 'form-submit', w.pointer, `form "${String(node.name ?? '')}" has no submit button: add a button with ${v2 ? '"form_action_type": "submit"' : '"action_type": "form_submit"'}`);
    }
    if (w.form !== null && tag !== 'form') {
      if (tag === 'table' || (tag === 'chart' && !v2)) add('error', 'form-content', w.pointer, `a form may not hold a ${tag}`);
      if (FORM_FIELDS.has(tag)) {
        if (typeof node.name !== 'string' || !node.name) {
          add('error', 'form-field-name', w.pointer, `${tag} inside form "${w.form}" needs a name, unique in the card, or its value is not submitted`);
        } else if (names.has(node.name)) {
          add('error', 'name-unique', `${w.pointer}/name`, `name "${node.name}" is already used at ${names.get(node.name)}; names are unique in a card`);
        } else names.set(node.name, w.pointer);
      }
    } else {
      if (FORM_ONLY.has(tag)) add('error', 'form-only', w.pointer, `${tag} works only inside a form`);
      if (node.required !== undefined && FORM_FIELDS.has(tag)) add('warning', 'required-outside-form', `${w.pointer}/required`, '"required" only means something inside a form');
      if (tag === 'select_img' && node.multi_select === true) add('error', 'form-only', `${w.pointer}/multi_select`, 'select_img with multi_select works only inside a form');
    }
    if (tag === 'button') {
      if (!v2 && node.text === undefined) add('error', 'button-text', w.pointer, 'a JSON 1.0 button needs "text" (a plain_text or lark_md object)');
      const text = isObject(node.text) ? node.text.content : undefined;
      if (typeof text === 'string' && [...text].length > MAX_BUTTON_TEXT) add('error', 'text-length', `${w.pointer}/text/content`, `button text is ${[...text].length} characters; the limit is ${MAX_BUTTON_TEXT}`);
      if (!v2 && node.value !== undefined && !isObject(node.value)) add('error', 'button-value', `${w.pointer}/value`, 'a button value must be a JSON object of key: value; it is what your handler receives');
      if (v2) {
        for (const key of ['url', 'multi_url', 'value'] as const) {
          if (node[key] !== undefined) add('warning', 'deprecated', `${w.pointer}/${key}`, `button ${key} is a JSON 1.0 field: in 2.0 use behaviors (open_url / callback)`);
        }
      }
    }
    if (Array.isArray(node.behaviors)) {
      node.behaviors.forEach((b, i) => {
        if (!isObject(b)) return;
        if (b.type === 'callback' && b.value !== undefined && !isObject(b.value)) add('error', 'callback-value', `${w.pointer}/behaviors/${i}/value`, 'a callback value must be a JSON object');
        for (const key of ['default_url', 'pc_url', 'ios_url', 'android_url'] as const) {
          checkUrl(b[key], `${w.pointer}/behaviors/${i}`, key);
        }
      });
    }
    if (typeof node.img_key === 'string' && !/^img_/.test(node.img_key) && !/^\$\{/.test(node.img_key)) {
      add('warning', 'img-key', `${w.pointer}/img_key`, `"${node.img_key}" does not look like an uploaded image key (img_v2_… / img_v3_…); upload it first (card upload-image), or send a card naming local files with card send --upload-images`);
    }
    for (const key of TEXT_FIELDS) {
      const v = node[key];
      if (typeof v === 'string' && /<at\s+id\s*=\s*["']?all\b/.test(v)) add('warning', 'at-all', `${w.pointer}/${key}`, '<at id=all> notifies everyone and needs the permission to @all, or the send fails');
    }
  };

  const walk = (value: unknown, w: Walk) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, { ...w, pointer: `${w.pointer}/${i}` }));
      return;
    }
    if (!isObject(value)) return;
    visitNode(value, w);
    const tag = typeof value.tag === 'string' ? value.tag : null;
    const isContainer = tag !== null && CONTAINERS.has(tag);
    const depth = isContainer ? w.depth + 1 : w.depth;
    if (isContainer && depth > MAX_DEPTH) add('error', 'nesting-depth', w.pointer, `containers are nested ${depth} deep here; the platform allows ${MAX_DEPTH}`);
    const form = tag === 'form' ? String(value.name ?? '') : w.form;
    // Keys, not entries: no [key, value] pair is made for the many plain values.
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (typeof v !== 'object' || v === null) continue;
      walk(v, { pointer: `${w.pointer}/${escapePointer(k)}`, form, depth, atRoot: false });
    }
  };
  const roots: Array<[unknown, string]> = v2
    ? [[isObject(card.body) ? card.body.elements : undefined, '/body/elements']]
    : [[card.elements, '/elements'], ...Object.entries(isObject(card.i18n_elements) ? card.i18n_elements : {}).map(([k, v]) => [v, `/i18n_elements/${escapePointer(k)}`] as [unknown, string])];
  for (const [elements, pointer] of roots) {
    if (!Array.isArray(elements)) continue;
    // Each locale of i18n_elements is its own card: names and ids may repeat across locales.
    if (names.size) names.clear();
    if (elementIds.size) elementIds.clear();
    elements.forEach((el, i) => walk(el, { pointer: `${pointer}/${i}`, form: null, depth: 0, atRoot: true }));
  }
  if (header) walk(header, { pointer: '/header', form: null, depth: 0, atRoot: false });

  if (v2 && elementCount > CARD_LIMITS.maxElementsV2) {
    add('error', 'element-count', '/body', `${elementCount} elements and components; a JSON 2.0 card allows ${CARD_LIMITS.maxElementsV2} (text elements count too)`);
  }
  if (tables > MAX_TABLES) add('error', 'table-count', '', `${tables} tables; a card may hold at most ${MAX_TABLES}`);
  if (!v2 && interactive > 0 && !(config?.update_multi === true)) {
    add('warning', 'update-multi', '/config', 'this card has interactive elements but is not shared (config.update_multi is not true): PATCH cannot update it, and an update after a click changes only the clicker\'s view. Set config.update_multi to true if everyone should see updates');
  }
  return out;
}

/** A card meant to be a CardKit entity says so by its streaming settings. */
export function isCardkitCard(card: CardObject): boolean {
  const config = isObject(card.config) ? card.config : null;
  return config !== null && (config.streaming_mode !== undefined || config.streaming_config !== undefined);
}

const STREAMABLE = new Set(['markdown', 'plain_text']);

/**
 * CardKit's rules for a card entity (reference/long-connection-cardkit.md §2.2–2.3): JSON 2.0
 * only, and streaming writes into a markdown or plain_text element named by its element_id.
 * Shared cards, unique element ids, size and the 200-component limit are checked for every card.
 */
export function cardkitRules(card: CardObject, asked: boolean): RuleProblem[] {
  const out: RuleProblem[] = [];
  const why = asked ? 'a CardKit card entity' : 'a card with streaming settings (a CardKit card entity)';
  if (cardSchemaOf(card) !== '2.0') {
    // Asked for, it is CardKit's rule; found by its settings on a 1.0 card, the settings may just be ignored.
    out.push({ severity: asked ? 'error' : 'warning', rule: 'cardkit-schema', pointer: card.schema === undefined ? '' : '/schema', message: `${why} must be JSON 2.0 ("schema": "2.0"); CardKit refuses other cards (300303)` });
    return out;
  }
  const config = isObject(card.config) ? card.config : {};
  let targets = 0;
  let unnamed: string | null = null;
  const visit = (v: unknown, pointer: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${pointer}/${i}`));
    if (!isObject(v)) return;
    if (typeof v.tag === 'string' && STREAMABLE.has(v.tag)) {
      if (typeof v.element_id === 'string' && v.element_id) targets++;
      else if (v.tag === 'markdown') unnamed ??= pointer;
    }
    for (const [k, x] of Object.entries(v)) if (typeof x === 'object' && x !== null) visit(x, `${pointer}/${escapePointer(k)}`);
  };
  visit(isObject(card.body) ? card.body.elements : undefined, '/body/elements');
  if (!targets) {
    const streaming = config.streaming_mode === true;
    out.push({
      severity: 'warning',
      rule: 'cardkit-stream-target',
      pointer: unnamed ?? '/body/elements',
      message: `${streaming ? 'streaming_mode is on, but n' : 'N'}o markdown or plain_text element has an element_id: streaming text (PUT …/elements/:element_id/content) needs one to write into`,
    });
  }
  return out;
}
