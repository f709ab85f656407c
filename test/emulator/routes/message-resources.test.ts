import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sdkForFile } from '../../helpers/sdk.js';
import { PNG_1X1 } from '../../helpers/images.js';

const { t, sdk } = sdkForFile();

const chatId = () => t.emu.state().chats[0]!.chat_id;
const PATH = (messageId: string, key: string, type: string) => `/open-apis/im/v1/messages/${messageId}/resources/${encodeURIComponent(key)}?type=${type}`;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** What a person sends through the control API: a picture or a file, as base64. */
async function userSends(part: { image?: { data: string }; file?: { data: string; file_name: string } }, chat = chatId()) {
  const r = await t.call('POST', `/_emulator/users/${t.users[0]!.open_id}/messages`, { chat_id: chat, ...part });
  expect(r.status).toBe(200);
  return r.body.data as { message_id: string; message: any; deliveries: any[] };
}

async function botSendsImage(): Promise<{ messageId: string; imageKey: string }> {
  const up = await sdk().im.image.create({ data: { image_type: 'message', image: Readable.from(PNG_1X1) as any } });
  const m = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'image', content: JSON.stringify({ image_key: up!.image_key }) } });
  return { messageId: m.data!.message_id!, imageKey: up!.image_key! };
}

describe('GET /open-apis/im/v1/messages/:message_id/resources/:file_key', () => {
  it('downloads the picture a person sent, with its Content-Type, through the SDK', async () => {
    const sentByUser = await userSends({ image: { data: PNG_1X1.toString('base64') } });
    const key = JSON.parse(t.emu.core.store.messages.get(sentByUser.message_id)!.versions[0]!.content).image_key as string;
    expect(key).toMatch(/^img_v3_/);
    const r = await sdk().im.messageResource.get({ path: { message_id: sentByUser.message_id, file_key: key }, params: { type: 'image' } });
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${key}.png"`);
    expect((await bytesOf(r.getReadableStream())).equals(PNG_1X1)).toBe(true);
  });

  it('downloads a file a person sent, named by its file name', async () => {
    const data = Buffer.from('quarterly numbers');
    const sentByUser = await userSends({ file: { data: data.toString('base64'), file_name: 'report 2026.pdf' } });
    expect(sentByUser.message.msg_type).toBe('file');
    const key = JSON.parse(t.emu.core.store.messages.get(sentByUser.message_id)!.versions[0]!.content).file_key as string;
    const r = await sdk().im.messageResource.get({ path: { message_id: sentByUser.message_id, file_key: key }, params: { type: 'file' } });
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-disposition']).toBe('attachment; filename="report 2026.pdf"');
    expect((await bytesOf(r.getReadableStream())).equals(data)).toBe(true);
    // A person's upload is not the app's own: the plain file download refuses it.
    expect((await t.call('GET', `/open-apis/im/v1/files/${key}`, undefined, await t.token())).body.code).toBe(234008);
  });

  it('downloads an image inside rich text (post)', async () => {
    const { imageKey } = await botSendsImage();
    const post = { zh_cn: { title: 'pic', content: [[{ tag: 'text', text: 'look' }], [{ tag: 'img', image_key: imageKey }]] } };
    const m = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'post', content: JSON.stringify(post) } });
    const r = await sdk().im.messageResource.get({ path: { message_id: m.data!.message_id!, file_key: imageKey }, params: { type: 'image' } });
    expect((await bytesOf(r.getReadableStream())).equals(PNG_1X1)).toBe(true);
  });

  it('refuses a key not in the message (234003) and the wrong type (234001)', async () => {
    const a = await botSendsImage();
    const b = await botSendsImage();
    const token = await t.token();
    const notIn = await t.call('GET', PATH(a.messageId, b.imageKey, 'image'), undefined, token);
    expect(notIn.status).toBe(400);
    expect(notIn.body).toMatchObject({ code: 234003, msg: 'File not in message.' });
    const wrong = await t.call('GET', PATH(a.messageId, a.imageKey, 'file'), undefined, token);
    expect(wrong.body).toMatchObject({ code: 234001, msg: expect.stringContaining('type=image') });
    expect((await t.call('GET', PATH(a.messageId, a.imageKey, 'video'), undefined, token)).body.code).toBe(234001);
    expect((await t.call('GET', `/open-apis/im/v1/messages/${a.messageId}/resources/${a.imageKey}`, undefined, token)).body.code).toBe(99992402);
  });

  it('refuses a recalled message (230110), a bot outside the chat (234004) and a merged message (234043)', async () => {
    const token = await t.token();
    const a = await botSendsImage();
    const merged = await sdk().im.message.mergeForward({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), message_id_list: [a.messageId] } });
    const mergedId = merged.data!.message!.message_id!;
    expect((await t.call('GET', PATH(mergedId, a.imageKey, 'image'), undefined, token)).body).toMatchObject({ code: 234043, msg: expect.stringContaining('Unsupported message type') });
    await sdk().im.message.delete({ path: { message_id: a.messageId } });
    expect((await t.call('GET', PATH(a.messageId, a.imageKey, 'image'), undefined, token)).body).toMatchObject({ code: 230110, msg: 'Action unavailable as the message has been deleted.' });
    const b = await botSendsImage();
    t.emu.core.store.chats.get(chatId())!.bots.delete(t.app.app_id);
    expect((await t.call('GET', PATH(b.messageId, b.imageKey, 'image'), undefined, token)).body).toMatchObject({ code: 234004, msg: 'App not in chat.' });
  });

  it('tells the bot of a picture a person sent it as an image message event', async () => {
    const r = await t.call('POST', `/_emulator/users/${t.users[0]!.open_id}/messages`, { image: { data: PNG_1X1.toString('base64') } });
    const message = r.body.data.deliveries[0].payload.event.message;
    expect(message.message_type).toBe('image');
    expect(JSON.parse(message.content).image_key).toMatch(/^img_v3_/);
  });

  it('refuses a user message with no text, picture or file, or with two, or a picture that is not one', async () => {
    const url = `/_emulator/users/${t.users[0]!.open_id}/messages`;
    expect((await t.call('POST', url, { chat_id: chatId() })).body.code).toBe(99992402);
    expect((await t.call('POST', url, { chat_id: chatId(), text: 'hi', image: { data: PNG_1X1.toString('base64') } })).body.code).toBe(99992402);
    const notImage = await t.call('POST', url, { chat_id: chatId(), image: { data: Buffer.from('plain text').toString('base64') } });
    expect(notImage.body.error.field_violations[0].field).toBe('image.data');
  });
});
