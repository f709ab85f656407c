// `npm test`: every part runs even when an earlier one failed, so one failure never hides another.
// Only what cannot run without a build (the example bot, which installs the package as built) is
// skipped after a failed build; vitest waits for the build (its CLI tests run dist/) but runs
// whatever it gave. Each part's result and time is printed at the end, then one line.
//
// The parts that do not need each other run side by side: tsc is single-threaded, so the type
// check runs beside the build, and the example bot installs its dependencies meanwhile. vitest
// prints as it goes; the others' output is held and printed whole when it ends (after vitest's,
// if vitest is running), so no two parts' lines interleave.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}${process.platform === 'win32' ? '.cmd' : ''}`, import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const started = performance.now();
let live = 0;
const held = [];

/** Runs one command; resolves with its result. Output is live for `live: true`, else held. */
function step(name, command, args, { live: isLive = false } = {}) {
  const header = `\n── ${name}: ${[command === process.execPath ? 'node' : command.split(/[\\/]/).pop(), ...args].join(' ')}`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    let output = '';
    if (isLive) {
      live++;
      console.log(header);
    }
    const child = spawn(command, args, { cwd: root, stdio: isLive ? 'inherit' : ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    if (!isLive) for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (output += d));
    let error = null;
    child.on('error', (err) => (error = err));
    child.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000;
      if (isLive) {
        live--;
        if (live === 0) for (const block of held.splice(0)) process.stdout.write(block);
      } else {
        const block = `${header}\n${output}`;
        if (live > 0) held.push(block);
        else process.stdout.write(block);
      }
      resolve({ ok: status === 0 && !error, seconds, why: error ? error.message : status === 0 ? '' : `exit ${status}` });
    });
  });
}

const result = (name, r) => ({ name, status: r.ok ? 'passed' : 'failed', seconds: r.seconds, why: r.why });
const skipped = (name) => ({ name, status: 'skipped', seconds: 0, why: 'the build failed' });

const build = step('build', npm, ['run', 'build']);
const typecheck = step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const examplesInstall = step('examples (install)', process.execPath, ['scripts/test-examples.mjs', 'install']);

const built = await build;
// vitest's extra arguments come from `npm test -- …`.
const vitest = step('vitest', bin('vitest'), ['run', ...process.argv.slice(2)], { live: true });
const examples = (async () => {
  const installed = await examplesInstall;
  if (!built.ok) return skipped('examples');
  if (!installed.ok) return result('examples', installed);
  const tested = await step('examples (test)', process.execPath, ['scripts/test-examples.mjs', 'test']);
  return result('examples', { ...tested, seconds: installed.seconds + tested.seconds });
})();

const results = [result('build', built), result('typecheck', await typecheck), result('vitest', await vitest), await examples];
for (const block of held.splice(0)) process.stdout.write(block);

console.log('\n── npm test summary');
for (const r of results) console.log(`  ${r.status.padEnd(7)} ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(6)} s${r.why ? `  (${r.why})` : ''}`);
const count = (s) => results.filter((r) => r.status === s).length;
const wall = (performance.now() - started) / 1000;
console.log(`npm test: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped of ${results.length} parts in ${wall.toFixed(1)} s (parts run side by side where they can)`);
process.exit(count('failed') || count('skipped') ? 1 : 0);
