import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPayload, signLegacy, signV2 } from '../../src/callback/crypto.js';
import { CARD_BIN, Sandbox, type LiveCli } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

const KEY = 'made-up-listen-key-0001';
const TOKEN = 'made-up-listen-token-0001';
const sb = new Sandbox();
const started: ChildProcess[] = [];
const running: LiveCli[] = [];
let handler: Awaited<ReturnType<typeof serve>>;
let forwarded = 0;

interface Listener {
  url: string;
  next(): Promise<any>;
  stderr(): string;
}

/** `card listen --json` in this process: its ready line's URL, then one JSON line per request it saw. */
async function listen(args: string[]): Promise<Listener> {
  const live = sb.start(['listen', '--port', '0', '--json', ...args]);
  running.push(live);
  const first = await live.nextLine();
  if (!first) throw new Error(`listen did not start: ${live.stderr()}`);
  return { url: JSON.parse(first).url, next: async () => JSON.parse(await live.nextLine()), stderr: () => live.stderr() };
}

const v2Body = (tag = 'button') => JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token: TOKEN }, event: { action: { tag, value: {} } } });
function signedV2(body: string, ts = String(Math.floor(Date.now() / 1000)), nonce = 'n1') {
  return { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signV2(ts, nonce, KEY, body) };
}

beforeAll(async () => {
  handler = await serve(async (req, res) => {
    await readBody(req);
    forwarded++;
    res.end('{}');
  });
});
afterAll(async () => {
  for (const c of started) c.kill('SIGTERM');
  for (const l of running) l.stop('SIGTERM');
  await Promise.all(running.map((l) => l.result));
  await handler.close();
  sb.cleanup();
});

describe('card listen with keys refuses what does not verify', () => {
  let l: Listener;
  const out = join(sb.dir, 'rec-keys');
  beforeAll(async () => {
    l = await listen(['--out', out, '--forward-to', `${handler.url}/card`, '--encrypt-key', KEY, '--verification-token', TOKEN]);
  });

  it('refuses a forged, an unsigned and a stale callback: 200 with an empty body, not forwarded, not saved', async () => {
    const before = forwarded;
    const body = v2Body();
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...signedV2(body), 'x-lark-signature': signV2(String(Math.floor(Date.now() / 1000)), 'n1', 'wrong key', body) }, 'bad signature'],
      [{ 'content-type': 'application/json' }, 'missing signature'],
      [signedV2(body, String(Math.floor(Date.now() / 1000) - 3600)), 'stale'],
    ];
    for (const [headers, verdict] of cases) {
      const r = await fetch(l.url, { method: 'POST', body, headers });
      expect(r.status).toBe(200);
      expect(await r.text()).toBe('');
      expect(await l.next()).toMatchObject({ signature: verdict, refused: true, saved: null, forwarded: null });
    }
    expect(forwarded).toBe(before);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('accepts a signed callback once and refuses the same bytes sent again', async () => {
    const body = v2Body();
    const headers = signedV2(body, undefined, 'once');
    const first = await fetch(l.url, { method: 'POST', body, headers });
    expect(await first.text()).toBe('{}');
    expect(await l.next()).toMatchObject({ signature: 'verified', refused: false, forwarded: { status: 200 } });
    const again = await fetch(l.url, { method: 'POST', body, headers });
    expect(await again.text()).toBe('');
    expect(await l.next()).toMatchObject({ signature: 'replayed', refused: true, saved: null, forwarded: null });
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('refuses a v2 callback carrying the wrong Verification Token even when signed', async () => {
    const body = JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger', token: 'not-the-token' }, event: { action: { tag: 'button' } } });
    const r = await fetch(l.url, { method: 'POST', body, headers: signedV2(body, undefined, 'tok') });
    expect(await r.text()).toBe('');
    expect(await l.next()).toMatchObject({ signature: 'bad token', refused: true });
  });

  it('refuses a legacy callback signed with the wrong token', async () => {
    const body = JSON.stringify({ open_id: 'ou_madeup', open_message_id: 'om_madeup', action: { tag: 'button', value: {} } });
    const ts = String(Math.floor(Date.now() / 1000));
    await fetch(l.url, { method: 'POST', body, headers: { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'l', 'x-lark-signature': signLegacy(ts, 'l', 'other', body) } });
    expect(await l.next()).toMatchObject({ format: 'card.action.trigger_v1', signature: 'bad signature', refused: true });
  });

  it('says what it refused on a terminal, and never prints the keys it checks with', async () => {
    const child = spawn(process.execPath, [CARD_BIN, 'listen', '--port', '0', '--out', join(sb.dir, 'rec-human'), '--encrypt-key', KEY, '--verification-token', TOKEN], {
      env: { PATH: process.env.PATH, HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let all = '';
    child.stdout!.on('data', (d) => (all += d));
    child.stderr!.on('data', (d) => (all += d));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 250 && !re.test(all); i++) await new Promise((r) => setTimeout(r, 20));
      return re.exec(all);
    };
    const url = (await until(/on (http:\/\/127\.0\.0\.1:\d+)/))![1]!;
    await fetch(url, { method: 'POST', body: v2Body(), headers: { 'content-type': 'application/json' } });
    expect((await until(/#1 .*\n/))![0]).toMatch(/missing signature\s+refused: the signature headers are missing \(not forwarded, not saved\)/);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(TOKEN);
  });

  it('answers 413 to a body over the bound and keeps serving', async () => {
    const big = JSON.stringify({ encrypt: 'x'.repeat(2 * 1024 * 1024) });
    const r = await fetch(l.url, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } }).catch(() => null);
    if (r) expect(r.status).toBe(413);
    expect(await l.next()).toMatchObject({ refused: true, error: expect.stringContaining('413') });
    const body = v2Body();
    const ok = await fetch(l.url, { method: 'POST', body, headers: signedV2(body, undefined, 'after-413') });
    expect(await ok.text()).toBe('{}');
    expect(await l.next()).toMatchObject({ signature: 'verified' });
  });
});

describe('card listen with only an Encrypt Key refuses a callback of a kind no set key checks', () => {
  const forged = JSON.stringify({ open_id: 'ou_x', open_message_id: 'om_x', action: { tag: 'button', value: {} }, token: 'c-forged' });

  it('refuses a forged legacy callback as for a bad signature: not forwarded, not saved', async () => {
    const out = join(sb.dir, 'rec-unchecked');
    const l = await listen(['--out', out, '--forward-to', handler.url, '--encrypt-key', KEY]);
    const before = forwarded;
    const r = await fetch(l.url, { method: 'POST', body: forged, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
    expect(await l.next()).toMatchObject({ format: 'card.action.trigger_v1', signature: 'unchecked', refused: true, saved: null, forwarded: null });
    expect(forwarded).toBe(before);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('lets it through with --accept-unchecked', async () => {
    const l = await listen(['--out', join(sb.dir, 'rec-accept'), '--forward-to', handler.url, '--encrypt-key', KEY, '--accept-unchecked']);
    const before = forwarded;
    await fetch(l.url, { method: 'POST', body: forged, headers: { 'content-type': 'application/json' } });
    expect(await l.next()).toMatchObject({ signature: 'unchecked', refused: false, forwarded: { status: 200 } });
    expect(forwarded).toBe(before + 1);
  });
});

describe('card listen names recordings safely', () => {
  it('keeps a recording from a hostile action tag inside --out, and never overwrites an earlier one', async () => {
    const out = join(sb.dir, 'rec-names', 'inner');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'recorded-button-1.json'), 'earlier run');
    const l = await listen(['--out', out]);
    // stderr is another pipe: give it a moment to catch up with the ready line.
    for (let i = 0; i < 50 && !l.stderr().includes('nothing is checked'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(l.stderr()).toMatch(/nothing is checked/);
    const hostile = ['../../../x/PWNED', '..', '/etc/passwd', 'a\\..\\..\\b', '\u001b[31mred', ''];
    for (const tag of hostile) {
      await fetch(l.url, { method: 'POST', body: v2Body(tag) });
      const entry = await l.next();
      expect(entry.refused).toBe(false);
      expect(entry.saved.startsWith(`${out}/recorded-`)).toBe(true);
      expect(entry.saved.slice(out.length + 1)).toMatch(/^recorded-[a-z0-9-]+-\d+\.json$/);
    }
    expect(existsSync(join(sb.dir, 'x'))).toBe(false);
    expect(readdirSync(join(sb.dir, 'rec-names'))).toEqual(['inner']);
    expect(readdirSync(out)).toHaveLength(hostile.length + 1);
    await fetch(l.url, { method: 'POST', body: v2Body('button') });
    const entry = await l.next();
    expect(entry.saved).not.toBe(join(out, 'recorded-button-1.json'));
  });

  it('without keys, lets an encrypted body it cannot read through to the handler and saves nothing', async () => {
    const l = await listen(['--out', join(sb.dir, 'rec-plain'), '--forward-to', handler.url]);
    const before = forwarded;
    await fetch(l.url, { method: 'POST', body: JSON.stringify({ encrypt: encryptPayload('k', '{}') }) });
    expect(await l.next()).toMatchObject({ refused: false, saved: null, forwarded: { status: 200 } });
    expect(forwarded).toBe(before + 1);
  });

  it('refuses a --host that is not an address of this machine with exit 2 naming it', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
    const r = await sb.run(['listen', '--port', '0', '--no-save', '--host', '192.0.2.1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--host 192.0.2.1');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('checks --out at start: exit 2 naming it', async () => {
    const file = join(sb.dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await sb.run(['listen', '--port', '0', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${file}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
