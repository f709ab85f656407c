import { CARD_COLORS } from './colors.js';
import { datetimeMillis } from '../local-datetime.js';
import { mentionIds, mentionShown, type NameOf } from '../mentions.js';

/** A few of the platform's emoji keys as Unicode; others show as a labelled chip (no network). */
const EMOJI: Record<string, string> = {
  OK: '👌', THUMBSUP: '👍', THANKS: '🙏', MUSCLE: '💪', APPLAUSE: '👏', FISTBUMP: '🤜', DONE: '✅', SMILE: '😄', LAUGH: '😆', JOYFUL: '😊',
  HEART: '❤️', FIRE: '🔥', PARTY: '🎉', Partying: '🥳', CLAP: '👏', WAVE: '👋', THINKING: '🤔', CRY: '😢', ANGRY: '😠', ROSE: '🌹',
  BEER: '🍺', CAKE: '🎂', GIFT: '🎁', STAR: '⭐', CHECK: '✔️', CROSS: '❌', YES: '✅', NO: '🚫', ONEHUNDRED: '💯', ROCKET: '🚀',
};

const SPECIAL = /[&<>"']/;

export function escapeHtml(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const entity = c === 38 ? '&amp;' : c === 60 ? '&lt;' : c === 62 ? '&gt;' : c === 34 ? '&quot;' : c === 39 ? '&#39;' : null;
    if (entity === null) continue;
    if (i > from) out += s.slice(from, i);
    out += entity;
    from = i + 1;
  }
  return from < s.length ? out + s.slice(from) : out;
}

/** The colours a text_tag (and a header tag) can have; anything else shows neutral. */
export const TAG_COLORS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'] as const;
export const tagColor = (c: unknown): string => (typeof c === 'string' && (TAG_COLORS as readonly string[]).includes(c) ? c : 'neutral');

/**
 * URLs a preview may link to. Anything else (javascript:, data:, vbscript:, relative paths that
 * would resolve against the page) becomes '#'. Control characters and spaces inside are refused
 * too, as browsers strip them before reading the scheme.
 */
export function safeUrl(u: unknown): string {
  if (typeof u !== 'string' || u.length > 2048 || /[\u0000-\u0020\u007f]/.test(u)) return '#';
  return /^(https?:\/\/|lark:\/\/|mailto:|tel:)/i.test(u) ? u : '#';
}

export function colorValue(name: unknown, dark = false): string | null {
  if (typeof name !== 'string' || !name) return null;
  const c = Object.hasOwn(CARD_COLORS, name) ? CARD_COLORS[name] : undefined;
  if (c) return dark ? c[1] : c[0];
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(name) ? name : null;
}

/** Only our own kinds of image source reach a src attribute: the emulator's image route or an inline image. */
const IMAGE_SRC = /^(\/_emulator\/images\/[A-Za-z0-9_%-]+|data:image\/(png|jpeg|gif|webp|bmp|x-icon);base64,[A-Za-z0-9+/=]+)$/;
export const isImageSrc = (src: string | null | undefined): src is string => !!src && IMAGE_SRC.test(src);

/** What a text renders as: `block` for the markdown component (headings, lists…), else lark_md. */
export interface MarkdownOptions {
  block: boolean;
  dark?: boolean;
  /** Where an image key (or, in the preview, a local file) can be drawn from; null shows a placeholder. */
  imageSrc?: ((key: string) => string | null) | null;
  /** Characters that texts rendered with this object may still draw, shared by all of them (a page's bound). */
  budget?: { chars: number } | null;
  /** The names of the people mentions name (the inbox: the emulator's users); an id it does not know shows as written. */
  personName?: NameOf | null;
}

/**
 * The most characters of one text a page draws: the platform's own ceiling for a streamed text.
 * Rendering is linear, so this bounds the time one element can take (the emulator renders on the
 * thread that answers the Open API).
 */
export const MAX_MARKDOWN_CHARS = 100_000;

const attr = (tag: string, name: string) => {
  const m = new RegExp(`${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)"|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
};

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * lark_md and the markdown component as HTML. Card text is escaped as it is copied out; only the
 * constructs of the platform's dialect become markup, so a card cannot inject script into a page.
 * One left-to-right scan per line (per text for lark_md), whose searches for a closing delimiter
 * are remembered, so the time is linear in the text whatever it holds.
 */
export function renderMarkdown(source: string, opts: MarkdownOptions): string {
  let text = source.replace(CONTROLS, '');
  let more = '';
  const limit = Math.min(MAX_MARKDOWN_CHARS, opts.budget ? Math.max(0, opts.budget.chars) : Infinity);
  if (text.length > limit) {
    // Never cut a surrogate pair in two.
    const cut = limit > 0 && /[\ud800-\udbff]/.test(text[limit - 1]!) ? limit - 1 : limit;
    more = `<span class="md-more">… ${text.length - cut} more characters not shown</span>`;
    text = text.slice(0, cut);
  }
  if (opts.budget) opts.budget.chars -= text.length;
  return (opts.block ? blocks(text, opts) : new Inline(text, opts).render(0, text.length, false)) + more;
}

const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
/** Where a link target or image key ends: a ')' (the end) or white space (no target). */
const TARGET_END = /[)\s]/g;
const PAIRED = new Set(['font', 'text_tag', 'link', 'a', 'number_tag']);
const EMPTY = new Set(['at', 'person', 'local_datetime']);

type Piece = [html: string, next: number] | null;

/** The inline scanner: emphasis, code, links, images, emoji keys and the platform's tags. */
class Inline {
  private readonly low: string;
  private memo: Map<string, [from: number, at: number]> | null = null;

  constructor(private readonly s: string, private readonly o: MarkdownOptions) {
    // Tag names match in any case; an ASCII-only lowering keeps every index where it was.
    this.low = /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
  }

  /**
   * The first index at or after `from` where `needle` starts, or -1. A search proves there is
   * none between `from` and what it found, so a later search from inside that stretch is
   * answered at once: an opener with no closer costs one search, not one per opener.
   */
  private next(needle: string | RegExp, from: number, key = typeof needle === 'string' ? needle : needle.source): number {
    this.memo ??= new Map();
    const m = this.memo.get(key);
    if (m && from >= m[0] && (m[1] === -1 || from <= m[1])) return m[1];
    let at: number;
    if (typeof needle === 'string') at = this.low.indexOf(needle, from);
    else {
      needle.lastIndex = from;
      at = needle.exec(this.s)?.index ?? -1;
    }
    this.memo.set(key, [from, at]);
    return at;
  }

  /** The same line holds `from` and `to` (emphasis and code never cross a line). */
  private sameLine(from: number, to: number): boolean {
    const nl = this.next('\n', from);
    return nl === -1 || nl >= to;
  }

  render(start: number, end: number, inLink: boolean): string {
    const s = this.s;
    let out = '';
    let text = start;
    for (let i = start; i < end; ) {
      let piece: Piece = null;
      switch (s[i]) {
        case '\n': piece = ['<br>', i + 1]; break;
        case '`': piece = this.code(i, end); break;
        case '<': piece = this.tag(i, end, inLink); break;
        case '!': piece = s[i + 1] === '[' ? this.image(i, end) : null; break;
        case '[': piece = inLink ? null : this.link(i, end); break;
        case ':': piece = this.emoji(i, end); break;
        case '*': piece = s[i + 1] === '*' ? this.pair(i, end, '**', 'strong', inLink) : this.em(i, start, end, inLink); break;
        case '_': piece = s[i + 1] === '_' ? this.pair(i, end, '__', 'strong', inLink) : null; break;
        case '~': piece = s[i + 1] === '~' ? this.pair(i, end, '~~', 'del', inLink) : null; break;
        case 'h': piece = inLink ? null : this.autoLink(i, start, end); break;
      }
      if (!piece) {
        i++;
        continue;
      }
      if (i > text) out += escapeHtml(s.slice(text, i));
      out += piece[0];
      i = text = piece[1];
    }
    if (end > text) out += escapeHtml(s.slice(text, end));
    return out;
  }

  /** `code`: nothing inside is markup. */
  private code(i: number, end: number): Piece {
    const close = this.next('`', i + 1);
    if (close <= i + 1 || close >= end || !this.sameLine(i, close)) return null;
    return [`<code>${escapeHtml(this.s.slice(i + 1, close))}</code>`, close + 1];
  }

  /** `**strong**`, `__strong__`, `~~deleted~~`: the first closer on the same line ends it. */
  private pair(i: number, end: number, mark: string, el: string, inLink: boolean): Piece {
    const close = this.next(mark, i + mark.length + 1);
    if (close === -1 || close + mark.length > end || !this.sameLine(i, close)) return null;
    return [`<${el}>${this.render(i + mark.length, close, inLink)}</${el}>`, close + mark.length];
  }

  /** `*italic*`: not inside a word, not next to another '*'. */
  private em(i: number, start: number, end: number, inLink: boolean): Piece {
    const before = i > start ? this.s[i - 1] : undefined;
    if (before === '*' || isWord(before)) return null;
    const close = this.next('*', i + 1);
    if (close <= i + 1 || close >= end || !this.sameLine(i, close) || (close + 1 < end && this.s[close + 1] === '*')) return null;
    return [`<em>${this.render(i + 1, close, inLink)}</em>`, close + 1];
  }

  /** `(target)` starting at `open`: the target and the index after the ')'. */
  private target(open: number, end: number): { target: string; next: number } | null {
    if (this.s[open] !== '(') return null;
    const close = this.next(TARGET_END, open + 1);
    if (close <= open + 1 || close >= end || this.s[close] !== ')') return null;
    return { target: this.s.slice(open + 1, close), next: close + 1 };
  }

  /** `![alt](key)`: drawn when the page can load the key, else a placeholder naming it. */
  private image(i: number, end: number): Piece {
    const close = this.next(']', i + 2);
    if (close === -1 || close >= end) return null;
    const t = this.target(close + 1, end);
    if (!t) return null;
    const alt = this.s.slice(i + 2, close);
    const src = this.o.imageSrc?.(t.target);
    if (isImageSrc(src)) return [`<img class="img-real md-img" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" title="${escapeHtml(t.target)}">`, t.next];
    return [`<span class="img-ph inline" title="${escapeHtml(t.target)}">[image: ${escapeHtml(alt || t.target)}]</span>`, t.next];
  }

  /** `[text](url)`, whose text may be an image; the URL is allow-listed. */
  private link(i: number, end: number): Piece {
    let close = -1;
    // [![alt](key)](url): the image is the link's text.
    if (this.s[i + 1] === '!' && this.s[i + 2] === '[') {
      const img = this.image(i + 1, end);
      if (img && this.s[img[1]] === ']') close = img[1];
    }
    if (close === -1) close = this.next(']', i + 1);
    if (close <= i + 1 || close >= end) return null;
    const t = this.target(close + 1, end);
    if (!t) return null;
    return [`<a href="${escapeHtml(safeUrl(t.target))}">${this.render(i + 1, close, true)}</a>`, t.next];
  }

  /** A bare http(s) URL after a space, '(' or the start: up to a space, '<', '|' (a table cell's end) or '`'. */
  private autoLink(i: number, start: number, end: number): Piece {
    const s = this.s;
    const before = i > start ? s[i - 1] : ' ';
    if (before !== '(' && !isSpace(before)) return null;
    const from = s.startsWith('https://', i) ? i + 8 : s.startsWith('http://', i) ? i + 7 : -1;
    if (from === -1) return null;
    let to = from;
    while (to < end && !isSpace(s[to]) && s[to] !== '<' && s[to] !== '|' && s[to] !== '`') to++;
    if (to === from) return null;
    const url = s.slice(i, to);
    return [`<a href="${escapeHtml(safeUrl(url))}">${escapeHtml(url)}</a>`, to];
  }

  /** `:KEY:`: a few as Unicode, other upper-case keys as a labelled chip, anything else as written. */
  private emoji(i: number, end: number): Piece {
    const s = this.s;
    if (!/[A-Za-z]/.test(s[i + 1] ?? '')) return null;
    let j = i + 2;
    while (j < end && isWord(s[j])) j++;
    if (j >= end || s[j] !== ':') return null;
    const key = s.slice(i + 1, j);
    if (Object.hasOwn(EMOJI, key)) return [EMOJI[key]!, j + 1];
    return [/^[A-Z]/.test(key) ? `<span class="emoji" title="${key}">${key}</span>` : `:${key}:`, j + 1];
  }

  /** The platform's tags; any other '<' is text. */
  private tag(i: number, end: number, inLink: boolean): Piece {
    const s = this.s;
    let j = i + 1;
    while (j < end && isWord(s[j])) j++;
    const name = this.low.slice(i + 1, j);
    if (!name) return null;
    if (name === 'br' || name === 'hr') {
      let k = j;
      while (k < end && isSpace(s[k])) k++;
      if (s[k] === '/') k++;
      if (k >= end || s[k] !== '>') return null;
      return [name === 'br' ? '<br>' : '<hr class="md-hr">', k + 1];
    }
    if (!EMPTY.has(name) && !PAIRED.has(name)) return null;
    const gt = this.next('>', j);
    if (gt === -1 || gt >= end) return null;
    const closer = `</${name}>`;
    if (EMPTY.has(name)) {
      // <at …></at>: nothing but space between the two.
      let k = gt + 1;
      while (k < end && isSpace(s[k])) k++;
      if (k + closer.length > end || !this.low.startsWith(closer, k)) return null;
      const html = this.empty(name, s.slice(j, gt), s.slice(i, k + closer.length));
      return [html, k + closer.length];
    }
    if (inLink && (name === 'a' || name === 'link')) return null;
    const close = this.next(closer, gt + 1);
    if (close === -1 || close + closer.length > end) return null;
    const attrs = s.slice(j, gt);
    const body = this.render(gt + 1, close, inLink || name === 'a' || name === 'link');
    const next = close + closer.length;
    switch (name) {
      case 'font': {
        const color = colorValue(attr(attrs, 'color'), this.o.dark);
        return [color ? `<span style="color:${color}">${body}</span>` : body, next];
      }
      case 'text_tag':
        return [`<span class="tag tag-${tagColor(attr(attrs, 'color') ?? 'blue')}">${body}</span>`, next];
      case 'number_tag':
        return [`<span class="md-number">${body}</span>`, next];
      default:
        return [`<a href="${escapeHtml(safeUrl(attr(attrs, 'url') ?? attr(attrs, 'href') ?? ''))}">${body}</a>`, next];
    }
  }

  /** A mention, or a time shown in the reader's zone (here: UTC). */
  private empty(name: string, attrs: string, whole: string): string {
    const named = this.o.personName ?? undefined;
    if (name === 'at') {
      const ids = mentionIds(attrs);
      // `<at ids=a,b>` names several people: one chip each, as the client draws them.
      return (ids.length ? ids : ['']).map((who) => `<span class="md-at" data-at="${escapeHtml(who)}">@${escapeHtml(mentionShown(who, named))}</span>`).join(' ');
    }
    if (name === 'person') return `<span class="md-at">@${escapeHtml(mentionShown(attr(attrs, 'id') ?? '', named))}</span>`;
    const { ms, ok } = datetimeMillis(attr(attrs, 'millisecond'));
    // A value no date can hold shows as the client shows it: the tag as written.
    if (!ok) return escapeHtml(whole);
    return `<span class="md-time">${ms !== null ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : 'send time'}</span>`;
  }
}

/** Bounds on what a page draws of one table; the rest of a larger one is dropped. */
const MAX_TABLE_COLUMNS = 100;
const MAX_TABLE_ROWS = 1000;

/** A table's rule row: `|---|:--:|`, cells of dashes with optional colons, two or more or one between pipes. */
function isTableRule(line: string | undefined): boolean {
  if (line === undefined || !line.includes('-')) return false;
  let t = line.trim();
  const lead = t.startsWith('|');
  if (lead) t = t.slice(1);
  const trail = t.endsWith('|');
  if (trail) t = t.slice(0, -1);
  const parts = t.split('|');
  return (parts.length >= 2 || (lead && trail)) && parts.every((p) => /^\s*:?-+:?\s*$/.test(p));
}

/** The cells of a table row: outer pipes dropped, split on each '|' that is neither escaped nor inside `code`. */
function cells(row: string): string[] {
  let t = row.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|') && !t.endsWith('\\|')) t = t.slice(0, -1);
  const parts: string[] = [];
  let from = 0;
  let ticks = true;
  for (let k = 0; k < t.length; k++) {
    const c = t[k];
    if (c === '\\' && t[k + 1] === '|') k++;
    else if (c === '`' && ticks) {
      const close = t.indexOf('`', k + 1);
      if (close === -1) ticks = false;
      else if (close > k + 1) k = close;
    } else if (c === '|') {
      parts.push(t.slice(from, k));
      from = k + 1;
    }
  }
  parts.push(t.slice(from));
  return parts.map((c) => c.trim().replace(/\\\|/g, '|'));
}

const alignOf = (c: string) => (/^:-+:$/.test(c) ? 'center' : /^-+:$/.test(c) ? 'right' : /^:-+$/.test(c) ? 'left' : '');
const FENCE = /^\s*```[\w+-]*$/;

/** The markdown component: fenced code, GFM tables, headings, lists, quotes, dividers and paragraphs, each line's text inline. */
function blocks(s: string, opts: MarkdownOptions): string {
  // One scanner for the whole text, so its searches carry over from line to line; a line is a range of it.
  const scanner = new Inline(s, opts);
  const lines = s.split('\n');
  const from: number[] = [];
  for (let i = 0, at = 0; i < lines.length; i++) {
    from.push(at);
    at += lines[i]!.length + 1;
    if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  }
  const inline = (i: number, col = 0) => scanner.render(from[i]! + col, from[i]! + lines[i]!.length, false);
  const cell = (text: string) => new Inline(text, opts).render(0, text.length, false);
  const out: string[] = [];
  let list = null as { type: 'ul' | 'ol'; items: string[] } | null;
  const flush = () => {
    if (list) out.push(`<${list.type}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.type}>`);
    list = null;
  };
  let fences = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Fenced code runs to the next ``` wherever it is; nothing inside is markup.
    if (fences && line.includes('```') && FENCE.test(line)) {
      let code: string[] | null = null;
      for (let j = i + 1; j < lines.length; j++) {
        const close = lines[j]!.indexOf('```');
        if (close === -1) continue;
        code = [...lines.slice(i + 1, j), lines[j]!.slice(0, close)];
        const rest = lines[j]!.slice(close + 3);
        // What follows the closing fence on its line is a line of its own.
        if (rest.trim()) {
          lines[j] = rest;
          from[j]! += close + 3;
        } else j++;
        flush();
        out.push(`<pre class="md-code"><code>${escapeHtml(code.join('\n').replace(/\n$/, ''))}</code></pre>`);
        i = j - 1;
        break;
      }
      if (code) continue;
      // No fence closes after this one, so none after it closes either.
      fences = false;
    }
    // A GFM table: a header row, a |---|:---:| row, then rows while they have a '|'.
    if (line.includes('|') && isTableRule(lines[i + 1])) {
      flush();
      const align = cells(lines[i + 1]!).slice(0, MAX_TABLE_COLUMNS).map(alignOf);
      const row = (text: string, tag: 'th' | 'td') => {
        const parts = cells(text);
        return `<tr>${align.map((al, k) => `<${tag}${al ? ` class="al-${al}"` : ''}>${cell(parts[k] ?? '')}</${tag}>`).join('')}</tr>`;
      };
      const body: string[] = [];
      let j = i + 2;
      for (; j < lines.length && lines[j]!.includes('|') && lines[j]!.trim() !== ''; j++) if (body.length < MAX_TABLE_ROWS) body.push(row(lines[j]!, 'td'));
      out.push(`<table class="md-table"><thead>${row(line, 'th')}</thead><tbody>${body.join('')}</tbody></table>`);
      i = j - 1;
      continue;
    }
    // The block patterns run only on a line whose first mark could start one.
    const first = line.trimStart()[0] ?? '';
    const item = /[-*+0-9]/.test(first) ? /^\s*(?:([-*+])|\d+\.)\s+/.exec(line) : null;
    if (item) {
      const type = item[1] ? 'ul' : 'ol';
      if (list?.type !== type) flush();
      list ??= { type, items: [] };
      list.items.push(inline(i, item[0].length));
      continue;
    }
    flush();
    const heading = first === '#' ? /^(#{1,6})\s+/.exec(line) : null;
    if (heading) out.push(`<div class="md-h md-h${heading[1]!.length}">${inline(i, heading[0].length)}</div>`);
    else if ((first === '-' || first === '*') && /^\s*(-{3,}|\*{3,})\s*$/.test(line)) out.push('<hr class="md-hr">');
    else if (line.startsWith('>')) out.push(`<blockquote>${inline(i, isSpace(line[1]) ? 2 : 1)}</blockquote>`);
    else if (line.trim() === '') out.push('<div class="md-gap"></div>');
    else out.push(`<div class="md-p">${inline(i)}</div>`);
  }
  flush();
  return out.join('');
}
