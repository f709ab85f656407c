import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

const c = emulatorForFile();

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

describe('tenant_access_token', () => {
  it('issues a t- token with expire in seconds, fields at the top level', async () => {
    const r = await c.call('POST', TOKEN_PATH, { app_id: c.app.app_id, app_secret: c.app.app_secret });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, msg: 'ok', expire: 7200 });
    expect(r.body.tenant_access_token).toMatch(/^t-/);
    expect(r.body.data).toBeUndefined();
    expect(r.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{18}$/);
  });

  it('returns the same token while more than 30 minutes remain, then a new one with both valid', async () => {
    const creds = { app_id: c.app.app_id, app_secret: c.app.app_secret };
    const first = (await c.call('POST', TOKEN_PATH, creds)).body;
    await c.call('POST', '/_emulator/clock', { advance_seconds: 3600 });
    const second = (await c.call('POST', TOKEN_PATH, creds)).body;
    expect(second.tenant_access_token).toBe(first.tenant_access_token);
    expect(second.expire).toBeGreaterThanOrEqual(3599);
    expect(second.expire).toBeLessThanOrEqual(3600);
    await c.call('POST', '/_emulator/clock', { advance_seconds: 3000 });
    const third = (await c.call('POST', TOKEN_PATH, creds)).body;
    expect(third.tenant_access_token).not.toBe(first.tenant_access_token);
    expect(third.expire).toBe(7200);
    for (const t of [first.tenant_access_token, third.tenant_access_token]) {
      const r = await c.call('GET', `/open-apis/im/v1/chats/${c.emu.state().chats[0]!.chat_id}`, undefined, t);
      expect(r.body.code).toBe(0);
    }
  });

  it('app_access_token/internal answers with both tokens', async () => {
    const r = await c.call('POST', '/open-apis/auth/v3/app_access_token/internal', { app_id: c.app.app_id, app_secret: c.app.app_secret });
    expect(r.body.code).toBe(0);
    expect(r.body.app_access_token).toMatch(/^t-/);
    expect(r.body.tenant_access_token).toBe(r.body.app_access_token);
  });

  it('refuses a wrong secret, an unknown app and missing fields with the platform codes', async () => {
    const wrong = await c.call('POST', TOKEN_PATH, { app_id: c.app.app_id, app_secret: 'nope' });
    expect([wrong.status, wrong.body.code, wrong.body.msg]).toEqual([400, 10014, 'app secret invalid']);
    const unknown = await c.call('POST', TOKEN_PATH, { app_id: 'cli_0000000000000000', app_secret: 'x' });
    expect([unknown.body.code, unknown.body.msg]).toEqual([10014, 'app id not exists']);
    const missing = await c.call('POST', TOKEN_PATH, {});
    expect(missing.body.code).toBe(10003);
    expect(wrong.body.tenant_access_token).toBeUndefined();
  });

  it('expires tokens for real, with a configurable lifetime', async () => {
    await c.restart({ settings: { tokenTtlSeconds: 60 } });
    const token = await c.token();
    const chat = c.emu.state().chats[0]!.chat_id;
    expect((await c.call('GET', `/open-apis/im/v1/chats/${chat}`, undefined, token)).body.code).toBe(0);
    await c.call('POST', '/_emulator/clock', { advance_seconds: 61 });
    const r = await c.call('GET', `/open-apis/im/v1/chats/${chat}`, undefined, token);
    expect([r.status, r.body.code]).toEqual([400, 99991663]);
  });
});

describe('authorization on API routes', () => {
  const path = '/open-apis/contact/v3/users/batch_get_id';
  it('answers a missing or malformed header with 99991661', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }] as Array<Record<string, string>>) {
      const res = await fetch(c.emu.url + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
      const body = (await res.json()) as any;
      expect(res.status).toBe(400);
      expect(body.code).toBe(99991661);
      expect(body.error.log_id).toBe(res.headers.get('x-tt-logid'));
    }
  });

  it('answers an unknown token with 99991663', async () => {
    const r = await c.call('POST', path, { emails: [] }, 't-emu-not-issued');
    expect([r.status, r.body.code]).toEqual([400, 99991663]);
  });

  it('answers a missing scope with 99991672, the scopes and the console link', async () => {
    const token = await c.token(1);
    const r = await c.send(token, 'email', 'alice@example.com', { elements: [] });
    expect([r.status, r.body.code]).toEqual([400, 99991672]);
    expect(r.body.msg).toContain('im:message:send_as_bot');
    expect(r.body.msg).toContain(`https://open.feishu.cn/app/${c.emu.state().apps[1]!.app_id}/auth?q=`);
    expect(r.body.error.permission_violations.map((v: any) => v.subject)).toContain('im:message');
    // The same app may use what it was granted.
    const ok = await c.call('POST', path, { emails: ['alice@example.com'] }, token);
    expect(ok.body.code).toBe(0);
  });

  it('answers unknown routes 404 in the platform envelope, with a log id', async () => {
    const r = await c.call('GET', '/open-apis/im/v9/nothing');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(404);
    expect(r.body.error.log_id).toBe(r.headers.get('x-tt-logid'));
  });
});
