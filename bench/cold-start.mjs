// `card --help` wall time against bare `node -e 0`: what lazy loading buys.
import { spawnSync } from 'node:child_process';
import { CARD_BIN, fmt } from './lib.mjs';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function benchColdStart({ runs = 41 } = {}) {
  time(['-e', '0'], 3);
  time([CARD_BIN, '--help'], 3);
  // Interleave the two so drift in machine load hits both alike.
  const node = [];
  const card = [];
  for (let i = 0; i < runs; i++) {
    node.push(time(['-e', '0'], 1));
    card.push(time([CARD_BIN, '--help'], 1));
  }
  const n = median(node);
  const c = median(card);
  // The minimum is the least disturbed by other load on a small machine; both are shown.
  const nMin = Math.min(...node);
  const cMin = Math.min(...card);
  return {
    name: 'card --help vs node -e 0',
    value: c / n,
    line: `median ${fmt(c, 1)} vs ${fmt(n, 1)} ms: ${fmt(c / n, 2)}x; min ${fmt(cMin, 1)} vs ${fmt(nMin, 1)} ms: ${fmt(cMin / nMin, 2)}x (aim: under 1.3x)`,
  };
}
