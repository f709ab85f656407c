import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../../src/callback/crypto.js';
import { Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

/**
 * What replay-callback says when the handler fails on a protected delivery (a wrong Encrypt Key),
 * what it prints of an answer that echoes the request, and the paths it refuses.
 */
const HANDLER_KEY = 'the-handlers-own-encrypt-key';
const WRONG_KEY = 'a-different-encrypt-key-given';
const TOKEN = 'handler-failures-verification-token';
const sb = new Sandbox();
let handler: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  handler = await serve(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    if (path === '/echo') {
      // Echoes the request, as a debugging handler might: the Verification Token comes back.
      res.end(JSON.stringify({ toast: { type: 'info', content: body } }));
      return;
    }
    if (path === '/error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `handler failed on ${body}` }));
      return;
    }
    const parsed = JSON.parse(body) as { encrypt?: string };
    try {
      // Decrypted and parsed, as a handler does: with a wrong key about 1 in 256 decryptions passes
      // the padding check and gives garbage, which then fails to parse.
      if (parsed.encrypt) JSON.parse(decryptPayload(HANDLER_KEY, parsed.encrypt));
    } catch {
      // A Node server whose handler threw on "bad decrypt": the connection is dropped unanswered.
      if (path === '/decrypt-500') {
        res.writeHead(500).end();
        return;
      }
      req.socket.destroy();
      return;
    }
    if (path === '/reset-always') {
      req.socket.destroy();
      return;
    }
    res.end('{}');
  });
});
afterAll(async () => {
  await handler.close();
  sb.cleanup();
});

describe('a handler that cannot decrypt or verify', () => {
  it('a dropped connection after an encrypted delivery is a failed check (5) that names the key and the flag it came from', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/card`, '--encrypt-key', WRONG_KEY, '--json']);
    expect(r.code, r.stderr).toBe(5);
    expect(r.json.error.type).toBe('check');
    const result = r.json.error.details.results[0];
    expect(result.network_error).toBeNull();
    expect(result.problems[0].message).toMatch(/closed the connection without answering right after this encrypted and signed delivery: it likely could not decrypt or verify it/);
    expect(result.problems[0].message).toContain('the --encrypt-key flag');
    expect(r.stdout + r.stderr).not.toContain(WRONG_KEY);
    const human = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/card`, '--encrypt-key', WRONG_KEY]);
    expect(human.code).toBe(5);
    expect(human.stderr).toContain('likely could not decrypt or verify it');
    expect(human.stderr).not.toContain('ECONNRESET)\n');
  });

  it('names the environment variable or the profile the key came from', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/card`, '--json'], { env: { CARD_ENCRYPT_KEY: WRONG_KEY } });
    expect(r.code).toBe(5);
    expect(r.json.error.details.results[0].problems[0].message).toContain('the environment variable CARD_ENCRYPT_KEY');
  });

  it('an answer of 500 after an encrypted delivery says so in a note', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/decrypt-500`, '--encrypt-key', WRONG_KEY, '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error.details.results[0].notes.join('\n')).toMatch(/answered HTTP 500 right after this encrypted and signed delivery: it likely could not decrypt or verify it.*the --encrypt-key flag/);
  });

  it('with the right key the same handler answers, and a reset after an unprotected delivery stays a network failure (4)', async () => {
    expect((await sb.run(['replay-callback', 'button', '--url', `${handler.url}/card`, '--encrypt-key', HANDLER_KEY])).code).toBe(0);
    const plain = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/reset-always`, '--json']);
    expect(plain.code).toBe(4);
    expect(plain.json.error.type).toBe('network');
  });
});

describe('secrets in what the handler sends back', () => {
  it('an answer that echoes the request never prints the Verification Token, human or --json', async () => {
    const json = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/echo`, '--verification-token', TOKEN, '--json']);
    expect(json.stdout).toContain('<redacted');
    expect(json.stdout + json.stderr).not.toContain(TOKEN);
    const human = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/echo`, '--verification-token', TOKEN]);
    expect(human.stderr).toContain('<redacted');
    expect(human.stdout + human.stderr).not.toContain(TOKEN);
  });

  it('an error body that quotes the request is printed with the token hidden', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/error`, '--verification-token', TOKEN, '--json']);
    expect(r.code).toBe(5);
    expect(JSON.stringify(r.json.error.details.results[0].answer)).toContain('<redacted');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });
});

describe('paths that reach a prototype', () => {
  it.each([
    ['--set', '__proto__.polluted=1', '__proto__'],
    ['--set', 'event.constructor.prototype.x=1', 'constructor'],
    ['--expect', 'toast.__proto__.x=1', '__proto__'],
  ])('%s %s exits 2 naming the flag and the segment, before anything is sent', async (flag, pair, segment) => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/echo`, flag, pair]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toContain(`"${segment}"`);
  });
});
