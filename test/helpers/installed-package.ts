import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

/*
 * The package as a bot project gets it: packed (from the dist `npm test` has just built), installed
 * from the tarball into an empty project. Packing and installing take seconds, so a test run does it
 * once: the global setup (installed-package-setup.ts) names a folder for the run, the first test
 * file to ask does the work there under a lock, and every other file waits for it and reuses it.
 * Dependencies come from npm's cache when it holds them (--prefer-offline); card itself never comes
 * from the network.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    cardInstallRoot: string | undefined;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface InstalledPackage {
  /** The bot project (`package.json` and `node_modules/`); treat it as read-only. */
  project: string;
  /** The packed tarball. */
  tarball: string;
  /** An environment for npm and npx there: a throwaway HOME, npm's cache read, no colour. */
  env: NodeJS.ProcessEnv;
}

let installing: Promise<InstalledPackage> | undefined;

/** The packed package installed in a project of its own, made once per test run. */
export function installedPackage(): Promise<InstalledPackage> {
  installing ??= prepare();
  return installing;
}

function rootForRun(): string {
  let root: string | undefined;
  try {
    root = inject('cardInstallRoot');
  } catch {
    root = undefined;
  }
  if (root) return root;
  // Run without the global setup (another config): this process packs for itself and cleans up at exit.
  const own = mkdtempSync(join(tmpdir(), 'card-installed-'));
  process.once('exit', () => rmSync(own, { recursive: true, force: true }));
  return own;
}

async function prepare(): Promise<InstalledPackage> {
  const root = rootForRun();
  const ready = join(root, 'ready.json');
  const failed = join(root, 'failed.txt');
  const home = join(root, 'home');
  const cache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  // A throwaway HOME, so npm's user config and logs stay out of the user's; the cache is read.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
  let owner = false;
  try {
    mkdirSync(join(root, 'lock'));
    owner = true;
  } catch {
    owner = false;
  }
  if (owner) {
    try {
      mkdirSync(home, { recursive: true });
      const project = join(root, 'bot');
      const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: ROOT, env });
      const tarball = join(root, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true, type: 'module' }));
      await run('npm', ['install', '--save-dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], { cwd: project, env, timeout: 240_000 });
      writeFileSync(ready, JSON.stringify({ project, tarball }));
    } catch (e) {
      writeFileSync(failed, String((e as Error).stack ?? e));
      throw e;
    }
  }
  // Another file packs: wait for its answer (bounded, as the install is).
  const deadline = Date.now() + 300_000;
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(`packing and installing the package failed in another test file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`the package was not installed within 300 s (${root})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const { project, tarball } = JSON.parse(readFileSync(ready, 'utf8')) as { project: string; tarball: string };
  return { project, tarball, env };
}
