import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { attachmentDisposition } from '../../http/content-disposition.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { MEDIA_LIMITS, type MediaRecord } from '../media.js';
import type { AppRecord, Store } from '../store.js';
import { MultipartError, parseMultipart, type FormPart } from '../multipart.js';

const RESOURCE_SCOPES = ['im:resource', 'im:resource:upload'] as const;
const IMAGE_FORMATS = new Set(['jpg', 'png', 'webp', 'gif', 'bmp', 'ico', 'cur', 'tiff', 'heif']);
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'] as const;

/**
 * Uploads are multipart forms: the catalogue's JSON schemas do not read them, so their fields are
 * checked here, and each refusal is the platform's 234001 naming the field.
 */
const invalid = (what: string) => fail(234001, what);

/** The form's parts; an upload that does not parse is an invalid parameter, as on the platform. */
function formParts(req: RouteContext['req'], raw: Buffer): Map<string, FormPart> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type)) throw invalid('the body must be multipart/form-data');
  try {
    return parseMultipart(raw, type);
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
  if (file.bytes.length === 0) throw fail(234010);
  if (file.bytes.length > limit) throw fail(234006, `${field} is ${file.bytes.length} bytes, at most ${limit}`);
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

function ownedMedia(store: Store, app: AppRecord, kind: 'image' | 'file', key: string): MediaRecord {
  const media = store.media;
  const m = media.get(key);
  if (!m || m.kind !== kind) {
    if (media.wasDropped(key)) throw fail(234005, `the emulator dropped ${kind} ${key} to stay within its storage bound`);
    // The docs list no "not found" code for downloads; an unknown key is an invalid parameter.
    throw invalid(`no ${kind} ${key} was uploaded`);
  }
  if (m.app_id !== null && m.app_id !== app.app_id) throw fail(234008);
  if (kind === 'image' && m.type !== 'message') throw fail(234008, 'only images uploaded with image_type "message" can be downloaded');
  return m;
}

export function download(m: MediaRecord, contentType: string) {
  if (!m.bytes) throw invalid(`${m.key} is a seeded key: the emulator has no bytes for it`);
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
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/images',
    title: '上传图片',
    tokens: ['tenant'],
    scopes: RESOURCE_SCOPES,
    // multipart/form-data: image_type ("message" | "avatar") and image (the file).
    body: 'raw',
    maxBodyBytes: MEDIA_LIMITS.imageMaxBytes + 64 * 1024,
    errors: [234001, 234006, 234010, 234011, 234039],
    notes: 'Multipart `image_type` (`message` or `avatar`) and `image`; the format is read from the bytes (JPG, PNG, WEBP, GIF, BMP, ICO, TIFF, HEIC); at most 10 MB, not empty, a known format, resolution at most 12000 × 12000 (GIF 2000 × 2000, avatar 4096 × 4096); a body that is not multipart is refused. Answers an `img_v3_…` key.',
    coverage: { partial: 'the bytes are kept as sent: TIFF and HEIF are called JPG but not converted; the bot-ability check (234007) is not made' },
    async handle({ req, raw, app, core }) {
      const parts = formParts(req, raw);
      const imageType = text(parts, 'image_type');
      if (imageType !== 'message' && imageType !== 'avatar') throw invalid('image_type must be "message" or "avatar"');
      const file = fileOf(parts, 'image', MEDIA_LIMITS.imageMaxBytes);
      const sniffed = await sniffImage(file.bytes);
      if (!sniffed || !IMAGE_FORMATS.has(sniffed.type)) throw fail(234011);
      const max = imageType === 'avatar' ? 4096 : sniffed.type === 'gif' ? 2000 : 12000;
      if (sniffed.width > max || sniffed.height > max) {
        throw fail(234039, `${sniffed.width}×${sniffed.height}, at most ${max}×${max} for ${imageType === 'avatar' ? 'avatars' : sniffed.type === 'gif' ? 'GIFs' : 'images'}`);
      }
      const format = sniffed.type === 'tiff' || sniffed.type === 'heif' ? 'jpg' : sniffed.type; // the platform converts these to JPG
      const m = core.media.add({ kind: 'image', app_id: app.app_id, type: imageType, format, file_name: file.name || null, width: sniffed.width, height: sniffed.height, bytes: file.bytes, created_at: core.now() });
      return ok({ image_key: m.key });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/images/:image_key',
    title: '下载图片',
    tokens: ['tenant'],
    // The docs require no scope for this download.
    params: s.object({ image_key: s.string({ minLength: 1 }) }),
    errors: [234001, 234005, 234008],
    notes: 'The bytes, only for `message` images the calling app uploaded; `Content-Disposition: attachment` names the uploaded file (or `<image_key>.<format>` when it came without a name).',
    coverage: 'full',
    handle({ params, app, core }) {
      const m = ownedMedia(core.store, app, 'image', params.image_key);
      return download(m, MIME[m.format] ?? 'application/octet-stream');
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/files',
    title: '上传文件',
    tokens: ['tenant'],
    scopes: RESOURCE_SCOPES,
    // multipart/form-data: file_type, file_name, duration (optional, ms) and file.
    body: 'raw',
    maxBodyBytes: MEDIA_LIMITS.fileMaxBytes + 64 * 1024,
    errors: [234001, 234006, 234010],
    notes: 'Multipart `file_type` (`opus`, `mp4`, `pdf`, `doc`, `xls`, `ppt`, `stream`), `file_name`, optional `duration` (ms; an empty field counts as not sent), and `file`; at most 30 MB, not empty. Answers a `file_v3_…` key.',
    coverage: { partial: 'the file is not read: an opus or mp4 is taken at its word and its duration is not measured; the bot-ability check (234007) is not made' },
    async handle({ req, raw, app, core }) {
      const parts = formParts(req, raw);
      const fileType = text(parts, 'file_type') ?? '';
      if (!(FILE_TYPES as readonly string[]).includes(fileType)) throw invalid(`file_type must be one of ${FILE_TYPES.join(', ')}`);
      const fileName = text(parts, 'file_name') ?? '';
      if (!fileName) throw invalid('file_name is required');
      // Optional: an empty part is an unset field (the Python SDK's encoder sends every declared field).
      const duration = text(parts, 'duration') || undefined;
      if (duration !== undefined && !/^\d+$/.test(duration)) throw invalid('duration must be a whole number of milliseconds');
      const file = fileOf(parts, 'file', MEDIA_LIMITS.fileMaxBytes);
      const m = core.media.add({ kind: 'file', app_id: app.app_id, type: fileType, format: fileType, file_name: fileName, width: null, height: null, bytes: file.bytes, created_at: core.now() });
      return ok({ file_key: m.key });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/files/:file_key',
    title: '下载文件',
    tokens: ['tenant'],
    scopes: RESOURCE_SCOPES,
    params: s.object({ file_key: s.string({ minLength: 1 }) }),
    errors: [234001, 234005, 234008],
    notes: 'Download by the uploading app only, with `Content-Disposition: attachment; filename="…"` naming the file (and `filename*` in UTF-8 when the name is not plain ASCII).',
    coverage: 'full',
    handle({ params, app, core }) {
      return download(ownedMedia(core.store, app, 'file', params.file_key), 'application/octet-stream');
    },
  }),
];
