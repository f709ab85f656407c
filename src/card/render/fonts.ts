import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/**
 * Fonts for the PNG preview, from the npm registry (@fontsource): Noto Sans SC for Chinese and
 * Latin, Noto Color Emoji (COLRv1, which Chromium draws) for emoji. A machine without a CJK font (the default on CI) would
 * otherwise draw boxes. Only the slices whose unicode-range the card's text touches are
 * inlined, as data: URLs, so the page still makes no request (its CSP allows `font-src data:`).
 */
export const SANS_FAMILY = 'card Noto Sans SC';
export const EMOJI_FAMILY = 'card Noto Color Emoji';

interface Face {
  family: string;
  weight: number;
  file: string;
  ranges: Array<[number, number]>;
}

interface FontSet {
  faces: Face[];
}

let cached: FontSet | null | undefined;

function parseRanges(s: string): Array<[number, number]> {
  return s.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(lo!, 16), parseInt(hi ?? lo!, 16)] as [number, number];
  });
}

function facesOf(pkg: string, cssFile: string, family: string, require: NodeRequire, clip?: (r: [number, number]) => [number, number] | null): Face[] {
  const css = require.resolve(`${pkg}/${cssFile}`);
  const text = readFileSync(css, 'utf8');
  const faces: Face[] = [];
  for (const block of text.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    const weight = Number(/font-weight:\s*(\d+)/.exec(block)?.[1] ?? 400);
    if (!file || !range) continue;
    let ranges = parseRanges(range);
    if (clip) ranges = ranges.map(clip).filter((r): r is [number, number] => r !== null);
    if (ranges.length) faces.push({ family, weight, file: join(dirname(css), 'files', file), ranges });
  }
  return faces;
}

/** The fonts that ship with card, or null when the optional packages were not installed. */
export function bundledFonts(): FontSet | null {
  if (cached !== undefined) return cached;
  try {
    const require = createRequire(import.meta.url);
    // The emoji font also has digits, '#', arrows and ™ (for keycaps and the like): it is kept to
    // pictographs and comes first, so text stays in Noto Sans and emoji are in colour.
    const emojiOnly = ([lo, hi]: [number, number]): [number, number] | null => (hi < 0x2300 ? null : [Math.max(lo, 0x2300), hi]);
    cached = {
      faces: [
        ...facesOf('@infolektuell/noto-color-emoji', 'index.css', EMOJI_FAMILY, require, emojiOnly),
        ...facesOf('@fontsource/noto-sans-sc', '400.css', SANS_FAMILY, require),
        ...facesOf('@fontsource/noto-sans-sc', '700.css', SANS_FAMILY, require),
      ],
    };
  } catch {
    cached = null;
  }
  return cached;
}

const rangeList = (f: Face) => f.ranges.map(([lo, hi]) => (lo === hi ? `U+${lo.toString(16)}` : `U+${lo.toString(16)}-${hi.toString(16)}`)).join(',');
const FONT_STACK = `'${EMOJI_FAMILY}','${SANS_FAMILY}',sans-serif`;
/** Puts the shipped fonts first wherever a page draws text (code keeps a monospace face). */
const STACK_CSS = `body,.btn,.select,input,textarea{font-family:${FONT_STACK}}code,.md-code{font-family:ui-monospace,Menlo,monospace,${FONT_STACK}}`;

/**
 * For a page that is served (the emulator's inbox): every shipped face as an @font-face rule whose
 * source is `urlOf(name)`. A browser fetches a slice only when the page draws a character of its
 * range, so the page stays small and Chinese or emoji draw without a system font.
 */
export function servedFontCss(urlOf: (name: string) => string, fonts: FontSet | null = bundledFonts()): string {
  if (!fonts) return '';
  const rules = fonts.faces.map((f) => `@font-face{font-family:'${f.family}';font-weight:${f.weight};font-style:normal;font-display:swap;src:url(${urlOf(basename(f.file))}) format('woff2');unicode-range:${rangeList(f)}}`);
  return rules.join('') + STACK_CSS;
}

/** The file of a shipped font by the name servedFontCss gave it, or null for any other name. */
export function servedFontPath(name: string, fonts: FontSet | null = bundledFonts()): string | null {
  if (!fonts || !/^[a-z0-9-]+\.woff2$/i.test(name)) return null;
  return fonts.faces.find((f) => basename(f.file) === name)?.file ?? null;
}

const covers = (face: Face, cp: number) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** Code points a font is not needed for: controls, spaces and joiners that draw nothing. */
const invisible = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x200b || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0020 && cp <= 0xe007f);

export interface PageFonts {
  /** @font-face rules with inlined fonts, and the font stack that puts them first. */
  css: string;
  /** Characters of the text that no shipped font draws (each once, in order of appearance). */
  missing: string[];
}

/** The @font-face rules the text needs, and the characters no shipped font has. */
export function fontsFor(text: string, fonts: FontSet | null = bundledFonts()): PageFonts {
  const codePoints = new Set<number>();
  for (const ch of text) codePoints.add(ch.codePointAt(0)!);
  // Without the font packages, only the system's fonts draw: anything past Latin may be a box.
  if (!fonts) return { css: '', missing: [...codePoints].filter((cp) => cp > 0x24f && !invisible(cp)).map((cp) => String.fromCodePoint(cp)) };
  const used = new Set<Face>();
  const missing: string[] = [];
  for (const cp of codePoints) {
    if (invisible(cp)) continue;
    const faces = fonts.faces.filter((f) => covers(f, cp));
    if (!faces.length) missing.push(String.fromCodePoint(cp));
    // Bold text needs the 700 face of the same slice; the emoji font has only one.
    for (const f of faces) used.add(f);
  }
  const rules = [...used].map((f) => {
    const data = readFileSync(f.file).toString('base64');
    return `@font-face{font-family:'${f.family}';font-weight:${f.weight};font-style:normal;font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${rangeList(f)}}`;
  });
  return { css: rules.join('') + STACK_CSS, missing };
}
