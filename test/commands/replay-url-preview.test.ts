import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';

/**
 * `card replay-callback` and `card listen` with the link-preview callback (url.preview.get: signed
 * and encrypted as a card callback, answered with an inline preview) and the bot menu event
 * (application.bot.menu_v6), against the official SDK's dispatcher.
 */
const KEY = 'url-preview-test-encrypt-key';
const TOKEN = 'url-preview-test-verification-token';
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const sb = new Sandbox();
const got: any[] = [];
let answer: (data: any) => unknown = () => ({});
let bot: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  const dispatcher = new lark.EventDispatcher({ encryptKey: KEY, verificationToken: TOKEN, logger: quiet } as any).register({
    'url.preview.get': (data: any) => {
      got.push(data);
      return answer(data);
    },
    'application.bot.menu_v6': (data: any) => {
      got.push(data);
      return {};
    },
  } as any);
  bot = await serve(lark.adaptDefault('/webhook', dispatcher, { autoChallenge: true }) as any);
});
afterAll(async () => {
  await bot.close();
  sb.cleanup();
});

describe('card replay-callback url-preview', () => {
  it('signs and encrypts it as a card callback; the SDK gets the link and a fresh preview token; a good answer passes', async () => {
    got.length = 0;
    answer = (data) => ({ inline: { title: `Request ${String(data.context.url).split('/').pop()}` }, card: { type: 'card_json', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Waiting for you' }] } } } });
    const r = await sb.run(['replay-callback', 'url-preview', '--url', `${bot.url}/webhook`, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [res] = r.json.data.results;
    expect(res).toMatchObject({ fixture: 'url-preview', format: 'url.preview.get', encrypted: true, ok: true, problems: [], answer: { inline: { title: 'Request EXP-1024' } } });
    expect(got[0]).toMatchObject({ event_type: 'url.preview.get', host: 'im_message', context: { url: 'https://approvals.example.com/requests/EXP-1024' } });
    expect(got[0].context.preview_token).toMatch(/^pt_[0-9a-f]{24}$/);
    // The record shows what was sent with the Verification Token hidden.
    expect(res.sent.payload.header.token).not.toContain(TOKEN);
    expect(JSON.stringify(r.json)).not.toContain(TOKEN);
  });

  it('an answer the client would refuse fails the check (exit 5), naming what is wrong', async () => {
    answer = () => ({ toast: { type: 'info', content: 'previews are toasts, right?' } });
    const r = await sb.run(['replay-callback', 'url-preview', '--url', `${bot.url}/webhook`, '--encrypt-key', KEY, '--json']);
    expect(r.code).toBe(5);
    const paths = r.json.error.details.results[0].problems.map((p: any) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.toast', '$.inline']));
    answer = () => ({ inline: { title: 'ok' }, card: { type: 'card_json', data: { schema: '2.0', body: { elements: [{ tag: 'no_such_tag' }] } } } });
    const lint = await sb.run(['replay-callback', 'url-preview', '--url', `${bot.url}/webhook`, '--encrypt-key', KEY, '--json']);
    expect(lint.code).toBe(5);
    expect(lint.json.error.details.results[0].problems[0].path).toMatch(/^\$\.card\.data\.body\.elements\[0\]/);
  });

  it('the bot-menu event is replayed as an event, parsed by the SDK', async () => {
    got.length = 0;
    const r = await sb.run(['replay-callback', 'bot-menu', '--url', `${bot.url}/webhook`, '--encrypt-key', KEY, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.results[0]).toMatchObject({ format: 'event', ok: true });
    expect(got[0]).toMatchObject({ event_type: 'application.bot.menu_v6', event_key: 'my_approvals', operator: { operator_name: 'Alice Zhang' } });
  });

  it('card fixtures lists both', async () => {
    const list = await sb.run(['fixtures', 'list', '--json']);
    const byName = Object.fromEntries(list.json.data.fixtures.map((f: any) => [f.name, f.format]));
    expect(byName).toMatchObject({ 'url-preview': 'url.preview.get', 'bot-menu': 'event' });
  });
});

describe('card listen with url.preview.get and application.bot.menu_v6', () => {
  let listener: ChildProcess;
  let lines: AsyncIterator<string>;
  let listenUrl: string;
  const outDir = join(sb.dir, 'recorded');

  beforeAll(async () => {
    listener = spawn(process.execPath, [CARD_BIN, 'listen', '--port', '0', '--json', '--out', outDir, '--encrypt-key', KEY, '--verification-token', TOKEN], {
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    lines = createInterface({ input: listener.stdout! })[Symbol.asyncIterator]();
    listenUrl = JSON.parse((await lines.next()).value).url;
  });
  afterAll(() => {
    listener.kill('SIGTERM');
  });

  it('verifies and records them scrubbed (the preview token too); a recording replays with a fresh token', async () => {
    const r = await sb.run(['replay-callback', 'url-preview', '--url', `${listenUrl}/cb`, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
    // Without --forward-to, listen answers {}: no preview, which the check reports (exit 5).
    expect(r.code).toBe(5);
    const sentToken = r.json.error.details.results[0].sent.payload.event.context.preview_token;
    const entry = JSON.parse((await lines.next()).value);
    expect(entry).toMatchObject({ format: 'url.preview.get', encrypted: true, signature: 'verified' });
    const file = readFileSync(entry.saved, 'utf8');
    expect(file).not.toContain(TOKEN);
    expect(file).not.toContain(sentToken);
    const saved = JSON.parse(file);
    expect(saved._meta).toMatchObject({ name: 'recorded-url-preview-get-1', format: 'url.preview.get', signature: 'verified' });
    expect(saved.payload.event.context).toMatchObject({ url: 'https://approvals.example.com/requests/EXP-1024', preview_token: 'pt_placeholder' });
    expect(saved.payload.event.context.open_message_id).toMatch(/^om_recorded/);

    got.length = 0;
    answer = () => ({ inline: { title: 'replayed' } });
    const again = await sb.run(['replay-callback', entry.saved, '--url', `${bot.url}/webhook`, '--encrypt-key', KEY, '--json']);
    expect(again.code).toBe(0);
    expect(got[0].context.preview_token).toMatch(/^pt_[0-9a-f]{24}$/);

    await sb.run(['replay-callback', 'bot-menu', '--url', `${listenUrl}/events`, '--encrypt-key', KEY, '--verification-token', TOKEN]);
    const menu = JSON.parse((await lines.next()).value);
    expect(menu).toMatchObject({ format: 'event', signature: 'verified' });
    expect(JSON.parse(readFileSync(menu.saved, 'utf8')).payload.event).toMatchObject({ event_key: 'my_approvals', operator: { operator_id: { user_id: 'recorded' } } });
  });
});
