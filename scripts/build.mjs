// `npm run build`: src/ to dist/. The card types are generated from the schemas, TypeScript
// compiles src/ (tsconfig.build.json), then the steps that need the compiled modules: the card
// validators, the route validators and the recorded help screens side by side (none reads what
// another writes), then the CLI bundle (its code caches are taken from commands that use all three).
//
// `--typecheck` (what `npm test` runs) also type-checks the tests and bench/ with src/
// (tsconfig.json, as `npm run typecheck` does). TypeScript 7's compiler is native and checks the
// whole repository in a few seconds, so the two are separate `tsc` runs: the check starts when src/
// is written, beside the steps, and the build's result is sent to the parent (`npm test`) as soon as
// it is known, so the tests can start before the check ends.
//
// Exit code: 0 when everything asked for passed, else 1. A src/ type error fails the build; dist/
// is written all the same, as tsc writes it.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardTypesSource, GENERATED_FILE, readSchemas } from './build-card-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const typecheck = process.argv.includes('--typecheck');
const AFTER_TSC = [['build-validators.mjs', 'build-route-validators.mjs', 'build-help.mjs'], ['build-bundle.mjs']];
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const started = performance.now();

// The card types: written only when they change, so an unchanged build leaves src/ untouched.
const types = cardTypesSource(readSchemas());
if (readOrNull(GENERATED_FILE) !== types) writeFileSync(GENERATED_FILE, types);

// src/: checked and written as `tsc -p tsconfig.build.json` does (it writes despite type errors too).
const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--pretty', 'false'], { show: true });

// The tests and bench/ with src/: one thread, since it runs beside the tests it is not waited for.
const checked = typecheck ? run(process.execPath, [TSC, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false', '--singleThreaded'], { show: !process.send }) : null;

const steps = await runSteps(AFTER_TSC);
const buildOk = compiled.code === 0 && steps;
tell({ part: 'build', ok: buildOk, seconds: (performance.now() - started) / 1000 });

let checkOk = true;
if (checked) {
  const { code, output } = await checked;
  checkOk = code === 0;
  if (output) tell({ part: 'typecheck-output', text: output });
  tell({ part: 'typecheck', ok: checkOk, seconds: (performance.now() - started) / 1000 });
}
process.exitCode = buildOk && checkOk ? 0 : 1;

/**
 * Runs a command to its end; resolves with its exit code and, unless `show` lets it print as it
 * goes, what it printed.
 */
function run(command, args, { show }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', show ? 'inherit' : 'pipe', show ? 'inherit' : 'pipe'] });
    let output = '';
    if (!show) for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: 1, output: `${output}${args[0] ?? command}: ${err.message}\n` }));
    child.on('close', (status) => resolve({ code: status ?? 1, output }));
  });
}

/** The steps after tsc, a group at a time, those of a group side by side; false after the first group where one fails. */
async function runSteps(groups) {
  for (const scripts of groups) {
    const codes = await Promise.all(scripts.map((script) => run(process.execPath, [join(root, 'scripts', script)], { show: true }).then(({ code }) => code)));
    const failed = scripts.filter((_, i) => codes[i] !== 0);
    for (const script of failed) process.stderr.write(`build: ${script} failed (exit ${codes[scripts.indexOf(script)]})\n`);
    if (failed.length) return false;
  }
  return true;
}

function tell(message) {
  process.send?.(message);
}

function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
