/**
 * Where a card names images: every `img_key` (img, img_combination, select_img options, custom
 * icons, 1.0 note and div extras), `i18n_img_key` maps, and `![alt](key)` in markdown and lark_md
 * text. One walker serves the emulator's key check, `send --upload-images` and lint.
 */

export interface ImageRef {
  /** JSON Pointer of the string that holds the reference. */
  pointer: string;
  /** The key (or, before upload, the local path) as written. */
  value: string;
  /** `field`: the whole string is the key; `markdown`: the key sits inside `![…](…)`. */
  kind: 'field' | 'markdown';
}

const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\(([^)\s]+)\)/g;
const TEXT_KEYS = new Set(['content', 'text']);

const escapePointer = (s: string) => (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);

const at = (pointer: string, key: string) => `${pointer}/${escapePointer(key)}`;

/** Lists the image references of a card. Iterative, so a deeply nested card cannot overflow the stack. */
export function findImageRefs(card: unknown): ImageRef[] {
  const refs: ImageRef[] = [];
  const stack: Array<{ node: unknown; pointer: string }> = [{ node: card, pointer: '' }];
  while (stack.length) {
    const { node, pointer } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], pointer: `${pointer}/${i}` });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const children: Array<{ node: unknown; pointer: string }> = [];
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      // The pointer is built only for a key that holds a reference or a child: most hold a plain value.
      if (key === 'img_key' && typeof value === 'string') refs.push({ pointer: at(pointer, key), value, kind: 'field' });
      else if (key === 'i18n_img_key' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [locale, v] of Object.entries(value)) if (typeof v === 'string') refs.push({ pointer: `${at(pointer, key)}/${escapePointer(locale)}`, value: v, kind: 'field' });
      } else if (TEXT_KEYS.has(key) && typeof value === 'string' && value.includes('![')) {
        for (const m of value.matchAll(MARKDOWN_IMAGE)) refs.push({ pointer: at(pointer, key), value: m[1]!, kind: 'markdown' });
      } else if (typeof value === 'object' && value !== null) children.push({ node: value, pointer: at(pointer, key) });
    }
    // Reversed onto the stack, so the walk visits children in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return refs;
}

/** A value that names a key the platform issued, not a local file or a template placeholder. */
export function looksLikeImageKey(value: string): boolean {
  return /^img_[A-Za-z0-9_-]+$/.test(value);
}

export const isPlaceholder = (value: string) => /\$\{[^}]+\}/.test(value);

/** Replaces references in place: `field` strings wholesale, `markdown` ones inside their `![…](…)`. */
export function replaceImageRefs(card: unknown, replacements: Map<string, string>): void {
  for (const ref of findImageRefs(card)) {
    const next = replacements.get(ref.value);
    if (next === undefined) continue;
    const parts = ref.pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent = card as Record<string, unknown>;
    for (const p of parts) parent = parent[p] as Record<string, unknown>;
    if (ref.kind === 'field') parent[last] = next;
    else parent[last] = String(parent[last]).replace(MARKDOWN_IMAGE, (whole, target: string) => (target === ref.value ? whole.replace(`(${target})`, `(${next})`) : whole));
  }
}
