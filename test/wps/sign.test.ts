import { describe, expect, it } from 'vitest';
import { kso1Headers, signHmac, signWps3, verifyWps4, wps4Headers } from '../../src/wps/sign.js';

describe('WPS signatures', () => {
  it('WPS-3 matches the official vectors (empty body and JSON body)', () => {
    const base = { appId: 'AK123', secretKey: 'sk456', url: '/api/v1/dosomething?name=xiaoming&age=18', contentType: 'application/json', date: 'Wed, 03 Nov 2021 02:55:55 GMT' };
    expect(signWps3({ ...base, body: '' })).toEqual({ contentMd5: 'd41d8cd98f00b204e9800998ecf8427e', xAuth: 'WPS-3:AK123:695229194add4899ffde601d691a1f2d398e7fab' });
    expect(signWps3({ ...base, body: '{"key":"value"}' })).toEqual({ contentMd5: 'a7353f7cddce808de0032747a0b7be50', xAuth: 'WPS-3:AK123:995beeb31091d56cf6f203ff2eddbf04d65ac4b8' });
  });

  it('KSO-1 matches the official vectors (GET with no body, POST with a body)', () => {
    const date = 'Mon, 02 Jan 2006 15:04:05 GMT';
    expect(kso1Headers('AK123456', { method: 'GET', uri: '/v7/test?key=value', contentType: 'application/json', date, body: '', secret: 'sk098765' })['x-kso-authorization']).toBe(
      'KSO-1 AK123456:ce8df66877175e5198c8ea1362ffddf82e4941c6f25a4ca205a1ad09d0faaf03',
    );
    expect(kso1Headers('AK123456', { method: 'POST', uri: '/v7/test/body', contentType: 'application/json', date, body: '{"key": "value"}', secret: 'sk098765' })['x-kso-authorization']).toBe(
      'KSO-1 AK123456:c46e6c988130818ecba2484d51ac685948fbbef6814602c7874d6bfc41dc17b3',
    );
  });

  it('WPS-4 matches the reference vector (computed for the reference; the platform publishes no full one)', () => {
    const body = '{"callback_name":"xz_card","app_id":"AK123456","data":{"company_id":"11111","app_ctx_id":"ctx-1","content":{"action":"approve"}}}';
    const input = { method: 'POST', uri: '/callback/path/demo', contentType: 'application/json', date: 'Wed, 20 Apr 2022 01:33:07 GMT', body, secret: 'sk098765' };
    expect(signHmac('WPS-4', input)).toBe('3174fee67d1ceeae1aedc97ed2f109162d94bf6d4b519a26f406fbba1e9c4229');
    const headers = wps4Headers('AK123456', input);
    expect(headers['wps-docs-authorization']).toBe('WPS-4 AK123456:3174fee67d1ceeae1aedc97ed2f109162d94bf6d4b519a26f406fbba1e9c4229');
    expect(headers.authorization).toBe(headers['wps-docs-authorization']);
  });

  it('verifies WPS-4 with either header style, and says why it fails', () => {
    const body = '{"a":1}';
    const date = new Date(Date.UTC(2022, 3, 20, 1, 33, 7)).toUTCString();
    const now = Date.UTC(2022, 3, 20, 1, 35, 0);
    const headers = wps4Headers('AK1', { method: 'POST', uri: '/cb?x=1', contentType: 'application/json', date, body, secret: 'sk' });
    const req = { method: 'POST', uri: '/cb?x=1', body };
    expect(verifyWps4(headers, req, { appId: 'AK1', secret: 'sk' }, { now })).toEqual({ ok: true, appId: 'AK1' });
    const { authorization: _a, date: _d, ...privateStyle } = headers;
    expect(verifyWps4(privateStyle, req, { secret: 'sk' }, { now }).ok).toBe(true);
    expect(verifyWps4(headers, { ...req, body: '{"a":2}' }, { secret: 'sk' }, { now })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyWps4(headers, req, { secret: 'other' }, { now }).ok).toBe(false);
    expect(verifyWps4(headers, req, { appId: 'AK2', secret: 'sk' }, { now })).toMatchObject({ ok: false, reason: expect.stringContaining('expected AK2') });
    expect(verifyWps4(headers, req, { secret: 'sk' }, { now: now + 3600_000 })).toMatchObject({ ok: false, reason: expect.stringContaining('away from now') });
    expect(verifyWps4({}, req, { secret: 'sk' }).ok).toBe(false);
  });

  it('leaves an empty body, or one that is not JSON or a form, out of the HMAC', () => {
    const base = { method: 'GET', uri: '/x', date: 'd', secret: 's' };
    expect(signHmac('WPS-4', { ...base, contentType: 'application/json', body: '' })).toBe(signHmac('WPS-4', { ...base, contentType: 'application/json', body: Buffer.alloc(0) }));
    expect(signHmac('WPS-4', { ...base, contentType: 'text/plain', body: 'abc' })).toBe(signHmac('WPS-4', { ...base, contentType: 'text/plain', body: 'xyz' }));
  });
});
