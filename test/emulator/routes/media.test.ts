import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';
import { PNG_1X1 } from '../../helpers/images.js';

/**
 * The upload and download entries of the catalogue: a success through the official SDK, read back
 * from the emulator's state, and a refusal naming the field. Limits, formats and ownership are
 * tested in depth in test/emulator/media-routes.test.ts and wire-habits.test.ts.
 */
const { t, sdk } = sdkForFile();

async function bytesOf(stream: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A download's refusal arrives as a stream (the SDK asked for one); its body is the platform's envelope. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; body: any }> {
  const r = await answer(p);
  return { status: r.status, body: r.body instanceof Readable ? JSON.parse((await bytesOf(r.body)).toString('utf8')) : r.body };
}

/** Uploads through the SDK; it answers the envelope's fields at the top level for uploads. */
async function uploadImage(imageType: 'message' | 'avatar' = 'message'): Promise<string> {
  const r = await answer(sdk().im.image.create({ data: { image_type: imageType, image: PNG_1X1 } }));
  expect(r.status).toBe(200);
  return (r.body?.image_key ?? r.body?.data?.image_key) as string;
}

async function uploadFile(name: string, bytes: Buffer): Promise<string> {
  const r = await answer(sdk().im.file.create({ data: { file_type: 'pdf', file_name: name, file: bytes } }));
  expect(r.status).toBe(200);
  return (r.body?.file_key ?? r.body?.data?.file_key) as string;
}

describe('POST /open-apis/im/v1/images', () => {
  it('keeps the image with its type, format and size, owned by the calling app', async () => {
    const key = await uploadImage('avatar');
    expect(key).toMatch(/^img_v3_/);
    expect(t.emu.core.store.media.get(key)).toMatchObject({ kind: 'image', app_id: t.app.app_id, type: 'avatar', format: 'png', width: 1, height: 1 });
  });

  it('refuses a missing image_type with 234001 naming it, and keeps nothing', async () => {
    const before = t.emu.core.store.media.list().length;
    const r = await answer(sdk().im.image.create({ data: { image: PNG_1X1 } as any }));
    expect([r.status, r.body.code]).toEqual([400, 234001]);
    expect(r.body.msg).toBe('Invalid request param: image_type must be "message" or "avatar"');
    expect(t.emu.core.store.media.list()).toHaveLength(before);
  });
});

describe('GET /open-apis/im/v1/images/:image_key', () => {
  it('answers the bytes uploaded, as an image', async () => {
    const key = await uploadImage();
    const got = await sdk().im.image.get({ path: { image_key: key } });
    expect((await bytesOf(got.getReadableStream())).equals(PNG_1X1)).toBe(true);
    expect(got.headers['content-type']).toBe('image/png');
  });

  it('refuses a key nobody uploaded with 234001 naming it', async () => {
    const r = await refusal(sdk().im.image.get({ path: { image_key: 'img_v3_never' } }));
    expect([r.status, r.body.code]).toEqual([400, 234001]);
    expect(r.body.msg).toContain('img_v3_never');
  });
});

describe('POST /open-apis/im/v1/files', () => {
  it('keeps the file with its type and name', async () => {
    const key = await uploadFile('report.pdf', Buffer.from('%PDF-1.4 made up'));
    expect(key).toMatch(/^file_v3_/);
    expect(t.emu.core.store.media.get(key)).toMatchObject({ kind: 'file', app_id: t.app.app_id, type: 'pdf', file_name: 'report.pdf' });
  });

  it('refuses a duration that is not a whole number of milliseconds, naming it', async () => {
    const r = await answer(sdk().im.file.create({ data: { file_type: 'mp4', file_name: 'a.mp4', duration: 1.5, file: Buffer.from('x') } }));
    expect([r.status, r.body.code]).toEqual([400, 234001]);
    expect(r.body.msg).toContain('duration');
  });
});

describe('GET /open-apis/im/v1/files/:file_key', () => {
  it('answers the bytes uploaded, with the file name the SDK reads', async () => {
    const bytes = Buffer.from('%PDF-1.4 made up');
    const key = await uploadFile('report.pdf', bytes);
    const got = await sdk().im.file.get({ path: { file_key: key } });
    expect((await bytesOf(got.getReadableStream())).equals(bytes)).toBe(true);
    expect(got.headers['content-disposition']).toContain('report.pdf');
  });

  it('refuses an image key asked for as a file with 234001 naming it', async () => {
    const key = await uploadImage();
    const r = await refusal(sdk().im.file.get({ path: { file_key: key } }));
    expect([r.status, r.body.code]).toEqual([400, 234001]);
    expect(r.body.msg).toBe(`Invalid request param: no file ${key} was uploaded`);
  });
});
