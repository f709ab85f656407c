import { realpath } from 'node:fs/promises';
import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readUserFile, readUserFileHead } from '../input/user-file.js';
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

/** Whether `target` is strictly inside `root` (a name that merely starts with two dots, like `..a.png`, is inside). */
function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The local image files a card names where the platform wants an image key. Paths resolve
 * against the card's folder and must stay inside it, or inside `imagesDir` when one is given
 * (the working directory when the card comes from stdin), judged on real paths: a card from
 * elsewhere cannot make `--upload-images` send /etc/passwd or ~/.ssh to the platform, wherever
 * card runs from.
 */
export async function localImagesOf(card: unknown, cardFile: string | null, cwd: string, imagesDir?: string): Promise<LocalImage[]> {
  const cardDir = cardFile && cardFile !== '-' ? dirname(resolve(cwd, cardFile)) : cwd;
  const base = imagesDir === undefined ? cardDir : resolve(cwd, imagesDir);
  const realBase = await realpath(base).catch(() => {
    throw usageError(imagesDir === undefined ? `the card's folder ${base} cannot be read` : `--images-dir ${imagesDir} is not a folder card can read`);
  });
  const seen = new Map<string, LocalImage>();
  for (const ref of findImageRefs(card)) {
    const v = ref.value;
    if (looksLikeImageKey(v) || isPlaceholder(v) || /^[a-z][a-z0-9+.-]*:/i.test(v) || seen.has(v)) continue;
    const path = resolve(cardDir, v);
    if (!IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) {
      throw usageError(`image ${JSON.stringify(v)} at ${ref.pointer} is not an image file the platform takes (${[...IMAGE_EXTENSIONS].join(' ')})`);
    }
    const outside = (detail = '') =>
      usageError(`image ${JSON.stringify(v)} at ${ref.pointer} is outside ${imagesDir === undefined ? "the card's folder" : '--images-dir'}${detail}; --upload-images uploads only files under ${base}`);
    // First as written (no file is touched for a path that climbs out), then on real paths: a link
    // inside the folder that points outside it is outside.
    if (!inside(base, path) && !inside(realBase, path)) throw outside();
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`image ${path} (at ${ref.pointer}) does not exist`);
      throw err;
    }
    if (!inside(realBase, real)) throw outside(real !== path ? ` (it links to ${real})` : '');
    const { head, size } = await readUserFileHead(real, 16, { what: 'image', where: `at ${ref.pointer}`, maxBytes: IMAGE_MAX_BYTES, tooLarge: (_, n) => usageError(`image ${path} is ${n} bytes; the platform takes images up to 10 MB`) });
    if (size === 0) throw usageError(`image ${path} is empty; the platform refuses empty images`);
    // The bytes must be an image too: a file named .png is not sent unless it starts like one.
    if (!looksLikeImageBytes(head)) throw usageError(`image ${path} (at ${ref.pointer}) does not start like an image file; nothing was uploaded`);
    seen.set(v, { ref: v, path: real });
  }
  return [...seen.values()];
}

const readImage = async (path: string) => (await readUserFile(path, { what: 'image', maxBytes: IMAGE_MAX_BYTES })).bytes;

/** Uploads each local image once and puts its key where the card named the file. */
export async function uploadLocalImages(
  card: unknown,
  images: LocalImage[],
  upload: (image: { data: Buffer; path: string }) => Promise<string>,
  onUploaded?: (image: LocalImage, key: string) => void,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const image of images) {
    const key = await upload({ data: await readImage(image.path), path: image.path });
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
export async function localImageDataUris(card: unknown, cardFile: string | null, warn: (m: string) => void, cwd: string): Promise<Map<string, string>> {
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
    if (mime) uris.set(image.ref, `data:${mime};base64,${(await readImage(image.path)).toString('base64')}`);
  }
  return uris;
}

/** The signatures of the formats the platform takes (PNG, JPEG, GIF, WEBP, BMP, ICO, TIFF, HEIC). */
export function looksLikeImageBytes(b: Buffer): boolean {
  const at = (offset: number, text: string) => b.subarray(offset, offset + text.length).toString('latin1') === text;
  return (
    (b[0] === 0x89 && at(1, 'PNG')) ||
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
    at(0, 'GIF8') ||
    (at(0, 'RIFF') && at(8, 'WEBP')) ||
    at(0, 'BM') ||
    (b[0] === 0 && b[1] === 0 && (b[2] === 1 || b[2] === 2) && b[3] === 0) ||
    at(0, 'II*\u0000') ||
    at(0, 'MM\u0000*') ||
    (at(4, 'ftyp') && /^(heic|heix|mif1|msf1|hevc)$/.test(b.subarray(8, 12).toString('latin1')))
  );
}
