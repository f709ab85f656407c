import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

/**
 * `card listen` under umask 000: recordings 0600 and the folders it makes 0700, whatever the
 * umask; and the forwarded handler's answer is printed with the keys hidden.
 */
const KEY = 'private-recordings-encrypt-key';
const TOKEN = 'private-recordings-verification-token';
const sb = new Sandbox();
let handler: Awaited<ReturnType<typeof serve>>;
let listener: ChildProcess;
let lines: AsyncIterator<string>;
let listenUrl: string;
const outDir = join(sb.dir, 'made', 'by', 'listen');

beforeAll(async () => {
  // A handler that echoes what it decrypted: the Verification Token comes back in its answer.
  handler = await serve(async (req, res) => {
    await readBody(req);
    res.end(JSON.stringify({ toast: { type: 'info', content: `got token ${TOKEN}` }, echo: { header: { token: TOKEN } } }));
  });
  const args = [CARD_BIN, 'listen', '--port', '0', '--json', '--out', outDir, '--forward-to', handler.url, '--encrypt-key', KEY, '--verification-token', TOKEN];
  listener = spawn('/bin/sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  lines = createInterface({ input: listener.stdout! })[Symbol.asyncIterator]();
  listenUrl = JSON.parse((await lines.next()).value).url;
});
afterAll(async () => {
  listener.kill('SIGTERM');
  await handler.close();
  sb.cleanup();
});

describe('card listen writes for the owner only and prints no key', () => {
  it('creates --out and its missing parents 0700 and each recording 0600 under umask 000', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', listenUrl, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
    expect(r.code, r.stderr).toBe(5); // the echoed "echo" key breaks the platform's answer rules
    const entry = JSON.parse((await lines.next()).value);
    expect(entry.saved).toBeTruthy();
    expect(statSync(entry.saved).mode & 0o777).toBe(0o600);
    for (const dir of [outDir, join(sb.dir, 'made', 'by'), join(sb.dir, 'made')]) expect(statSync(dir).mode & 0o777, dir).toBe(0o700);
    expect(readFileSync(entry.saved, 'utf8')).not.toContain(TOKEN);
  });

  it('hides the keys in the forwarded answer it prints, and replay hides them in the answer it prints', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', listenUrl, '--encrypt-key', KEY, '--verification-token', TOKEN, '--json']);
    const entry = JSON.parse((await lines.next()).value);
    expect(entry.forwarded.status).toBe(200);
    expect(entry.answer).toContain('<redacted');
    expect(JSON.stringify(entry)).not.toContain(TOKEN);
    expect(r.stdout).toContain('<redacted');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });
});
