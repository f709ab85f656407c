// Whole-process figures: each command timed as a new process, interleaved with `node -e 0` so
// drift in machine load hits both alike, and peak memory (max RSS) where it matters.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CARD_BIN, fmt, spawnEmulator } from './lib.mjs';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeOnce(args, opts = {}) {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], ...opts });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const TIME = '/usr/bin/time';

/** Peak resident memory of one run, in MiB, from GNU time; null where it is missing. */
export function peakMiB(args, opts = {}) {
  if (!existsSync(TIME)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-rss-'));
  try {
    const out = join(dir, 'rss');
    const r = spawnSync(TIME, ['-f', '%M', '-o', out, process.execPath, ...args], { stdio: ['pipe', 'ignore', 'ignore'], ...opts });
    if (r.status !== 0) return null;
    return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median wall time of `card <args>` against `node -e 0`, interleaved. */
export function versusNode(args, { runs = 21, env, input } = {}) {
  const opts = { env, input };
  timeOnce(['-e', '0']);
  timeOnce([CARD_BIN, ...args], opts);
  const node = [];
  const card = [];
  for (let i = 0; i < runs; i++) {
    node.push(timeOnce(['-e', '0']));
    card.push(timeOnce([CARD_BIN, ...args], opts));
  }
  const n = median(node);
  const c = median(card);
  return { n, c, ratio: c / n };
}

const smallCard = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'bench' }] } });

export async function benchProcesses() {
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-'));
  const rows = [];
  const row = (name, r, target, extra = '') =>
    rows.push({ name, value: r.ratio, line: `median ${fmt(r.c, 1)} vs ${fmt(r.n, 1)} ms for node -e 0: ${fmt(r.ratio, 2)}x${extra} (target: ${target})` });
  try {
    const base = { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir, NO_COLOR: '1' };
    row('card --version vs node -e 0', versusNode(['--version'], { env: base }), 'within 1.25x');
    row('card --help vs node -e 0', versusNode(['--help'], { env: base }), 'within 1.25x');
    const cardFile = join(dir, 'small.json');
    writeFileSync(cardFile, smallCard);
    row('card lint, a small card', versusNode(['lint', cardFile], { env: base }), 'within 1.5x');
    const creds = { ...base, CARD_APP_ID: 'cli_bench000000000001', CARD_APP_SECRET: 'bench-secret' };
    row('card send --dry-run', versusNode(['send', cardFile, '--to', 'oc_bench0000000000000000000000000', '--dry-run'], { env: creds }), 'within 1.5x');

    const emu = await spawnEmulator(['--no-rate-limit']);
    try {
      const app = emu.apps[0];
      const env = { ...base, CARD_BASE_URL: emu.url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret };
      const args = ['send', '-', '--to', emu.chats[0].chat_id, '--json'];
      timeOnce([CARD_BIN, 'token'], { env }); // caches the token
      const r = versusNode(args, { env, input: smallCard });
      const rss = median([0, 1, 2].map(() => peakMiB([CARD_BIN, ...args], { env, input: smallCard }) ?? NaN));
      row('warm scripted send (token cached, lint on)', r, 'within 1.8x; at most 60 MiB', `, peak ${fmt(rss, 1)} MiB`);
    } finally {
      await emu.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
