import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { mcpSession, type Session } from '../helpers/mcp.js';

/**
 * Real sends are off unless the server is started with a profile and --allow-real-sends; the
 * profile's secrets never appear in a tool's answer. The "real platform" here is a second emulator
 * the profile points at, seeded with made-up secrets of its own.
 */
const SECRET = 'made-up-profile-secret-7731';
const TOKEN = 'made-up-verification-token-5519';

const sb = new Sandbox();
let platform: RunningEmulator;
let handler: Server;
let handlerUrl: string;
const received: string[] = [];
const sessions: Session[] = [];

beforeAll(async () => {
  const seed = JSON.parse(readFileSync(join(FIXTURES, 'emulator/default-seed.json'), 'utf8'));
  seed.apps[0] = { ...seed.apps[0], app_secret: SECRET, verification_token: TOKEN };
  delete seed.apps[0].encrypt_key;
  platform = await startEmulator({ port: 0, seed });
  const added = await sb.run(['profile', 'add', 'staging', '--app-id', seed.apps[0].app_id, '--app-secret-stdin', '--verification-token-stdin', '--domain', platform.url], { input: `${SECRET}\n${TOKEN}\n` });
  expect(added.code, added.stderr).toBe(0);
  // A handler that echoes what it got, as a careless bot might: the token it carries comes back.
  handler = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ toast: { type: 'info', content: body.slice(0, 800) } }));
    });
  });
  await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
  handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/webhook/card`;
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  handler?.closeAllConnections();
  await new Promise((resolve) => (handler ? handler.close(resolve) : resolve(null)));
  await platform?.close();
  sb.cleanup();
});

const CARD = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'to the platform' }] } };

describe('card mcp: real sends and secrets', () => {
  it('--allow-real-sends without a profile is a usage error (exit 2) naming --profile', async () => {
    const r = await sb.run(['mcp', '--allow-real-sends']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--allow-real-sends needs --profile');
  });

  it('with a profile but without --allow-real-sends, send_card refuses the platform and sends nothing', async () => {
    const s = await mcpSession(sb, ['--profile', 'staging', 'mcp']);
    sessions.push(s);
    const r = await s.call('send_card', { card: CARD, to: 'alice@example.com', platform: true });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('sending to the real platform is off');
    expect(r.text).toContain('--allow-real-sends');
    expect(platform.messages()).toEqual([]);
  });

  it('with both, send_card reaches the platform; replay_callback signs with the profile\'s token; no answer shows a secret', async () => {
    const s = await mcpSession(sb, ['--profile', 'staging', 'mcp', '--allow-real-sends']);
    sessions.push(s);
    const sent = await s.call('send_card', { card: CARD, to: 'alice@example.com', platform: true });
    expect(sent.isError, sent.text).toBe(false);
    expect(platform.messages().map((m) => m.message_id)).toEqual([sent.data.message_id]);

    const replay = await s.call('replay_callback', { fixtures: ['button'], url: handlerUrl });
    expect(replay.data.results).toHaveLength(1);
    // The token did go out (the handler got it, and echoed it back) …
    expect(received.some((b) => b.includes(TOKEN))).toBe(true);
    expect(JSON.stringify(replay.data.results[0].answer)).toContain('"toast"');
    // … and an emulator started here returns its own made-up credentials, which are not the profile's.
    const started = await s.call('start_emulator', {});
    expect(started.data.apps[0].app_secret).toBe('emu-demo-secret-not-real-0001');
    const given = await s.call('replay_callback', { fixtures: ['button'], url: handlerUrl, verification_token: 'made-up-token-given-in-args-42' });
    expect(received.at(-1)).toContain('made-up-token-given-in-args-42');
    expect(given.text).not.toContain('made-up-token-given-in-args-42');

    // A bot that puts a key in a message: the inbox shows the message with the key hidden.
    const leaky = await s.call('send_card', { card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `debug: token=${TOKEN}` }] } }, to: started.data.chats[0].chat_id });
    const shown = await s.call('inbox_show', { message_id: leaky.data.message_id });
    expect(shown.data.card.text[0]).toMatch(/^debug: token=<redacted/);

    expect(s.said.length).toBeGreaterThan(3);
    for (const text of s.said) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });
});
