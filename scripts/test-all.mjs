// `npm test`: every part runs even when an earlier one failed, so one failure never hides another.
// Only what cannot run without a build (the example bot, which installs the package as built) is
// skipped after a failed build; vitest waits for the build (its CLI tests run dist/) but runs
// whatever it gave. Each part's result, time and CPU time is printed at the end, then one line.
//
// The build and the type check are one process (scripts/build.mjs --typecheck): it says when the
// build is done, and the tests start then, while it goes on checking the tests. The example bot
// installs its dependencies meanwhile.
// vitest prints as it goes; the others' output is held and printed whole when it ends (after
// vitest's, if vitest is running), so no two parts' lines interleave.
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}${process.platform === 'win32' ? '.cmd' : ''}`, import.meta.url));

const started = performance.now();

/**
 * CPU seconds (user + system) of this process's children that have ended and been waited for,
 * descendants included: on Linux, from /proc (cutime + cstime); elsewhere null. A part's CPU is
 * the growth of this figure when it ends, so the summary says what each part cost, not only how
 * long it took while the others ran beside it.
 */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    // After the name: state is field 3, cutime and cstime are fields 16 and 17 (proc(5)), in clock ticks of 1/100 s.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
  } catch {
    return null;
  }
}
let cpuSeen = childrenCpu();
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
      const cpu = cpuSinceLastEnd();
      if (isLive) {
        live--;
        if (live === 0) for (const block of held.splice(0)) process.stdout.write(block);
      } else show(`${header}\n${output}`);
      resolve({ ok: status === 0 && !error, seconds, cpu, why: error ? error.message : status === 0 ? '' : `exit ${status}` });
    });
  });
}

/** Prints a finished part's output now, or after vitest's when vitest is printing. */
function show(block) {
  if (live > 0) held.push(block);
  else process.stdout.write(block);
}

function cpuSinceLastEnd() {
  const now = childrenCpu();
  const cpu = now === null ? null : now - cpuSeen;
  cpuSeen = now;
  return cpu;
}

/**
 * The build and the type check, one process (scripts/build.mjs --typecheck): two results, the
 * build's as soon as it sends it, the type check's when the process ends. The process's CPU time
 * is one figure, both parts', shown on the build's line.
 */
function buildAndTypecheck() {
  const args = ['scripts/build.mjs', '--typecheck'];
  const header = (name) => `\n── ${name}: node ${args.join(' ')}`;
  const child = fork(args[0], args.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let buildOutput = '';
  let checkOutput = '';
  for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (buildOutput += d));
  let buildResult = null;
  let checkResult = null;
  let error = null;
  let resolveBuild;
  const build = new Promise((resolve) => (resolveBuild = resolve));
  const finishBuild = (r) => {
    if (buildResult) return;
    buildResult = r;
    show(`${header('build')}\n${buildOutput}`);
    buildOutput = '';
    resolveBuild(r);
  };
  child.on('message', (m) => {
    if (m.part === 'typecheck-output') checkOutput += m.text;
    else if (m.part === 'typecheck') checkResult = m;
    else if (m.part === 'build') finishBuild({ ok: m.ok, seconds: m.seconds, cpu: null, why: m.ok ? '' : 'see its output' });
  });
  child.on('error', (err) => (error = err));
  const typecheck = new Promise((resolve) => {
    child.on('close', (status) => {
      const seconds = (performance.now() - started) / 1000;
      const why = error ? error.message : `exit ${status} before it was done`;
      finishBuild({ ok: false, seconds, cpu: null, why });
      buildResult.cpu = cpuSinceLastEnd();
      if (buildOutput) show(buildOutput);
      show(`${header('typecheck (src/, test/, bench/: tsconfig.json)')}\n${checkOutput}`);
      const shared = 'CPU: counted with the build';
      resolve(checkResult ? { ok: checkResult.ok, seconds: checkResult.seconds, cpu: null, why: checkResult.ok ? shared : `type errors; ${shared}` } : { ok: false, seconds, cpu: null, why });
    });
  });
  return { build, typecheck };
}

const result = (name, r) => ({ name, status: r.ok ? 'passed' : 'failed', seconds: r.seconds, cpu: r.cpu, why: r.why });
const skipped = (name) => ({ name, status: 'skipped', seconds: 0, cpu: 0, why: 'the build failed' });

const { build, typecheck } = buildAndTypecheck();
const examplesInstall = step('examples (install)', process.execPath, ['scripts/test-examples.mjs', 'install']);

const built = await build;
// vitest's extra arguments come from `npm test -- …`.
const vitest = step('vitest', bin('vitest'), ['run', ...process.argv.slice(2)], { live: true });
const examples = (async () => {
  const installed = await examplesInstall;
  if (!built.ok) return skipped('examples');
  if (!installed.ok) return result('examples', installed);
  const tested = await step('examples (test)', process.execPath, ['scripts/test-examples.mjs', 'test']);
  return result('examples', { ...tested, seconds: installed.seconds + tested.seconds, cpu: installed.cpu === null || tested.cpu === null ? null : installed.cpu + tested.cpu });
})();

const checkedTypes = await typecheck;
const results = [result('build', built), result('typecheck', checkedTypes), result('vitest', await vitest), await examples];
for (const block of held.splice(0)) process.stdout.write(block);

console.log('\n── npm test summary');
const cpuText = (cpu) => (cpu === null ? '' : `, ${cpu.toFixed(1).padStart(6)} s CPU`);
for (const r of results) console.log(`  ${r.status.padEnd(7)} ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(6)} s${cpuText(r.cpu)}${r.why ? `  (${r.why})` : ''}`);
const count = (s) => results.filter((r) => r.status === s).length;
const wall = (performance.now() - started) / 1000;
console.log(`npm test: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped of ${results.length} parts in ${wall.toFixed(1)} s (parts run side by side where they can)`);
process.exit(count('failed') || count('skipped') ? 1 : 0);
