import { localImagesOf, uploadLocalImages, type LocalImage } from '../card/local-images.js';
import type { CardSource } from '../card/source.js';
import { usageError } from '../output/errors.js';
import type { FeishuClient } from './client.js';
import { uploadImage } from './media-api.js';

/**
 * `send --upload-images`, in one place for every kind of send: the local image files a card
 * names are found and checked once per run, then uploaded once each, and their keys put where
 * the card named the files, so the card that is sent names only keys.
 */

/** The local images of a card file; templates name none we could upload. */
export async function findCardImages(source: CardSource, cardFile: string | undefined, imagesDir: string | undefined, cwd: string): Promise<LocalImage[]> {
  if (source.kind !== 'inline') throw usageError('--upload-images works on card files, not templates (upload with card upload-image and pass the key as a variable)');
  return localImagesOf(source.card, cardFile ?? null, cwd, imagesDir);
}

/** Uploads the images found and gives the card with their keys in place. */
export async function uploadCardImages(client: FeishuClient, source: CardSource, images: LocalImage[], onUploaded: (image: LocalImage, key: string) => void): Promise<CardSource> {
  if (!images.length) return source;
  await uploadLocalImages(source.card, images, (image) => uploadImage(client, image), onUploaded);
  return { ...source, content: JSON.stringify(source.card) };
}
