// HTTP requests one scripted `card send` makes in a new process once the token is cached: must be 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRequests, CARD_BIN, fmt, spawnEmulator } from './lib.mjs';

export async function benchRequestsPerSend({ sends = 5 } = {}) {
  // No rate limits: five quick sends to one chat would meet the platform's 5-a-second per-chat limit.
  const emu = await spawnEmulator(['--no-rate-limit']);
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-'));
  try {
    const app = emu.apps[0];
    const env = { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir, CARD_BASE_URL: emu.url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret };
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'bench' }] } });
    const send = () => {
      const started = performance.now();
      const r = spawnSync(process.execPath, [CARD_BIN, 'send', '-', '--to', emu.chats[0].chat_id, '--json'], { env, input: card });
      if (r.status !== 0) throw new Error(`card send failed: ${r.stdout}${r.stderr}`);
      return performance.now() - started;
    };
    send(); // warms the token cache
    const count = async () => (await allRequests(emu.url)).length;
    const before = await count();
    const times = [];
    for (let i = 0; i < sends; i++) times.push(send());
    const perSend = ((await count()) - before) / sends;
    const ms = times.reduce((a, b) => a + b, 0) / times.length;
    return { name: 'requests per scripted send, warm cache', value: perSend, line: `${fmt(perSend, 2)} requests/send (${sends} sends in new processes, ${fmt(ms, 0)} ms each)` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emu.stop();
  }
}
