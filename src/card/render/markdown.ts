import { CARD_COLORS } from './colors.js';

/** A few of the platform's emoji keys as Unicode; others show as a labelled chip (no network). */
const EMOJI: Record<string, string> = {
  OK: '👌', THUMBSUP: '👍', THANKS: '🙏', MUSCLE: '💪', APPLAUSE: '👏', FISTBUMP: '🤜', DONE: '✅', SMILE: '😄', LAUGH: '😆', JOYFUL: '😊',
  HEART: '❤️', FIRE: '🔥', PARTY: '🎉', Partying: '🥳', CLAP: '👏', WAVE: '👋', THINKING: '🤔', CRY: '😢', ANGRY: '😠', ROSE: '🌹',
  BEER: '🍺', CAKE: '🎂', GIFT: '🎁', STAR: '⭐', CHECK: '✔️', CROSS: '❌', YES: '✅', NO: '🚫', ONEHUNDRED: '💯', ROCKET: '🚀',
};

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
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

export function colorValue(name: string | undefined, dark = false): string | null {
  if (!name) return null;
  const c = CARD_COLORS[name];
  if (c) return dark ? c[1] : c[0];
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(name) ? name : null;
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)"|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
};

/**
 * lark_md and the markdown component as HTML. Everything is escaped first; only the tags the
 * platform supports are turned back into markup, so a card cannot inject script into a preview.
 */
export function renderMarkdown(source: string, opts: { block: boolean; dark?: boolean }): string {
  // \u0000 marks the kept markup: a card's own can never name a token. Other controls go too.
  // Where a token may appear is limited to element content: the patterns that build an
  // attribute (link targets, image keys) never take a \u0000.
  const tokens: string[] = [];
  let html = render(source.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''), opts, tokens);
  // Kept markup may hold kept markup (a mention inside a colour): expand a bounded number of levels.
  for (let depth = 0; depth < 32 && html.includes('\u0000'); depth++) html = html.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => tokens[Number(i)] ?? '');
  return html.replace(/\u0000/g, '');
}

function render(source: string, opts: { block: boolean; dark?: boolean }, tokens: string[]): string {
  const keep = (html: string) => `\u0000${tokens.push(html) - 1}\u0000`;
  let s = source;
  // Fenced code first: nothing inside is markup.
  if (opts.block) {
    s = s.replace(/```[\w+-]*\n([\s\S]*?)```/g, (_m, code: string) => keep(`<pre class="md-code"><code>${escapeHtml(code.replace(/\n$/, ''))}</code></pre>`));
  }
  s = s.replace(/`([^`\n]+)`/g, (_m, code: string) => keep(`<code>${escapeHtml(code)}</code>`));
  s = s.replace(/<at\b[^>]*>\s*<\/at>/gi, (tag) => {
    const who = attr(tag, 'id') ?? attr(tag, 'ids') ?? attr(tag, 'email') ?? '';
    return keep(`<span class="md-at" data-at="${escapeHtml(who)}">@${escapeHtml(who === 'all' ? 'all' : who)}</span>`);
  });
  s = s.replace(/<person\b[^>]*>\s*<\/person>/gi, (tag) => keep(`<span class="md-at">@${escapeHtml(attr(tag, 'id') ?? '')}</span>`));
  s = s.replace(/<local_datetime\b[^>]*>\s*<\/local_datetime>/gi, (tag) => {
    const ms = Number(attr(tag, 'millisecond'));
    return keep(`<span class="md-time">${escapeHtml(Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : 'send time')}</span>`);
  });
  s = s.replace(/<(font|text_tag|link|a|number_tag)\b([^>]*)>([\s\S]*?)<\/\1>/gi, (_m, name: string, attrs: string, inner: string) => {
    const tag = `<x ${attrs}>`;
    const body = render(inner, { block: false, dark: opts.dark }, tokens);
    switch (name.toLowerCase()) {
      case 'font': {
        const color = colorValue(attr(tag, 'color'), opts.dark);
        return keep(color ? `<span style="color:${color}">${body}</span>` : body);
      }
      case 'text_tag':
        return keep(`<span class="tag tag-${tagColor(attr(tag, 'color') ?? 'blue')}">${body}</span>`);
      case 'number_tag':
        return keep(`<span class="md-number">${body}</span>`);
      default:
        return keep(`<a href="${escapeHtml(safeUrl(attr(tag, 'url') ?? attr(tag, 'href') ?? ''))}">${body}</a>`);
    }
  });
  s = s.replace(/<br\s*\/?>/gi, () => keep('<br>'));
  s = s.replace(/<hr\s*\/?>/gi, () => keep('<hr class="md-hr">'));
  s = escapeHtml(s);
  s = s.replace(/!\[([^\]]*)\]\(([^)\s\u0000]+)\)/g, (_m, alt: string, key: string) => keep(`<span class="img-ph inline" title="${key}">[image: ${alt || key}]</span>`));
  // The URL was escaped with the rest: it is read back before its scheme is checked.
  s = s.replace(/\[([^\]]+)\]\(([^)\s\u0000]+)\)/g, (_m, text: string, url: string) => keep(`<a href="${escapeHtml(safeUrl(unescapeHtml(url)))}">${text}</a>`));
  s = s.replace(/:([A-Za-z][A-Za-z0-9_]*):/g, (m, key: string) => (EMOJI[key] ? EMOJI[key]! : /^[A-Z]/.test(key) ? keep(`<span class="emoji" title="${key}">${key}</span>`) : m));
  s = s.replace(/(\*\*|__)(.+?)\1/g, '<strong>$2</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\n]+)\*(?!\*)/g, '$1<em>$2</em>');
  s = s.replace(/~~(.+?)~~/g, '<del>$1</del>');
  // Kept as a token like other links, so a table split on '|' never cuts inside its attribute;
  // and a '|' ends the URL, as it ends a table cell.
  s = s.replace(/(^|[\s(])(https?:\/\/[^\s<|\u0000]+)/g, (_m, pre: string, url: string) => `${pre}${keep(`<a href="${escapeHtml(safeUrl(unescapeHtml(url)))}">${url}</a>`)}`);
  return opts.block ? blocks(s) : s.replace(/\n/g, '<br>');
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Bounds on what a preview draws of one table; the rest of a larger one is dropped. */
const MAX_TABLE_COLUMNS = 100;
const MAX_TABLE_ROWS = 1000;

const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$/;

/** The cells of a table row: outer pipes dropped, split on '|' that is not escaped. */
function cells(row: string): string[] {
  const parts = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/);
  return parts.map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** Headings, quotes, lists, dividers and paragraphs of the markdown component. */
function blocks(s: string): string {
  const out: string[] = [];
  let list = null as { type: 'ul' | 'ol'; items: string[] } | null;
  const flush = () => {
    if (list) out.push(`<${list.type}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.type}>`);
    list = null;
  };
  const lines = s.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // A GFM table: a header row, a |---|:---:| row, then rows while they have a '|'.
    if (line.includes('|') && TABLE_RULE.test(lines[i + 1] ?? '')) {
      flush();
      const align = cells(lines[i + 1]!).slice(0, MAX_TABLE_COLUMNS).map((c) => (/^:-+:$/.test(c) ? 'center' : /^-+:$/.test(c) ? 'right' : /^:-+$/.test(c) ? 'left' : ''));
      // Each row is split once: splitting per column made a wide table quadratic.
      const row = (text: string, cell: 'th' | 'td') => {
        const parts = cells(text);
        return `<tr>${align.map((al, k) => `<${cell}${al ? ` class="al-${al}"` : ''}>${parts[k] ?? ''}</${cell}>`).join('')}</tr>`;
      };
      const body: string[] = [];
      let j = i + 2;
      for (; j < lines.length && lines[j]!.includes('|') && lines[j]!.trim() !== ''; j++) if (body.length < MAX_TABLE_ROWS) body.push(row(lines[j]!, 'td'));
      out.push(`<table class="md-table"><thead>${row(line, 'th')}</thead><tbody>${body.join('')}</tbody></table>`);
      i = j - 1;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      const type = bullet ? 'ul' : 'ol';
      if (list?.type !== type) flush();
      list ??= { type, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
      continue;
    }
    flush();
    if (heading) out.push(`<div class="md-h md-h${heading[1]!.length}">${heading[2]}</div>`);
    else if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) out.push('<hr class="md-hr">');
    else if (/^&gt;\s?/.test(line)) out.push(`<blockquote>${line.replace(/^&gt;\s?/, '')}</blockquote>`);
    else if (line.trim() === '') out.push('<div class="md-gap"></div>');
    else out.push(`<div class="md-p">${line}</div>`);
  }
  flush();
  return out.join('');
}
