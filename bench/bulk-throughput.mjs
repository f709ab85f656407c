// Bulk send against an emulator limiting the app to 50 requests/s: achieved rate over the limit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRequests, CARD_BIN, fmt, spawnEmulator } from './lib.mjs';

export async function benchBulkThroughput({ receivers = 1000, limit = 50 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-'));
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({
    apps: [{ app_id: 'cli_benchbulk0000001', app_secret: 'bench-secret' }],
    users: Array.from({ length: receivers }, (_, i) => ({ name: `U${i}`, email: `u${i}@example.com` })),
  }));
  const file = join(dir, 'people.csv');
  writeFileSync(file, `to\n${Array.from({ length: receivers }, (_, i) => `u${i}@example.com`).join('\n')}\n`);
  const card = join(dir, 'card.json');
  writeFileSync(card, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'bench' }] } }));
  const emu = await spawnEmulator(['--seed', seed, '--rate', `${limit}/s,100000/min`]);
  try {
    const env = { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir, CARD_BASE_URL: emu.url, CARD_APP_ID: 'cli_benchbulk0000001', CARD_APP_SECRET: 'bench-secret' };
    const r = spawnSync(process.execPath, [CARD_BIN, 'send', card, '--to-file', file, '--rate', `${limit}/s,100000/min`, '--json'], { env, encoding: 'utf8' });
    const out = JSON.parse(r.stdout);
    if (!out.ok) throw new Error(`bulk send failed: ${r.stdout}`);
    const requests = await allRequests(emu.url);
    const span = (Date.parse(requests.at(-1).time) - Date.parse(requests[0].time)) / 1000;
    const limited = requests.filter((q) => q.status === 429).length;
    const ratio = requests.length / span / limit;
    return {
      name: `bulk send, ${receivers} receivers at ${limit}/s`,
      value: ratio,
      line: `${fmt(ratio, 2)} of the limit (${requests.length} requests in ${fmt(span, 1)} s, ${out.data.sent} sent, ${limited} rate-limited)`,
    };
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
