/**
 * Links and images named inside card text: `[text](url)`, `![alt](key)`, `<a href=…>` and
 * `<link url=…>`. Lint and every send read these from text a sender controls, so each is a scanner
 * that reads the text a bounded number of times, where a single regular expression restarts its
 * scan at every opener whose closer never comes (quadratic in the text).
 */

/**
 * The next place a global pattern matches at or after a position. The last answer is kept, so a
 * caller asking from positions that only grow reads each stretch of the text once.
 */
class NextMatch {
  private searchedFrom = -1;
  private found: RegExpExecArray | null = null;

  constructor(
    private readonly text: string,
    private readonly pattern: RegExp,
  ) {}

  /** The leftmost match starting at `from` or later, or null. */
  from(from: number): RegExpExecArray | null {
    const kept = this.searchedFrom !== -1 && from >= this.searchedFrom && (this.found === null || from <= this.found.index);
    if (!kept) {
      this.pattern.lastIndex = from;
      this.found = this.pattern.exec(this.text);
      this.searchedFrom = from;
    }
    return this.found;
  }

  /** Where the next match starts, or -1. */
  indexFrom(from: number): number {
    return this.from(from)?.index ?? -1;
  }
}

/**
 * Targets of markdown links, `[text](url)` but not `![alt](key)`: the text runs to the first `]`,
 * `(` follows at once, and the target is what comes after any spaces, up to a space or `)`.
 */
export function markdownLinkTargets(text: string): string[] {
  const targets: string[] = [];
  if (!text.includes('](')) return targets;
  const close = new NextMatch(text, /\]/g);
  const start = new NextMatch(text, /\S/g);
  const end = new NextMatch(text, /[)\s]/g);
  let open = text.indexOf('[');
  while (open !== -1) {
    let next = open + 1;
    const shut = close.indexFrom(open + 1);
    // No `]` after this `[` means none after any later `[` either.
    if (shut === -1) break;
    if (text[open - 1] !== '!' && text[shut + 1] === '(') {
      const from = start.indexFrom(shut + 2);
      if (from !== -1 && text[from] !== ')') {
        const to = end.indexFrom(from + 1);
        next = to === -1 ? text.length : to;
        targets.push(text.slice(from, next));
      }
    }
    open = text.indexOf('[', next);
  }
  return targets;
}

const HTML_LINK_OPENER = /<(a|link)\s/gi;
/** The attribute that holds the target: `href` in `<a>`, any of the url keys in `<link>`. */
const HTML_LINK_ATTRIBUTE = {
  a: /\bhref\s*=\s*/gi,
  link: /\b(?:url|pc_url|ios_url|android_url)\s*=\s*/gi,
};
/** A value quoted with one kind of quote, or bare; an unmatched quote leaves it empty. */
const HTML_ATTRIBUTE_VALUE = /(["']?)([^"'\s>]*)\1/y;

/**
 * Targets of `<a … href=…>` and `<link … url=…>` (any of its url keys): the first such attribute
 * before the tag's `>`, quoted or bare.
 */
export function htmlLinkTargets(text: string): string[] {
  const targets: string[] = [];
  const opener = new RegExp(HTML_LINK_OPENER);
  const tagEnd = new NextMatch(text, />/g);
  const attribute = { a: new NextMatch(text, new RegExp(HTML_LINK_ATTRIBUTE.a)), link: new NextMatch(text, new RegExp(HTML_LINK_ATTRIBUTE.link)) };
  const value = new RegExp(HTML_ATTRIBUTE_VALUE);
  for (let tag = opener.exec(text); tag !== null; tag = opener.exec(text)) {
    const inside = tag.index + tag[0].length;
    const found = attribute[tag[1]!.length === 1 ? 'a' : 'link'].from(inside);
    const end = tagEnd.indexFrom(inside);
    if (found === null || (end !== -1 && found.index > end)) {
      opener.lastIndex = tag.index + 1;
      continue;
    }
    value.lastIndex = found.index + found[0].length;
    const v = value.exec(text)!;
    targets.push(v[2]!);
    opener.lastIndex = value.lastIndex;
  }
  return targets;
}

export interface MarkdownImage {
  /** Where `![` starts. */
  start: number;
  /** Where the target starts, after `](`. */
  targetStart: number;
  /** Just past the closing `)`. */
  end: number;
  target: string;
}

/** Markdown images, `![alt](key)`: the alt text stays on one line and holds no `]`; the key holds no space or `)`. */
export function markdownImages(text: string): MarkdownImage[] {
  const images: MarkdownImage[] = [];
  const close = new NextMatch(text, /[\]\n]/g);
  const end = new NextMatch(text, /[)\s]/g);
  let open = text.indexOf('![');
  while (open !== -1) {
    let next = open + 1;
    const shut = close.indexFrom(open + 2);
    // No `]` or line end after this `![` means none after any later one either.
    if (shut === -1) break;
    if (text[shut] === ']' && text[shut + 1] === '(') {
      const to = end.indexFrom(shut + 2);
      if (to > shut + 2 && text[to] === ')') {
        images.push({ start: open, targetStart: shut + 2, end: to + 1, target: text.slice(shut + 2, to) });
        next = to + 1;
      }
    }
    open = text.indexOf('![', next);
  }
  return images;
}
