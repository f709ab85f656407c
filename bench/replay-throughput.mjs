// Replaying 200 fixtures (encrypted and signed) at a local handler in one command.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARD_BIN, fmt } from './lib.mjs';

const CALLBACKS = fileURLToPath(new URL('../fixtures/callbacks/', import.meta.url));

export async function benchReplay({ count = 200 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-'));
  const clicks = readdirSync(CALLBACKS).filter((f) => f.endsWith('.json') && !f.startsWith('url-'));
  for (let i = 0; i < count; i++) copyFileSync(join(CALLBACKS, clicks[i % clicks.length]), join(dir, `f${String(i).padStart(3, '0')}.json`));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${server.address().port}/card`;
    // GNU time, where present, reports the command's peak memory; it adds ~1 ms to the wall time.
    const rssFile = join(dir, 'rss');
    const [cmd, pre] = existsSync('/usr/bin/time') ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath]] : [process.execPath, []];
    const started = performance.now();
    // Asynchronous: the handler runs in this process and must keep answering.
    const r = await promisify(execFile)(cmd, [...pre, CARD_BIN, 'replay-callback', dir, '--url', url, '--encrypt-key', 'bench-key', '--concurrency', '16', '--json'], {
      env: { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir },
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    const out = JSON.parse(r.stdout);
    if (!out.ok || out.data.passed !== count) throw new Error(`replay failed: ${r.stdout.slice(0, 300)}`);
    const rss = pre.length ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : null;
    return {
      name: `replay ${count} fixtures (encrypted, 16 at once)`,
      value: seconds,
      line: `${fmt(seconds, 2)} s for the whole command (${fmt(count / seconds)} fixtures/s)${rss ? `, peak ${fmt(rss, 0)} MiB` : ''} (target: under 0.22 s, under 70 MiB)`,
    };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
