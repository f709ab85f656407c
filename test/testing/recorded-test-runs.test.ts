import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formAction } from '../../src/testing/actions.js';
import { interactiveElements } from '../../src/testing/elements.js';
import { recordedTest } from '../../src/testing/record-codegen.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import type { RecordingRecord } from '../../src/emulator/store.js';
import { installedPackage } from '../helpers/installed-package.js';

/*
 * A recorded session, end to end: a bot on the official SDK runs behind the emulator; a session is
 * recorded through the control API (a person writes, clicks a button, fills and submits a form);
 * the generated vitest file is run against the same bot, in a project with the packed package
 * installed, and passes; against the bot with a changed answer it fails.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const SDK = pathToFileURL(join(ROOT, 'node_modules/@larksuiteoapi/node-sdk/lib/index.js')).href;

/** Card text a person wrote: everything JavaScript gives meaning to inside a string or a comment. */
const TRICKY = 'O\'Brien "quoted" ${x} \\ */ `tick`';

const BOT = `import * as lark from ${JSON.stringify(SDK)};
import { createServer } from 'node:http';

const card = (amount) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: 'Expense approval' } },
  body: { elements: [
    { tag: 'markdown', content: '**Amount:** ' + amount },
    { tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { action: 'approve', amount } }] },
    { tag: 'form', name: 'note_form', elements: [
      { tag: 'input', name: 'note', placeholder: { tag: 'plain_text', content: 'Note' } },
      { tag: 'select_static', name: 'kind', placeholder: { tag: 'plain_text', content: 'Kind' }, options: [{ text: { tag: 'plain_text', content: 'Travel' }, value: 'travel' }, { text: { tag: 'plain_text', content: 'Meals' }, value: 'meals' }] },
      { tag: 'button', name: 'send', text: { tag: 'plain_text', content: 'Send note' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { action: 'note' } }] },
    ] },
  ] },
});

/** The bot; variant 'changed' answers Approve with other words. */
export function createBot({ appId, appSecret, encryptKey, verificationToken, domain, variant = 'original' }) {
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const client = new lark.Client({ appId, appSecret, domain, loggerLevel: lark.LoggerLevel.fatal, logger });
  const dispatcher = new lark.EventDispatcher({ encryptKey, verificationToken, logger }).register({
    'im.message.receive_v1': async ({ message }) => {
      const amount = /\\d+/.exec(JSON.parse(message.content).text)?.[0] ?? '0';
      await client.im.message.reply({ path: { message_id: message.message_id }, data: { msg_type: 'interactive', content: JSON.stringify(card(amount)) } });
    },
    'card.action.trigger': async ({ action }) => {
      if (action.value.action === 'approve') {
        const done = { schema: '2.0', header: { title: { tag: 'plain_text', content: 'Expense approved' } }, body: { elements: [{ tag: 'markdown', content: 'Amount: ' + action.value.amount }] } };
        return { toast: { type: 'success', content: variant === 'changed' ? 'Approved, thanks' : 'Approved' }, card: { type: 'raw', data: done } };
      }
      return { toast: { type: 'info', content: 'Noted: ' + action.form_value.note + ' (' + action.form_value.kind + ')' } };
    },
  });
  return {
    async listen() {
      const server = createServer(lark.adaptDefault('/webhook', dispatcher, { autoChallenge: true }));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { url: 'http://127.0.0.1:' + server.address().port + '/webhook', close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
    },
  };
}
`;

/** What the generated test imports to start the bot (--setup's contract): the bot as recorded, or changed. */
const startBot = (variant: 'original' | 'changed') => `import { createBot } from './bot.mjs';
export default async function startBot(emu) {
  const app = emu.app();
  const hook = await createBot({ appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, domain: emu.url, variant: '${variant}' }).listen();
  emu.setCallbackUrl(hook.url);
  return hook;
}
`;

let dir: string;
let emu: TestEmulator;
let hook: { url: string; close(): Promise<void> };
let rec: RecordingRecord;
let downloaded: string;

async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { code: number; msg: string; data: T };
  if (json.code !== 0) throw new Error(`${method} ${path}: ${json.msg}`);
  return json.data;
}

beforeAll(async () => {
  const { project } = await installedPackage();
  dir = mkdtempSync(join(project, 'recorded-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'bot.mjs'), BOT);
  writeFileSync(join(dir, 'start-bot.mjs'), startBot('original'));
  writeFileSync(join(dir, 'start-changed-bot.mjs'), startBot('changed'));
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'], testTimeout: 20000, hookTimeout: 20000 } };\n");
  // vitest as the bot project would have it installed: this repository's copy.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules/vitest'), join(dir, 'node_modules/vitest'), 'dir');

  emu = await startEmulator({ rateLimits: false });
  const app = emu.app();
  const { createBot } = await import(pathToFileURL(join(dir, 'bot.mjs')).href);
  hook = await createBot({ appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, domain: emu.url }).listen();
  emu.setCallbackUrl(hook.url);

  // The session, as the inbox page makes it: its routes, nothing of the testing library's verbs.
  const started = await control<RecordingRecord>('POST', '/_emulator/recordings', {});
  const alice = emu.user('alice@example.com');
  await control('POST', `/_emulator/users/${alice.openId}/messages`, { app_id: app.appId, text: 'expense 42' });
  const card = await emu.waitForMessage((m) => m.card !== null);
  const approve = interactiveElements(card.card!).find((e) => e.text === 'Approve')!;
  await control('POST', '/_emulator/inbox/click', { message_id: card.messageId, open_id: alice.openId, action: { tag: 'button', value: approve.value } });
  await control('POST', `/_emulator/users/${alice.openId}/messages`, { app_id: app.appId, text: 'expense 7' });
  const other = await emu.waitForMessage((m) => m.card !== null);
  // The form as the page submits it: every named field, the button's name and value.
  const submit = formAction(other.card!, other.messageId, { note: TRICKY, kind: 'meals' }, {}, []).action;
  await control('POST', '/_emulator/inbox/click', { message_id: other.messageId, open_id: alice.openId, action: submit });
  rec = await control<RecordingRecord>('POST', `/_emulator/recordings/${started.id}/stop`, {});
  downloaded = await (await fetch(`${emu.url}/_emulator/recordings/${started.id}/test`)).text();
}, 300_000);

afterAll(async () => {
  await hook?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface FileReport {
  name: string;
  status: string;
  assertionResults: Array<{ status: string }>;
}

/**
 * One vitest run of the given files (one run, not one per file: vitest's start-up is most of a
 * run's cost): its exit code, what it printed, and each file's result from its JSON report.
 */
function vitest(files: string[]): Promise<{ code: number; out: string; files: Map<string, FileReport> }> {
  const report = join(dir, 'report.json');
  return new Promise((resolve) => {
    const args = [VITEST, 'run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
    execFile(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout, stderr) => {
      const results = (JSON.parse(readFileSync(report, 'utf8')) as { testResults: FileReport[] }).testResults;
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}`, files: new Map(results.map((r) => [basename(r.name), r])) });
    });
  });
}

it('records what the person did and what the bot answered, in order', () => {
  expect(rec.steps.map((s) => s.kind)).toEqual(['say', 'message', 'click', 'say', 'message', 'click']);
  const [, , click, , , submit] = rec.steps;
  expect(click).toMatchObject({ kind: 'click', call: { verb: 'click', target: { text: 'Approve' } }, answer: { ok: true, toast: { type: 'success', content: 'Approved' }, applied: true } });
  expect(submit).toMatchObject({ kind: 'click', call: { verb: 'submitForm', values: { note: TRICKY, kind: 'meals' } }, answer: { toast: { content: `Noted: ${TRICKY} (meals)` } } });
  // The page's download is the same generator's TypeScript.
  expect(downloaded).toBe(recordedTest(rec, { typescript: true }));
});

it('the generated test passes against the bot it was recorded with, and fails when the answer changes', async () => {
  // The same recording, generated twice: against the bot as recorded, and against the changed one.
  writeFileSync(join(dir, 'recorded.test.ts'), recordedTest(rec, { typescript: true, setup: './start-bot.mjs' }));
  writeFileSync(join(dir, 'changed.test.ts'), recordedTest(rec, { typescript: true, setup: './start-changed-bot.mjs' }));
  const run = await vitest(['recorded.test.ts', 'changed.test.ts']);
  const pass = run.files.get('recorded.test.ts')!;
  expect(pass.status).toBe('passed');
  expect(pass.assertionResults.map((t) => t.status)).toEqual(['passed']);
  const fail = run.files.get('changed.test.ts')!;
  expect(fail.status).toBe('failed');
  // The one failure is the changed bot's answer (its diff names it): nothing else went wrong in the run.
  expect(run.out).toContain('Approved, thanks');
  expect(run.out).toMatch(/Test Files\s+1 failed \| 1 passed \(2\)/);
  expect(run.out).not.toMatch(/Unhandled/i);
  expect(run.code).toBe(1);
}, 300_000);
