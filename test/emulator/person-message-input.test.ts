import { describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/**
 * What a person sends through the control API is checked whole before anything is stored: a
 * refusal names the field by its JSON path and leaves no message and no upload behind; sizes and
 * counts are bounded; voice and video lengths are read from the files when not given.
 */
const t = emulatorForFile();

const alice = () => t.users.find((u) => u.email === 'alice@example.com')!;
const carol = () => t.users.find((u) => u.email === 'carol@example.com')!;
const group = () => t.emu.state().chats.find((c: any) => c.chat_mode === 'group')!.chat_id as string;
const say = (body: Record<string, unknown>, who = alice().open_id) => t.call('POST', `/_emulator/users/${who}/messages`, body);
const b64 = (b: Buffer) => b.toString('base64');

/** The field a refusal names. */
async function refusedField(body: Record<string, unknown>, who?: string): Promise<{ field: string; description: string }> {
  const r = await say(body, who);
  expect(r.body.code, JSON.stringify(r.body)).toBe(99992402);
  return r.body.error.field_violations[0];
}

const stored = () => ({ messages: t.emu.core.store.messages.size, media: t.emu.core.media.list().length });

describe('POST /_emulator/users/:open_id/messages: refusals name the field', () => {
  it('a post: the element, its tag and its fields, in either form', async () => {
    expect((await refusedField({ post: { content: [[{ tag: 'text', text: 'a' }, { tag: 'blink' }]] } })).field).toBe('post.content[0][1].tag');
    expect((await refusedField({ post: { content: [[{ text: 'no tag' }]] } })).field).toBe('post.content[0][0].tag');
    expect((await refusedField({ post: { en_us: { title: 'x', content: [[{ tag: 'text' }]] } } })).field).toBe('post.en_us.content[0][0].text');
    expect((await refusedField({ post: { content: [[{ tag: 'at', user_id: 'ou_nobody' }]] } })).field).toBe('post.content[0][0].user_id');
    expect((await refusedField({ post: { content: [[{ tag: 'a', href: 'javascript:alert(1)', text: 'x' }]] } })).field).toBe('post.content[0][0].href');
    expect((await refusedField({ post: { content: [[{ tag: 'emotion', emoji_type: 'NOT_AN_EMOJI' }]] } })).field).toBe('post.content[0][0].emoji_type');
    expect((await refusedField({ post: { content: [[{ tag: 'img', image_key: 'img_v3_never' }]] } })).field).toBe('post.content[0][0].image_key');
    expect((await refusedField({ post: { content: [[{ tag: 'text', text: 'x', style: ['blinking'] }]] } })).field).toBe('post.content[0][0].style');
    const md = await refusedField({ post: { content: [[{ tag: 'md', text: '**x**' }]] } });
    expect(md).toMatchObject({ field: 'post.content[0][0].tag', description: expect.stringContaining('bots send') });
    expect((await refusedField({ post: { content: [{ tag: 'text', text: 'not a row' }] } })).field).toBe('post.content[0]');
    expect((await refusedField({ post: { 'zh-CN': { content: [] } } })).field).toBe('post.zh-CN');
    expect((await refusedField({ post: { content: [[{ tag: 'text', text: 'x' }]] }, mentions: [t.app.app_id] })).field).toBe('mentions');
  });

  it('voice, video, sticker, shares, location, task and merged messages', async () => {
    expect((await refusedField({ audio: { data: b64(Buffer.from('not audio at all, just words')) } })).field).toBe('audio.data');
    expect((await refusedField({ audio: { data: 'not base64 !!!' } })).field).toBe('audio.data');
    expect((await refusedField({ audio: { data: b64(oggOpus(1000)), duration: -5 } })).field).toBe('audio.duration');
    expect((await refusedField({ media: { data: b64(PNG_1X1), file_name: 'x.mp4' } })).field).toBe('media.data');
    expect((await refusedField({ media: { data: b64(mp4(1000)) } })).field).toBe('media.file_name');
    expect((await refusedField({ media: { data: b64(mp4(1000)), file_name: '../../etc/passwd' } })).field).toBe('media.file_name');
    expect((await refusedField({ media: { data: b64(mp4(1000)), file_name: 'a.mp4', cover: { data: b64(Buffer.from('no picture')) } } })).field).toBe('media.cover.data');
    expect((await refusedField({ sticker: { file_key: 'has spaces' } })).field).toBe('sticker.file_key');
    expect((await refusedField({ share_chat: { chat_id: 'oc_nothere' } })).field).toBe('share_chat.chat_id');
    // Carol is not in the group: she cannot share it.
    expect((await refusedField({ share_chat: { chat_id: group() } }, carol().open_id)).field).toBe('share_chat.chat_id');
    expect((await refusedField({ share_user: {} })).field).toBe('share_user.open_id');
    expect((await refusedField({ location: { name: 'x', longitude: 181, latitude: 0 } })).field).toBe('location.longitude');
    expect((await refusedField({ location: { longitude: 1, latitude: 0 } })).field).toBe('location.name');
    expect((await refusedField({ todo: { summary: '' } })).field).toBe('todo.summary');
    expect((await refusedField({ todo: { summary: 'x', due_time: 'tomorrow' } })).field).toBe('todo.due_time');
    expect((await refusedField({ merge_forward: { message_ids: [] } })).field).toBe('merge_forward.message_ids');
    expect((await refusedField({ location: { name: 'x', longitude: 1, latitude: 1 }, mention_bot: true, chat_id: group() })).field).toBe('mention_bot');
  });

  it('merged messages: each id is checked, by its place in the list', async () => {
    const first = (await say({ chat_id: group(), text: 'one' })).body.data.message_id;
    const second = (await say({ chat_id: group(), text: 'two' })).body.data.message_id;
    const elsewhere = (await say({ text: 'in the p2p chat' })).body.data.message_id;
    expect((await refusedField({ merge_forward: { message_ids: [first, 'om_nothing'] } })).field).toBe('merge_forward.message_ids[1]');
    expect((await refusedField({ merge_forward: { message_ids: [first, elsewhere] } })).field).toBe('merge_forward.message_ids[1]');
    expect((await refusedField({ merge_forward: { message_ids: [first] } }, carol().open_id)).field).toBe('merge_forward.message_ids[0]');
    await t.call('POST', `/_emulator/messages/${second}/recall`, {});
    expect((await refusedField({ merge_forward: { message_ids: [first, second] } })).description).toContain('recalled');
    expect((await refusedField({ merge_forward: { message_ids: Array.from({ length: 101 }, () => first) } })).field).toBe('merge_forward.message_ids');
  });

  it('exactly one content field; a refused message stores nothing, not even the pictures checked before the fault', async () => {
    expect((await refusedField({ text: 'hi', location: { name: 'x', longitude: 1, latitude: 1 } })).description).toContain('exactly one of');
    expect((await refusedField({})).description).toContain('post, image, file, audio, media, sticker, merge_forward, share_chat, share_user, location, todo');
    const before = stored();
    const late = await refusedField({ post: { content: [[{ tag: 'img', data: b64(PNG_1X1) }], [{ tag: 'media', data: b64(mp4(1000)), file_name: 'a.mp4' }], [{ tag: 'at', user_id: 'ou_nobody' }]] } });
    expect(late.field).toBe('post.content[2][0].user_id');
    const cover = await refusedField({ media: { data: b64(mp4(1000)), file_name: 'a.mp4', cover: { data: b64(Buffer.from('x')) } } });
    expect(cover.field).toBe('media.cover.data');
    expect(stored()).toEqual(before);
    // The same post made right stores the message and its three uploads (picture, video, cover).
    const ok = await say({ post: { content: [[{ tag: 'img', data: b64(PNG_1X1) }], [{ tag: 'media', data: b64(mp4(1000)), file_name: 'a.mp4' }]] } });
    expect(ok.body.code).toBe(0);
    expect(stored()).toEqual({ messages: before.messages + 1, media: before.media + 3 });
  });
});

describe('bounds', () => {
  it('a picture past 10 MB is refused before it is decoded; posts are bounded in rows, elements, uploads and size', async () => {
    const big = await refusedField({ image: { data: 'A'.repeat(Math.ceil(((MEDIA_LIMITS.imageMaxBytes + 3) * 4) / 3)) } });
    expect(big).toMatchObject({ field: 'image.data', description: expect.stringContaining(`at most ${MEDIA_LIMITS.imageMaxBytes}`) });
    expect((await refusedField({ post: { content: Array.from({ length: 501 }, () => []) } })).field).toBe('post.content');
    expect((await refusedField({ post: { content: Array.from({ length: 6 }, () => Array.from({ length: 1000 }, () => ({ tag: 'hr' }))) } })).description).toContain('at most 5000 elements');
    expect((await refusedField({ post: { content: Array.from({ length: 21 }, () => [{ tag: 'img', data: b64(PNG_1X1) }]) } })).description).toContain('at most 20 uploaded');
    expect((await refusedField({ post: { content: [[{ tag: 'text', text: 'x'.repeat(151 * 1024) }]] } })).field).toBe('post.content[0][0].text');
    expect((await refusedField({ post: { content: [[{ tag: 'text', text: 'x'.repeat(100 * 1024) }], [{ tag: 'text', text: 'y'.repeat(60 * 1024) }]] } })).field).toBe('post.content');
  });
});

describe('voice and video lengths, and covers', () => {
  it('reads the length of a voice message and a video from the files; asks for it when they do not say', async () => {
    const voice = await say({ audio: { data: b64(oggOpus(4250)) } });
    expect(JSON.parse(voice.body.data.deliveries[0].payload.event.message.content).duration).toBe(4250);
    const given = await say({ audio: { data: b64(oggOpus(4250)), duration: 999 } });
    expect(JSON.parse(given.body.data.deliveries[0].payload.event.message.content).duration).toBe(999);
    const video = await say({ media: { data: b64(mp4(61_000)), file_name: 'demo.mp4' } });
    expect(JSON.parse(video.body.data.deliveries[0].payload.event.message.content).duration).toBe(61_000);
    expect((await refusedField({ media: { data: b64(mp4()), file_name: 'demo.mp4' } })).field).toBe('media.duration');
    const measured = await say({ media: { data: b64(mp4()), file_name: 'demo.mp4', duration: '1500' } });
    expect(JSON.parse(measured.body.data.deliveries[0].payload.event.message.content).duration).toBe(1500);
  });

  it('a video sent without a cover gets a plain 16:9 picture the bot can download as its image', async () => {
    const r = await say({ media: { data: b64(mp4(1000)), file_name: 'demo.mp4' } });
    const content = JSON.parse(r.body.data.deliveries[0].payload.event.message.content);
    const cover = t.emu.core.media.get(content.image_key)!;
    expect(cover).toMatchObject({ kind: 'image', format: 'png', width: 320, height: 180 });
    const token = await t.token();
    const res = await fetch(`${t.url}/open-apis/im/v1/messages/${r.body.data.message_id}/resources/${content.image_key}?type=image`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
    const { imageSize } = await import('image-size');
    expect(imageSize(new Uint8Array(await res.arrayBuffer()))).toMatchObject({ type: 'png', width: 320, height: 180 });
  });
});

describe('the inbox reads each kind as words', () => {
  it('post, voice, video, sticker, shares, location, task and merged messages', async () => {
    const bob = t.users.find((u) => u.email === 'bob@example.com')!;
    const first = (await say({ chat_id: group(), text: 'one' })).body.data.message_id;
    const bodies = [
      { post: { title: 'Plan', content: [[{ tag: 'text', text: 'ask ' }, { tag: 'at', user_id: bob.open_id }], [{ tag: 'img', data: b64(PNG_1X1) }]] } },
      { audio: { data: b64(oggOpus(3000)) } },
      { media: { data: b64(mp4(5000)), file_name: 'demo.mp4' } },
      { sticker: {} },
      { share_chat: { chat_id: group() } },
      { share_user: { open_id: bob.open_id } },
      { location: { name: 'Office', longitude: 116.4, latitude: 39.9 } },
      { todo: { summary: 'Ship it', due_time: Date.UTC(2026, 0, 2, 9, 30) } },
      { merge_forward: { message_ids: [first] } },
    ];
    for (const body of bodies) expect((await say({ chat_id: group(), ...body })).body.code).toBe(0);
    const list = (await t.call('GET', `/_emulator/inbox/messages?chat_id=${group()}`)).body.data.messages;
    expect(list.slice(-9).map((m: any) => m.text)).toEqual([
      'Plan\nask @Bob Li\n[Image]',
      '[Voice 3s]',
      '[Video 5s] demo.mp4',
      '[Sticker]',
      `[Group card] ${t.emu.state().chats.find((c: any) => c.chat_id === group())!.name}`,
      '[Contact card] Bob Li',
      '[Location] Office (39.9, 116.4)',
      '[Task] Ship it · due 2026-01-02 09:30 UTC',
      '[Merged and forwarded: 1 messages]',
    ]);
  });
});
