// `npm run bench`: runs each benchmark in turn and prints one line per figure.
// `npm run bench -- --record` also writes the figures to bench/RESULTS.md.
// `npm run bench -- --only replay,emulator` runs the benchmarks whose names match.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchBulkThroughput } from './bulk-throughput.mjs';
import { benchEmulatorFloods } from './emulator-floods.mjs';
import { benchEmulatorMemory } from './emulator-memory.mjs';
import { benchEmulatorThroughput } from './emulator-throughput.mjs';
import { benchLint } from './lint-speed.mjs';
import { benchMarkdownRender } from './markdown-render.mjs';
import { benchProcesses } from './process.mjs';
import { benchReplay } from './replay-throughput.mjs';
import { benchRequestsPerSend } from './requests-per-send.mjs';

const benches = [benchProcesses, benchRequestsPerSend, benchLint, benchMarkdownRender, benchBulkThroughput, benchReplay, benchEmulatorThroughput, benchEmulatorMemory, benchEmulatorFloods];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : null;

console.log(`card benchmarks on ${machine}\n`);
const rows = [];
for (const bench of benches) {
  if (only && !only.some((o) => bench.name.toLowerCase().includes(o.toLowerCase()))) continue;
  const results = [await bench()].flat();
  for (const result of results) {
    rows.push(result);
    console.log(`${result.name.padEnd(44)} ${result.line}`);
  }
}
if (process.argv.includes('--record')) {
  const date = new Date().toISOString().slice(0, 10);
  const table = rows.map((r) => `| ${r.name} | ${r.line} |`).join('\n');
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\nRecorded ${date} by \`npm run bench -- --record\` on ${machine}.\nThe machine is shared and small: start-up figures move by ±15 % between runs. Each whole-process\nfigure is a median over runs interleaved with its baseline (\`node -e 0\`, or a bare node:http server)\nin the same run; \`card\` and \`node -e 0\` get the same environment, and the start-up figures are taken\ntwice, without and with NODE_EXTRA_CA_CERTS (which every Node process then reads at start). The bulk figure holds under the limits it names (the emulator at 50/s and\n100,000/min, \`card send --rate 50/s,100000/min\`); under the platform's default 1,000/min a\nthousand sends take at least a minute.\n\n| Benchmark | Result |\n|---|---|\n${table}\n`,
  );
  console.log('\nwritten to bench/RESULTS.md');
}
