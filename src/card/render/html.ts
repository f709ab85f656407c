import { cardSchemaOf, isObject, type CardObject } from '../inspect.js';
import { mentionShown, type NameOf } from '../mentions.js';
import { colorValue, escapeHtml, isImageSrc, renderMarkdown, safeUrl, tagColor } from './markdown.js';
import { looksLikeWpsCard } from '../wps-lint.js';
import { PREVIEW_CSS } from './style.js';
import { renderWpsCardHtml } from './wps.js';

export interface RenderOptions {
  /** Locale for i18n content (default: zh_cn when present, else the first one). */
  locale?: string;
  dark?: boolean;
  /** Page title. */
  title?: string;
  /**
   * Where the page can load an image key from (the inbox: the emulator's uploads; the preview:
   * local files as data: URIs), or null for a key it cannot see, which shows a neutral placeholder.
   */
  imageSrc?: (key: string) => string | null;
  /**
   * Characters of markdown the render may still draw, shared by every card rendered with this
   * object: a page of many cards stays bounded (texts past it show how much they leave out).
   */
  budget?: { chars: number };
  /** The names of the people a card mentions (`<at>`, `person`, `person_list`); an id it does not know shows as written. */
  personName?: NameOf;
}

type Node = Record<string, unknown>;

interface Ctx {
  imageSrc: ((key: string) => string | null) | null;
  locale: string | null;
  dark: boolean;
  v2: boolean;
  form: string | null;
  /** How many containers deep this element sits. */
  depth: number;
  budget: { chars: number } | null;
  personName: NameOf | null;
}

/** Containers nested deeper than this are not drawn (input is held to 64 JSON levels already). */
const MAX_DEPTH = 32;

const a = escapeHtml;

/** A card value as text, as String() writes it, but never a throw (a JSON object may hold its own `toString`). */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return String(v);
  } catch {
    return '';
  }
}

/** A card value as a number, as Number() reads it, but never a throw. */
function num(v: unknown): number {
  if (typeof v === 'number') return v;
  try {
    return Number(v);
  } catch {
    return NaN;
  }
}

/**
 * A card value used in a class name: only letters, digits, '_' and '-' survive, so it names a
 * class of ours or none, whatever the card says.
 */
const cls = (v: unknown, fallback = ''): string => {
  const t = typeof v === 'string' || typeof v === 'number' ? str(v).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) : '';
  return t || fallback;
};

/** An image the page can show, or the placeholder for a key it cannot see. */
function image(key: unknown, ctx: Ctx, placeholder: string): string {
  const k = typeof key === 'string' ? key : '';
  const src = k && ctx.imageSrc ? ctx.imageSrc(k) : null;
  if (isImageSrc(src)) return `<img class="img-real" src="${a(src)}" alt="" title="${a(k)}">`;
  return placeholder;
}

/** The platform's margin: one to four lengths in px, each within ±99px (else no margin). */
export function cssMargin(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const parts = v.trim().split(/\s+/);
  return parts.length <= 4 && parts.every((p) => /^-?\d{1,2}px$|^0$/.test(p)) ? parts.join(' ') : null;
}

const TEXT_ALIGN = ['left', 'center', 'right'];

/** Inline SVG, so placeholders show without an emoji font or the network. */
const ICON = {
  image: '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/><circle cx="9" cy="10" r="2" fill="currentColor"/><path d="M4 18l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>',
  chart: '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M5 20V10M12 20V4M19 20v-7" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>',
  audio: '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor"/><path d="M16 8a5 5 0 010 8" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>',
};

/** Text of a text object (or a plain string), in the chosen locale. */
function textOf(t: unknown, ctx: Ctx): { text: string; md: boolean } {
  if (typeof t === 'string') return { text: t, md: false };
  if (!isObject(t)) return { text: '', md: false };
  const i18n = (isObject(t.i18n_content) ? t.i18n_content : isObject(t.i18n) ? t.i18n : null) as Record<string, string> | null;
  const localized = ctx.locale && i18n?.[ctx.locale];
  return { text: str(localized ?? t.content ?? ''), md: t.tag === 'lark_md' || t.tag === 'markdown' };
}

function renderText(t: unknown, ctx: Ctx, extra = ''): string {
  const { text, md } = textOf(t, ctx);
  const node = isObject(t) ? t : {};
  const color = colorValue(node.text_color as string | undefined, ctx.dark);
  const align = TEXT_ALIGN.includes(str(node.text_align)) ? str(node.text_align) : null;
  const style = [color ? `color:${color}` : '', align ? `text-align:${align}` : ''].filter(Boolean).join(';');
  const body = md ? renderMarkdown(text, { block: false, dark: ctx.dark, imageSrc: ctx.imageSrc, budget: ctx.budget, personName: ctx.personName }) : a(text).replace(/\n/g, '<br>');
  const size = typeof node.text_size === 'string' ? ` size-${cls(node.text_size)}` : '';
  return `<div class="text${extra ? ` ${extra}` : ''}${size}"${style ? ` style="${style}"` : ''}>${body}</div>`;
}

/** Attributes that let a page (the inbox, tests) find an interactive element and what it sends. */
function dataAttrs(node: Node, ctx: Ctx): string {
  const behaviors = Array.isArray(node.behaviors) ? (node.behaviors as Node[]) : [];
  const callback = behaviors.find((b) => isObject(b) && b.type === 'callback');
  const openUrl = behaviors.find((b) => isObject(b) && b.type === 'open_url');
  const value = callback ? callback.value : node.value;
  const parts = [`data-tag="${a(str(node.tag))}"`];
  if (typeof node.name === 'string') parts.push(`data-name="${a(node.name)}"`);
  if (typeof node.element_id === 'string') parts.push(`data-element-id="${a(node.element_id)}"`);
  if (value !== undefined) parts.push(`data-value="${a(JSON.stringify(value))}"`);
  // Only a URL a browser may open safely reaches the page (the inbox opens it on a click).
  const multi = isObject(node.multi_url) ? node.multi_url : null;
  const url = openUrl ? (openUrl.default_url ?? openUrl.pc_url) : (node.url ?? multi?.url ?? multi?.pc_url);
  // A link the page may not open stays a link that goes nowhere ('#'), not a callback.
  if (typeof url === 'string') parts.push(`data-url="${a(safeUrl(url))}"`);
  if (ctx.form) parts.push(`data-form="${a(ctx.form)}"`);
  // The dialog the client shows before sending (title, text), on any element that has one.
  if (isObject(node.confirm)) parts.push(`data-confirm="${a(textOf(node.confirm.title, ctx).text)}" data-confirm-text="${a(textOf(node.confirm.text, ctx).text)}"`);
  if (node.form_action_type ?? node.action_type) parts.push(`data-form-action="${a(str(node.form_action_type ?? node.action_type))}"`);
  return parts.join(' ');
}

function optionsOf(node: Node, ctx: Ctx): Array<{ label: string; value: string }> {
  return (Array.isArray(node.options) ? (node.options as Node[]) : []).filter(isObject).map((o) => ({
    label: textOf(o.text, ctx).text || str(o.value ?? ''),
    value: str(o.value ?? ''),
  }));
}

function placeholder(node: Node, ctx: Ctx, fallback: string): string {
  return textOf(node.placeholder, ctx).text || fallback;
}

/** What shows where an element cannot be drawn: the rest of the card still is. */
export const UNRENDERABLE = (what: string) => `<div class="el unrenderable" role="note">${a(what)} could not be shown</div>`;

/**
 * The elements of a container, each drawn on its own: content the renderer cannot draw costs
 * that element (a placeholder says so), never the card or the page around it.
 */
function children(list: unknown, ctx: Ctx): string {
  if (!Array.isArray(list) || !list.length) return '';
  if (ctx.depth >= MAX_DEPTH) return UNRENDERABLE(`content nested deeper than ${MAX_DEPTH} levels`);
  const inner = { ...ctx, depth: ctx.depth + 1 };
  let html = '';
  for (const n of list) html += isolated(() => renderElement(n, inner), () => (isObject(n) && typeof n.tag === 'string' ? `this ${n.tag.slice(0, 40)} element` : 'this element'));
  return html;
}

function isolated(render: () => string, what: () => string): string {
  try {
    return render();
  } catch {
    return UNRENDERABLE(what());
  }
}

function renderElement(n: unknown, ctx: Ctx): string {
  if (!isObject(n)) return '';
  const tag = str(n.tag ?? '');
  const m = cssMargin(n.margin);
  const margin = m ? ` style="margin:${m}"` : '';
  const wrap = (cls: string, inner: string, extra = '') => `<div class="el ${cls}"${margin}${extra ? ` ${extra}` : ''}>${inner}</div>`;
  // Text elements carry their element_id so a page can find them (the inbox types streamed text into them).
  const textId = typeof n.element_id === 'string' ? `data-element-id="${a(n.element_id)}"` : '';
  switch (tag) {
    case 'markdown': {
      const { text } = textOf(n, ctx);
      return wrap(`markdown align-${TEXT_ALIGN.includes(str(n.text_align)) ? str(n.text_align) : 'left'}`, renderMarkdown(text, { block: true, dark: ctx.dark, imageSrc: ctx.imageSrc, budget: ctx.budget, personName: ctx.personName }), textId);
    }
    case 'plain_text':
    case 'lark_md':
      return wrap('div', renderText(n, ctx), textId);
    case 'div': {
      const fields = Array.isArray(n.fields) ? (n.fields as Node[]) : [];
      const grid = fields.length
        ? `<div class="fields">${fields.map((f) => `<div class="field${isObject(f) && f.is_short ? ' short' : ''}">${renderText(isObject(f) ? f.text : '', ctx)}</div>`).join('')}</div>`
        : '';
      const extra = isObject(n.extra) ? `<div class="div-extra">${renderElement(n.extra, ctx)}</div>` : '';
      return wrap('div', `<div class="div-main">${n.text ? renderText(n.text, ctx) : ''}${grid}</div>${extra}`);
    }
    case 'hr':
      return '<hr class="el hr">';
    case 'note': {
      const items = (Array.isArray(n.elements) ? (n.elements as Node[]) : []).map((e) =>
        isObject(e) && e.tag === 'img' ? image(e.img_key, ctx, `<span class="img-ph tiny" title="${a(str(e.img_key ?? ''))}">${ICON.image}</span>`) : renderText(e, ctx, 'inline'),
      );
      return wrap('note', items.join(' '));
    }
    case 'img': {
      const alt = textOf(n.alt, ctx).text;
      const size = str(n.size ?? 'large');
      return wrap(`img size-${cls(size.replace(/\s+/g, '-'), 'large')}`, `${image(n.img_key, ctx, `<div class="img-ph" role="img" aria-label="${a(alt)}" title="${a(str(n.img_key ?? ''))}">${ICON.image} ${a(alt || str(n.img_key ?? 'image'))}</div>`)}${n.title ? renderText(n.title, ctx, 'caption') : ''}`);
    }
    case 'img_combination': {
      const list = Array.isArray(n.img_list) ? (n.img_list as Node[]) : [];
      return wrap(`img-combination mode-${cls(n.combination_mode, 'double')}`, list.map((i) => image(isObject(i) ? i.img_key : '', ctx, `<div class="img-ph" title="${a(str(isObject(i) ? i.img_key : ''))}">${ICON.image}</div>`)).join(''));
    }
    case 'action': {
      const layout = str(n.layout ?? 'flow');
      return wrap(`action layout-${cls(layout, 'flow')}`, children(n.actions, ctx));
    }
    case 'button': {
      const type = str(n.type ?? 'default');
      const disabled = n.disabled === true ? ' disabled' : '';
      return `<button type="button" class="el btn btn-${cls(type, 'default')} btn-${cls(n.size, 'medium')}${n.width === 'fill' ? ' fill' : ''}" ${dataAttrs(n, ctx)}${disabled}>${a(textOf(n.text, ctx).text)}</button>`;
    }
    case 'select_static':
    case 'multi_select_static':
    case 'select_person':
    case 'multi_select_person': {
      const multi = tag.startsWith('multi');
      const person = tag.endsWith('person');
      const opts = optionsOf(n, ctx);
      const selected = new Set(multi ? (Array.isArray(n.selected_values) ? n.selected_values.map(str) : []) : [str(n.initial_option ?? '')]);
      const options = opts.map((o) => `<option value="${a(o.value)}"${selected.has(o.value) ? ' selected' : ''}>${a(person ? `@${o.label}` : o.label)}</option>`).join('');
      return `<select class="el select" ${dataAttrs(n, ctx)}${multi ? ' multiple' : ''}><option value="" disabled${selected.has('') || !selected.size ? ' selected' : ''}>${a(placeholder(n, ctx, person ? 'Choose people' : 'Choose'))}</option>${options}</select>`;
    }
    case 'overflow': {
      const items = optionsOf(n, ctx).map((o) => `<li data-option="${a(o.value)}">${a(o.label)}</li>`).join('');
      return `<div class="el overflow" ${dataAttrs(n, ctx)}><button type="button" class="btn btn-default overflow-btn" aria-label="more">⋯</button><ul class="overflow-menu">${items}</ul></div>`;
    }
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime': {
      const kind = tag === 'date_picker' ? 'date' : tag === 'picker_time' ? 'time' : 'datetime-local';
      const initial = str(n.initial_date ?? n.initial_time ?? (typeof n.initial_datetime === 'string' ? n.initial_datetime.replace(' ', 'T') : '') ?? '');
      return `<label class="el picker"><input type="${kind}" ${dataAttrs(n, ctx)} value="${a(initial)}" placeholder="${a(placeholder(n, ctx, 'Pick'))}"></label>`;
    }
    case 'input': {
      const label = n.label ? `<span class="input-label">${a(textOf(n.label, ctx).text)}${n.required ? '<span class="req">*</span>' : ''}</span>` : '';
      const ph = a(placeholder(n, ctx, ''));
      const value = a(str(n.default_value ?? ''));
      const field = n.input_type === 'multiline_text'
        ? `<textarea ${dataAttrs(n, ctx)} rows="${num(n.rows ?? 3)}" placeholder="${ph}">${value}</textarea>`
        : `<input type="${n.input_type === 'password' ? 'password' : 'text'}" ${dataAttrs(n, ctx)} placeholder="${ph}" value="${value}">`;
      return `<label class="el input label-${cls(n.label_position, 'top')}">${label}${field}</label>`;
    }
    case 'checker':
      return `<label class="el checker"><input type="checkbox" ${dataAttrs(n, ctx)}${n.checked ? ' checked' : ''}> ${renderText(n.text, ctx, 'inline')}</label>`;
    case 'select_img': {
      const opts = (Array.isArray(n.options) ? (n.options as Node[]) : []).map((o) => `<div class="img-opt" data-option="${a(str(isObject(o) ? (o.value ?? '') : ''))}">${image(isObject(o) ? o.img_key : '', ctx, `<div class="img-ph">${ICON.image}</div>`)}</div>`).join('');
      return wrap('select-img', opts, dataAttrs(n, ctx));
    }
    case 'column_set': {
      const cols = (Array.isArray(n.columns) ? (n.columns as Node[]) : []).map((c) => {
        if (!isObject(c)) return '';
        const width = str(c.width ?? 'auto');
        const weight = Math.min(5, Math.max(1, Math.round(num(c.weight ?? 1)) || 1));
        const style = width === 'weighted' ? `flex:${weight} 1 0` : /^\d{1,4}px$/.test(width) ? `flex:0 0 ${width}` : 'flex:0 1 auto';
        const bg = colorValue(c.background_style as string | undefined, ctx.dark);
        return `<div class="column valign-${cls(c.vertical_align, 'top')}" style="${style}${bg ? `;background:${bg}` : ''}">${children(c.elements, ctx)}</div>`;
      });
      const bg = colorValue(n.background_style as string | undefined, ctx.dark);
      return wrap(`column-set flex-${cls(n.flex_mode, 'none')}`, cols.join(''), bg ? `style="background:${bg}"` : '');
    }
    case 'form':
      return `<form class="el form" data-tag="form" data-name="${a(str(n.name ?? ''))}">${children(n.elements, { ...ctx, form: str(n.name ?? '') })}</form>`;
    case 'interactive_container':
      return `<div class="el interactive${n.has_border ? ' bordered' : ''}" role="button" tabindex="0" ${dataAttrs(n, ctx)}>${children(n.elements, ctx)}</div>`;
    case 'collapsible_panel': {
      const header = isObject(n.header) ? n.header : {};
      return `<details class="el panel"${n.expanded ? ' open' : ''}><summary>${renderText(header.title, ctx, 'inline')}</summary><div class="panel-body">${children(n.elements, ctx)}</div></details>`;
    }
    case 'table': {
      const cols = (Array.isArray(n.columns) ? (n.columns as Node[]) : []).filter(isObject);
      const rows = (Array.isArray(n.rows) ? (n.rows as Node[]) : []).slice(0, num(n.page_size ?? 5));
      const head = cols.map((c) => `<th>${a(str(c.display_name ?? c.name ?? ''))}</th>`).join('');
      const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${a(isObject(r) ? formatCell(r[str(c.name)]) : '')}</td>`).join('')}</tr>`).join('');
      const total = Array.isArray(n.rows) ? n.rows.length : 0;
      return wrap('table', `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${total > rows.length ? `<div class="table-more">${rows.length} of ${total} rows</div>` : ''}`);
    }
    case 'person':
      return `<span class="el md-at person">@${a(mentionShown(str(n.user_id ?? ''), ctx.personName ?? undefined))}</span>`;
    case 'person_list':
      return wrap('person-list', (Array.isArray(n.persons) ? (n.persons as Node[]) : []).map((p) => `<span class="md-at">@${a(mentionShown(str(isObject(p) ? p.id : ''), ctx.personName ?? undefined))}</span>`).join(' '));
    case 'chart':
      return wrap(`chart ratio-${cls(str(n.aspect_ratio ?? '16:9').replace(':', '-'), '16-9')}`, `<div class="img-ph">${ICON.chart} chart</div>`);
    case 'audio':
      return wrap('audio', `<div class="img-ph">${ICON.audio} audio</div>`);
    default:
      return wrap('unsupported', `<span>unsupported element: ${a(tag || '(no tag)')}</span>`);
  }
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? str(x.text ?? x.name ?? JSON.stringify(x)) : str(x))).join(', ');
  if (isObject(v)) return JSON.stringify(v);
  return str(v);
}

function renderHeader(card: CardObject, ctx: Ctx): string {
  let header = isObject(card.header) ? card.header : null;
  if (isObject(card.i18n_header) && ctx.locale && isObject(card.i18n_header[ctx.locale])) header = card.i18n_header[ctx.locale] as Node;
  if (!header) return '';
  const template = str(header.template ?? 'default');
  const tags = (Array.isArray(header.text_tag_list) ? (header.text_tag_list as Node[]) : []).slice(0, 3);
  const tagHtml = tags.filter(isObject).map((t) => `<span class="tag tag-${tagColor(t.color ?? 'blue')}">${a(textOf(t.text, ctx).text)}</span>`).join('');
  return `<div class="header header-${cls(template, 'default')}" data-template="${a(template)}"><div class="title-row">${renderText(header.title, ctx, 'title')}${tagHtml}</div>${header.subtitle ? renderText(header.subtitle, ctx, 'subtitle') : ''}</div>`;
}

/** Picks the locale to show: the one asked for if the card has it, else zh_cn, else the first. */
export function chooseLocale(card: CardObject, wanted?: string): string | null {
  const available = isObject(card.i18n_elements) ? Object.keys(card.i18n_elements) : [];
  if (wanted) return wanted;
  if (!available.length) return null;
  return available.includes('zh_cn') ? 'zh_cn' : available[0]!;
}

/** The card's body as HTML, without the page around it; never throws, whatever the card holds. */
export function renderCardHtml(card: CardObject, opts: RenderOptions = {}): string {
  return isolated(() => renderCard(card, opts), () => 'this card');
}

function renderCard(card: CardObject, opts: RenderOptions): string {
  if (looksLikeWpsCard(card)) return renderWpsCardHtml(card, opts.locale);
  const ctx: Ctx = { imageSrc: opts.imageSrc ?? null, locale: chooseLocale(card, opts.locale), dark: !!opts.dark, v2: cardSchemaOf(card) === '2.0', form: null, depth: 0, budget: opts.budget ?? null, personName: opts.personName ?? null };
  let elements: unknown;
  if (ctx.v2) elements = isObject(card.body) ? card.body.elements : [];
  else if (isObject(card.i18n_elements)) elements = card.i18n_elements[ctx.locale ?? ''] ?? Object.values(card.i18n_elements)[0];
  else elements = card.elements;
  const config = isObject(card.config) ? card.config : {};
  const width = config.width_mode === 'compact' ? 'compact' : config.width_mode === 'fill' ? 'fill' : 'default';
  const link = isObject(card.card_link) && safeUrl(card.card_link.url) !== '#' ? ` data-card-link="${a(str(card.card_link.url))}"` : '';
  return `<div class="card width-${width}" data-schema="${ctx.v2 ? '2.0' : '1.0'}"${ctx.locale ? ` data-locale="${a(ctx.locale)}"` : ''}${link}>${isolated(() => renderHeader(card, ctx), () => 'the header')}<div class="body">${children(elements, ctx)}</div></div>`;
}

/**
 * The preview page's policy: no script at all (so no inline handler either), no request of any
 * kind; styles are the page's own and the validated values in style attributes; fonts and
 * images only inline (the PNG path inlines its fonts).
 */
export const PREVIEW_CSP = "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

/** A self-contained page: no scripts, no network, and a CSP that holds it to that. */
export function renderCardPage(card: CardObject, opts: RenderOptions = {}): string {
  return `<!doctype html>
<html lang="${a(opts.locale?.replace('_', '-') ?? 'en')}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${a(opts.title ?? 'card preview')}</title><style>${PREVIEW_CSS}</style></head>
<body class="${opts.dark ? 'dark' : 'light'}"><main>${renderCardHtml(card, opts)}</main></body></html>
`;
}
