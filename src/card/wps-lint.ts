import { escapePointer, isObject, type CardObject } from './inspect.js';
import type { RuleProblem } from './lint-rules.js';

/**
 * WPS 协作 cards (msg_type 23, reference/wps.md §3.2): header, elements of text / div / img /
 * action, config, link, i18n. Confirmed limits: 20 components, 5000 characters.
 */
export const WPS_LIMITS = { components: 20, chars: 5000 } as const;
const TEXT_TYPES = ['plainText', 'markdown'];
// `secondary` is confirmed for the legacy card; the rest are WPS 365's documented button styles.
export const WPS_BUTTON_STYLES = ['normal', 'secondary', 'primary', 'warn', 'disable', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled'];
const ELEMENT_TAGS = ['text', 'div', 'img', 'action', 'hr'];
const URL_KEYS = ['url', 'android_url', 'ios_url', 'pc_url'];

/** A WPS card says so by its text objects ({tag: "text", content: {type, text}}) or its config. */
export function looksLikeWpsCard(card: CardObject): boolean {
  const title = isObject(card.header) && isObject(card.header.title) ? card.header.title : null;
  if (title?.tag === 'text' && isObject(title.content)) return true;
  if (isObject(card.config) && ('update_single' in card.config || 'operator_allow' in card.config || 'todo_switch' in card.config)) return true;
  return Array.isArray(card.elements) && card.elements.some((e) => isObject(e) && e.tag === 'text' && isObject(e.content));
}

export function wpsRules(card: CardObject): RuleProblem[] {
  const out: RuleProblem[] = [];
  const err = (rule: string, pointer: string, message: string) => out.push({ severity: 'error', rule, pointer, message });
  const warn = (rule: string, pointer: string, message: string) => out.push({ severity: 'warning', rule, pointer, message });

  const chars = [...JSON.stringify(card)].length;
  if (chars > WPS_LIMITS.chars) err('wps-size', '', `the card is ${chars} characters; a WPS card may hold ${WPS_LIMITS.chars}`);

  const checkUrls = (v: unknown, pointer: string) => {
    if (!isObject(v)) return err('wps-url', pointer, 'must be an object of url, android_url, ios_url, pc_url');
    if (typeof v.url !== 'string' && !['android_url', 'ios_url', 'pc_url'].every((k) => typeof v[k] === 'string')) {
      err('wps-url', pointer, 'needs url, or all of android_url, ios_url and pc_url');
    }
    for (const k of URL_KEYS) if (typeof v[k] === 'string' && !/^https?:\/\//.test(v[k] as string)) warn('link-scheme', `${pointer}/${k}`, `"${String(v[k])}" is not an http(s) link`);
  };
  const checkText = (t: unknown, pointer: string, owner: Record<string, unknown> | null) => {
    if (!isObject(t) || t.tag !== 'text' || !isObject(t.content)) return err('wps-text', pointer, 'a text is {"tag": "text", "content": {"type": "plainText" | "markdown", "text": "…"}}');
    checkContent(t.content, `${pointer}/content`, owner ?? t);
    if (t.href !== undefined) checkHref(t.href, `${pointer}/href`);
  };
  const checkContent = (c: Record<string, unknown>, pointer: string, owner: Record<string, unknown>) => {
    if (!TEXT_TYPES.includes(c.type as string)) err('wps-text', `${pointer}/type`, `${JSON.stringify(c.type)} is not a text type; use plainText or markdown`);
    if (typeof c.text !== 'string') err('wps-text', `${pointer}/text`, 'text must be a string');
    else if (c.type === 'markdown' && /\]\(\$url_val\)/.test(c.text) && !(isObject(owner.href) && isObject(owner.href.url_val))) {
      err('wps-href', pointer, 'the markdown links to $url_val but there is no href.url_val beside it');
    }
  };
  const checkHref = (h: unknown, pointer: string) => {
    if (!isObject(h) || !isObject(h.url_val)) return err('wps-href', pointer, 'href must be {"url_val": {url, android_url, ios_url, pc_url}}');
    checkUrls(h.url_val, `${pointer}/url_val`);
  };

  if (isObject(card.header)) {
    if (card.header.title === undefined) err('required', '/header', 'missing required property "title"');
    else checkText(card.header.title, '/header/title', null);
    if (card.header.subtitle !== undefined) checkText(card.header.subtitle, '/header/subtitle', null);
  }
  if (card.link !== undefined) checkUrls(card.link, '/link');
  if (isObject(card.config) && card.config.update_single !== undefined && typeof card.config.update_single !== 'boolean') {
    err('type', '/config/update_single', 'must be a boolean (true: each user\'s own card, false: shared)');
  }
  const lists: Array<[unknown, string]> = [[card.elements, '/elements']];
  if (isObject(card.i18n)) for (const [locale, v] of Object.entries(card.i18n)) if (isObject(v)) lists.push([v.elements, `/i18n/${escapePointer(locale)}/elements`]);
  for (const [elements, base] of lists) {
    if (!Array.isArray(elements)) {
      if (base === '/elements') err('required', '', 'missing required property "elements"');
      continue;
    }
    let components = 0;
    elements.forEach((el, i) => {
      const p = `${base}/${i}`;
      if (!isObject(el)) return err('type', p, 'a component must be an object');
      components++;
      switch (el.tag) {
        case 'text':
          if (!isObject(el.content)) err('wps-text', p, 'a text component needs content {"type", "text"}');
          else checkContent(el.content, `${p}/content`, el);
          if (el.href !== undefined) checkHref(el.href, `${p}/href`);
          break;
        case 'div':
          if (!Array.isArray(el.fields) || !el.fields.length) err('required', p, 'a div needs fields: a list of texts shown in two columns');
          else el.fields.forEach((f, j) => checkText(f, `${p}/fields/${j}`, null));
          if (el.division !== undefined && !['middle', 'flow_left'].includes(el.division as string)) err('enum', `${p}/division`, 'division is middle or flow_left');
          break;
        case 'img':
          if (!isObject(el.content) || typeof el.content.store_key !== 'string') err('required', p, 'an img needs content.store_key (from the upload API)');
          break;
        case 'hr':
          warn('wps-unconfirmed', p, 'hr is documented for WPS 365 cards, not confirmed for WPS 协作 cards');
          break;
        case 'action': {
          const actions = Array.isArray(el.actions) ? el.actions : [];
          if (!actions.length) err('required', p, 'an action needs actions: a list of buttons');
          actions.forEach((b, j) => {
            const bp = `${p}/actions/${j}`;
            if (!isObject(b) || b.tag !== 'button') return err('unknown-tag', `${bp}/tag`, 'a WPS action holds buttons');
            components++;
            if (!isObject(b.content) || !TEXT_TYPES.includes(b.content.type as string) || typeof b.content.text !== 'string') err('wps-text', `${bp}/content`, 'a button needs content {"type": "plainText", "text": "…"}');
            if (b.style !== undefined && !WPS_BUTTON_STYLES.includes(b.style as string)) err('enum', `${bp}/style`, `${JSON.stringify(b.style)} is not a button style; use one of ${WPS_BUTTON_STYLES.join(', ')}`);
            if (b.key === undefined && b.href === undefined) err('wps-button', bp, 'a button needs a key (it calls your server back) or an href.url_val (it opens a link)');
            if (b.key !== undefined && typeof b.key !== 'string') err('type', `${bp}/key`, 'key must be a string: it comes back as content.action in the callback');
            if (b.href !== undefined) checkHref(b.href, `${bp}/href`);
          });
          break;
        }
        default:
          err('unknown-tag', `${p}/tag`, `"${String(el.tag)}" is not a WPS card component (${ELEMENT_TAGS.join(', ')})`);
      }
    });
    if (components > WPS_LIMITS.components) err('element-count', base, `${components} components; a WPS card allows ${WPS_LIMITS.components}`);
  }
  return out;
}
