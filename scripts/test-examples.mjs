// Runs each example project's own tests against the package as built here: the example depends on
// it as "file:../..", so this is the library a bot project would install. Part of `npm test`.
//
// The package must be built first (`npm run build`; `npm test` does). `node scripts/test-examples.mjs`
// installs and tests; `install` or `test` as the one argument does only that step (`npm test`
// installs while the package builds: the install links the package and runs no scripts, so it
// needs no build, and does not start a second one, the linked package's `prepare`, beside it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args, cwd) => spawnSync(npm, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } }).status ?? 1;

const step = process.argv[2] ?? 'all';
if (!['all', 'install', 'test'].includes(step)) {
  console.error(`test-examples: unknown step "${step}" (expected install or test)`);
  process.exit(2);
}

let failed = 0;
for (const name of readdirSync(join(root, 'examples'))) {
  const dir = join(root, 'examples', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  console.log(`\nexamples/${name}: ${step === 'all' ? 'installing and testing' : step === 'install' ? 'installing' : 'testing'}`);
  // The lock file pins the example's own dependencies; the npm cache already holds them after the root install.
  // It also records this package's dependencies (linked as file:../..): when those change, ci refuses the
  // stale lock, and install brings it up to date.
  // --ignore-scripts: the linked package's `prepare` would build it again (the only other script
  // in the examples' trees is protobufjs's postinstall, a notice about its CLI's dependencies).
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'];
  const installed = step === 'test' || (existsSync(join(dir, 'package-lock.json')) && run(['ci', ...flags], dir) === 0) || run(['install', ...flags], dir) === 0;
  if (!installed || (step !== 'install' && run(['test'], dir) !== 0)) {
    console.error(`examples/${name}: FAILED`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
