import type { LocalImage } from '../../card/local-images.js';
import type { CardSource } from '../../card/source.js';
import { findCardImages, uploadCardImages } from '../../feishu/card-images.js';
import type { CommandContext } from '../declare.js';

export interface ImageFlags {
  uploadImages?: boolean;
  imagesDir?: string;
}

/** The card's local images, found and checked once (src/feishu/card-images.ts). */
export function imagesOf(ctx: CommandContext, source: CardSource, file: string | undefined, flags: ImageFlags): Promise<LocalImage[]> {
  return findCardImages(source, file, flags.imagesDir, ctx.cwd);
}

/** What `--upload-images` says and does: nothing to upload, what a dry run would upload, or each upload. */
export async function putImages(ctx: CommandContext, source: CardSource, images: LocalImage[], dryRun: boolean): Promise<CardSource> {
  if (!images.length) {
    ctx.out.info('--upload-images: the card names no local image files');
    return source;
  }
  if (dryRun) {
    for (const image of images) ctx.out.info(`would upload ${image.path} for ${JSON.stringify(image.ref)}`);
    return source;
  }
  return uploadCardImages(await ctx.client(), source, images, (image, key) => ctx.out.info(`uploaded ${image.ref} → ${key}`));
}
