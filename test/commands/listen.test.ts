import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV2 } from '../../src/callback/crypto.js';
import { Sandbox, type LiveCli } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

const KEY = 'listen-test-encrypt-key';
const TOKEN = 'listen-test-verification-token';
const sb = new Sandbox();
let handler: Awaited<ReturnType<typeof serve>>;
let forwardedHeaders: Record<string, unknown>[] = [];
let listener: LiveCli;
let listenUrl: string;
const outDir = join(sb.dir, 'recorded');

beforeAll(async () => {
  handler = await serve(async (req, res) => {
    await readBody(req);
    forwardedHeaders.push(req.headers);
    res.end(JSON.stringify({ toast: { type: 'success', content: 'from the real handler' } }));
  });
  listener = sb.start(['listen', '--port', '0', '--json', '--out', outDir, '--forward-to', `${handler.url}/card`, '--encrypt-key', KEY, '--verification-token', TOKEN]);
  listenUrl = JSON.parse(await listener.nextLine()).url;
});
afterAll(async () => {
  listener.stop('SIGTERM');
  await listener.result;
  await handler.close();
  sb.cleanup();
});

describe('card listen', () => {
  it('verifies, saves a scrubbed fixture, forwards the original bytes, and relays the answer', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${listenUrl}/webhook`, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.results[0].answer).toEqual({ toast: { type: 'success', content: 'from the real handler' } });
    const entry = JSON.parse(await listener.nextLine());
    expect(entry).toMatchObject({ n: 1, format: 'card.action.trigger', encrypted: true, signature: 'verified', forwarded: { status: 200 } });
    expect(forwardedHeaders[0]!['x-lark-signature']).toBe(r.json.data.results[0].sent.headers['X-Lark-Signature']);
    const file = readFileSync(entry.saved, 'utf8');
    expect(file).not.toContain(TOKEN);
    expect(file).not.toContain('ou_0c641f1f5bc3909050b5905931364f9b');
    const saved = JSON.parse(file);
    expect(saved._meta).toMatchObject({ name: 'recorded-button-1', format: 'card.action.trigger', signature: 'verified' });
    expect(saved.payload.event.action).toEqual({ value: { action: 'approve', request_id: 'EXP-1024' }, tag: 'button', name: 'approve_btn' });
    expect(saved.payload.event.operator.open_id).toMatch(/^ou_recorded[0-9a-f]{16}$/);
    expect(saved.payload.header.token).toBe('');
    // A recording replays like any shipped fixture.
    const again = await sb.run(['replay-callback', entry.saved, '--url', `${handler.url}/card`, '--json']);
    expect(again.code).toBe(0);
  });

  it('flags a callback signed with the wrong key, and a legacy one with the wrong token', async () => {
    const body = JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token: TOKEN }, event: { action: { tag: 'button', value: {} } } });
    await fetch(`${listenUrl}/cb`, { method: 'POST', body, headers: { 'x-lark-request-timestamp': '1', 'x-lark-request-nonce': 'n', 'x-lark-signature': signV2('1', 'n', 'wrong key', body) } });
    expect(JSON.parse(await listener.nextLine())).toMatchObject({ format: 'card.action.trigger', signature: 'bad signature' });
    await sb.run(['replay-callback', 'legacy-button', '--url', listenUrl, '--verification-token', 'not-it']);
    expect(JSON.parse(await listener.nextLine())).toMatchObject({ format: 'card.action.trigger_v1', signature: 'bad signature' });
    await sb.run(['replay-callback', 'legacy-button', '--url', listenUrl, '--verification-token', TOKEN]);
    expect(JSON.parse(await listener.nextLine())).toMatchObject({ format: 'card.action.trigger_v1', signature: 'verified' });
    expect(readdirSync(outDir).sort()).toContain('recorded-legacy-button-4.json');
  });
});
