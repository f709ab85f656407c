import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { httpDate, verifyWps4, wps4Headers } from '../../src/wps/sign.js';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

const AK = 'WK2026emu0000001';
const SK = 'emu-wps-secret-not-real';
const CARD = join(FIXTURES, 'cards/wps-approval.json');
let emu: RunningEmulator;
const sb = new Sandbox();
const wpsMessages = async () => ((await (await fetch(`${emu.url}/_emulator/wps/messages`)).json()) as any).data.messages;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const add = await sb.run(['profile', 'add', 'wps', '--platform', 'wps', '--app-id', AK, '--domain', emu.url, '--app-secret-stdin', '--use'], { input: SK });
  expect(add.code).toBe(0);
  await sb.run(['profile', 'add', 'wps3', '--platform', 'wps', '--wps-auth', 'wps-3', '--app-id', AK, '--domain', emu.url, '--app-secret-stdin'], { input: SK });
});
afterAll(async () => {
  await emu.close();
  sb.cleanup();
});

describe('card send with a WPS profile', () => {
  it('sends a card message (msg_type 23), WPS-4 signed, with a company_token; the emulator verifies and stores it', async () => {
    const r = await sb.run(['send', CARD, '--to-users', '100001:200001,200002', '--utype', '1', '--biz-type', 'expense', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ platform: 'wps', utype: 1 });
    expect(r.json.data.ctx_id).toMatch(/^[0-9a-f-]{36}$/);
    const [stored] = (await wpsMessages()).filter((m: any) => m.message_id === r.json.data.message_id);
    expect(stored).toMatchObject({ app_key: AK, ctx_id: r.json.data.ctx_id, biz_type: 'expense', utype: 1, targets: { to_users: { company_id: '100001', company_uids: ['200001', '200002'] } } });
    expect(stored.card.header.title.content.text).toBe('报销审批 Expense approval');
    const requests = emu.requests().filter((q) => q.path.startsWith('/o/woa/'));
    expect(requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'GET /o/woa/oauthapi/v3/inner/company/token 200',
      'POST /o/woa/api/v2/developer/app/messages 200',
    ]);
  });

  it('updates a sent card by its ctx_id', async () => {
    const sent = await sb.run(['send', CARD, '--to-users', '100001:200003', '--utype', '1', '--json']);
    const ctxId = sent.json.data.ctx_id;
    const v2 = join(sb.dir, 'wps-v2.json');
    writeFileSync(v2, JSON.stringify({ header: { title: { tag: 'text', content: { type: 'plainText', text: 'Approved' } } }, elements: [{ tag: 'text', content: { type: 'markdown', text: '**Done**' } }] }));
    const r = await sb.run(['update', ctxId, v2, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const stored = (await wpsMessages()).find((m: any) => m.ctx_id === ctxId);
    expect(stored.versions).toHaveLength(2);
    expect(stored.card.header.title.content.text).toBe('Approved');
    const unknown = await sb.run(['update', 'no-such-ctx', v2, '--json']);
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.code).toBe(40004);
  });

  it('caches the company_token across runs, and signs WPS-3 when the profile says so', async () => {
    const before = emu.requests().length;
    const whole = await sb.run(['send', CARD, '--to-companies', '100001']);
    expect(whole.code).toBe(0);
    expect(whole.stderr).toContain('on WPS to everyone in company 100001');
    expect(emu.requests().slice(before).map((q) => q.path)).toEqual(['/o/woa/api/v2/developer/app/messages']);
    const r = await sb.run(['--profile', 'wps3', 'send', CARD, '--to-depts', '100001:300001', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('answers a wrong secret with exit 3, a foreign company with exit 1, and a bad card with exit 5 before sending', async () => {
    const wrong = await sb.run(['send', CARD, '--to-users', '100001:200001', '--json'], { env: { CARD_APP_SECRET: 'not-the-secret' } });
    expect(wrong.code).toBe(3);
    expect(wrong.json.error).toMatchObject({ type: 'auth', code: 40101 });
    const foreign = await sb.run(['send', CARD, '--to-users', '999:1', '--json']);
    expect(foreign.code).toBe(1);
    expect(foreign.json.error.code).toBe(40003);
    const big = join(sb.dir, 'big.json');
    writeFileSync(big, JSON.stringify({ header: { title: { tag: 'text', content: { type: 'plainText', text: 't' } } }, elements: Array.from({ length: 21 }, () => ({ tag: 'text', content: { type: 'plainText', text: 'x' } })) }));
    const before = (await wpsMessages()).length;
    const refused = await sb.run(['send', big, '--to-users', '100001:200001', '--json']);
    expect(refused.code).toBe(5);
    expect(refused.json.error.details.problems[0].rule).toBe('element-count');
    expect((await wpsMessages()).length).toBe(before);
    const noTarget = await sb.run(['send', CARD]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--to-users');
  });
});

describe('the WPS endpoints of the emulator', () => {
  const call = async (method: string, path: string, body: unknown, secret = SK) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = wps4Headers(AK, { method, uri: path, contentType: 'application/json', date: httpDate(Date.now()), body: text, secret });
    const res = await fetch(`${emu.url}/o/woa${path}`, { method, headers, body: text || undefined });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('refuses unsigned and badly signed requests in WPS\'s envelope', async () => {
    const unsigned = await fetch(`${emu.url}/o/woa/oauthapi/v3/inner/company/token?app_id=${AK}`);
    expect([unsigned.status, ((await unsigned.json()) as any).result]).toEqual([401, 40101]);
    const bad = await call('GET', `/oauthapi/v3/inner/company/token?app_id=${AK}`, undefined, 'wrong');
    expect([bad.status, bad.body.result]).toEqual([401, 40101]);
    const noToken = await call('POST', '/api/v2/developer/app/messages', { app_key: AK });
    expect([noToken.status, noToken.body.result]).toEqual([401, 40102]);
  });

  it('updates a message by ctx_id, and refuses a reused ctx_id', async () => {
    const { company_token } = (await call('GET', `/oauthapi/v3/inner/company/token?app_id=${AK}`, undefined)).body;
    const card = { header: { title: { tag: 'text', content: { type: 'plainText', text: 'v1' } } }, elements: [] };
    const send = { to_users: { company_id: '100001', company_uids: ['200001'] }, app_key: AK, ctx_id: 'ctx-update-1', company_id: '100001', utype: 1, msg_type: 23, content: { type: 23, content: card } };
    expect((await call('POST', `/api/v2/developer/app/messages?company_token=${company_token}`, send)).body.result).toBe(0);
    expect((await call('POST', `/api/v2/developer/app/messages?company_token=${company_token}`, send)).body.result).toBe(40004);
    const v2 = { ...card, header: { title: { tag: 'text', content: { type: 'plainText', text: 'v2' } } } };
    const upd = await call('POST', `/api/v2/developer/app/messages/update?company_token=${company_token}`, { app_key: AK, ctx_id: 'ctx-update-1', content: { type: 23, content: v2 } });
    expect(upd.body).toEqual({ result: 0 });
    const stored = (await wpsMessages()).find((m: any) => m.ctx_id === 'ctx-update-1');
    expect(stored.versions.map((v: any) => v.via)).toEqual(['create', 'update']);
    expect(stored.card.header.title.content.text).toBe('v2');
  });
});

describe('card replay-callback --platform wps', () => {
  let handler: Awaited<ReturnType<typeof serve>>;
  let mode: 'ok' | 'fail' | 'status' = 'ok';
  const got: any[] = [];
  beforeAll(async () => {
    // A handler that checks WPS-4 itself, as a real receiver must.
    handler = await serve(async (req, res) => {
      const raw = await readBody(req);
      const verdict = verifyWps4(req.headers, { method: req.method!, uri: req.url!, body: raw }, { appId: AK, secret: SK });
      if (!verdict.ok) {
        res.writeHead(401).end(JSON.stringify({ result: 'unauthorized', reason: verdict.reason }));
        return;
      }
      got.push(JSON.parse(raw));
      if (mode === 'status') res.writeHead(500).end('{}');
      else res.end(JSON.stringify({ result: mode }));
    });
  });
  afterAll(() => handler.close());

  it('signs the callback so a WPS-4 verifier accepts it, and passes a {"result":"ok"} answer', async () => {
    const r = await sb.run(['replay-callback', 'wps-card-button', 'wps-card-input', '--platform', 'wps', '--app-key', AK, '--secret', SK, '--url', `${handler.url}/wps/card?tenant=1`, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(got.map((g) => g.data.content)).toEqual([{ action: 'approve' }, { action: 'submit', comment: 'Looks good' }]);
    expect(got[0]).toMatchObject({ callback_name: 'xz_card', app_id: AK });
    // From the WPS profile, with no flags.
    expect((await sb.run(['replay-callback', 'wps-card-button', '--url', `${handler.url}/cb`])).code).toBe(0);
  });

  it('fails answers that are not {"result":"ok"}, not 200, or refused for a wrong secret', async () => {
    mode = 'fail';
    const fail = await sb.run(['replay-callback', 'wps-card-button', '--url', `${handler.url}/cb`, '--json']);
    expect(fail.code).toBe(5);
    expect(fail.json.error.details.results[0].problems).toContainEqual({ path: '$.result', message: 'WPS expects {"result": "ok"}, got "fail"' });
    mode = 'status';
    expect((await sb.run(['replay-callback', 'wps-card-button', '--url', `${handler.url}/cb`])).code).toBe(5);
    mode = 'ok';
    const wrong = await sb.run(['replay-callback', 'wps-card-button', '--secret', 'wrong', '--url', `${handler.url}/cb`, '--json']);
    expect(wrong.code).toBe(5);
    expect(wrong.json.error.details.results[0].status).toBe(401);
    const mixed = await sb.run(['replay-callback', 'button', '--platform', 'wps', '--url', handler.url]);
    expect(mixed.code).toBe(2);
  });
});

describe('card lint for WPS cards', () => {
  it('recognises a WPS card and passes the sample', async () => {
    const r = await sb.run(['lint', CARD, '--json']);
    expect(r.json.data.files[0]).toMatchObject({ version: 'wps', errors: 0, warnings: 0 });
  });

  it('catches what WPS refuses, each at its pointer', async () => {
    const bad = join(sb.dir, 'wps-bad.json');
    writeFileSync(bad, JSON.stringify({
      header: { title: { tag: 'text', content: { type: 'html', text: 't' } } },
      elements: [
        { tag: 'text', content: { type: 'markdown', text: '[docs]($url_val)' } },
        { tag: 'action', actions: [{ tag: 'button', content: { type: 'plainText', text: 'x' }, style: 'blue' }] },
        { tag: 'carousel' },
      ],
    }));
    const r = await sb.run(['lint', bad, '--json']);
    expect(r.code).toBe(5);
    const found = r.json.error.details.files[0].problems.map((p: any) => `${p.rule} ${p.pointer}`);
    expect(found).toEqual(expect.arrayContaining([
      'wps-text /header/title/content/type',
      'wps-href /elements/0/content',
      'enum /elements/1/actions/0/style',
      'wps-button /elements/1/actions/0',
      'unknown-tag /elements/2/tag',
    ]));
  });
});
