import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, header, withHeader } from '../../src/ws/frames.js';
import { readReply } from '../../src/emulator/ws-hub.js';
import { webhookRequest, challengeRequest } from '../../src/ws/forward.js';
import { decryptPayload, signV2 } from '../../src/callback/crypto.js';

describe('pbbp2 frames', () => {
  test('a ping encodes to the bytes in the reference worked example, required zeros included', () => {
    const bytes = encodeFrame({ SeqID: 0, LogID: 0, service: 33554678, method: 0, headers: [{ key: 'type', value: 'ping' }] });
    expect(Buffer.from(bytes).toString('hex')).toBe('0800100018f681801020002a0c0a0474797065120470696e67');
  });

  test('a data frame round-trips with its headers and payload', () => {
    const payload = Buffer.from(JSON.stringify({ hello: 'world' }));
    const frame = decodeFrame(encodeFrame({ SeqID: 7, LogID: 123456789012, service: 5, method: 1, headers: [{ key: 'type', value: 'event' }, { key: 'sum', value: '1' }], payload }));
    expect(frame).toMatchObject({ SeqID: 7, LogID: 123456789012, service: 5, method: 1 });
    expect(header(frame, 'type')).toBe('event');
    expect(Buffer.from(frame.payload!).toString()).toBe('{"hello":"world"}');
    expect(withHeader(frame.headers, 'biz_rt', '3').map((h) => h.key)).toEqual(['type', 'sum', 'biz_rt']);
  });

  test('bytes that lack the required fields are refused', () => {
    expect(() => decodeFrame(Buffer.from([0x08, 0x01]))).toThrow();
  });

  test('an ack is read as {code, data: base64 of the answer}', () => {
    const ack = (payload: string) => readReply({ SeqID: 1, LogID: 1, service: 1, method: 1, headers: [], payload: Buffer.from(payload) });
    expect(ack('{"code":200,"data":"eyJ0b2FzdCI6eyJ0eXBlIjoic3VjY2VzcyIsImNvbnRlbnQiOiJvayJ9fQ=="}')).toMatchObject({ status: 200, body: '{"toast":{"type":"success","content":"ok"}}', error: null });
    expect(ack('{"code":500}')).toMatchObject({ status: 500, body: '' });
    expect(ack('not json').error).toMatch(/not JSON/);
    expect(ack('{"data":"e30="}').error).toMatch(/numeric "code"/);
  });
});

describe('forwarding a long-connection message as a webhook request', () => {
  const payload = { schema: '2.0', header: { event_id: 'e', token: '', event_type: 'im.message.receive_v1' }, event: { x: 1 } };
  test('sets the verification token, encrypts with the key and signs the exact bytes', () => {
    const r = webhookRequest(payload, { encryptKey: 'made-up-key', verificationToken: 'made-up-token' }, 1_700_000_000_000);
    const outer = JSON.parse(r.body);
    expect(Object.keys(outer)).toEqual(['encrypt']);
    expect(JSON.parse(decryptPayload('made-up-key', outer.encrypt)).header.token).toBe('made-up-token');
    expect(r.headers['X-Lark-Request-Timestamp']).toBe('1700000000');
    expect(r.headers['X-Lark-Signature']).toBe(signV2(r.headers['X-Lark-Request-Timestamp']!, r.headers['X-Lark-Request-Nonce']!, 'made-up-key', r.body));
    expect(payload.header.token).toBe('');
  });
  test('plain without a key; the challenge carries no signature', () => {
    expect(JSON.parse(webhookRequest(payload, { encryptKey: null, verificationToken: null }).body).event).toEqual({ x: 1 });
    const c = challengeRequest({ encryptKey: null, verificationToken: 't' });
    expect(JSON.parse(c.body)).toEqual({ challenge: c.challenge, token: 't', type: 'url_verification' });
    expect(Object.keys(c.headers).filter((h) => /signature/i.test(h))).toEqual([]);
  });
});
