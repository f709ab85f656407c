// Message sends per second against the emulator on loopback, the emulator in its own process,
// against a bare node:http server (its own process, a canned JSON answer) in the same run: the
// ceiling of the transport on this machine.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { fmt, spawnEmulator } from './lib.mjs';

const BARE = `
const http = require('node:http');
const answer = JSON.stringify({ code: 0, msg: 'success', data: { message_id: 'om_bare' } });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

function spawnBare() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', BARE], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ url: JSON.parse(line).url, stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) }),
    );
    child.once('error', reject);
  });
}

/** Sends `total` messages with `concurrency` in flight over 16 keep-alive connections; sends/s. */
export async function sendLoad(url, token, chat, { total, concurrency = 64, warmup = 500 }) {
  const pool = new Pool(url, { connections: 16, pipelining: 1 });
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
  try {
    for (let i = 0; i < warmup; i++) await send();
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < total) await send();
    }));
    return total / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

export async function tenantToken(url, app) {
  const res = await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }),
  });
  return (await res.json()).tenant_access_token;
}

export async function benchEmulatorThroughput({ total = 10_000, concurrency = 64, rounds = 3 } = {}) {
  // Both servers run side by side and take turns, so load from elsewhere hits both alike.
  const bare = await spawnBare();
  const emu = await spawnEmulator(['--no-rate-limit']);
  try {
    const token = await tenantToken(emu.url, emu.apps[0]);
    const pairs = [];
    for (let i = 0; i < rounds; i++) {
      const b = await sendLoad(bare.url, 't-bare', 'oc_bare', { total, concurrency });
      const e = await sendLoad(emu.url, token, emu.chats[0].chat_id, { total, concurrency });
      pairs.push({ b, e, ratio: e / b });
    }
    pairs.sort((x, y) => x.ratio - y.ratio);
    const mid = pairs[Math.floor(pairs.length / 2)];
    return {
      name: 'emulator sends per second',
      value: mid.ratio,
      line: `${fmt(mid.e)} sends/s; a bare node:http server ${fmt(mid.b)}/s: ${fmt(mid.ratio, 2)}x (median of ${rounds} alternating rounds of ${fmt(total)} sends, ${concurrency} concurrent; target: at least 0.7x)`,
    };
  } finally {
    await bare.stop();
    await emu.stop();
  }
}
