/**
 * Where a card names images: every `img_key` (img, img_combination, select_img options, custom
 * icons, 1.0 note and div extras), `i18n_img_key` maps, and `![alt](key)` in markdown and lark_md
 * text. One walker serves the emulator's key check, `send --upload-images` and lint.
 */
import { markdownImages } from './text-links.js';

export interface ImageRef {
  /** JSON Pointer of the string that holds the reference. */
  pointer: string;
  /** The key (or, before upload, the local path) as written. */
  value: string;
  /** `field`: the whole string is the key; `markdown`: the key sits inside `![…](…)`. */
  kind: 'field' | 'markdown';
}

const TEXT_KEYS = new Set(['content', 'text']);

const escapePointer = (s: string) => (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);

/** A place in the walk: its pointer is spelled out only when a reference is found below it. */
interface Frame {
  node: object;
  up: Frame | null;
  key: string | number;
}

function pointerOf(frame: Frame, key?: string): string {
  const parts: string[] = key === undefined ? [] : [escapePointer(key)];
  for (let f: Frame | null = frame; f.up !== null; f = f.up) parts.push(typeof f.key === 'number' ? String(f.key) : escapePointer(f.key));
  return parts.length ? `/${parts.reverse().join('/')}` : '';
}

/**
 * Lists the image references of a card. Iterative, so a deeply nested card cannot overflow the
 * stack; every send runs it, so pointers are built only for the references found.
 */
export function findImageRefs(card: unknown): ImageRef[] {
  const refs: ImageRef[] = [];
  if (typeof card !== 'object' || card === null) return refs;
  const stack: Frame[] = [{ node: card, up: null, key: '' }];
  while (stack.length) {
    const frame = stack.pop()!;
    const node = frame.node;
    const firstChild = stack.length;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'object' && v !== null) stack.push({ node: v, up: frame, key: i });
      }
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const value = record[key];
        if (key === 'img_key' && typeof value === 'string') refs.push({ pointer: pointerOf(frame, key), value, kind: 'field' });
        else if (key === 'i18n_img_key' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
          for (const [locale, v] of Object.entries(value)) if (typeof v === 'string') refs.push({ pointer: `${pointerOf(frame, key)}/${escapePointer(locale)}`, value: v, kind: 'field' });
        } else if (TEXT_KEYS.has(key) && typeof value === 'string' && value.includes('![')) {
          for (const image of markdownImages(value)) refs.push({ pointer: pointerOf(frame, key), value: image.target, kind: 'markdown' });
        } else if (typeof value === 'object' && value !== null) stack.push({ node: value, up: frame, key });
      }
    }
    // The children were pushed in document order; reversed, the walk visits them in that order.
    for (let i = firstChild, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = t;
    }
  }
  return refs;
}

/** A value that names a key the platform issued, not a local file or a template placeholder. */
export function looksLikeImageKey(value: string): boolean {
  return /^img_[A-Za-z0-9_-]+$/.test(value);
}

/**
 * Whether a value holds a `${…}` placeholder. Read with indexOf: a pattern scanning for the `}`
 * from every `${` is quadratic in a run of `${` with no `}`.
 */
export function isPlaceholder(value: string): boolean {
  for (let open = value.indexOf('${'); open !== -1; open = value.indexOf('${', open + 1)) {
    // The first `}` after a `${` with something inside ends a placeholder; with none after it, no later `${` has one.
    const close = value.indexOf('}', open + 2);
    if (close === -1) return false;
    if (close > open + 2) return true;
  }
  return false;
}

/** Replaces references in place: `field` strings wholesale, `markdown` ones inside their `![…](…)`. */
export function replaceImageRefs(card: unknown, replacements: Map<string, string>): void {
  // A text holding many images is rewritten once, not once for each of them.
  const rewritten = new Set<string>();
  for (const ref of findImageRefs(card)) {
    if (ref.kind === 'markdown' && rewritten.has(ref.pointer)) continue;
    const next = replacements.get(ref.value);
    if (next === undefined) continue;
    const parts = ref.pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent = card as Record<string, unknown>;
    for (const p of parts) parent = parent[p] as Record<string, unknown>;
    if (ref.kind === 'field') {
      parent[last] = next;
      continue;
    }
    rewritten.add(ref.pointer);
    const text = String(parent[last]);
    let out = '';
    let copied = 0;
    for (const image of markdownImages(text)) {
      const key = replacements.get(image.target);
      if (key === undefined) continue;
      out += `${text.slice(copied, image.targetStart)}${key})`;
      copied = image.end;
    }
    parent[last] = out + text.slice(copied);
  }
}
