import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { isLoopbackHost } from '../../src/emulator/trust.js';
import { CARD_BIN, FIXTURES, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

const KEY = 'made-up-replay-encrypt-key-77';
const TOKEN = 'made-up-replay-verification-token-77';
const sb = new Sandbox();
let handler: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  handler = await serve(async (req, res) => {
    await readBody(req);
    if (req.url === '/empty') res.end();
    else if (req.url === '/threw') res.writeHead(500).end();
    else if (req.url === '/escape') res.end('\u001b]0;pwned\u0007\u001b[2J\u009b31m not json');
    else res.end('{}');
  });
});
afterAll(async () => {
  await handler.close();
  sb.cleanup();
});

describe('keys and tokens never reach the output', () => {
  it('replay-callback --json: neither the Encrypt Key nor the Verification Token, passing or failing', async () => {
    for (const path of ['/ok', '/threw']) {
      const r = await sb.run(['replay-callback', 'button', 'legacy-button', 'url-verification', '--url', handler.url + path, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
      expect(r.json, r.stderr).not.toBeNull();
      expect(r.stdout).not.toContain(KEY);
      expect(r.stdout).not.toContain(TOKEN);
      expect(r.stderr).not.toContain(TOKEN);
    }
    const human = await sb.run(['replay-callback', 'button', 'url-verification', '--url', `${handler.url}/ok`, '--encrypt-key', KEY, '--verification-token', TOKEN, '--verbose']);
    expect(human.stderr).toContain('button');
    expect(human.stdout + human.stderr).not.toContain(KEY);
    expect(human.stdout + human.stderr).not.toContain(TOKEN);
    const ok = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/ok`, '--verification-token', TOKEN, '--json']);
    expect(ok.json.data.results[0].sent.payload.header.token).toMatch(/^<redacted/);
  });

  it('fixtures show hides a token a captured payload carries', async () => {
    const file = join(sb.dir, 'captured.json');
    const shipped = JSON.parse(readFileSync(join(FIXTURES, 'callbacks/button.json'), 'utf8'));
    shipped.payload.header.token = TOKEN;
    writeFileSync(file, JSON.stringify(shipped));
    const human = await sb.run(['fixtures', 'show', file]);
    const json = await sb.run(['fixtures', 'show', file, '--json']);
    for (const out of [human.stdout, json.stdout]) {
      expect(out).toContain('button');
      expect(out).not.toContain(TOKEN);
    }
  });
});

describe('text from fixtures and handlers reaches the terminal inert', () => {
  it('shows control characters in names and answers as escapes', async () => {
    const file = join(sb.dir, 'evil-name.json');
    const shipped = JSON.parse(readFileSync(join(FIXTURES, 'callbacks/button.json'), 'utf8'));
    shipped._meta.name = 'evil\u001b[2Kname';
    writeFileSync(file, JSON.stringify(shipped));
    const r = await sb.run(['replay-callback', file, '--url', `${handler.url}/escape`]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('evil\\u001b[2Kname');
    expect(r.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
  });
});

describe('--strict and empty answers', () => {
  it('an empty 200 to a legacy callback is a note, and with --strict a failure (exit 5)', async () => {
    const lenient = await sb.run(['replay-callback', 'legacy-button', '--url', `${handler.url}/empty`, '--json']);
    expect(lenient.code).toBe(0);
    expect(lenient.json.data.results[0].notes[0]).toContain('rejected the signature');
    const strict = await sb.run(['replay-callback', 'legacy-button', '--url', `${handler.url}/empty`, '--strict', '--json']);
    expect(strict.code).toBe(5);
    expect(strict.json.error.details.results[0].problems[0].message).toContain('--strict');
  });

  it('a handler that threw (500, no body) is not blamed on the keys', async () => {
    const r = await sb.run(['replay-callback', 'legacy-button', 'button', '--url', `${handler.url}/threw`, '--json']);
    expect(r.code).toBe(5);
    for (const res of r.json.error.details.results) {
      const said = JSON.stringify([res.problems, res.notes]);
      expect(said).toContain('HTTP 500');
      expect(said).not.toMatch(/signature|verification token|keys/i);
    }
  });
});

describe('--operator names one seeded user consistently', () => {
  let alice: { open_id: string; union_id: string; user_id: string; email: string };
  let bobIds: { open_id: string; union_id: string; user_id: string };
  let chatId: string;
  beforeAll(async () => {
    const emu = await startEmulator({ port: 0 });
    const state = emu.state();
    alice = state.users.find((u) => u.email === 'alice@example.com') as typeof alice;
    const bob = state.users.find((u) => u.email === 'bob@example.com')!;
    bobIds = { open_id: bob.open_id, union_id: bob.union_id, user_id: bob.user_id };
    chatId = state.chats[0]!.chat_id;
    await emu.close();
  });

  it('by email or open_id fills open_id, union_id and user_id of that user', async () => {
    const bob = await sb.run(['replay-callback', 'button', 'legacy-button', '--url', `${handler.url}/ok`, '--operator', 'bob@example.com', '--json']);
    expect(bob.code).toBe(0);
    const [v2, legacy] = bob.json.data.results.map((x: any) => x.sent.payload);
    expect(v2.event.operator).toMatchObject(bobIds);
    const byId = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/ok`, '--operator', v2.event.operator.open_id, '--json']);
    expect(byId.json.data.results[0].sent.payload.event.operator).toEqual(v2.event.operator);
    expect(legacy.open_id).toBe(v2.event.operator.open_id);
    expect(legacy.user_id).toBe(v2.event.operator.user_id);
  });

  it('an email outside the seed is exit 2 naming it', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/ok`, '--operator', 'nobody@example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nobody@example.com');
  });

  it('the shipped fixtures name the default seed\'s Alice and its chat', () => {
    for (const name of ['button', 'form-submit', 'select-person', 'legacy-button']) {
      const { payload } = JSON.parse(readFileSync(join(FIXTURES, `callbacks/${name}.json`), 'utf8'));
      const who = payload.event?.operator ?? payload;
      expect(who.open_id).toBe(alice.open_id);
      expect(who.user_id).toBe(alice.user_id);
      if (payload.event) expect(who.union_id).toBe(alice.union_id);
      expect(payload.event?.context?.open_chat_id ?? payload.open_chat_id).toBe(chatId);
    }
  });
});

describe('card emulator banner', () => {
  it('shows each app\'s Encrypt Key and Verification Token, and warns loudly off loopback', async () => {
    expect(isLoopbackHost('127.0.0.1') && isLoopbackHost('localhost') && isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0') || isLoopbackHost('192.168.1.2') || isLoopbackHost('localhost.evil.example')).toBe(false);
    const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0', '--host', '0.0.0.0'], { env: { PATH: process.env.PATH, HOME: sb.dir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout! })) {
      lines.push(line);
      if (line.startsWith('Request log')) break;
    }
    child.kill('SIGTERM');
    await exited;
    const text = lines.join('\n');
    expect(text).toContain('encrypt_key emu-demo-encrypt-key');
    expect(text).toContain('verification_token emu-demo-verification-token');
    expect(err).toMatch(/listens on 0\.0\.0\.0, not only on this machine/);
  });
});
