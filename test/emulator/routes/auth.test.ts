import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/**
 * The token entries of the catalogue take no token (`tokens: []`): a stale or made-up
 * Authorization header on them is not read. Token lifetimes and reuse are tested in
 * test/emulator/auth.test.ts.
 */
const { t, sdk } = sdkForFile();

const TENANT = '/open-apis/auth/v3/tenant_access_token/internal';
const APP = '/open-apis/auth/v3/app_access_token/internal';

const credentials = () => ({ app_id: t.app.app_id, app_secret: t.app.app_secret });

async function works(token: string) {
  const r = await t.call('POST', '/open-apis/contact/v3/users/batch_get_id', { emails: [] }, token);
  return r.body.code === 0;
}

describe('POST /open-apis/auth/v3/tenant_access_token/internal', () => {
  it('issues a token the other routes take, through the SDK', async () => {
    const r = await answer(sdk().auth.tenantAccessToken.internal({ data: credentials() }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, msg: 'ok' });
    // In seconds; the SDK fetched a token of its own just before, which this call hands back.
    expect(r.body.expire).toBeGreaterThan(7000);
    expect(await works(r.body.tenant_access_token)).toBe(true);
  });

  it('reads no Authorization header: a made-up token does not stop it', async () => {
    const r = await t.call('POST', TENANT, credentials(), 't-made-up-and-never-issued');
    expect([r.status, r.body.code]).toEqual([200, 0]);
  });

  it('refuses an app_id of the wrong JSON type with 9499 naming it, and a missing one with 10003', async () => {
    const wrong = await t.call('POST', TENANT, { app_id: 42, app_secret: 'x' });
    expect([wrong.status, wrong.body.code]).toEqual([400, 9499]);
    expect(wrong.body.msg).toContain('app_id');
    const missing = await answer(sdk().auth.tenantAccessToken.internal({ data: { app_secret: t.app.app_secret } as any }));
    expect([missing.status, missing.body.code, missing.body.msg]).toEqual([400, 10003, 'invalid param']);
  });
});

describe('POST /open-apis/auth/v3/app_access_token/internal', () => {
  it('issues the app token, with the tenant token beside it, through the SDK', async () => {
    const r = await answer(sdk().auth.appAccessToken.internal({ data: credentials() }));
    expect(r.body).toMatchObject({ code: 0, msg: 'ok' });
    expect(r.body.expire).toBeGreaterThan(7000);
    expect(r.body.tenant_access_token).toBe(r.body.app_access_token);
    expect(await works(r.body.app_access_token)).toBe(true);
  });

  it('says which half of the credentials is wrong (10014), and refuses a secret of the wrong JSON type naming it', async () => {
    const unknown = await t.call('POST', APP, { app_id: 'cli_0000000000000000', app_secret: 'x' });
    expect([unknown.status, unknown.body.code, unknown.body.msg]).toEqual([400, 10014, 'app id not exists']);
    const secret = await t.call('POST', APP, { app_id: t.app.app_id, app_secret: 'made-up' });
    expect([secret.body.code, secret.body.msg]).toEqual([10014, 'app secret invalid']);
    const type = await t.call('POST', APP, { app_id: t.app.app_id, app_secret: ['x'] });
    expect([type.status, type.body.code]).toEqual([400, 9499]);
    expect(type.body.msg).toContain('app_secret');
  });
});
