import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { attachmentDisposition } from '../../http/content-disposition.js';
import { MEDIA_LIMITS, type MediaRecord } from '../media.js';
import type { Store } from '../store.js';
import { MultipartError, parseMultipart, type FormPart } from '../multipart.js';

const RESOURCE_SCOPES = ['im:resource', 'im:resource:upload'] as const;
const IMAGE_FORMATS = new Set(['jpg', 'png', 'webp', 'gif', 'bmp', 'ico', 'cur', 'tiff', 'heif']);
const FILE_TYPES = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);

const invalid = (what: string) => new PlatformError(400, 234001, `Invalid request param: ${what}.`);

/** The form's parts; an upload that does not parse is an invalid parameter, as on the platform. */
function formParts(ctx: RouteContext): Map<string, FormPart> {
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type)) throw invalid('the body must be multipart/form-data');
  try {
    return parseMultipart(ctx.raw, type);
  } catch (err) {
    if (err instanceof MultipartError) throw invalid(`the multipart body could not be read: ${err.message}`);
    throw err;
  }
}

const text = (parts: Map<string, FormPart>, name: string) => parts.get(name)?.data.toString('utf8');

function fileOf(parts: Map<string, FormPart>, field: string, limit: number): { bytes: Buffer; name: string } {
  const part = parts.get(field);
  if (!part) throw invalid(`${field} is required`);
  const file = { bytes: Buffer.from(part.data), name: part.fileName ?? '' };
  if (file.bytes.length === 0) throw new PlatformError(400, 234010, 'File\'s size can\'t be 0.');
  if (file.bytes.length > limit) throw new PlatformError(400, 234006, `The file size exceed the max value: ${limit} bytes.`);
  return file;
}

export async function sniffImage(bytes: Buffer): Promise<{ type: string; width: number; height: number } | null> {
  // image-size reads only headers; loaded on the first upload.
  const { imageSize } = await import('image-size');
  try {
    const r = imageSize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    return r.type && r.width && r.height ? { type: r.type, width: r.width, height: r.height } : null;
  } catch {
    return null;
  }
}

function ownedMedia(ctx: RouteContext, kind: 'image' | 'file', key: string): MediaRecord {
  const media = ctx.core.media;
  const m = media.get(key);
  if (!m || m.kind !== kind) {
    if (media.wasDropped(key)) throw new PlatformError(400, 234005, `The ${kind} has been deleted: the emulator dropped ${key} to stay within its storage bound.`);
    // The docs list no "not found" code for downloads; an unknown key is an invalid parameter.
    throw new PlatformError(400, 234001, `Invalid request param: no ${kind} ${key} was uploaded.`);
  }
  if (m.app_id !== null && m.app_id !== ctx.app.app_id) throw new PlatformError(400, 234008, 'The app is not the resource sender.');
  if (kind === 'image' && m.type !== 'message') throw new PlatformError(400, 234008, 'Only images uploaded with image_type "message" can be downloaded.');
  return m;
}

export function download(m: MediaRecord, contentType: string) {
  if (!m.bytes) throw new PlatformError(400, 234001, `${m.key} is a seeded key: the emulator has no bytes for it.`);
  // SDKs take the download's file_name from this header; without a usable name it is called by its key.
  const byKey = m.kind === 'image' ? `${m.key}.${m.format}` : m.key;
  return { body: null, bytes: { data: m.bytes, contentType }, headers: { 'Content-Disposition': attachmentDisposition(m.file_name ?? '', byKey) } };
}

export const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp', ico: 'image/x-icon', cur: 'image/x-icon', tiff: 'image/tiff', heif: 'image/heif' };

/** For the inbox: uploaded images show from the emulator's own origin; seeded keys (no bytes) stay placeholders. */
export function inboxImageSrc(store: Store): (key: string) => string | null {
  return (key) => (store.media.get(key)?.kind === 'image' && store.media.get(key)?.bytes ? `/_emulator/images/${encodeURIComponent(key)}` : null);
}

export const mediaRoutes: Route[] = [
  {
    // The inbox page's images: control API, so only loopback Hosts and the emulator's own Origin reach it.
    method: 'GET',
    pattern: '/_emulator/images/:image_key',
    auth: 'none',
    handle(ctx) {
      const m = ctx.core.media.get(ctx.params.image_key!);
      if (!m || m.kind !== 'image' || !m.bytes) throw new PlatformError(404, 404, `no uploaded image ${ctx.params.image_key}`);
      return { body: null, bytes: { data: m.bytes, contentType: MIME[m.format] ?? 'application/octet-stream' } };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/images',
    auth: 'tenant',
    body: 'raw',
    maxBodyBytes: MEDIA_LIMITS.imageMaxBytes + 64 * 1024,
    scopes: RESOURCE_SCOPES,
    async handle(ctx) {
      const parts = formParts(ctx);
      const imageType = text(parts, 'image_type');
      if (imageType !== 'message' && imageType !== 'avatar') throw invalid('image_type must be "message" or "avatar"');
      const file = fileOf(parts, 'image', MEDIA_LIMITS.imageMaxBytes);
      const sniffed = await sniffImage(file.bytes);
      if (!sniffed || !IMAGE_FORMATS.has(sniffed.type)) throw new PlatformError(400, 234011, 'Can\'t regonnize the image format.');
      const max = imageType === 'avatar' ? 4096 : sniffed.type === 'gif' ? 2000 : 12000;
      if (sniffed.width > max || sniffed.height > max) {
        throw new PlatformError(400, 234039, `Image resolution exceeds limit: ${sniffed.width}×${sniffed.height}, at most ${max}×${max} for ${imageType === 'avatar' ? 'avatars' : sniffed.type === 'gif' ? 'GIFs' : 'images'}.`);
      }
      const format = sniffed.type === 'tiff' || sniffed.type === 'heif' ? 'jpg' : sniffed.type; // the platform converts these to JPG
      const m = ctx.core.media.add({ kind: 'image', app_id: ctx.app.app_id, type: imageType, format, file_name: file.name || null, width: sniffed.width, height: sniffed.height, bytes: file.bytes, created_at: ctx.core.now() });
      return { body: { code: 0, msg: 'success', data: { image_key: m.key } } };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/images/:image_key',
    auth: 'tenant',
    handle(ctx) {
      const m = ownedMedia(ctx, 'image', ctx.params.image_key!);
      return download(m, MIME[m.format] ?? 'application/octet-stream');
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/im/v1/files',
    auth: 'tenant',
    body: 'raw',
    maxBodyBytes: MEDIA_LIMITS.fileMaxBytes + 64 * 1024,
    scopes: RESOURCE_SCOPES,
    async handle(ctx) {
      const parts = formParts(ctx);
      const fileType = text(parts, 'file_type') ?? '';
      if (!FILE_TYPES.has(fileType)) throw invalid(`file_type must be one of ${[...FILE_TYPES].join(', ')}`);
      const fileName = text(parts, 'file_name') ?? '';
      if (!fileName) throw invalid('file_name is required');
      // Optional: an empty part is an unset field (the Python SDK's encoder sends every declared field).
      const duration = text(parts, 'duration') || undefined;
      if (duration !== undefined && !/^\d+$/.test(duration)) throw invalid('duration must be a whole number of milliseconds');
      const file = fileOf(parts, 'file', MEDIA_LIMITS.fileMaxBytes);
      const m = ctx.core.media.add({ kind: 'file', app_id: ctx.app.app_id, type: fileType, format: fileType, file_name: fileName, width: null, height: null, bytes: file.bytes, created_at: ctx.core.now() });
      return { body: { code: 0, msg: 'success', data: { file_key: m.key } } };
    },
  },
  {
    method: 'GET',
    pattern: '/open-apis/im/v1/files/:file_key',
    auth: 'tenant',
    scopes: RESOURCE_SCOPES,
    handle(ctx) {
      return download(ownedMedia(ctx, 'file', ctx.params.file_key!), 'application/octet-stream');
    },
  },
];
