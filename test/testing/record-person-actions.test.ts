import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EMBED_FILE_BYTES } from '../../src/emulator/recording-person-actions.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { recordedTest } from '../../src/testing/record-codegen.js';
import { cardAsText, startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { PNG_1X1 } from '../helpers/images.js';
import { sdkClient } from '../helpers/sdk.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';
import { stripTypes, syntaxErrors } from '../helpers/typescript.js';

/**
 * "Record a test" with what a person can do beyond text and clicks: messages of other types
 * (uploads included), reactions, reads, recalls and chat actions. A session is recorded through
 * the control API, the generated test is run against a fresh emulator with the same bot (it
 * passes, the bot hears the same things) and against a bot that answers differently (it fails).
 */
const seeded = loadDefaultSeed().apps[0]!;
const seedFor = (appId: string) => JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, appId));
const APP = 'cli_a1b2c3d4e5f60e25';
const HOSTILE = 'Trip "2026" */ ${x} `t`';

const bots: WsBot[] = [];
const emulators: TestEmulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) b.close();
  for (const e of emulators.splice(0)) await e.close();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function download(client: lark.Client, messageId: string, key: string, type: 'image' | 'file'): Promise<number> {
  const r = await client.im.messageResource.get({ path: { message_id: messageId, file_key: key }, params: { type } });
  let n = 0;
  for await (const c of r.getReadableStream() as Readable) n += Buffer.from(c).length;
  return n;
}

/**
 * A bot over the long connection that answers each thing a person does with a text message naming
 * it (the bytes it downloaded, the group's name it looked up); `changed` greets a group differently.
 */
async function withBot(variant: 'same' | 'changed' = 'same'): Promise<{ emu: TestEmulator; heard: string[] }> {
  const e = await startEmulator({ seed: seedFor(APP), longConnection: true, rateLimits: false });
  emulators.push(e);
  const app = e.app();
  const client = sdkClient(e.url, { app_id: app.appId, app_secret: app.appSecret });
  const heard: string[] = [];
  const say = async (chatId: string, text: string) => {
    await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: 'text', content: JSON.stringify({ text }) } });
  };
  const reply = async (messageId: string, text: string) => {
    await client.im.message.reply({ path: { message_id: messageId }, data: { msg_type: 'text', content: JSON.stringify({ text }) } });
  };
  bots.push(await startWsBot(e.url, { app_id: app.appId, app_secret: app.appSecret }, {
    'im.message.receive_v1': async ({ message }: any) => {
      const c = message.message_type === 'merge_forward' ? {} : JSON.parse(message.content);
      heard.push(message.message_type);
      let what = '';
      if (message.message_type === 'image') what = `${await download(client, message.message_id, c.image_key, 'image')} bytes`;
      if (message.message_type === 'file') what = `${c.file_name} ${await download(client, message.message_id, c.file_key, 'file')} bytes`;
      if (message.message_type === 'post') what = `${c.title} ${c.content.flat().map((x: any) => x.tag).join(',')}`;
      if (message.message_type === 'share_chat') what = String((await client.im.chat.get({ path: { chat_id: c.chat_id } })).data?.name);
      if (message.message_type === 'location') what = c.name;
      if (message.message_type === 'todo') what = c.summary.content.flat().map((x: any) => x.text).join('');
      if (message.message_type === 'text') what = c.text;
      if (String(c.text).endsWith('undo')) {
        const sent = await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: message.chat_id, msg_type: 'text', content: JSON.stringify({ text: 'taking it back' }) } });
        await client.im.message.delete({ path: { message_id: sent.data!.message_id! } });
      }
      if (message.message_type === 'merge_forward') what = `${((await client.im.message.get({ path: { message_id: message.message_id } })).data?.items?.length ?? 0) - 1} messages`;
      await say(message.chat_id, `got ${message.message_type}: ${what}`);
    },
    'im.message.reaction.created_v1': async (d: any) => reply(d.message_id, `saw ${d.reaction_type.emoji_type}`),
    'im.message.reaction.deleted_v1': async (d: any) => reply(d.message_id, `unsaw ${d.reaction_type.emoji_type}`),
    'im.message.recalled_v1': async (d: any) => say(d.chat_id, 'you took that back'),
    'im.message.message_read_v1': async (d: any) => void heard.push(`read ${d.message_id_list.length}`),
    'im.chat.member.bot.added_v1': async (d: any) => say(d.chat_id, `${variant === 'changed' ? 'hi' : 'hello'} ${d.name}`),
    'im.chat.member.bot.deleted_v1': async () => void heard.push('removed'),
    'im.chat.member.user.added_v1': async (d: any) => say(d.chat_id, `welcome ${d.users.map((u: any) => u.name).join(', ')}`),
    'im.chat.member.user.deleted_v1': async (d: any) => say(d.chat_id, `bye ${d.users.map((u: any) => u.name).join(', ')}`),
    'im.chat.member.user.withdrawn_v1': async (d: any) => say(d.chat_id, `withdrawn ${d.users.map((u: any) => u.name).join(', ')}`),
    'im.chat.updated_v1': async (d: any) => say(d.chat_id, `now ${d.after_change.name}`),
    'im.chat.access_event.bot_p2p_chat_entered_v1': async (d: any) => say(d.chat_id, 'welcome back'),
    'im.chat.disbanded_v1': async () => void heard.push('disbanded'),
  }));
  return { emu: e, heard };
}

async function control(e: TestEmulator, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${e.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (await res.json()) as { code: number; data: any };
  expect(answer.code, JSON.stringify(answer)).toBe(0);
  return answer.data;
}

/**
 * The generated file's imports and test body as a module in a folder of its own (so a file it
 * reads from beside it can be put there), run as the test would run it.
 */
async function runBody(code: string, e: TestEmulator, beside: Record<string, Buffer> = {}): Promise<void> {
  const js = stripTypes(code);
  const open = js.indexOf('async () => {', js.indexOf('\ntest(')) + 'async () => {'.length;
  const body = js.slice(open, js.indexOf('\n});\n', open));
  const fsImport = js.split('\n').filter((l) => l.startsWith('import { readFileSync }')).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(beside)) writeFileSync(join(dir, name), bytes);
  const file = join(dir, 'body.mjs');
  writeFileSync(file, `${fsImport}\nexport default async function (emu, expect, cardAsText, firstLine) {${body}\n}\n`);
  const firstLine = (card: any) => cardAsText(card).split('\n')[0] ?? '';
  const mod = (await import(pathToFileURL(file).href)) as { default: (...a: unknown[]) => Promise<void> };
  await mod.default(e, expect, cardAsText, firstLine);
}

const ids = (e: TestEmulator) => ({ alice: e.user('alice@example.com').openId, bob: e.user('bob@example.com').openId, carol: e.user('carol@example.com').openId });

describe('recording what a person does beyond text and clicks', () => {
  it('records uploads, posts, shares, reactions, reads, recalls and chat actions, and the generated test replays them', async () => {
    const { emu: e, heard } = await withBot();
    const { alice, bob, carol } = ids(e);
    const u = `/_emulator/users/${alice}`;
    const rec = await control(e, 'POST', '/_emulator/recordings', {});
    const group = (await control(e, 'POST', `${u}/chats`, { name: HOSTILE, bots: [APP], users: [bob] })).chat;
    await control(e, 'POST', `${u}/messages`, { app_id: APP, image: { data: PNG_1X1.toString('base64') } });
    const file = await control(e, 'POST', `${u}/messages`, { app_id: APP, file: { data: Buffer.from('lunch at noon\n').toString('base64'), file_name: 'notes "1".txt' } });
    await control(e, 'POST', `${u}/messages`, { chat_id: group.chat_id, post: { title: 'Agenda', content: [[{ tag: 'at', user_id: APP }, { tag: 'text', text: ' see ' }, { tag: 'img', data: PNG_1X1.toString('base64') }]] } });
    await control(e, 'POST', `${u}/messages`, { app_id: APP, share_chat: { chat_id: group.chat_id } });
    const place = await control(e, 'POST', `${u}/messages`, { app_id: APP, location: { name: 'Office', longitude: '116.30', latitude: '39.98' } });
    await control(e, 'POST', `${u}/messages`, { app_id: APP, todo: { summary: 'Book flights', due_time: 1767225600000 } });
    await control(e, 'POST', `${u}/messages`, { app_id: APP, merge_forward: { message_ids: [file.message_id, place.message_id] } });
    // The bot's greeting in the new group, reacted to and taken back; its answer in the chat, read.
    const greeting = e.messages({ chatId: group.chat_id }).find((m) => m.text?.startsWith('hello'))!;
    await control(e, 'POST', `${u}/reactions`, { message_id: greeting.messageId, emoji_type: 'THUMBSUP' });
    const reaction = e.messages({ chatId: group.chat_id }).length;
    const answer = e.messages().find((m) => m.text?.startsWith('got location'))!;
    await control(e, 'POST', `/_emulator/messages/${answer.messageId}/read`, { open_id: alice });
    const oops = await control(e, 'POST', `${u}/messages`, { app_id: APP, text: 'oops' });
    await control(e, 'POST', `/_emulator/messages/${oops.message_id}/recall`, {});
    await control(e, 'PATCH', `${u}/chats/${group.chat_id}`, { name: 'Trip 2026' });
    await control(e, 'POST', `${u}/chats/${group.chat_id}/members`, { users: [carol] });
    await control(e, 'POST', `${u}/chats/${group.chat_id}/members/withdraw`, { users: [carol] });
    await control(e, 'DELETE', `${u}/chats/${group.chat_id}/members/${bob}`);
    await control(e, 'DELETE', `${u}/reactions/${(await e.user('alice@example.com').react(greeting, 'THUMBSUP')).reactionId}`);
    await control(e, 'POST', `${u}/p2p`, { app_id: APP });
    await control(e, 'DELETE', `${u}/chats/${group.chat_id}`);
    const done = await control(e, 'POST', `/_emulator/recordings/${rec.id}/stop`, {});
    expect(reaction).toBeGreaterThan(1);

    const person = done.steps.filter((s: any) => s.kind !== 'message').map((s: any) => (s.kind === 'chat' ? s.verb : s.kind === 'send' ? s.msg_type : s.kind));
    expect(person).toEqual(['createGroup', 'image', 'file', 'post', 'share_chat', 'location', 'todo', 'merge_forward', 'react', 'read', 'say', 'recall', 'renameChat', 'addMember', 'withdraw', 'removeMember', 'react', 'unreact', 'openChat', 'disband']);
    const sent = done.steps.filter((s: any) => s.kind === 'send');
    expect(sent[0].content.image).toEqual({ recorded_file: true, name: null, size: PNG_1X1.length, base64: PNG_1X1.toString('base64') });
    expect(sent[1].content.file).toMatchObject({ name: 'notes "1".txt', base64: Buffer.from('lunch at noon\n').toString('base64') });
    expect(sent[2].content.post.content[0][0]).toEqual({ tag: 'at', user_id: APP });
    expect(sent[6].content.mergeForward).toEqual([file.message_id, place.message_id]);

    const code = recordedTest(done, { typescript: true });
    expect(code).toContain(`const chat1 = await alice.createGroup(${JSON.stringify(HOSTILE)}, { bots: [${JSON.stringify(APP)}], members: ["bob@example.com"] });`);
    expect(code).toContain(`await alice.send("p2p", { image: Buffer.from(${JSON.stringify(PNG_1X1.toString('base64'))}, "base64") });`);
    expect(code).toContain('await alice.send(chat1.chatId, { post: { title: "Agenda", content: [[{ tag: "at", user_id: ');
    expect(code).toContain('await alice.send("p2p", { shareChat: chat1.chatId });');
    expect(code).toMatch(/const (m\d+) = await alice\.send\("p2p", \{ file: \{ data: Buffer\.from\("[^"]+", "base64"\), fileName: "notes \\"1\\"\.txt" \} \}\);/);
    expect(code).toMatch(/await alice\.send\("p2p", \{ mergeForward: \[m\d+, m\d+\] \}\);/);
    expect(code).toMatch(/await alice\.react\(m\d+, "THUMBSUP"\);/);
    expect(code).toMatch(/await alice\.read\(m\d+\);/);
    expect(code).toMatch(/const (m\d+) = await alice\.sendText\("p2p", "oops"\);[\s\S]*\n\s+await alice\.recall\(\1\);/);
    expect(code).toContain('await alice.renameChat(chat1, "Trip 2026");');
    expect(code).toContain('await alice.addMember(chat1, "carol@example.com");');
    expect(code).toContain('await alice.withdraw(chat1, "carol@example.com");');
    expect(code).toContain('await alice.removeMember(chat1, "bob@example.com");');
    expect(code).toMatch(/await alice\.unreact\(m\d+, "THUMBSUP"\);/);
    expect(code).toContain('await alice.openChat();');
    expect(code).toContain('await alice.disband(chat1);');
    expect(code).not.toContain(group.chat_id);
    expect(code).not.toContain('readFileSync');
    expect(code).toContain('expect(m10.text).toBe("got merge_forward: 2 messages");');
    expect(syntaxErrors(code)).toEqual([]);
    expect(heard).toEqual(expect.arrayContaining(['read 1', 'disbanded']));

    // A fresh emulator and the same bot: the test passes, and the bot heard what it heard then.
    const again = await withBot();
    await runBody(code, again.emu);
    expect(again.heard).toEqual(heard);
    // A bot that greets a group in other words fails it.
    const changed = await withBot('changed');
    await expect(runBody(code, changed.emu)).rejects.toThrow(/expected/);
  });

  it('names an upload too large to write into the test for a file beside it, and reads it from there', async () => {
    const { emu: e, heard } = await withBot();
    const { alice } = ids(e);
    const big = Buffer.alloc(EMBED_FILE_BYTES + 1, 7);
    const rec = await control(e, 'POST', '/_emulator/recordings', {});
    await control(e, 'POST', `/_emulator/users/${alice}/messages`, { app_id: APP, file: { data: big.toString('base64'), file_name: 'big report (v2).bin' } });
    const done = await control(e, 'POST', `/_emulator/recordings/${rec.id}/stop`, {});
    expect(done.steps[0].content.file).toEqual({ recorded_file: true, name: 'big report (v2).bin', size: big.length, base64: null });
    const code = recordedTest(done, { typescript: true });
    expect(code).toContain(`// big_report__v2_.bin (${big.length} bytes) is larger than the recorder writes into a test: put the file next to this test as big_report__v2_.bin.`);
    expect(code).toContain('await alice.send("p2p", { file: { data: readFileSync(new URL("./big_report__v2_.bin", import.meta.url)), fileName: "big report (v2).bin" } });');
    expect(code.split('\n')[3]).toBe('import { readFileSync } from "node:fs";');
    expect(heard).toEqual(['file']);

    const again = await withBot();
    await runBody(code, again.emu, { 'big_report__v2_.bin': big });
    expect(again.emu.messages().find((m) => m.text?.startsWith('got file'))?.text).toBe(`got file: big report (v2).bin ${big.length} bytes`);
    // Without the file beside it, the test says which file it could not read.
    const bare = await withBot();
    await expect(runBody(code, bare.emu)).rejects.toThrow(/big_report__v2_\.bin/);
  });

  it('refers to chats made in the recording by variable, expects a bot to take back its message, and leaves out messages from before', async () => {
    const { emu: e, heard } = await withBot();
    const alice = e.user('alice@example.com');
    const bob = e.user('bob@example.com');
    const earlier = await alice.sendText('p2p', 'before');
    // recall() takes back only the user's own message.
    await expect(bob.recall(earlier)).rejects.toThrow(/Bob Li did not send om_\w+, so cannot recall it/);
    const rec = await control(e, 'POST', '/_emulator/recordings', {});
    await alice.react(earlier, 'DONE');
    const chat = await alice.createGroup('Standup', { members: [bob] });
    await alice.addBot(chat);
    await alice.sendText(chat.chatId, 'undo', { mention: true });
    await bob.leave(chat);
    await alice.removeBot(chat);
    const done = await control(e, 'POST', `/_emulator/recordings/${rec.id}/stop`, {});
    expect(done.steps.map((s: any) => s.verb ?? s.kind)).toEqual(['react', 'message', 'createGroup', 'addBot', 'message', 'say', 'message', 'recalled', 'message', 'message', 'leave', 'message', 'removeBot']);

    const code = recordedTest(done, { typescript: false });
    expect(code).toContain('// alice reacted with "DONE" a message from before the recording began: left out.\n  // (the bot answered it with a "text" message, left out with it)\n');
    expect(code).toContain('const chat1 = await alice.createGroup("Standup", { members: ["bob@example.com"] });');
    expect(code).toContain('await alice.addBot(chat1);');
    expect(code).toContain('await alice.sendText(chat1.chatId, "undo", { mention: true });');
    expect(code).toMatch(/await expect\.poll\(\(\) => emu\.message\((m\d+)\.messageId\)\.recalled\)\.toBe\(true\);/);
    expect(code).toContain('const bob = emu.user("bob@example.com");\n  await bob.leave(chat1);');
    expect(code).toContain('await alice.removeBot(chat1);');
    expect(code).not.toContain(chat.chatId);

    const again = await withBot();
    await runBody(code, again.emu);
    // What it heard from the recording on (the message before it is not part of the test).
    expect(again.heard).toEqual(heard.slice(1));
    expect(heard).toEqual(['text', 'text', 'removed']);
    const changed = await withBot('changed');
    await expect(runBody(code, changed.emu)).rejects.toThrow(/expected/);
  });
});
