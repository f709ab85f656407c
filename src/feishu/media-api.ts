import { basename } from 'node:path';
import type { FeishuClient } from './client.js';
import { multipartBody } from './multipart.js';

/** im/v1/images and im/v1/files: uploads that give the keys cards and messages use. */

export type ImageType = 'message' | 'avatar';
export type FileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

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

export async function uploadFile(
  client: FeishuClient,
  file: { data: Buffer; path: string },
  fileType: FileType,
  durationMs?: number,
): Promise<string> {
  const body = multipartBody([
    { name: 'file_type', value: fileType },
    { name: 'file_name', value: basename(file.path) },
    ...(durationMs !== undefined ? [{ name: 'duration', value: String(durationMs) }] : []),
    { name: 'file', value: { data: file.data, fileName: basename(file.path) } },
  ]);
  const { data } = await client.call<{ file_key?: string }>({ method: 'POST', path: '/open-apis/im/v1/files', rawBody: body });
  if (typeof data.file_key !== 'string') throw new Error('im/v1/files answered without a file_key');
  return data.file_key;
}

/** The file_type the platform expects for a file name. */
export function fileTypeFor(path: string): FileType {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  if (ext === 'opus' || ext === 'mp4' || ext === 'pdf' || ext === 'ppt' || ext === 'doc' || ext === 'xls') return ext;
  if (ext === 'docx') return 'doc';
  if (ext === 'xlsx') return 'xls';
  if (ext === 'pptx') return 'ppt';
  return 'stream';
}
