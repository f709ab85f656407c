// Whole-process figures: each command timed as a new process against `node -e 0` started with
// the very same environment, in alternating rounds so drift in machine load hits both alike, and
// peak memory (max RSS) where it matters.
//
// The environment matters as much as the program: with NODE_EXTRA_CA_CERTS set (as on many
// corporate machines) every Node process reads and parses that bundle at start, which makes
// `node -e 0` itself ~40 ms slower. A baseline run with it and `card` without it would flatter
// `card`; so each figure is taken twice, with and without the variable, each against its own
// baseline from the same rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

/**
 * Median wall time of `card <args>` against `node -e 0`, both started with `env`, in alternating
 * rounds (which of the two goes first swaps every round).
 */
export function versusNode(args, { runs = 21, env, input } = {}) {
  const node = () => timeOnce(['-e', '0'], { env });
  const card = () => timeOnce([CARD_BIN, ...args], { env, input });
  node();
  card();
  const n = [];
  const c = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      n.push(node());
      c.push(card());
    } else {
      c.push(card());
      n.push(node());
    }
  }
  const nm = median(n);
  const cm = median(c);
  return { n: nm, c: cm, ratio: cm / nm };
}

/**
 * The CA bundle for the "with NODE_EXTRA_CA_CERTS" case: the one this machine sets, else the
 * system's own bundle (what a corporate setting usually points at); null where neither exists.
 */
export function extraCaBundle(env = process.env) {
  if (env.NODE_EXTRA_CA_CERTS && existsSync(env.NODE_EXTRA_CA_CERTS)) return env.NODE_EXTRA_CA_CERTS;
  for (const f of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem']) if (existsSync(f)) return f;
  return null;
}

const smallCard = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'bench' }] } });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

export async function benchProcesses() {
  const dir = mkdtempSync(join(tmpdir(), 'card-bench-'));
  const rows = [];
  const bundle = extraCaBundle();
  const cases = [{ label: 'no CA env', extra: {} }];
  if (bundle) cases.push({ label: 'NODE_EXTRA_CA_CERTS', extra: { NODE_EXTRA_CA_CERTS: bundle } });
  const row = (name, c, r, target, extra = '') =>
    rows.push({
      name: `${name} [${c.label}]`,
      value: r.ratio,
      line: `median ${fmt(r.c, 1)} vs ${fmt(r.n, 1)} ms for node -e 0: ${fmt(r.ratio, 2)}x${extra} (target: ${target})`,
    });
  const loadBefore = load();
  try {
    const cardFile = join(dir, 'small.json');
    writeFileSync(cardFile, smallCard);
    const emu = await spawnEmulator(['--no-rate-limit']);
    try {
      const app = emu.apps[0];
      for (const c of cases) {
        // Both sides of every comparison get exactly this environment.
        const base = { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir, NO_COLOR: '1', ...c.extra };
        row('card --version vs node -e 0', c, versusNode(['--version'], { env: base }), 'at most 1.25x');
        row('card --help vs node -e 0', c, versusNode(['--help'], { env: base }), 'at most 1.3x');
        row('card lint, a small card', c, versusNode(['lint', cardFile], { env: base }), 'at most 1.5x');
        const creds = { ...base, CARD_APP_ID: 'cli_bench000000000001', CARD_APP_SECRET: 'bench-secret' };
        row('card send --dry-run', c, versusNode(['send', cardFile, '--to', 'oc_bench0000000000000000000000000', '--dry-run'], { env: creds }), 'at most 1.5x');
        const env = { ...base, CARD_BASE_URL: emu.url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret };
        const args = ['send', '-', '--to', emu.chats[0].chat_id, '--json'];
        timeOnce([CARD_BIN, 'token'], { env }); // caches the token
        const r = versusNode(args, { env, input: smallCard });
        const rss = median([0, 1, 2].map(() => peakMiB([CARD_BIN, ...args], { env, input: smallCard }) ?? NaN));
        row('warm scripted send (token cached, lint on)', c, r, 'at most 1.8x; at most 60 MiB', `, peak ${fmt(rss, 1)} MiB`);
      }
    } finally {
      await emu.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const note = bundle ? `with NODE_EXTRA_CA_CERTS=${bundle}` : 'no CA bundle found: the NODE_EXTRA_CA_CERTS case was skipped';
  rows.push({ name: 'start-up figures: conditions', value: 0, line: `load average ${loadBefore} before, ${load()} after; ${note}` });
  return rows;
}
