// `npm run bench`: runs each benchmark in turn and prints one line per figure.
// `npm run bench -- --record` also writes the figures to bench/RESULTS.md.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchBulkThroughput } from './bulk-throughput.mjs';
import { benchColdStart } from './cold-start.mjs';
import { benchEmulatorThroughput } from './emulator-throughput.mjs';
import { benchLint } from './lint-speed.mjs';
import { benchReplay } from './replay-throughput.mjs';
import { benchRequestsPerSend } from './requests-per-send.mjs';

const benches = [benchColdStart, benchRequestsPerSend, benchLint, benchBulkThroughput, benchReplay, benchEmulatorThroughput];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

console.log(`card benchmarks on ${machine}\n`);
const rows = [];
for (const bench of benches) {
  const result = await bench();
  rows.push(result);
  console.log(`${result.name.padEnd(44)} ${result.line}`);
}
if (process.argv.includes('--record')) {
  const date = new Date().toISOString().slice(0, 10);
  const table = rows.map((r) => `| ${r.name} | ${r.line} |`).join('\n');
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\nRecorded ${date} by \`npm run bench -- --record\` on ${machine}.\nThe machine is shared and small: start-up figures move by ±15 % between runs.\n\n| Benchmark | Result |\n|---|---|\n${table}\n`,
  );
  console.log('\nwritten to bench/RESULTS.md');
}
