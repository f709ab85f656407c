import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
import { FakeClock } from '../helpers/clock.js';

const APP = { app_id: 'cli_bulktest0000001', app_secret: 'bulk-test-secret' };
const seed = (users: number): SeedFile => ({
  apps: [APP],
  users: Array.from({ length: users }, (_, i) => ({ name: `User ${i}`, email: `u${i}@example.com` })),
  templates: [{ template_id: 'AAqBulkTempla', versions: [{ version_name: '1.0.0', variables: { name: { type: 'string' } }, card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi ${name}' }] } } }] }],
});

let emu: RunningEmulator | undefined;
let sb: Sandbox | undefined;
afterEach(async () => {
  await emu?.close();
  sb?.cleanup();
  emu = undefined;
});

function peopleCsv(dir: string, n: number, name = 'people.csv'): string {
  const file = join(dir, name);
  writeFileSync(file, `to,name\n${Array.from({ length: n }, (_, i) => `u${i}@example.com,User ${i}`).join('\n')}\n`);
  return file;
}

/** The result lines of a results file (it also holds a run header and attempts). */
function readResults(file: string): any[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'result');
}

function deliveredOnce(e: RunningEmulator, n: number) {
  const per = new Map<string, number>();
  for (const m of e.messages()) per.set(m.receive_id, (per.get(m.receive_id) ?? 0) + 1);
  return { receivers: per.size, max: Math.max(0, ...per.values()), total: e.messages().length, expected: n };
}

describe('card send --to-file', () => {
  it('delivers 1000 receivers exactly once at the 50 QPS limit, in close to the limit\'s time, with no rate-limit error', async () => {
    // The CLI and the emulator share a clock that jumps to each pending timer: the 20 s of pacing
    // take no waiting, and the rate is measured on that clock, exactly, however loaded the machine.
    const clock = new FakeClock().auto();
    emu = await startEmulator({ port: 0, now: () => clock.now(), seed: seed(1000), settings: { rateLimits: { appPerSecond: 50, appPerMinute: 3000, receiverPerSecond: 5, messagePatchPerSecond: 5 } } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = peopleCsv(sb.dir, 1000);
    const r = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--rate', '50/s,3000/min', '--json'], { clock });
    expect(r.code).toBe(0);
    expect(r.json.data).toMatchObject({ total: 1000, sent: 1000, failed: 0 });
    expect(deliveredOnce(emu, 1000)).toEqual({ receivers: 1000, max: 1, total: 1000, expected: 1000 });
    const requests = emu.requests();
    // No rate-limit error reached the user (exit 0, nothing failed), and on a shared clock the
    // pacer keeps under the platform's limit exactly: not one refusal.
    expect(r.json.data.failed).toBe(0);
    expect(requests.filter((q) => q.status === 429 || q.code === 230020)).toEqual([]);
    // Every request counts against the app's 50/s, lookups and the token included.
    const first = Date.parse(requests[0]!.time);
    const last = Date.parse(requests[requests.length - 1]!.time);
    const achieved = requests.length / ((last - first) / 1000);
    // Close to the limit (the pacer keeps a small safety margin), never above it.
    expect(achieved / 50).toBeGreaterThan(0.9);
    expect(achieved / 50).toBeLessThanOrEqual(1);
    expect(r.json.data.seconds).toBeGreaterThanOrEqual(1000 / 50);
    expect((emu.messages()[7]!.card as any).body.elements[0].content).toMatch(/^Hi User \d+$/);
    const results = readResults(`${file}.results.ndjson`);
    expect(results).toHaveLength(1000);
    expect(results.every((x) => x.status === 'sent' && /^om_/.test(x.message_id))).toBe(true);
  }, 60_000);

  it('with 20 % injected faults still delivers every message exactly once', async () => {
    // Pacing and the retries' back-off wait on a shared clock that jumps ahead: no real waiting.
    const clock = new FakeClock().auto();
    emu = await startEmulator({
      port: 0,
      now: () => clock.now(),
      seed: seed(300),
      settings: { rateLimits: { appPerSecond: 200, appPerMinute: 100_000, receiverPerSecond: 5, messagePatchPerSecond: 5 }, faults: { drop: 0.05, error: 0.05, slow: 0.05, rateLimit: 0.05, slowMs: 300 } },
    });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = peopleCsv(sb.dir, 300);
    const r = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--rate', '200/s,100000/min', '--json'], { env: { CARD_RETRIES: '8' }, clock });
    expect(r.code).toBe(0);
    expect(r.json.data.sent).toBe(300);
    expect(r.json.data.retries).toBeGreaterThan(10);
    expect(deliveredOnce(emu, 300)).toEqual({ receivers: 300, max: 1, total: 300, expected: 300 });
    const faults = emu.requests().map((q) => q.fault).filter(Boolean);
    expect(new Set(faults)).toEqual(new Set(['drop', 'error', 'slow', 'rateLimit']));
  });

  it('--resume skips rows already sent, and refuses to overwrite a results file without it', async () => {
    emu = await startEmulator({ port: 0, seed: seed(30), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = peopleCsv(sb.dir, 30);
    const results = `${file}.results.ndjson`;
    const first = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--json']);
    expect(first.json.data.sent).toBe(30);
    // As if the run had been cut short after ten rows: only they are in the results file.
    const lines = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const firstTen = new Set(lines.filter((l) => l.kind === 'result').slice(0, 10).map((l) => l.key));
    writeFileSync(results, lines.filter((l) => l.kind === 'run' || firstTen.has(l.key)).map((l) => JSON.stringify(l)).join('\n') + '\n');
    const again = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');
    const before = emu.requests().length;
    const resumed = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--resume', '--json']);
    expect(resumed.json.data).toMatchObject({ total: 30, skipped: 10, sent: 20, failed: 0 });
    expect(emu.requests().slice(before).filter((q) => q.path === '/open-apis/im/v1/messages')).toHaveLength(20);
    // The twenty rows sent again carried the same uuids: the platform kept one message each.
    expect(deliveredOnce(emu, 30)).toEqual({ receivers: 30, max: 1, total: 30, expected: 30 });
    const rerun = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--results', join(sb.dir, 'other.ndjson'), '--json']);
    expect(rerun.json.data.sent).toBe(30);
    expect(emu.messages()).toHaveLength(30);
  });

  it('reports rows that cannot be delivered, and stops before sending when a row has no known shape', async () => {
    emu = await startEmulator({ port: 0, seed: seed(3), settings: { rateLimits: false } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const file = join(sb.dir, 'mixed.ndjson');
    writeFileSync(file, ['{"to":"u0@example.com","name":"A"}', '{"to":"ghost@example.com"}', '{"to":"oc_nochat"}'].join('\n'));
    const r = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', file, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.details).toMatchObject({ sent: 1, failed: 2 });
    const rows = readResults(`${file}.results.ndjson`);
    expect(rows.find((x) => x.to === 'ghost@example.com').error.code).toBe('receiver_not_found');
    expect(rows.find((x) => x.to === 'oc_nochat').error.code).toBe(230002);
    const bad = join(sb.dir, 'bad.csv');
    writeFileSync(bad, 'to\nu0@example.com\nnot a receiver\n');
    const refused = await sb.run(['send', '--template', 'AAqBulkTempla', '--to-file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 3 "not a receiver"');
  });
});

describe('retries in every command', () => {
  it('a single send survives 500s, dropped answers and 429s, and the message arrives once', async () => {
    emu = await startEmulator({ port: 0, seed: seed(1), settings: { faults: { drop: 0.1, error: 0.1, slow: 0, rateLimit: 0.1, slowMs: 0 } } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    for (let i = 0; i < 3; i++) {
      const r = await sb.run(['send', '-', '--to', 'u0@example.com', '--uuid', `retry-${i}`, '--verbose'], { input: '{"elements":[{"tag":"hr"}]}', env: { CARD_RETRIES: '10' } });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(emu.messages()).toHaveLength(3);
    // Faults are random: whatever struck, each send still made exactly one message.
    expect(emu.requests().filter((q) => q.path === '/open-apis/im/v1/messages').length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('gives up after the bounded count with the platform error', async () => {
    emu = await startEmulator({ port: 0, seed: seed(1), settings: { faults: { drop: 0, error: 1, slow: 0, rateLimit: 0, slowMs: 0 } } });
    sb = new Sandbox(emulatorEnv(emu.url, APP));
    const r = await sb.run(['token', '--json', '--verbose'], { env: { CARD_RETRIES: '2' } });
    expect(r.code).toBe(3);
    expect(emu.requests()).toHaveLength(3);
    expect(r.stderr.match(/↻ POST/g)).toHaveLength(2);
  });
});
