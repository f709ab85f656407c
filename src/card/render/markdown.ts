import { CARD_COLORS } from './colors.js';

/** A few of the platform's emoji keys as Unicode; others show as a labelled chip (no network). */
const EMOJI: Record<string, string> = {
  OK: '👌', THUMBSUP: '👍', THANKS: '🙏', MUSCLE: '💪', APPLAUSE: '👏', FISTBUMP: '🤜', DONE: '✅', SMILE: '😄', LAUGH: '😆', JOYFUL: '😊',
  HEART: '❤️', FIRE: '🔥', PARTY: '🎉', Partying: '🥳', CLAP: '👏', WAVE: '👋', THINKING: '🤔', CRY: '😢', ANGRY: '😠', ROSE: '🌹',
  BEER: '🍺', CAKE: '🎂', GIFT: '🎁', STAR: '⭐', CHECK: '✔️', CROSS: '❌', YES: '✅', NO: '🚫', ONEHUNDRED: '💯', ROCKET: '🚀',
};

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function colorValue(name: string | undefined, dark = false): string | null {
  if (!name) return null;
  const c = CARD_COLORS[name];
  if (c) return dark ? c[1] : c[0];
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(name) ? name : null;
}

const safeUrl = (u: string) => (/^(https?:|lark:|tel:|mailto:)/i.test(u) ? u : '#');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)"|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
};

/**
 * lark_md and the markdown component as HTML. Everything is escaped first; only the tags the
 * platform supports are turned back into markup, so a card cannot inject script into a preview.
 */
export function renderMarkdown(source: string, opts: { block: boolean; dark?: boolean }): string {
  const tokens: string[] = [];
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
    const body = renderMarkdown(inner, { block: false, dark: opts.dark });
    switch (name.toLowerCase()) {
      case 'font': {
        const color = colorValue(attr(tag, 'color'), opts.dark);
        return keep(color ? `<span style="color:${color}">${body}</span>` : body);
      }
      case 'text_tag':
        return keep(`<span class="tag tag-${escapeHtml(attr(tag, 'color') ?? 'blue')}">${body}</span>`);
      case 'number_tag':
        return keep(`<span class="md-number">${body}</span>`);
      default:
        return keep(`<a href="${escapeHtml(safeUrl(attr(tag, 'url') ?? attr(tag, 'href') ?? ''))}">${body}</a>`);
    }
  });
  s = s.replace(/<br\s*\/?>/gi, () => keep('<br>'));
  s = s.replace(/<hr\s*\/?>/gi, () => keep('<hr class="md-hr">'));
  s = escapeHtml(s);
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, key: string) => keep(`<span class="img-ph inline" title="${key}">[image: ${alt || key}]</span>`));
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => keep(`<a href="${safeUrl(url)}">${text}</a>`));
  s = s.replace(/:([A-Za-z][A-Za-z0-9_]*):/g, (m, key: string) => (EMOJI[key] ? EMOJI[key]! : /^[A-Z]/.test(key) ? keep(`<span class="emoji" title="${key}">${key}</span>`) : m));
  s = s.replace(/(\*\*|__)(.+?)\1/g, '<strong>$2</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\n]+)\*(?!\*)/g, '$1<em>$2</em>');
  s = s.replace(/~~(.+?)~~/g, '<del>$1</del>');
  s = s.replace(/(^|[\s(])(https?:\/\/[^\s<]+)/g, (_m, pre: string, url: string) => `${pre}<a href="${url}">${url}</a>`);
  const html = opts.block ? blocks(s) : s.replace(/\n/g, '<br>');
  return html.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => tokens[Number(i)]!);
}

/** Headings, quotes, lists, dividers and paragraphs of the markdown component. */
function blocks(s: string): string {
  const out: string[] = [];
  let list = null as { type: 'ul' | 'ol'; items: string[] } | null;
  const flush = () => {
    if (list) out.push(`<${list.type}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.type}>`);
    list = null;
  };
  for (const line of s.split('\n')) {
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
