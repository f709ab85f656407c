import { describe, expect, it } from 'vitest';
import { signV2 } from '../../src/callback/crypto.js';
import { CallbackGuard, parseTimestamp } from '../../src/callback/guard.js';
import { readCallback, recordingName, safeNamePart } from '../../src/callback/record.js';

const KEY = 'made-up-unit-key';
const TOKEN = 'made-up-unit-token';
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const keys = { encryptKey: KEY, verificationToken: TOKEN };

function signed(payload: unknown, at = NOW, nonce = 'n') {
  const raw = Buffer.from(JSON.stringify(payload));
  const ts = String(Math.floor(at / 1000));
  return { raw, headers: { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signV2(ts, nonce, KEY, raw) } };
}

describe('readCallback', () => {
  it('checks the token of a 1.0 event at the top level', () => {
    const good = signed({ uuid: 'u', token: TOKEN, type: 'event_callback', event: { type: 'message' } });
    expect(readCallback(good.raw, good.headers, keys).signature).toBe('verified');
    const bad = signed({ uuid: 'u', token: 'other', type: 'event_callback', event: { type: 'message' } });
    expect(readCallback(bad.raw, bad.headers, keys).signature).toBe('bad token');
  });

  it('calls a 2.0 callback without headers "missing signature" when the Encrypt Key is set, "unchecked" when not', () => {
    const raw = Buffer.from(JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token: TOKEN }, event: {} }));
    expect(readCallback(raw, {}, keys).signature).toBe('missing signature');
    expect(readCallback(raw, {}, { encryptKey: null, verificationToken: TOKEN }).signature).toBe('unchecked');
  });
});

describe('CallbackGuard', () => {
  const payload = { schema: '2.0', header: { event_type: 'card.action.trigger', token: TOKEN }, event: {} };
  const decide = (guard: CallbackGuard, req: { raw: Buffer; headers: Record<string, string> }) => guard.decide(readCallback(req.raw, req.headers, keys), req.headers);

  it('accepts a fresh signature once, then calls it replayed', () => {
    const guard = new CallbackGuard(true, () => NOW);
    const req = signed(payload);
    expect(decide(guard, req)).toMatchObject({ verdict: 'verified', accepted: true });
    expect(decide(guard, req)).toMatchObject({ verdict: 'replayed', accepted: false });
    expect(decide(guard, signed(payload, NOW, 'other nonce'))).toMatchObject({ accepted: true });
  });

  it('refuses timestamps more than 300 s away, either way, and unreadable ones', () => {
    const guard = new CallbackGuard(true, () => NOW);
    expect(decide(guard, signed(payload, NOW - 301_000))).toMatchObject({ verdict: 'stale', accepted: false });
    expect(decide(guard, signed(payload, NOW + 301_000))).toMatchObject({ verdict: 'stale', accepted: false });
    expect(decide(guard, signed(payload, NOW - 299_000))).toMatchObject({ verdict: 'verified', accepted: true });
    const raw = Buffer.from(JSON.stringify(payload));
    const headers = { 'x-lark-request-timestamp': 'soon', 'x-lark-request-nonce': 'n', 'x-lark-signature': signV2('soon', 'n', KEY, raw) };
    expect(guard.decide(readCallback(raw, headers, keys), headers)).toMatchObject({ verdict: 'stale', accepted: false });
  });

  it('refuses a kind of callback no set key checks, unless accepted explicitly or its token matched', () => {
    const legacy = Buffer.from(JSON.stringify({ open_id: 'ou_x', open_message_id: 'om_x', action: { tag: 'button', value: {} }, token: 'c-forged' }));
    const onlyKey = { encryptKey: KEY, verificationToken: null };
    expect(new CallbackGuard(true, () => NOW).decide(readCallback(legacy, {}, onlyKey), {})).toMatchObject({ verdict: 'unchecked', accepted: false });
    expect(new CallbackGuard(true, () => NOW, 300, true).decide(readCallback(legacy, {}, onlyKey), {})).toMatchObject({ verdict: 'unchecked', accepted: true });
    // With only a Verification Token, a 2.0 callback is checked by its token (the platform signs it only with an Encrypt Key).
    const onlyToken = { encryptKey: null, verificationToken: TOKEN };
    const v2 = (token: string) => Buffer.from(JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token }, event: {} }));
    expect(new CallbackGuard(true, () => NOW).decide(readCallback(v2(TOKEN), {}, onlyToken), {})).toMatchObject({ verdict: 'unchecked', accepted: true });
    expect(new CallbackGuard(true, () => NOW).decide(readCallback(v2('other'), {}, onlyToken), {})).toMatchObject({ verdict: 'bad token', accepted: false });
  });

  it('lets everything through without keys', () => {
    const guard = new CallbackGuard(false, () => NOW);
    const req = signed(payload, NOW - 10 * 3600_000);
    expect(guard.decide(readCallback(req.raw, req.headers, { encryptKey: null, verificationToken: null }), req.headers).accepted).toBe(true);
  });

  it('reads seconds, milliseconds and date strings', () => {
    expect(parseTimestamp('1700000000')).toBe(1_700_000_000_000);
    expect(parseTimestamp('1700000000123')).toBe(1_700_000_000_123);
    expect(parseTimestamp('Monday, 14-Nov-22 15:53:37 CST')).toBe(Date.UTC(2022, 10, 14, 21, 53, 37));
    expect(parseTimestamp('not a time')).toBeNull();
  });
});

describe('recording names', () => {
  it('keep only letters, digits and dashes of the tag', () => {
    expect(recordingName('card.action.trigger', { event: { action: { tag: '../../../x/PWNED' } } }, 7)).toBe('recorded-x-pwned-7');
    expect(recordingName('card.action.trigger', { event: { action: { tag: '..' } } }, 1)).toBe('recorded-card-action-trigger-1');
    expect(recordingName('card.action.trigger_v1', { action: { tag: 'select_static' } }, 2)).toBe('recorded-legacy-select-static-2');
    expect(recordingName(null, null, 3)).toBe('recorded-unknown-3');
    expect(safeNamePart('a'.repeat(100))).toHaveLength(40);
    expect(safeNamePart('\u001b[31m/etc/passwd\u0000')).toBe('31m-etc-passwd');
  });
});
