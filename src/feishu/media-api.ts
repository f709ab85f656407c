import { basename } from 'node:path';
import type { FeishuClient } from './client.js';
import { multipartBody } from './multipart.js';

/** im/v1/images: the upload that gives the image keys cards and messages use. */

export type ImageType = 'message' | 'avatar';

export async function uploadImage(client: FeishuClient, image: { data: Buffer; path: string }, imageType: ImageType = 'message'): Promise<string> {
  const body = multipartBody([
    { name: 'image_type', value: imageType },
    { name: 'image', value: { data: image.data, fileName: basename(image.path) } },
  ]);
  // Not idempotent: a retried upload would make a second key, harmless but not the same answer.
  const { data } = await client.call<{ image_key?: string }>({ method: 'POST', path: '/open-apis/im/v1/images', rawBody: body });
  if (typeof data.image_key !== 'string') throw new Error('im/v1/images answered without an image_key');
  return data.image_key;
}
