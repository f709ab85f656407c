// `npm test`: every part runs even when an earlier one failed, so one failure never hides another.
// Only what cannot run without a build (the example bot, which installs the package as built) is
// skipped after a failed build. Each part's result and time is printed at the end, then one line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}${process.platform === 'win32' ? '.cmd' : ''}`, import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** [name, command, args, needs the build] — vitest's extra arguments come from `npm test -- …`. */
const parts = [
  ['build', npm, ['run', 'build'], false],
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], false],
  ['vitest', bin('vitest'), ['run', ...process.argv.slice(2)], false],
  ['examples', process.execPath, ['scripts/test-examples.mjs'], true],
];

const results = [];
let built = true;
for (const [name, command, args, needsBuild] of parts) {
  if (needsBuild && !built) {
    results.push({ name, status: 'skipped', seconds: 0, why: 'the build failed' });
    continue;
  }
  console.log(`\n── ${name}: ${[command === process.execPath ? 'node' : command.split(/[\\/]/).pop(), ...args].join(' ')}`);
  const started = performance.now();
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = (performance.now() - started) / 1000;
  const ok = status === 0 && !error;
  if (name === 'build') built = ok;
  results.push({ name, status: ok ? 'passed' : 'failed', seconds, why: error ? error.message : ok ? '' : `exit ${status}` });
}

console.log('\n── npm test summary');
for (const r of results) console.log(`  ${r.status.padEnd(7)} ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(6)} s${r.why ? `  (${r.why})` : ''}`);
const count = (s) => results.filter((r) => r.status === s).length;
const total = results.reduce((sum, r) => sum + r.seconds, 0);
console.log(`npm test: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped of ${results.length} parts in ${total.toFixed(1)} s`);
process.exit(count('failed') || count('skipped') ? 1 : 0);
