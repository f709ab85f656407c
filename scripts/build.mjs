// `npm run build`: src/ to dist/. The card types are generated from the schemas, TypeScript
// compiles src/ (tsconfig.build.json), then the steps that need the compiled modules run in order:
// the card validators, the route validators, the recorded help screens, the CLI bundle.
//
// `--typecheck` (what `npm test` runs) makes the one TypeScript program also hold the tests and
// bench/ (tsconfig.json, as `npm run typecheck` checks them), so src/ is parsed and checked once
// for both, not once by the build and again by the type check. Only src/ is written to dist/, the
// same files tsconfig.build.json writes. src/ is checked and written first; the steps after it
// then run while the rest is checked, and the build's result is sent to the parent (`npm test`)
// as soon as it is known, so the tests can start before the type check ends.
//
// Exit code: 0 when everything asked for passed, else 1. A src/ type error fails the build; dist/
// is written all the same, as tsc writes it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { cardTypesSource, GENERATED_FILE, readSchemas } from './build-card-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const typecheck = process.argv.includes('--typecheck');
const AFTER_TSC = ['build-validators.mjs', 'build-route-validators.mjs', 'build-help.mjs', 'build-bundle.mjs'];

const started = performance.now();

// The card types: written only when they change, so an unchanged build leaves src/ untouched.
const types = cardTypesSource(readSchemas());
if (readOrNull(GENERATED_FILE) !== types) writeFileSync(GENERATED_FILE, types);

const program = createProgram(typecheck ? 'tsconfig.json' : 'tsconfig.build.json');
const srcDir = join(root, 'src') + sep;
const inSrc = (file) => file.fileName.startsWith(srcDir);
const checked = program.getSourceFiles().filter((f) => !f.isDeclarationFile && inSrc(f));

// src/: what `tsc -p tsconfig.build.json` reports and writes. Written first (tsc writes despite
// type errors too), so the steps after it run while src/ is checked; a type error still fails the build.
const srcDiagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
for (const file of checked) srcDiagnostics.push(...program.getSyntacticDiagnostics(file));
const semanticToo = srcDiagnostics.length === 0;
const outDir = join(root, 'dist');
const emitted = outDir + sep + 'src' + sep;
for (const file of checked) {
  // With the tests in the program its root is the repository: src/x.ts would go to dist/src/x.js.
  srcDiagnostics.push(...program.emit(file, (name, text) => writeOut(typecheck && name.startsWith(emitted) ? join(outDir, name.slice(emitted.length)) : name, text)).diagnostics);
}
const steps = runSteps(AFTER_TSC);
if (semanticToo) {
  for (const file of checked) {
    await giveWay();
    srcDiagnostics.push(...program.getSemanticDiagnostics(file));
  }
}
report('tsc', srcDiagnostics);
const built = steps.then((ok) => {
  const buildOk = ok && srcDiagnostics.length === 0;
  tell({ part: 'build', ok: buildOk, seconds: (performance.now() - started) / 1000, cpu: cpuSoFar() });
  return buildOk;
});

let typeErrors = 0;
if (typecheck) {
  // The tests and bench/: what `tsc -p tsconfig.json --noEmit` adds to the above.
  for (const file of program.getSourceFiles()) {
    if (inSrc(file) || program.isSourceFileDefaultLibrary(file) || program.isSourceFileFromExternalLibrary(file)) continue;
    await giveWay();
    const found = [...program.getSyntacticDiagnostics(file)];
    if (!found.length) found.push(...program.getSemanticDiagnostics(file));
    // `--noEmit` with `declaration` still reports what a declaration file could not say.
    if (!found.length && !file.isDeclarationFile) found.push(...program.getDeclarationDiagnostics(file));
    typeErrors += found.length;
    report('typecheck', found);
  }
}
const buildOk = await built;
if (typecheck) tell({ part: 'typecheck', ok: typeErrors === 0 && srcDiagnostics.length === 0, seconds: (performance.now() - started) / 1000 });
process.exitCode = buildOk && (!typecheck || typeErrors === 0) ? 0 : 1;

function createProgram(config) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report('tsc', [d]) };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, config), {}, host);
  if (!parsed) process.exit(1);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences, configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed) });
}

/** Prints diagnostics as tsc does when its output is not a terminal. */
function report(part, diagnostics) {
  if (!diagnostics.length) return;
  const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
  // `npm test` shows the type check's findings under its own heading.
  if (part === 'typecheck' && process.send) tell({ part: 'typecheck-output', text });
  else process.stderr.write(text);
}

/** The steps after tsc, one at a time; false at the first that fails. */
async function runSteps(scripts) {
  for (const script of scripts) {
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'scripts', script)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', () => resolve(1));
      child.on('close', (status) => resolve(status ?? 1));
    });
    if (code !== 0) {
      process.stderr.write(`build: ${script} failed (exit ${code})\n`);
      return false;
    }
  }
  return true;
}

/** Lets the build's steps go on between two files' checks: each starts as the one before ends. */
function giveWay() {
  return new Promise((resolve) => setImmediate(resolve));
}

function writeOut(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** CPU seconds this process and the steps it waited for have used; null where /proc is missing. */
function cpuSoFar() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    // After the name: field 3 is the state; 14-17 are utime, stime, cutime, cstime (proc(5)), in 1/100 s.
    return [14, 15, 16, 17].reduce((sum, n) => sum + Number(fields[n - 3]), 0) / 100;
  } catch {
    return null;
  }
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
