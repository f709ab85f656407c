import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';

/**
 * The official SDK as the handler: if it accepts every replayed fixture, plain and encrypted,
 * and hands over the values the fixture carries, our signing and encryption match the platform's.
 */
const ENCRYPT_KEY = 'test-encrypt-key-made-up';
const VERIFICATION_TOKEN = 'test-verification-token-made-up';
const CALLBACKS = join(FIXTURES, 'callbacks');
const fixtureFiles = readdirSync(CALLBACKS).filter((f) => f.endsWith('.json'));
const fixtureNamed = (name: string) =>
  fixtureFiles.map((f) => JSON.parse(readFileSync(join(CALLBACKS, f), 'utf8'))).find((f) => f._meta.name === name);

let received: any[] = [];
let cardHandlerServer: Awaited<ReturnType<typeof serve>>;
let eventDispatcherServer: Awaited<ReturnType<typeof serve>>;
const sb = new Sandbox();

beforeAll(async () => {
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const cardHandler = new lark.CardActionHandler({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, logger } as any, async (data: any) => {
    received.push(data);
    // Answer in the format the callback expects: a toast for the new callback, {} for the legacy one.
    if (data.event_type === 'url.preview.get') return { inline: { title: `preview of ${data.context.url}` } };
    return data.schema === '2.0' || data.event_type ? { toast: { type: 'success', content: `got ${data.action?.tag}` } } : {};
  });
  cardHandlerServer = await serve(lark.adaptDefault('/webhook/card', cardHandler, { autoChallenge: true }) as any);
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, logger } as any).register({
    'card.action.trigger': async (data: any) => {
      received.push(data);
      return { toast: { type: 'info', content: 'dispatched' } };
    },
  } as any);
  eventDispatcherServer = await serve(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }) as any);
});
afterAll(async () => {
  await cardHandlerServer.close();
  await eventDispatcherServer.close();
  sb.cleanup();
});

describe('replay-callback against the official SDK', () => {
  it.each([
    ['encrypted', ['--encrypt-key', ENCRYPT_KEY]],
    ['plain', ['--no-encrypt', '--encrypt-key', ENCRYPT_KEY]],
  ])('CardActionHandler accepts every shipped fixture, %s, and gets the values they carry', async (mode, keyArgs) => {
    received = [];
    const plainOnly = mode === 'plain' ? fixtureFiles.filter((f) => !f.includes('.encrypted.')) : fixtureFiles;
    const r = await sb.run([
      'replay-callback', ...plainOnly.map((f) => join(CALLBACKS, f)),
      '--url', `${cardHandlerServer.url}/webhook/card`, ...keyArgs, '--verification-token', VERIFICATION_TOKEN, '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = r.json.data.results;
    expect(results).toHaveLength(plainOnly.length);
    for (const res of results) expect(res.ok, `${res.fixture}: ${JSON.stringify(res.problems)}`).toBe(true);
    expect(results.filter((x: any) => x.format === 'card.action.trigger').every((x: any) => x.encrypted === (mode === 'encrypted'))).toBe(true);
    // Every click reached the handler (url_verification is answered by the adapter), with its values.
    const clicks = results.filter((x: any) => x.format !== 'url_verification');
    expect(received).toHaveLength(clicks.length);
    for (const res of clicks) {
      const original = fixtureNamed(res.fixture).payload;
      if (res.format === 'url.preview.get') {
        // A link preview carries no card token: the SDK gets the link and a fresh preview token.
        const got = received.find((d) => d.event_type === 'url.preview.get');
        expect(got.context).toMatchObject({ url: original.event.context.url, preview_token: expect.stringMatching(/^pt_[0-9a-f]{24}$/) });
        continue;
      }
      const action = original.schema === '2.0' ? original.event.action : original.action;
      const got = received.find((d) => JSON.stringify(d.action) === JSON.stringify(action));
      expect(got, `handler never saw ${res.fixture}`).toBeDefined();
      // The card token is fresh for every replay, and is what the SDK exposes as `token`.
      expect(got.token).toMatch(/^c-[0-9a-f]{32}$/);
      // The SDK flattens header and event for 2.0 (operator stays an object) and passes legacy as is.
      if (original.schema === '2.0') expect(got.operator.open_id).toBe(original.event.operator.open_id);
      else expect(got.open_id).toBe(original.open_id);
    }
    const button = results.find((x: any) => x.fixture === 'button');
    expect(button.answer).toEqual({ toast: { type: 'success', content: 'got button' } });
    const challenge = results.find((x: any) => x.fixture === 'url-verification');
    expect(challenge.answer.challenge).toBe(challenge.sent.payload.challenge);
  });

  it('EventDispatcher accepts the card.action.trigger fixtures, encrypted', async () => {
    received = [];
    const v2 = fixtureFiles.filter((f) => !f.startsWith('legacy') && !f.startsWith('url-'));
    const r = await sb.run(['replay-callback', ...v2.map((f) => join(CALLBACKS, f)), '--url', `${eventDispatcherServer.url}/webhook/event`, '--encrypt-key', ENCRYPT_KEY, '--json']);
    expect(r.code).toBe(0);
    expect(received).toHaveLength(v2.length);
    expect(received.every((d) => d.event_type === 'card.action.trigger')).toBe(true);
  });

  it('with the wrong key the SDK rejects the signature, and the report says why', async () => {
    received = [];
    const r = await sb.run(['replay-callback', 'button', 'legacy-button', '--url', `${cardHandlerServer.url}/webhook/card`, '--encrypt-key', ENCRYPT_KEY, '--verification-token', 'wrong-token', '--json']);
    // The encrypted button still verifies (SHA-256 uses the key); the legacy SHA-1 one does not,
    // and the SDK answers it empty: valid for the platform, so it is a note, not a failure.
    expect(r.code).toBe(0);
    const [button, legacy] = r.json.data.results;
    expect(button.ok).toBe(true);
    expect(legacy.notes[0]).toContain('rejected the signature');
    expect(received).toHaveLength(1);
    expect(received[0].action.tag).toBe('button');
    // A plain body signed with the wrong key (an encrypted one would not even decrypt in the SDK).
    const wrongKey = await sb.run(['replay-callback', 'button', '--url', `${cardHandlerServer.url}/webhook/card`, '--no-encrypt', '--encrypt-key', 'not-the-key']);
    expect(wrongKey.code).toBe(5);
    expect(wrongKey.stderr).toContain('signature or verification token');
  });
});
