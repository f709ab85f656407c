import type { Context } from '../../context.js';
import { localImagesOf, uploadLocalImages } from '../../card/local-images.js';
import type { CardSource } from '../../card/source.js';
import type { FeishuClient } from '../../feishu/client.js';
import { uploadImage } from '../../feishu/media-api.js';
import { usageError } from '../../output/errors.js';

/**
 * `send --upload-images`: the local image files a card names are uploaded first and their keys
 * put in their place, so the card that is sent names only keys. A dry run lists them and uploads nothing.
 */
export async function uploadCardImages(ctx: Context, source: CardSource, file: string | undefined, getClient: () => Promise<FeishuClient>, dryRun: boolean): Promise<CardSource> {
  if (source.kind !== 'inline') throw usageError('--upload-images works on card files, not templates (upload with card upload-image and pass the key as a variable)');
  const images = await localImagesOf(source.card, file ?? null);
  if (!images.length) {
    ctx.out.info('--upload-images: the card names no local image files');
    return source;
  }
  if (dryRun) {
    for (const image of images) ctx.out.info(`would upload ${image.path} for ${JSON.stringify(image.ref)}`);
    return source;
  }
  const client = await getClient();
  await uploadLocalImages(source.card, images, (image) => uploadImage(client, image), (image, key) => ctx.out.info(`uploaded ${image.ref} → ${key}`));
  return { ...source, content: JSON.stringify(source.card) };
}
