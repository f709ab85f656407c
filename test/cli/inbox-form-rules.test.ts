import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { serve } from '../helpers/handler.js';

/**
 * `card inbox` follows the client's form rules: choosing, picking, typing or ticking inside a form
 * sends nothing. Each command is a process of its own, so instead of keeping a fill nobody could
 * see, it says nothing was sent (exit 2) and prints the one `fill … --submit` command that does it.
 */
const t = emulatorForFile({ settings: { rateLimits: false } });
const feedback = JSON.parse(readFileSync(new URL('../cards/valid/feedback-form.v2.json', import.meta.url), 'utf8'));
const plain = (content: string) => ({ tag: 'plain_text', content });
const outside = {
  schema: '2.0',
  body: { elements: [{ tag: 'select_static', element_id: 'size', placeholder: plain('Size'), options: [{ text: plain('Small'), value: 's' }, { text: plain('Large'), value: 'l' }], behaviors: [{ type: 'callback', value: { field: 'size' } }] }] },
};

const seen: any[] = [];
let webhook: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  const app = t.app;
  const keys = { encryptKey: app.encrypt_key ?? '', verificationToken: app.verification_token ?? '', logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} } } as any;
  webhook = await serve(lark.adaptDefault('/cards', new lark.CardActionHandler(keys, async (d: any) => {
    seen.push(d.action);
    return { toast: { type: 'info', content: d.action.form_value ? `got ${JSON.stringify(d.action.form_value)}` : `chose ${d.action.option}` } };
  }), { autoChallenge: true }) as any);
});
afterAll(() => webhook?.close());
beforeEach(async () => {
  seen.length = 0;
  // The file's emulator goes back to its seed before each test.
  const r = await t.call('PATCH', `/_emulator/apps/${t.app.app_id}`, { callback_mode: 'http', callback_url: `${webhook.url}/cards` });
  expect(r.body.code).toBe(0);
});

const send = async (card: unknown) => {
  const r = await t.send(await t.token(), 'email', 'alice@example.com', card);
  expect(r.body.code, JSON.stringify(r.body)).toBe(0);
  return r.body.data.message_id as string;
};

describe('card inbox and forms', () => {
  it('choose on a select in a form sends nothing and shows the fill command that would', async () => {
    const id = await send(feedback);
    const r = await t.sb.run(['inbox', 'choose', id, 'Kind of feedback', 'Bug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('type sits in form "feedback_form": in the client choosing there fills the form and sends nothing');
    expect(r.stderr).toContain(`card inbox fill ${id} type=Bug --submit Send`);
    const json = await t.sb.run(['inbox', 'choose', id, '#1', 'bug', '--json']);
    expect(json.code).toBe(2);
    expect(json.json.error.details).toEqual({ sent: false });
    expect(seen).toEqual([]);
  });

  it('ticking a checker or pressing reset in a form sends nothing either', async () => {
    const id = await send(feedback);
    const tick = await t.sb.run(['inbox', 'click', id, 'You may contact me']);
    expect([tick.code, tick.stderr]).toEqual([2, expect.stringContaining(`card inbox fill ${id} contact_me=true --submit Send`)]);
    const reset = await t.sb.run(['inbox', 'click', id, 'Clear']);
    expect([reset.code, reset.stderr]).toEqual([2, expect.stringContaining('only clears what was filled')]);
    expect(seen).toEqual([]);
  });

  it('the suggested command submits the form', async () => {
    const id = await send(feedback);
    const r = await t.sb.run(['inbox', 'fill', id, 'type=Bug', 'content=broken', '--submit', 'Send']);
    expect(r.code).toBe(0);
    expect(seen).toEqual([expect.objectContaining({ value: { action: 'feedback' }, form_value: { type: 'bug', content: 'broken', seen_on: '2024-03-01 +0800', contact_me: false } })]);
  });

  it('outside a form, choose still sends at once', async () => {
    const id = await send(outside);
    const r = await t.sb.run(['inbox', 'choose', id, 'size', 'Large', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.toast).toEqual({ type: 'info', content: 'chose l' });
    expect(seen).toEqual([expect.objectContaining({ option: 'l' })]);
  });
});
