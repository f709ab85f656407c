import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeRecording } from '../../src/emulator/recordings.js';
import { RECORDING_STEPS, RECORDINGS_KEPT } from '../../src/emulator/store.js';
import { recordedTest } from '../../src/testing/record-codegen.js';
import { CARD_BIN } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';
import { syntaxErrors } from '../helpers/typescript.js';

/**
 * "Record a test": the emulator records a session (control API), and the generator writes it as
 * a vitest file; `card inbox record` does the same from a terminal. (The generated file is run
 * against its bot in recorded-test-runs.test.ts.)
 */
const t = emulatorForFile({ settings: { rateLimits: false } });
const run = promisify(execFile);

/** Text a bot or a person may put on a card: quotes, a line break, template syntax, a comment's end. */
const HOSTILE = 'Pay "now"\n*/ ${process.exit(1)} \\\u2028`x`';

const menus = {
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: HOSTILE } },
  body: {
    elements: [
      { tag: 'select_static', element_id: 'size', placeholder: { tag: 'plain_text', content: 'Size' }, options: [{ text: { tag: 'plain_text', content: 'Small' }, value: 's' }, { text: { tag: 'plain_text', content: 'Large' }, value: 'l' }], behaviors: [{ type: 'callback', value: { field: 'size' } }] },
      { tag: 'date_picker', element_id: 'day', placeholder: { tag: 'plain_text', content: 'Day' }, behaviors: [{ type: 'callback', value: { field: 'day' } }] },
      { tag: 'input', element_id: 'note', placeholder: { tag: 'plain_text', content: 'Note' }, behaviors: [{ type: 'callback', value: { field: 'note' } }] },
      { tag: 'overflow', element_id: 'more', options: [{ text: { tag: 'plain_text', content: 'Archive' }, value: 'archive' }], behaviors: [{ type: 'callback', value: { field: 'more' } }] },
    ],
  },
};

let bot: WsBot;
let group: string;

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const r = await t.call(method, path, body);
  expect(r.body.code, JSON.stringify(r.body)).toBe(0);
  return r.body.data;
}

beforeAll(async () => {
  // Over the long connection: the bot answers each action with a toast naming what it got.
  bot = await startWsBot(t.url, t.app, {
    'card.action.trigger': async (d: any) => ({ toast: { type: 'info', content: `got ${JSON.stringify(d.action.option ?? d.action.input_value)} ${HOSTILE}` } }),
    'im.message.receive_v1': async () => ({}),
  });
  const state = await control('GET', '/_emulator/state');
  group = state.chats.find((c: any) => c.chat_mode === 'group' && c.bots.includes(t.app.app_id)).chat_id;
});
afterAll(() => bot?.close());

const alice = () => t.users.find((u) => u.email === 'alice@example.com')!;
const sendMenus = async () => {
  const r = await t.send(await t.token(), 'email', 'alice@example.com', menus);
  expect(r.body.code, JSON.stringify(r.body)).toBe(0);
  return r.body.data.message_id as string;
};
const click = (message_id: string, action: Record<string, unknown>) => control('POST', '/_emulator/inbox/click', { message_id, open_id: alice().open_id, action });

describe('recording a session', () => {
  it('turns messages, choices, picks, typing, updates and group messages into library calls, every literal escaped', async () => {
    const rec = await control('POST', '/_emulator/recordings', {});
    const id = await sendMenus();
    await click(id, { tag: 'select_static', value: { field: 'size' }, option: 'l' });
    await click(id, { tag: 'date_picker', value: { field: 'day' }, option: '2026-01-15 +0800', timezone: 'Asia/Shanghai' });
    await click(id, { tag: 'input', value: { field: 'note' }, input_value: 'lunch "out"' });
    // A menu press: the overflow menu, as the page sends it.
    await click(id, { tag: 'overflow', value: { field: 'more' }, option: 'archive' });
    // The bot changes the card through the API, and writes text.
    const token = await t.token();
    expect((await t.call('PATCH', `/open-apis/im/v1/messages/${id}`, { content: JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: 'Done' } }, body: { elements: [] } }) }, token)).body.code).toBe(0);
    expect((await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'alice@example.com', msg_type: 'text', content: JSON.stringify({ text: HOSTILE }) }, token)).body.code).toBe(0);
    await control('POST', `/_emulator/users/${alice().open_id}/messages`, { chat_id: group, text: 'hello bots', mention_bot: true });
    const done = await control('POST', `/_emulator/recordings/${rec.id}/stop`, {});
    expect(done.steps.map((s: any) => s.kind)).toEqual(['message', 'click', 'click', 'click', 'click', 'update', 'message', 'say']);
    expect(done.transport).toMatchObject({ mode: 'ws', app_id: t.app.app_id });

    const code = recordedTest(done, { typescript: true });
    expect(code).toContain('emu = await startEmulator({ longConnection: true });');
    expect(code).toContain('const alice = emu.user("alice@example.com");');
    expect(code).toContain(`const m1 = await emu.waitForMessage((m) => m.card !== null && firstLine(m.card) === ${JSON.stringify('Pay "now"')});`);
    expect(code).toContain('const r1 = await alice.choose(m1.messageId, { elementId: "size" }, "l");');
    expect(code).toContain('const r2 = await alice.pick(m1.messageId, { elementId: "day" }, "2026-01-15");');
    expect(code).toContain('const r3 = await alice.type(m1.messageId, { elementId: "note" }, "lunch \\"out\\"");');
    expect(code).toContain('const r4 = await alice.choose(m1.messageId, { elementId: "more" }, "archive");');
    expect(code).toContain(`expect(r1.toast).toEqual({ type: "info", content: ${JSON.stringify(`got "l" ${HOSTILE}`)} });`);
    expect(code).toContain('await expect.poll(() => cardAsText(emu.message(m1.messageId).card!)).toBe("Done");');
    expect(code).toContain(`expect(m2.text).toBe(${JSON.stringify(HOSTILE)});`);
    expect(code).toContain(`await alice.sendText(${JSON.stringify(group)}, "hello bots", { mention: true });`);
    // No setup module: a startBot to fill in, which says so when run.
    expect(code).toMatch(/async function startBot\(emu: TestEmulator\)[^]*throw new Error/);

    // Both languages parse; the hostile text stays inside its strings.
    expect(syntaxErrors(code)).toEqual([]);
    const js = recordedTest(done, { typescript: false });
    expect(js).not.toMatch(/: TestEmulator|card!/);
    const file = join(t.sb.dir, 'recorded.mjs');
    writeFileSync(file, js);
    await run(process.execPath, ['--check', file]);
    expect(js.split('\n').filter((l) => l.startsWith('//')).join('\n')).not.toContain('process.exit');
  });

  it('keeps a bounded number of steps and recordings; one records at a time; a reset forgets them', async () => {
    const first = await control('POST', '/_emulator/recordings', {});
    // In a group, without an @mention, no bot hears it: only the person's messages are recorded.
    for (let i = 0; i <= RECORDING_STEPS; i++) await control('POST', `/_emulator/users/${alice().open_id}/messages`, { chat_id: group, text: `n${i}` });
    const second = await control('POST', '/_emulator/recordings', {});
    const full = await control('GET', `/_emulator/recordings/${first.id}`);
    expect(full.stopped_at).not.toBeNull();
    expect(full.steps).toHaveLength(RECORDING_STEPS);
    expect(full.truncated).toBe(true);
    expect(recordedTest(full)).toContain('// The recording held its limit of steps');
    for (let i = 0; i < RECORDINGS_KEPT; i++) await control('POST', '/_emulator/recordings', {});
    expect((await t.call('GET', `/_emulator/recordings/${first.id}`)).body.code).toBe(404);
    expect((await t.call('GET', `/_emulator/recordings/${second.id}`)).body.code).toBe(404);
    const last = await control('POST', '/_emulator/recordings', {});
    await control('POST', '/_emulator/reset');
    const gone = await t.call('POST', `/_emulator/recordings/${last.id}/stop`, {});
    expect(gone.body.msg).toContain(`no recording ${last.id}`);
  });

  it('the download names a file of its own and is the TypeScript test', async () => {
    const rec = await control('POST', '/_emulator/recordings', {});
    await sendMenus();
    await control('POST', `/_emulator/recordings/${rec.id}/stop`, {});
    const res = await fetch(`${t.url}/_emulator/recordings/${rec.id}/test`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="recorded-${rec.id}.test.ts"`);
    const text = await res.text();
    expect(text).toContain('import type { Card, TestEmulator } from "feishu-card-cli/testing";');
    expect(text).toContain('firstLine(m.card) === "Pay \\"now\\""');
  });
});

describe('card inbox record', () => {
  const say = (text: string) => control('POST', `/_emulator/users/${alice().open_id}/messages`, { chat_id: group, text });
  /** Until the command's recording is under way in the emulator (its start is an event, not polled). */
  const started = async (_cli: unknown) => {
    if (!activeRecording(t.emu.core)) await new Promise((resolve) => t.emu.core.events.once('recording', resolve));
    expect(activeRecording(t.emu.core)).not.toBeNull();
  };

  it('says how to stop it', async () => {
    const cli = t.sb.start(['inbox', 'record', '--out', 'said.test.ts', '--base-url', t.url]);
    await started(cli);
    cli.write('\n');
    const r = await cli.result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recording rec_\w+: act in the inbox, then press Enter \(or Ctrl-C\)/);
    expect(r.stdout.trim()).toBe('said.test.ts');
  });

  it('records until Enter and writes a TypeScript test; --json says where and how many steps', async () => {
    mkdirSync(join(t.sb.dir, 'test'), { recursive: true });
    const cli = t.sb.start(['inbox', 'record', '--out', 'test/recorded.test.ts', '--setup', './start-bot.js', '--json', '--base-url', t.url]);
    await started(cli);
    await say('first');
    await say('second');
    cli.write('\n');
    const r = await cli.result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ file: 'test/recorded.test.ts', steps: 2, stopped_by: 'enter', language: 'typescript', truncated: false });
    const text = readFileSync(join(t.sb.dir, 'test/recorded.test.ts'), 'utf8');
    expect(text).toContain('import startBot from "./start-bot.js";');
    expect(text).toContain(`await alice.sendText(${JSON.stringify(group)}, "second");`);
    expect(text).not.toContain('async function startBot');
  });

  it('--until-signal ignores the end of stdin and stops on Ctrl-C; a .js file is JavaScript', async () => {
    const cli = t.sb.start(['inbox', 'record', '--out', 'rec.js', '--until-signal', '--json', '--base-url', t.url]);
    await started(cli);
    cli.end();
    await say('after stdin ended');
    cli.stop('SIGINT');
    const r = await cli.result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ steps: 1, stopped_by: 'SIGINT', language: 'javascript' });
    expect(readFileSync(join(t.sb.dir, 'rec.js'), 'utf8')).toContain('let emu;');
  });

  it('a Ctrl-C while the recording is being started still stops it and writes the file, leaving no recording running', async () => {
    const cli = t.sb.start(['inbox', 'record', '--out', 'early.test.ts', '--until-signal', '--json', '--base-url', t.url]);
    // The emulator has the recording, and its answer has not reached the command yet.
    await new Promise((resolve) => t.emu.core.events.once('recording', resolve));
    cli.stop('SIGINT');
    const r = await cli.result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ steps: 0, stopped_by: 'SIGINT' });
    expect(activeRecording(t.emu.core)).toBeNull();
  });

  it('as a process in the background of a script (stdin at its end), --until-signal records until SIGINT', async () => {
    const child = spawn(process.execPath, [CARD_BIN, 'inbox', 'record', '--out', 'bg.test.ts', '--until-signal', '--json', '--base-url', t.url], { cwd: t.sb.dir, env: t.sb.envFor(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await started(null);
    await say('while in the background');
    // Nothing but the signal ends it: after another round trip through the emulator it still records.
    await say('and still recording');
    expect(activeRecording(t.emu.core)).not.toBeNull();
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(JSON.parse(out).data).toMatchObject({ steps: 2, stopped_by: 'SIGINT' });
  });

  it('the end of stdin stops it; an --out it cannot write is exit 2 before anything is recorded', async () => {
    const r = await t.sb.run(['inbox', 'record', '--out', 'x.test.ts', '--json', '--base-url', t.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ steps: 0, stopped_by: 'stdin-end' });
    expect(readFileSync(join(t.sb.dir, 'x.test.ts'), 'utf8')).toContain('// Nothing was recorded');
    const before = t.emu.core.store.recordings.size;
    const bad = await t.sb.run(['inbox', 'record', '--out', 'no/such/dir/x.test.ts', '--json', '--base-url', t.url]);
    expect(bad.code).toBe(2);
    expect(bad.json.error.message).toContain('--out');
    expect(t.emu.core.store.recordings.size).toBe(before);
    expect(existsSync(join(t.sb.dir, 'no'))).toBe(false);
  });
});
