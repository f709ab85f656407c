import { isObject, type CardObject } from '../inspect.js';
import { escapeHtml as a, renderMarkdown, safeUrl } from './markdown.js';

/**
 * A WPS 协作 card as the WPS client shows it (reference/wps.md §3.2): a header of title and
 * subtitle, then text (plainText or markdown), two-column div fields, images, dividers and a
 * row of buttons. A button with `key` sends {"action": key}; one with href.url_val is a link.
 */
type Node = Record<string, unknown>;

const STYLE: Record<string, string> = {
  normal: 'default',
  secondary: 'default',
  primary: 'primary',
  warn: 'danger',
  disable: 'default',
  text: 'text',
  primary_text: 'primary_text',
  danger_text: 'danger_text',
  primary_filled: 'primary_filled',
  danger_filled: 'danger_filled',
};

/** The i18n block for a locale: the card's keys are like zh-TW / en-US, ours like zh_tw / en_us. */
function localized(card: CardObject, locale: string | undefined): CardObject {
  if (!locale || !isObject(card.i18n)) return card;
  const want = locale.replace('_', '-').toLowerCase();
  const key = Object.keys(card.i18n).find((k) => k.toLowerCase() === want);
  const block = key ? card.i18n[key] : null;
  return isObject(block) ? { ...card, ...block } : card;
}

function urlOf(v: unknown): string | null {
  if (!isObject(v)) return null;
  const u = v.pc_url || v.url;
  return typeof u === 'string' ? safeUrl(u) : null;
}

function text(t: unknown, cls = ''): string {
  if (!isObject(t) || !isObject(t.content)) return '';
  const c = t.content;
  const raw = typeof c.text === 'string' ? c.text : '';
  // [label]($url_val) links through the text's own href.url_val.
  const hrefUrl = isObject(t.href) ? urlOf(t.href.url_val) : null;
  const body = c.type === 'markdown' ? renderMarkdown(raw.replace(/\]\(\$url_val\)/g, `](${hrefUrl ?? '#'})`).replace(/ {2}\n/g, '\n'), { block: false }) : a(raw).replace(/\n/g, '<br>');
  return `<div class="text${cls ? ` ${cls}` : ''}">${body}</div>`;
}

function element(n: unknown): string {
  if (!isObject(n)) return '';
  switch (n.tag) {
    case 'text':
      return `<div class="el div">${text(n)}</div>`;
    case 'div': {
      const fields = (Array.isArray(n.fields) ? n.fields : []).map((f) => `<div class="field short">${text(f)}</div>`).join('');
      return `<div class="el div"><div class="div-main"><div class="fields">${fields}</div></div></div>`;
    }
    case 'hr':
      return '<hr class="el hr">';
    case 'img': {
      const content = isObject(n.content) ? n.content : {};
      return `<div class="el img size-large"><div class="img-ph" role="img" title="${a(typeof content.store_key === 'string' ? content.store_key : '')}">image</div></div>`;
    }
    case 'action': {
      const buttons = (Array.isArray(n.actions) ? (n.actions as Node[]) : []).filter(isObject).map((b) => {
        const name = typeof b.style === 'string' ? b.style : 'normal';
        const style = Object.hasOwn(STYLE, name) ? STYLE[name]! : 'default';
        const label = isObject(b.content) && typeof b.content.text === 'string' ? b.content.text : '';
        const url = isObject(b.href) ? urlOf(b.href.url_val) : null;
        const data = [`data-tag="button"`, typeof b.key === 'string' ? `data-value="${a(JSON.stringify({ action: b.key }))}" data-key="${a(b.key)}"` : '', url ? `data-url="${a(url)}"` : ''].filter(Boolean).join(' ');
        return `<button type="button" class="el btn btn-${style} btn-medium" ${data}${b.style === 'disable' ? ' disabled' : ''}>${a(label)}</button>`;
      });
      return `<div class="el action layout-flow">${buttons.join('')}</div>`;
    }
    default:
      return `<div class="el unsupported"><span>unsupported element: ${a(typeof n.tag === 'string' ? n.tag : '(no tag)')}</span></div>`;
  }
}

export function renderWpsCardHtml(card: CardObject, locale?: string): string {
  const c = localized(card, locale);
  const header = isObject(c.header) ? c.header : null;
  const head = header ? `<div class="header header-default wps-header"><div class="title-row">${text(header.title, 'title')}</div>${header.subtitle ? text(header.subtitle, 'subtitle') : ''}</div>` : '';
  const link = urlOf(c.link);
  const elements = Array.isArray(c.elements) ? c.elements.map(element).join('') : '';
  return `<div class="card wps width-default" data-schema="wps"${link ? ` data-card-link="${a(link)}"` : ''}>${head}<div class="body">${elements}</div></div>`;
}
