import { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { BotFailureError, type SendContent, type TestEmulator } from '../../src/testing/index.js';
import { control, eventBots, sdkOf, seedFor } from '../helpers/event-bots.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/**
 * Every kind of message a person sends reaches the bot as `im.message.receive_v1`, parsed by the
 * official SDK's EventDispatcher (webhook, signed and encrypted) and WSClient (long connection),
 * caused by the control API and by the testing library's `send`; the bot reads the same content
 * back through the SDK's message get, and downloads what the message carries.
 */
const bots = eventBots();

type Got = any[];

function handler(got: Got, failing: boolean) {
  return {
    'im.message.receive_v1': (data: any) => {
      got.push(data);
      if (failing) throw new Error('receive handler is down');
      return {};
    },
  };
}

async function withWebhookBot(appId: string, failing = false): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.webhookBot(handler(got, failing), { seed: seedFor(appId) }), got };
}

async function withWsBot(appId: string, failing = false): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.wsBot(handler(got, failing), { seed: seedFor(appId) }), got };
}

async function download(client: lark.Client, messageId: string, key: string, type: 'image' | 'file'): Promise<Buffer> {
  const r = await client.im.messageResource.get({ path: { message_id: messageId, file_key: key }, params: { type } });
  const chunks: Buffer[] = [];
  for await (const c of r.getReadableStream() as Readable) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const OGG = oggOpus(2000);
const MP4 = mp4(3500);

interface Case {
  type: string;
  /** The control API's content field(s). */
  body: (ctx: { bob: string; group: string; earlier: string[] }) => Record<string, unknown>;
  /** The same through the testing library. */
  send: (ctx: { bob: string; group: string; earlier: string[] }) => SendContent;
  /** What the bot reads, checked against the content the platform gives for the type. */
  check: (content: any, ctx: { bob: string; group: string; messageId: string; client: lark.Client; event: any }) => Promise<void> | void;
}

const CASES: Case[] = [
  {
    type: 'post',
    body: ({ bob }) => ({
      post: { zh_cn: { title: 'Plan', content: [
        [{ tag: 'text', text: 'see ', style: ['bold'] }, { tag: 'a', href: 'https://example.com/doc', text: 'the doc' }, { tag: 'at', user_id: bob }],
        [{ tag: 'img', data: PNG_1X1.toString('base64') }],
        [{ tag: 'code_block', language: 'typescript', text: 'const x = 1;' }],
        [{ tag: 'emotion', emoji_type: 'SMILE' }, { tag: 'hr' }],
      ] } },
    }),
    send: ({ bob }) => ({ post: { title: 'Plan', content: [
      [{ tag: 'text', text: 'see ', style: ['bold'] }, { tag: 'a', href: 'https://example.com/doc', text: 'the doc' }, { tag: 'at', user_id: bob }],
      [{ tag: 'img', image: PNG_1X1 }],
      [{ tag: 'code_block', language: 'typescript', text: 'const x = 1;' }],
      [{ tag: 'emotion', emoji_type: 'SMILE' }, { tag: 'hr' }],
    ] } }),
    async check(c, { bob, event, client, messageId }) {
      expect(c.title).toBe('Plan');
      expect(c.content[0]).toEqual([
        { tag: 'text', text: 'see ', style: ['bold'] },
        { tag: 'a', href: 'https://example.com/doc', text: 'the doc', style: [] },
        { tag: 'at', user_id: '@_user_1', user_name: 'Bob Li', style: [] },
      ]);
      expect(c.content[2]).toEqual([{ tag: 'code_block', language: 'TYPESCRIPT', text: 'const x = 1;' }]);
      expect(c.content[3]).toEqual([{ tag: 'emotion', emoji_type: 'SMILE' }, { tag: 'hr' }]);
      expect(event.message.mentions).toMatchObject([{ key: '@_user_1', id: { open_id: bob }, name: 'Bob Li' }]);
      const key = c.content[1][0].image_key;
      expect(key).toMatch(/^img_v3_/);
      expect((await download(client, messageId, key, 'image')).equals(PNG_1X1)).toBe(true);
    },
  },
  {
    type: 'audio',
    body: () => ({ audio: { data: OGG.toString('base64'), file_name: 'voice.opus' } }),
    send: () => ({ audio: { data: OGG, fileName: 'voice.opus' } }),
    async check(c, { client, messageId }) {
      expect(Object.keys(c).sort()).toEqual(['duration', 'file_key']);
      expect(c.duration).toBe(2000);
      expect((await download(client, messageId, c.file_key, 'file')).equals(OGG)).toBe(true);
    },
  },
  {
    type: 'media',
    body: () => ({ media: { data: MP4.toString('base64'), file_name: 'clip.mp4', cover: { data: PNG_1X1.toString('base64') } } }),
    send: () => ({ media: { data: MP4, fileName: 'clip.mp4', cover: PNG_1X1 } }),
    async check(c, { client, messageId }) {
      expect(c).toMatchObject({ file_name: 'clip.mp4', duration: 3500 });
      expect(Object.keys(c).sort()).toEqual(['duration', 'file_key', 'file_name', 'image_key']);
      expect((await download(client, messageId, c.file_key, 'file')).equals(MP4)).toBe(true);
      expect((await download(client, messageId, c.image_key, 'image')).equals(PNG_1X1)).toBe(true);
    },
  },
  {
    type: 'sticker',
    body: () => ({ sticker: {} }),
    send: () => ({ sticker: true }),
    async check(c, { client, messageId }) {
      expect(Object.keys(c)).toEqual(['file_key']);
      expect(c.file_key).toMatch(/^file_v3_/);
      // The platform does not let a bot download a sticker.
      const refused = await client.request({ method: 'GET', url: `/open-apis/im/v1/messages/${messageId}/resources/${c.file_key}`, params: { type: 'file' } }).catch((e) => e?.response?.data);
      expect(refused.code).toBe(234043);
    },
  },
  {
    type: 'share_chat',
    body: ({ group }) => ({ share_chat: { chat_id: group } }),
    send: ({ group }) => ({ shareChat: group }),
    check: (c, { group }) => expect(c).toEqual({ chat_id: group }),
  },
  {
    type: 'share_user',
    body: ({ bob }) => ({ share_user: { open_id: bob } }),
    send: ({ bob }) => ({ shareUser: bob }),
    check: (c, { bob }) => expect(c).toEqual({ user_id: bob }),
  },
  {
    type: 'location',
    body: () => ({ location: { name: 'Tiananmen Square', longitude: 116.397, latitude: '39.908' } }),
    send: () => ({ location: { name: 'Tiananmen Square', longitude: 116.397, latitude: '39.908' } }),
    check: (c) => expect(c).toEqual({ name: 'Tiananmen Square', longitude: '116.397', latitude: '39.908' }),
  },
  {
    type: 'todo',
    body: () => ({ todo: { summary: 'File the expense report', due_time: 1700000000000 } }),
    send: () => ({ todo: { summary: 'File the expense report', dueTime: new Date(1700000000000) } }),
    check(c) {
      expect(c.task_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(c.summary).toEqual({ title: '', content: [[{ tag: 'text', text: 'File the expense report' }]] });
      expect(c.due_time).toBe('1700000000000');
    },
  },
  {
    type: 'merge_forward',
    body: ({ earlier }) => ({ merge_forward: { message_ids: earlier } }),
    send: ({ earlier }) => ({ mergeForward: earlier }),
    async check(c, { client, messageId }) {
      expect(c).toBe('Merged and Forwarded Message');
      // The bot reads the merged messages with the message itself.
      const got = await client.im.message.get({ path: { message_id: messageId } });
      const items = got.data!.items!;
      expect(items.map((i) => i.body!.content)).toEqual(['Merged and Forwarded Message', JSON.stringify({ text: 'first' }), JSON.stringify({ text: 'second' })]);
      expect(items.slice(1).every((i) => i.upper_message_id === messageId)).toBe(true);
    },
  },
];

/** Each type, through the control API and through `send`, in the one-to-one chat. */
async function everyType(e: TestEmulator, got: Got, transport: 'webhook' | 'long_connection') {
  const client = sdkOf(e);
  const alice = e.user('alice@example.com');
  const bob = e.user('bob@example.com').openId;
  const group = (await client.im.chat.list({})).data!.items!.find((c) => !!c.chat_id)!.chat_id!;
  for (const c of CASES) {
    for (const via of ['control', 'send'] as const) {
      const earlier: string[] = [];
      if (c.type === 'merge_forward') {
        for (const text of ['first', 'second']) {
          const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'text', content: JSON.stringify({ text }) } });
          earlier.push(r.data!.message_id!);
        }
      }
      const before = got.length;
      let messageId: string;
      if (via === 'control') {
        const r = await control(e, 'POST', `/_emulator/users/${alice.openId}/messages`, c.body({ bob, group, earlier }));
        expect(r.code, `${c.type}: ${JSON.stringify(r)}`).toBe(0);
        expect(r.data.deliveries).toMatchObject([{ kind: 'im.message.receive_v1', transport, verdict: 'ok' }]);
        messageId = r.data.message_id;
      } else {
        const m = await alice.send('p2p', c.send({ bob, group, earlier }));
        expect(m.msgType).toBe(c.type);
        messageId = m.messageId;
      }
      expect(got.length, `${c.type} via ${via}`).toBe(before + 1);
      const event = got.at(-1)!;
      expect(event).toMatchObject({ event_type: 'im.message.receive_v1', sender: { sender_id: { open_id: alice.openId }, sender_type: 'user' }, message: { message_id: messageId, chat_type: 'p2p', message_type: c.type } });
      // What the bot reads back through the API is what the event carried.
      const read = await client.im.message.get({ path: { message_id: messageId } });
      expect(read.data!.items![0]).toMatchObject({ msg_type: c.type, sender: { id: alice.openId, sender_type: 'user' }, body: { content: event.message.content } });
      const content = c.type === 'merge_forward' ? event.message.content : JSON.parse(event.message.content);
      await c.check(content, { bob, group, messageId, client, event });
    }
  }
}

describe('every message type a person sends, to an EventDispatcher on a webhook', () => {
  it('post, audio, media, sticker, share_chat, share_user, location, todo and merge_forward reach the typed handler, from the control API and send', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f61a01');
    await everyType(e, got, 'webhook');
  });

  it('in a group, a post that @mentions the bot reaches it with the mention; a post or location that does not, reaches no one', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f61a02');
    const client = sdkOf(e);
    const alice = e.user('alice@example.com');
    const group = (await client.im.chat.list({})).data!.items!.find((c) => !!c.chat_id)!.chat_id!;
    const app = e.app();
    const r = await control(e, 'POST', `/_emulator/users/${alice.openId}/messages`, { chat_id: group, post: { title: '', content: [[{ tag: 'at', user_id: app.appId }, { tag: 'text', text: ' deploy please' }]] } });
    expect(r.data.deliveries).toMatchObject([{ verdict: 'ok' }]);
    expect(got.at(-1).message).toMatchObject({ chat_type: 'group', chat_id: group, message_type: 'post', mentions: [{ key: '@_user_1', id: { open_id: app.botOpenId }, name: app.name }] });
    expect(JSON.parse(got.at(-1).message.content).content[0][0]).toEqual({ tag: 'at', user_id: '@_user_1', user_name: app.name, style: [] });
    // send's mention: true puts the @ at the start of the post.
    const sent = await alice.send(group, { post: { content: [[{ tag: 'text', text: 'status?' }]] }, mention: true });
    expect(got.at(-1).message.message_id).toBe(sent.messageId);
    expect(JSON.parse(got.at(-1).message.content).content[0]).toEqual([{ tag: 'at', user_id: '@_user_1', user_name: app.name, style: [] }, { tag: 'text', text: 'status?', style: [] }]);
    const count = got.length;
    const quietPost = await control(e, 'POST', `/_emulator/users/${alice.openId}/messages`, { chat_id: group, post: { content: [[{ tag: 'text', text: 'no one is called' }]] } });
    expect(quietPost.data.deliveries).toEqual([]);
    await alice.send(group, { location: { name: 'Office', longitude: 1, latitude: 2 } });
    expect(got).toHaveLength(count);
  });

  it('send rejects with BotFailureError when the handler fails, and names the field of a refused message', async () => {
    const { emu: e } = await withWebhookBot('cli_a1b2c3d4e5f61a03', true);
    const alice = e.user('alice@example.com');
    const failed = await alice.send('p2p', { location: { name: 'Office', longitude: 1, latitude: 2 } }).catch((x) => x);
    expect(failed).toBeInstanceOf(BotFailureError);
    expect(failed.message).toContain('receive handler is down');
    expect(failed.deliveries[0]).toMatchObject({ kind: 'im.message.receive_v1', verdict: 'failed' });
    const refused = await alice.send('p2p', { location: { name: 'Office', longitude: 1, latitude: 91 } }).catch((x) => x);
    expect(refused.message).toContain('location.latitude');
    const two = await alice.send('p2p', { text: 'a', sticker: true }).catch((x) => x);
    expect(two.message).toContain('exactly one of');
    const missing = await alice.send('p2p', { image: '/nonexistent/picture.png' }).catch((x) => x);
    expect(missing.message).toContain('/nonexistent/picture.png');
  });
});

describe('every message type a person sends, to a WSClient on the long connection', () => {
  it('post, audio, media, sticker, share_chat, share_user, location, todo and merge_forward reach the typed handler, from the control API and send', async () => {
    const { emu: e, got } = await withWsBot('cli_a1b2c3d4e5f61b01');
    await everyType(e, got, 'long_connection');
  });

  it('send rejects with BotFailureError when the handler fails', async () => {
    const { emu: e } = await withWsBot('cli_a1b2c3d4e5f61b02', true);
    const failed = await e.user('alice@example.com').send('p2p', { sticker: true }).catch((x) => x);
    expect(failed).toBeInstanceOf(BotFailureError);
    expect(failed.deliveries[0]).toMatchObject({ transport: 'long_connection', verdict: 'failed' });
  });
});
