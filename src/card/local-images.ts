import { stat, readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { usageError } from '../output/errors.js';
import { findImageRefs, isPlaceholder, looksLikeImageKey, replaceImageRefs } from './image-refs.js';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.ico', '.tif', '.tiff', '.heic']);
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

export interface LocalImage {
  /** As written in the card. */
  ref: string;
  /** Resolved on disk. */
  path: string;
}

/**
 * The local image files a card names where the platform wants an image key. Paths resolve
 * against the card's folder and must stay inside it (or the working directory): a card from
 * elsewhere cannot make `--upload-images` send /etc/passwd or ~/.ssh to the platform.
 */
export async function localImagesOf(card: unknown, cardFile: string | null, cwd = process.cwd()): Promise<LocalImage[]> {
  const base = cardFile && cardFile !== '-' ? dirname(resolve(cwd, cardFile)) : cwd;
  const seen = new Map<string, LocalImage>();
  for (const ref of findImageRefs(card)) {
    const v = ref.value;
    if (looksLikeImageKey(v) || isPlaceholder(v) || /^[a-z][a-z0-9+.-]*:/i.test(v) || seen.has(v)) continue;
    const path = resolve(base, v);
    const inside = [base, cwd].some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
    if (!inside) throw usageError(`image ${JSON.stringify(v)} at ${ref.pointer} is outside the card's folder; --upload-images uploads only files under ${base}`);
    if (!IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) {
      throw usageError(`image ${JSON.stringify(v)} at ${ref.pointer} is not an image file the platform takes (${[...IMAGE_EXTENSIONS].join(' ')})`);
    }
    let size: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) throw usageError(`image ${path} (at ${ref.pointer}) is not a file`);
      size = s.size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`image ${path} (at ${ref.pointer}) does not exist`);
      throw err;
    }
    if (size === 0) throw usageError(`image ${path} is empty; the platform refuses empty images`);
    if (size > IMAGE_MAX_BYTES) throw usageError(`image ${path} is ${size} bytes; the platform takes images up to 10 MB`);
    seen.set(v, { ref: v, path });
  }
  return [...seen.values()];
}

/** Uploads each local image once and puts its key where the card named the file. */
export async function uploadLocalImages(
  card: unknown,
  images: LocalImage[],
  upload: (image: { data: Buffer; path: string }) => Promise<string>,
  onUploaded?: (image: LocalImage, key: string) => void,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const image of images) {
    const key = await upload({ data: await readFile(image.path), path: image.path });
    keys.set(image.ref, key);
    onUploaded?.(image, key);
  }
  replaceImageRefs(card, keys);
  return keys;
}

const MIME_BY_EXT: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp', '.ico': 'image/x-icon' };

/**
 * For `card preview`: the card's local image files (the ones `send --upload-images` would upload)
 * as data: URIs, so the preview shows them. Anything that is not such a file, or that a browser
 * cannot show (TIFF, HEIC), stays a placeholder; `warn` says why.
 */
export async function localImageDataUris(card: unknown, cardFile: string | null, warn: (m: string) => void, cwd = process.cwd()): Promise<Map<string, string>> {
  const uris = new Map<string, string>();
  let images: LocalImage[];
  try {
    images = await localImagesOf(card, cardFile, cwd);
  } catch (err) {
    warn(`images are shown as placeholders: ${(err as Error).message}`);
    return uris;
  }
  for (const image of images) {
    const mime = MIME_BY_EXT[extname(image.path).toLowerCase()];
    if (mime) uris.set(image.ref, `data:${mime};base64,${(await readFile(image.path)).toString('base64')}`);
  }
  return uris;
}
