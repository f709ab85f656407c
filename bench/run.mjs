// `npm run bench`: runs each benchmark in turn and prints one line per figure.
import { cpus } from 'node:os';
import { benchColdStart } from './cold-start.mjs';
import { benchEmulatorThroughput } from './emulator-throughput.mjs';
import { benchRequestsPerSend } from './requests-per-send.mjs';

const benches = [benchColdStart, benchRequestsPerSend, benchEmulatorThroughput];

console.log(`card benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
for (const bench of benches) {
  const result = await bench();
  console.log(`${result.name.padEnd(44)} ${result.line}`);
}
