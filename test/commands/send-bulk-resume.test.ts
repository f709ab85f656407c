import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { CARD_BIN, emulatorEnv, Sandbox } from '../helpers/cli.js';
import { FakeClock } from '../helpers/clock.js';

const APP = { app_id: 'cli_resumetest00001', app_secret: 'resume-test-secret' };
const seed = (users: number): SeedFile => ({
  apps: [APP],
  users: Array.from({ length: users }, (_, i) => ({ name: `User ${i}`, email: `u${i}@example.com` })),
  templates: [{ template_id: 'AAqBulkTempla', versions: [{ version_name: '1.0.0', variables: { name: { type: 'string' } }, card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi ${name}' }] } } }] }],
});
const SEND = ['send', '--template', 'AAqBulkTempla'];

let emu: RunningEmulator | undefined;
let sb: Sandbox | undefined;
afterEach(async () => {
  await emu?.close();
  sb?.cleanup();
  emu = undefined;
});

/** How many messages each receiver (by open_id) holds. */
function perReceiver(e: RunningEmulator): Record<string, number> {
  const byOpenId = new Map(e.state().users.map((u) => [u.open_id, u.email]));
  const out: Record<string, number> = {};
  for (const m of e.messages()) {
    const who = byOpenId.get(m.receive_id) ?? m.receive_id;
    out[who!] = (out[who!] ?? 0) + 1;
  }
  return out;
}

const journal = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('--resume matches rows by what they are', () => {
  it('after a failed row is fixed and rows move, nobody gets the card twice and nobody is left out', async () => {
    emu = await startEmulator({ port: 0, seed: seed(4), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = join(sb.dir, 'people.csv');
    writeFileSync(file, 'to,name\nu0@example.com,A\nghost@example.com,B\nu2@example.com,C\n');
    const first = await sb.run([...SEND, '--to-file', file, '--json']);
    expect(first.code).toBe(1);
    expect(first.json.error.hint).toContain('--resume');
    // The fix: the wrong row deleted, the right one added at the end. u2 moves from line 4 to 3.
    writeFileSync(file, 'to,name\nu0@example.com,A\nu2@example.com,C\nu1@example.com,B\n');
    const resumed = await sb.run([...SEND, '--to-file', file, '--resume', '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.json.data).toMatchObject({ total: 3, skipped: 2, sent: 1, failed: 0 });
    expect(perReceiver(emu)).toEqual({ 'u0@example.com': 1, 'u1@example.com': 1, 'u2@example.com': 1 });
  });

  it('refuses with exit 2, naming the row, when a row that was sent now has other variables', async () => {
    emu = await startEmulator({ port: 0, seed: seed(3), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = join(sb.dir, 'people.csv');
    writeFileSync(file, 'to,name\nu0@example.com,A\nghost@example.com,B\n');
    await sb.run([...SEND, '--to-file', file]);
    writeFileSync(file, 'to,name\nu0@example.com,Alice\nu1@example.com,B\n');
    const r = await sb.run([...SEND, '--to-file', file, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no longer matches');
    expect(r.stderr).toContain('line 2 (u0@example.com) was sent from line 2 with other variables');
    expect(emu.messages()).toHaveLength(1);
    const card = await sb.run(['send', '--template', 'AAqBulkTempla', '--var', 'extra=1', '--to-file', file, '--resume']);
    expect(card.code).toBe(2);
    expect(card.stderr).toContain('the card differs');
  });

  it('sends duplicate rows, and one person by email and by open_id, once, and says so', async () => {
    emu = await startEmulator({ port: 0, seed: seed(2), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const u1 = emu.state().users.find((u) => u.email === 'u1@example.com')!.open_id;
    const file = join(sb.dir, 'people.csv');
    writeFileSync(file, `to,name\nu0@example.com,A\nu0@example.com,A\nu1@example.com,B\n${u1},B\n`);
    const r = await sb.run([...SEND, '--to-file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('; 2 duplicate rows not sent again');
    expect(r.stderr).toContain('line 3 (u0@example.com) repeats line 2');
    expect(perReceiver(emu)).toEqual({ 'u0@example.com': 1, 'u1@example.com': 1 });
  });
});

describe('a run killed mid-send', () => {
  it('journals each row before sending; a resume sends the unknown rows again with their uuid, so each arrives once', async () => {
    emu = await startEmulator({ port: 0, seed: seed(6), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    // The token is fetched and cached first; open_ids need no lookup: the sends are the only requests.
    expect((await sb.run(['token'])).code).toBe(0);
    // Then every answer is slow: the messages are made, the answers never reach the killed process.
    await fetch(`${emu.url}/_emulator/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"faults":"slow=1,slow_ms=2500"}' });
    const file = join(sb.dir, 'people.csv');
    writeFileSync(file, `to,name\n${emu.state().users.map((u, i) => `${u.open_id},N${i}`).join('\n')}\n`);
    const results = `${file}.results.ndjson`;
    const child = spawn(process.execPath, [CARD_BIN, ...SEND, '--to-file', file, '--concurrency', '3'], {
      env: { PATH: process.env.PATH ?? '', HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1', ...emulatorEnv(emu.url, APP) },
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    // Wait for the messages to exist (the emulator made them, the answers are held back).
    for (let i = 0; i < 600 && emu.messages().length < 3; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await closed;
    const attempted = journal(results).filter((l) => l.kind === 'attempt');
    expect(attempted.length).toBeGreaterThanOrEqual(3);
    expect(journal(results).filter((l) => l.kind === 'result')).toHaveLength(0);

    await fetch(`${emu.url}/_emulator/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"faults":"0"}' });
    const r = await sb.run([...SEND, '--to-file', file, '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\d+ rows? of unknown outcome .* go again with the same uuid/);
    expect(Object.values(perReceiver(emu))).toEqual([1, 1, 1, 1, 1, 1]);
  }, 30_000);

  it('past the uuid hour, lists the unknown rows and sends them only with --resend-unknown', async () => {
    // The CLI and the emulator share a clock: the pacer's waits and two hours pass in no time.
    const clock = new FakeClock().auto();
    emu = await startEmulator({ port: 0, now: () => clock.now(), seed: seed(3), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = join(sb.dir, 'people.csv');
    writeFileSync(file, 'to,name\nu0@example.com,A\nu1@example.com,B\nu2@example.com,C\n');
    const results = `${file}.results.ndjson`;
    await sb.run([...SEND, '--to-file', file], { clock });
    // As a SIGKILL would leave it: u1 attempted, no result. Then two hours go by.
    const lines = journal(results).filter((l) => !(l.kind === 'result' && l.to === 'u1@example.com'));
    writeFileSync(results, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    clock.advance(2 * 3600_000);
    const before = emu.messages().length;
    const refused = await sb.run([...SEND, '--to-file', file, '--resume'], { clock });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('1 row may or may not have been delivered');
    expect(refused.stderr).toContain('line 3 u1@example.com (attempted 2h00m ago)');
    expect(refused.stderr).toContain('--resend-unknown');
    expect(emu.requests().filter((q) => q.path === '/open-apis/im/v1/messages').length).toBe(before);
    const resent = await sb.run([...SEND, '--to-file', file, '--resume', '--resend-unknown', '--json'], { clock });
    expect(resent.code).toBe(0);
    expect(resent.json.data).toMatchObject({ sent: 1, skipped: 2 });
  });
});

describe('card send to single receivers', () => {
  it('refuses an empty --uuid', async () => {
    sb = new Sandbox({ CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1' });
    const r = await sb.run(['send', '-', '--to', 'ou_abc', '--uuid', ''], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--uuid must not be empty');
  });

  it('sends once to a receiver given twice, or by email and by open_id, and says so', async () => {
    emu = await startEmulator({ port: 0, seed: seed(2), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const u0 = emu.state().users.find((u) => u.email === 'u0@example.com')!.open_id;
    const twice = await sb.run(['send', '-', '--to', 'u1@example.com', '--to', 'u1@example.com'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(twice.code).toBe(0);
    expect(twice.stderr).toContain('u1@example.com is given more than once: it gets one message');
    const both = await sb.run(['send', '-', '--to', 'u0@example.com', '--to', u0, '--json'], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(both.code).toBe(0);
    expect(both.stderr).toContain(`${u0} is the same receiver as u0@example.com: it gets one message`);
    expect(both.json.data.messages).toHaveLength(1);
    expect(perReceiver(emu)).toEqual({ 'u0@example.com': 1, 'u1@example.com': 1 });
  });

  it('with several receivers, each one\'s uuid follows who it is, not its position', async () => {
    emu = await startEmulator({ port: 0, seed: seed(3), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const card = { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' };
    expect((await sb.run(['send', '-', '--to', 'u0@example.com', '--to', 'u1@example.com', '--uuid', 'order-1'], card)).code).toBe(0);
    const u0 = emu.state().users.find((u) => u.email === 'u0@example.com')!.open_id;
    // Another order, u0 by open_id, and a new receiver: only u2 gets a new message.
    expect((await sb.run(['send', '-', '--to', 'u2@example.com', '--to', 'u1@example.com', '--to', u0, '--uuid', 'order-1'], card)).code).toBe(0);
    expect(perReceiver(emu)).toEqual({ 'u0@example.com': 1, 'u1@example.com': 1, 'u2@example.com': 1 });
  });

  it('a repeated --uuid says the message was already there, not "Sent"', async () => {
    // The CLI and the emulator share a clock that moves only when told.
    const clock = new FakeClock();
    emu = await startEmulator({ port: 0, now: () => clock.now(), seed: seed(1), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const card = '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}';
    const first = await sb.run(['send', '-', '--to', 'u0@example.com', '--uuid', 'same-key-1', '--json'], { input: card, clock });
    expect(first.json.data.messages[0]).toMatchObject({ already_sent: false });
    clock.advance(2200);
    const again = await sb.run(['send', '-', '--to', 'u0@example.com', '--uuid', 'same-key-1', '--json'], { input: card, clock });
    expect(again.code).toBe(0);
    expect(again.json.data.messages[0]).toMatchObject({ already_sent: true });
    const human = await sb.run(['send', '-', '--to', 'u0@example.com', '--uuid', 'same-key-1'], { input: card, clock });
    expect(human.stderr).toContain('Already sent to u0@example.com with this uuid');
    expect(human.stderr).not.toContain('Sent stdin');
    expect(emu.messages()).toHaveLength(1);
  });
});
