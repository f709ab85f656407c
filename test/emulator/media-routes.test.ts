import * as lark from '@larksuiteoapi/node-sdk';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { gifOfSize, PNG_1X1, pngOfSize } from '../helpers/images.js';

/** im/v1/images and im/v1/files through the official SDK, unchanged, pointed at the emulator. */
let emu: RunningEmulator;
let client: lark.Client;
let other: lark.Client;
let aliceOpenId: string;

const sdkClient = (app: { app_id: string; app_secret: string }, domain = emu.url) =>
  new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.fatal });

/** The SDK throws on HTTP errors; the platform's envelope is in the response body (a stream for downloads). */
const envelope = (p: Promise<unknown>) =>
  p.then(
    (r) => r as { code: number; msg: string },
    async (e) => {
      const data = e.response?.data;
      if (data instanceof Readable) {
        const chunks: Buffer[] = [];
        for await (const c of data) chunks.push(c as Buffer);
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: number; msg: string };
      }
      return data as { code: number; msg: string };
    },
  );

const SEED = {
  apps: [
    { app_id: 'cli_a0a0a0a0a0a0a0a1', app_secret: 'made-up-media-secret-1' },
    { app_id: 'cli_a0a0a0a0a0a0a0a2', app_secret: 'made-up-media-secret-2' },
  ],
  users: [{ name: 'Alice', email: 'alice@example.com' }],
};

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: SEED });
  const apps = emu.state().apps;
  client = sdkClient(apps[0]!);
  other = sdkClient(apps[1]!);
  aliceOpenId = emu.state().users[0]!.open_id;
});
afterAll(async () => {
  await emu.close();
});

const upload = (c: lark.Client, image: Buffer, imageType: 'message' | 'avatar' = 'message') =>
  envelope(c.im.image.create({ data: { image_type: imageType, image } })) as Promise<{ code: number; msg: string; image_key?: string; data?: { image_key?: string } }>;
const keyOf = (r: { image_key?: string; data?: { image_key?: string } }) => r.image_key ?? r.data?.image_key;

describe('images', () => {
  it('uploads a PNG, returns an img_ key, and downloads the same bytes', async () => {
    const r = await upload(client, PNG_1X1);
    expect(r.code ?? 0).toBe(0);
    const key = keyOf(r)!;
    expect(key).toMatch(/^img_v3_/);
    const file = await client.im.image.get({ path: { image_key: key } });
    const chunks: Buffer[] = [];
    for await (const c of file.getReadableStream() as Readable) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PNG_1X1)).toBe(true);
  });

  it('refuses what the platform refuses, with its codes', async () => {
    expect((await upload(client, Buffer.from('not an image at all'))).code).toBe(234011);
    expect((await upload(client, Buffer.alloc(0))).code).toBe(234010);
    expect((await upload(client, pngOfSize(12001, 10))).code).toBe(234039);
    expect((await upload(client, gifOfSize(2001, 10))).code).toBe(234039);
    expect((await upload(client, pngOfSize(5000, 5000), 'avatar')).code).toBe(234039);
    expect((await upload(client, pngOfSize(12000, 12000))).code ?? 0).toBe(0);
    const big = Buffer.concat([pngOfSize(10, 10), Buffer.alloc(10 * 1024 * 1024)]);
    expect((await upload(client, big)).code).toBe(234006);
  });

  it('downloads only images the calling app uploaded for messages', async () => {
    const key = keyOf(await upload(client, PNG_1X1))!;
    expect((await envelope(other.im.image.get({ path: { image_key: key } }))).code).toBe(234008);
    const avatar = keyOf(await upload(client, PNG_1X1, 'avatar'))!;
    expect((await envelope(client.im.image.get({ path: { image_key: avatar } }))).code).toBe(234008);
    expect((await envelope(client.im.image.get({ path: { image_key: 'img_v3_nope' } }))).code).toBe(234001);
  });

  it('builds cards only from image keys the sending app uploaded (230099 / 200570 otherwise)', async () => {
    const key = keyOf(await upload(client, PNG_1X1))!;
    const card = (k: string) => JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: k, alt: { tag: 'plain_text', content: 'chart' } }] } });
    const send = (c: lark.Client, content: string) =>
      envelope(c.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: aliceOpenId, msg_type: 'interactive', content } }));
    expect((await send(client, card(key))).code).toBe(0);
    const unknown = await send(client, card('img_v3_never_uploaded'));
    expect(unknown.code).toBe(230099);
    expect(unknown.msg).toContain('ErrCode: 200570');
    expect(unknown.msg).toContain('ROOT -> body -> elements -> 0 -> img_key');
    // Another app's upload is not usable either.
    expect((await send(other, card(key))).code).toBe(230099);
    // Markdown images are checked too.
    const md = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: `see ![chart](img_v3_missing)` }] } });
    expect((await send(client, md)).code).toBe(230099);
    // An image message takes the key as well.
    const img = await envelope(client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: aliceOpenId, msg_type: 'image', content: JSON.stringify({ image_key: key }) } }));
    expect(img.code).toBe(0);
  });

  it('accepts image keys the seed declares, for every app', async () => {
    const seeded = await startEmulator({ port: 0, seed: { apps: [{ app_id: 'cli_a1b2c3d4e5f60718', app_secret: 'made-up-secret' }], users: [{ name: 'Ann', email: 'ann@example.com' }], image_keys: ['img_v3_seeded_demo'] } });
    try {
      const c = sdkClient({ app_id: 'cli_a1b2c3d4e5f60718', app_secret: 'made-up-secret' }, seeded.url);
      const ann = seeded.state().users[0]!.open_id;
      const r = await envelope(c.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: ann, msg_type: 'interactive', content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: 'img_v3_seeded_demo', alt: { tag: 'plain_text', content: '' } }] } }) } }));
      expect(r.code).toBe(0);
    } finally {
      await seeded.close();
    }
  });
});

describe('files', () => {
  it('uploads a file with its type and name, and downloads it', async () => {
    const data = Buffer.from('%PDF-1.4 made-up test document');
    const r = (await envelope(client.im.file.create({ data: { file_type: 'pdf', file_name: '报告.pdf', file: data } }))) as { code?: number; file_key?: string; data?: { file_key?: string } };
    expect(r.code ?? 0).toBe(0);
    const key = r.file_key ?? r.data?.file_key;
    expect(key).toMatch(/^file_v3_/);
    const got = await client.im.file.get({ path: { file_key: key! } });
    const chunks: Buffer[] = [];
    for await (const c of got.getReadableStream() as Readable) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect((await envelope(other.im.file.get({ path: { file_key: key! } }))).code).toBe(234008);
  });

  it('refuses a wrong file_type, a missing name and an empty file', async () => {
    expect((await envelope(client.im.file.create({ data: { file_type: 'exe' as 'pdf', file_name: 'a.exe', file: Buffer.from('x') } }))).code).toBe(234001);
    expect((await envelope(client.im.file.create({ data: { file_type: 'stream', file_name: '', file: Buffer.from('x') } }))).code).toBe(234001);
    expect((await envelope(client.im.file.create({ data: { file_type: 'stream', file_name: 'empty.bin', file: Buffer.alloc(0) } }))).code).toBe(234010);
  });
});

describe('images in the inbox', () => {
  it('shows an uploaded image from the emulator\'s own origin, and serves it only to loopback pages', async () => {
    const key = keyOf(await upload(client, PNG_1X1))!;
    const sent = await envelope(client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: key, alt: { tag: 'plain_text', content: 'x' } }] } }) } })) as any;
    const chatId = sent.data.chat_id;
    const list = (await (await fetch(`${emu.url}/_emulator/inbox/messages?chat_id=${chatId}`)).json()) as any;
    const shown = list.data.messages.find((m: any) => m.message_id === sent.data.message_id);
    expect(shown.html).toContain(`src="/_emulator/images/${key}"`);
    const img = await fetch(`${emu.url}/_emulator/images/${key}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG_1X1)).toBe(true);
    const foreign = await fetch(`${emu.url}/_emulator/images/${key}`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await fetch(`${emu.url}/_emulator/images/img_v3_nothing`)).status).toBe(404);
  });
});
