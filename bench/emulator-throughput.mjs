// Message sends per second against the emulator on loopback, the emulator in its own process.
import { Pool } from 'undici';
import { fmt, spawnEmulator } from './lib.mjs';

export async function benchEmulatorThroughput({ total = 20_000, concurrency = 64 } = {}) {
  const emu = await spawnEmulator(['--no-rate-limit']);
  const pool = new Pool(emu.url, { connections: 16, pipelining: 1 });
  try {
    const app = emu.apps[0];
    const tokenRes = await pool.request({
      path: '/open-apis/auth/v3/tenant_access_token/internal',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }),
    });
    const { tenant_access_token: token } = await tokenRes.body.json();
    const chat = emu.chats[0].chat_id;
    const content = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'bench' }] } });
    const send = async () => {
      const res = await pool.request({
        path: '/open-apis/im/v1/messages?receive_id_type=chat_id',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ receive_id: chat, msg_type: 'interactive', content }),
      });
      const body = await res.body.json();
      if (body.code !== 0) throw new Error(`send failed: ${JSON.stringify(body)}`);
    };
    for (let i = 0; i < 500; i++) await send(); // warm-up
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < total) await send();
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const perSecond = total / seconds;
    return { name: 'emulator sends per second', value: perSecond, line: `${fmt(perSecond)} sends/s (${fmt(total)} sends, ${concurrency} concurrent, ${fmt(seconds, 2)} s)` };
  } finally {
    await pool.close();
    await emu.stop();
  }
}
