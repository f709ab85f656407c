// The emulator's memory and CPU under the floods a hostile local client can send, each against the
// bound the emulator now keeps (Linux: /proc). Every flood runs in a fresh `card emulator` process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib.mjs';
import { tenantToken } from './emulator-throughput.mjs';

const { WebSocket } = createRequire(import.meta.url)('ws');

const MiB = 1024 * 1024;
const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Resident and peak memory in MiB, and CPU seconds used so far. */
function usage(pid) {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return null;
  const text = readFileSync(status, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
  // utime and stime, fields 14 and 15, in clock ticks (100 a second on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024, cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A client ping (reference/long-connection-cardkit.md §1.3): SeqID, LogID, service 1, method 0, header type=ping. */
const PING = Buffer.from([0x08, 0x00, 0x10, 0x00, 0x18, 0x01, 0x20, 0x00, 0x2a, 0x0c, 0x0a, 0x04, ...Buffer.from('type'), 0x12, 0x04, ...Buffer.from('ping')]);

async function connect(url, app) {
  const ep = await (await fetch(`${url}/callback/ws/endpoint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ AppID: app.app_id, AppSecret: app.app_secret }) })).json();
  const ws = new WebSocket(ep.data.URL);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

/**
 * Starts the emulator (the built package) in a child process that can collect its garbage on
 * request, so what a flood leaves behind is measured, not what the collector has yet to reclaim.
 */
function spawnProbe(settings = {}) {
  const code = `
    const { startEmulator } = await import(${JSON.stringify(DIST_INDEX)});
    const emu = await startEmulator({ settings: ${JSON.stringify(settings)} });
    const s = emu.state();
    console.log(JSON.stringify({ url: emu.url, apps: s.apps, chats: s.chats }));
    const { createInterface } = await import('node:readline');
    for await (const line of createInterface({ input: process.stdin })) {
      if (line !== 'heap') break;
      globalThis.gc(); globalThis.gc();
      console.log(JSON.stringify({ heap: process.memoryUsage().heapUsed / 1048576 }));
    }
    await emu.close();
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  return next().then((info) => ({
    ...info,
    pid: child.pid,
    /** Heap in use after a full collection, in MiB. */
    heap: async () => {
      child.stdin.write('heap\n');
      return (await next()).heap;
    },
    stop: () =>
      new Promise((done) => {
        child.once('exit', done);
        child.stdin.end('stop\n');
      }),
  }));
}

async function withEmulator(settings, run) {
  const emu = await spawnProbe(settings);
  try {
    return await run(emu);
  } finally {
    await emu.stop();
  }
}

const verdict = (ok) => (ok ? 'within' : 'OVER');

/** What a flood left behind: heap after a full collection, and the process's peak resident memory. */
function leftBehind(before, heapAfter, pid) {
  const grew = heapAfter - before;
  const u = usage(pid);
  return { grew, text: `+${fmt(grew, 1)} MiB heap kept after collection (peak resident ${u ? `${fmt(u.peak, 0)} MiB` : 'n/a'})` };
}

/** Unauthenticated 2 MB bodies of `[{},{},…]` to the token route: the log keeps 64 KiB of each, 64 MiB in all. */
async function requestLogFlood({ posts = 16, concurrency = 4 } = {}) {
  return withEmulator({}, async (emu) => {
    const body = `[${Array(Math.floor((2 * MiB - 2) / 3)).fill('{}').join(',')}]`;
    const before = await emu.heap();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < posts) {
          await (await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).arrayBuffer();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const page = await (await fetch(`${emu.url}/_emulator/requests?page_size=1`)).json();
    const kept = page.data.requests[0]?.body_excerpt?.length ?? 0;
    const left = leftBehind(before, await emu.heap(), emu.pid);
    // Each entry: 64 KiB of text (one byte a character here) and its fields.
    const bound = (posts * (64 * 1024 + 1024)) / MiB + 2;
    return {
      name: `request log: ${posts} × 2 MB bodies`,
      value: left.grew,
      line: `${left.text} in ${fmt(seconds, 1)} s; ${fmt(kept / 1024, 0)} KiB kept a body; ${verdict(left.grew <= bound)} the bound of ${fmt(bound, 1)} MiB (64 KiB a body, 64 MiB for the whole log)`,
    };
  });
}

/** A client that pings as fast as it can and never reads: closed once 4 MiB of pongs wait for it. */
async function neverReadingPinger({ maxSeconds = 15 } = {}) {
  return withEmulator({}, async (emu) => {
    const before = await emu.heap();
    const ws = await connect(emu.url, emu.apps[0]);
    ws._socket.pause();
    const started = performance.now();
    let pings = 0;
    let closedAfter = null;
    while (performance.now() - started < maxSeconds * 1000) {
      for (let i = 0; i < 2000; i++) ws.send(PING);
      pings += 2000;
      await sleep(5);
      if (pings % 20_000 === 0) {
        const conns = await (await fetch(`${emu.url}/_emulator/ws/connections`)).json();
        if (conns.data.connections.length === 0) {
          closedAfter = (performance.now() - started) / 1000;
          break;
        }
      }
    }
    ws.terminate();
    const left = leftBehind(before, await emu.heap(), emu.pid);
    return {
      name: 'long connection: pings, never reading',
      value: left.grew,
      line: `${closedAfter === null ? `still open after ${maxSeconds} s` : `closed (1008) after ${fmt(closedAfter, 1)} s`} and ${fmt(pings)} pings; ${left.text}; ${verdict(closedAfter !== null && left.grew <= 4)} the bound of 4 MiB unsent a connection (was 900 MB in 10 s)`,
    };
  });
}

/** Frames full of empty headers, 1 MiB (the frame bound) and 4 MiB, while another client pings. */
async function bigHeaderFrames({ frames = 10 } = {}) {
  return withEmulator({}, async (emu) => {
    const app = emu.apps[0];
    const fixed = Buffer.from([0x08, 0x00, 0x10, 0x00, 0x18, 0x01, 0x20, 0x00]);
    const frameOf = (bytes) => Buffer.concat([fixed, Buffer.alloc(bytes - fixed.length - ((bytes - fixed.length) % 2), Buffer.from([0x2a, 0x00]))]);
    const small = frameOf(MiB - 16);
    const large = frameOf(4 * MiB);
    const other = await connect(emu.url, app);
    let worst = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const t = performance.now();
        await new Promise((resolve) => {
          other.once('message', resolve);
          other.send(PING);
        });
        worst = Math.max(worst, performance.now() - t);
        await sleep(2);
      }
    })();
    const before = usage(emu.pid);
    const codes = new Map();
    for (let i = 0; i < frames; i++) {
      const ws = await connect(emu.url, app);
      const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => undefined);
      ws.send(i % 2 ? large : small);
      const code = await closed;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    const after = usage(emu.pid);
    watching = false;
    await watch;
    other.terminate();
    const cpuMs = after ? ((after.cpu - before.cpu) * 1000) / frames : NaN;
    const closes = [...codes].map(([code, n]) => `${n} × ${code}`).join(', ');
    return {
      name: `long connection: ${frames} frames of empty headers`,
      value: cpuMs,
      line: after
        ? `${fmt(cpuMs, 0)} ms of emulator CPU a frame, connecting included (closes: ${closes}); another client's pong waited at most ${fmt(worst, 0)} ms; ${verdict(cpuMs <= 50 && worst <= 500)} the bound of 50 ms a frame, 500 ms a pong (one such frame cost ~850 ms before)`
        : 'n/a (no /proc)',
    };
  });
}

/** Text streamed into 30 card entities, each push growing the text, to 100,000 characters (it was 1.2 GB for 30 cards). */
async function cardkitStreams({ cards = 30, pushes = 10 } = {}) {
  return withEmulator({ rateLimits: false }, async (emu) => {
    const token = await tenantToken(emu.url, emu.apps[0]);
    const call = async (method, path, body) =>
      (await fetch(`${emu.url}/open-apis/cardkit/v1/cards${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json();
    const card = { schema: '2.0', config: { streaming_mode: true }, body: { elements: [{ tag: 'markdown', content: '', element_id: 'md' }] } };
    const before = await emu.heap();
    const started = performance.now();
    const ids = [];
    for (let i = 0; i < cards; i++) ids.push((await call('POST', '', { type: 'card_json', data: JSON.stringify(card) })).data.card_id);
    const step = Math.floor(100_000 / pushes);
    let failed = 0;
    await Promise.all(
      ids.map(async (id) => {
        for (let seq = 1; seq <= pushes; seq++) {
          const r = await call('PUT', `/${id}/elements/md/content`, { content: 'x'.repeat(step * seq), sequence: seq });
          if (r.code !== 0) failed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // The request log keeps these bodies (up to 64 KiB each, as the first flood measures): emptied
    // here so that what is left is what CardKit keeps.
    await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' });
    const left = leftBehind(before, await emu.heap(), emu.pid);
    // Each card as it stands now (100,000 characters) and the small parts around it.
    const bound = (cards * 110_000) / MiB + 2;
    return {
      name: `CardKit: ${cards} cards × ${pushes} pushes to 100k chars`,
      value: left.grew,
      line: `${left.text} in ${fmt(seconds, 1)} s, ${failed} pushes refused; ${verdict(left.grew <= bound)} the bound of ${fmt(bound, 1)} MiB (the cards as they stand; at most 64 MiB for all entities)`,
    };
  });
}

export async function benchEmulatorFloods() {
  return [await requestLogFlood(), await neverReadingPinger(), await bigHeaderFrames(), await cardkitStreams()];
}
