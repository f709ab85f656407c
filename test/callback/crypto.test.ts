import { describe, expect, it } from 'vitest';
import { decryptPayload, encryptPayload, signLegacy, signV2 } from '../../src/callback/crypto.js';
import { createHash } from 'node:crypto';

describe('callback cryptography', () => {
  it('decrypts the official test vector', () => {
    // From the platform's sample code: key "test key" decrypts this to "hello world".
    expect(decryptPayload('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('round-trips, with a fresh IV each time', () => {
    const a = encryptPayload('k', '{"challenge":"x"}');
    const b = encryptPayload('k', '{"challenge":"x"}');
    expect(a).not.toBe(b);
    expect(decryptPayload('k', a)).toBe('{"challenge":"x"}');
  });

  it('a wrong key fails on the padding', () => {
    // A fixed IV: with a random one, about 1 in 256 wrong-key decryptions ends in bytes that pass
    // as padding, and give garbage instead of failing (a handler then fails to parse it).
    const a = encryptPayload('k', '{"challenge":"x"}', Buffer.alloc(16, 7));
    expect(() => decryptPayload('other key', a)).toThrow();
  });

  it('encrypts deterministically for a given IV, in the platform layout base64(iv || ciphertext)', () => {
    const iv = Buffer.alloc(16, 7);
    const out = Buffer.from(encryptPayload('test key', 'hello world', iv), 'base64');
    expect(out.subarray(0, 16)).toEqual(iv);
    expect(out.length).toBe(32);
  });

  it('signs v2 as sha256 over timestamp, nonce, key, then the body bytes', () => {
    const body = '{"encrypt":"abc"}';
    const expected = createHash('sha256').update(`1700000000n0nceKEY${body}`).digest('hex');
    expect(signV2('1700000000', 'n0nce', 'KEY', body)).toBe(expected);
    expect(signV2('1700000000', 'n0nce', 'KEY', Buffer.from(body))).toBe(expected);
    expect(signV2('1700000000', 'n0nce', 'KEY', `${body} `)).not.toBe(expected);
  });

  it('signs legacy callbacks as sha1 with the verification token', () => {
    const body = '{"open_id":"ou_x"}';
    expect(signLegacy('1', '2', 'VT', body)).toBe(createHash('sha1').update(`12VT${body}`).digest('hex'));
    expect(signLegacy('1', '2', 'VT', body)).toHaveLength(40);
  });
});
