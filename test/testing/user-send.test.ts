import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TestEmulatorError, type TestEmulator } from '../../src/testing/index.js';
import * as lark from '@larksuiteoapi/node-sdk';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { dispatcherWebhook, serve } from '../helpers/handler.js';
import { PNG_1X1 } from '../helpers/images.js';
import { mp4, oggOpus } from '../helpers/person-media.js';

/**
 * TestUser.send: files given as paths are read and named by their file name, Buffers are sent as
 * they are; what it cannot send is an error naming why, before or after the emulator checks it.
 */
let emu: TestEmulator;
let dir: string;
let bot: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  // A bot (the official SDK's dispatcher) that takes every message: what is checked here is what was sent.
  const app = loadDefaultSeed().apps[0]!;
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const dispatcher = new lark.EventDispatcher({ encryptKey: app.encrypt_key!, verificationToken: app.verification_token!, logger: quiet } as any).register({ 'im.message.receive_v1': () => ({}) } as any);
  bot = await serve(dispatcherWebhook(dispatcher, app.encrypt_key!));
  emu = await startEmulator({ rateLimits: false, eventUrl: `${bot.url}/events` });
  dir = mkdtempSync(join(tmpdir(), 'card-user-send-'));
});
afterAll(async () => {
  await emu.close();
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

const contentOf = (m: { content: string }) => JSON.parse(m.content);

describe('TestUser.send with files', () => {
  it('reads paths: a picture, a file (named by its file name), a voice message, a video, and a picture inside a post', async () => {
    const alice = emu.user('alice@example.com');
    const png = join(dir, 'chart.png');
    const pdf = join(dir, 'report 2026.pdf');
    const voice = join(dir, 'memo.opus');
    const video = join(dir, 'demo.mp4');
    writeFileSync(png, PNG_1X1);
    writeFileSync(pdf, 'quarterly numbers');
    writeFileSync(voice, oggOpus(1500));
    writeFileSync(video, mp4(2500));
    const image = await alice.send('p2p', { image: png });
    expect(image.msgType).toBe('image');
    expect(contentOf(image).image_key).toMatch(/^img_v3_/);
    const file = await alice.send('p2p', { file: pdf });
    expect(contentOf(file)).toMatchObject({ file_name: 'report 2026.pdf' });
    const audio = await alice.send('p2p', { audio: voice });
    expect(contentOf(audio)).toMatchObject({ duration: 1500 });
    const media = await alice.send('p2p', { media: video });
    expect(contentOf(media)).toMatchObject({ file_name: 'demo.mp4', duration: 2500 });
    const post = await alice.send('p2p', { post: { zh_cn: { title: 'Chart', content: [[{ tag: 'img', image: png }]] } } });
    expect(contentOf(post)).toMatchObject({ title: 'Chart', content: [[{ tag: 'img', image_key: expect.stringMatching(/^img_v3_/) }]] });
    const named = await alice.send('p2p', { file: { data: Buffer.from('x'), fileName: 'notes.txt' } });
    expect(contentOf(named).file_name).toBe('notes.txt');
  });

  it('merges the messages it is given, and shares a user given as a TestUser', async () => {
    const alice = emu.user('alice@example.com');
    const bob = emu.user('bob@example.com');
    const one = await alice.sendText('p2p', 'one');
    const two = await alice.sendText('p2p', 'two');
    const merged = await alice.send('p2p', { mergeForward: [one, two.messageId] });
    expect(merged).toMatchObject({ msgType: 'merge_forward', content: 'Merged and Forwarded Message' });
    expect(contentOf(await alice.send('p2p', { shareUser: bob }))).toEqual({ user_id: bob.openId });
    expect(contentOf(await alice.send('p2p', { todo: 'Ship it' }))).not.toHaveProperty('due_time');
  });

  it('names what is wrong: a Buffer file without a name, a path that cannot be read, a field the emulator refused', async () => {
    const alice = emu.user('alice@example.com');
    const unnamed = await alice.send('p2p', { file: Buffer.from('x') }).catch((e) => e);
    expect(unnamed).toBeInstanceOf(TestEmulatorError);
    expect(unnamed.message).toContain('fileName');
    const gone = await alice.send('p2p', { audio: join(dir, 'missing.opus') }).catch((e) => e);
    expect(gone.message).toContain('missing.opus');
    const refused = await alice.send('p2p', { media: { data: PNG_1X1, fileName: 'x.mp4' } }).catch((e) => e);
    expect(refused).toBeInstanceOf(TestEmulatorError);
    expect(refused.message).toContain('media.data');
    const none = await alice.send('p2p', {}).catch((e) => e);
    expect(none.message).toContain('exactly one of');
  });
});
