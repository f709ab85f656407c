import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/*
 * Packing this package and installing the tarball into an empty project, once per folder: whoever
 * first claims the folder (the run's global setup, or the first test file to ask) does the work,
 * and everyone else waits for its ready.json. Kept free of vitest so the global setup can use it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface Installed {
  /** The bot project (`package.json` and `node_modules/`); treat it as read-only. */
  project: string;
  /** The packed tarball. */
  tarball: string;
  /** An environment for npm and npx there: a throwaway HOME, npm's cache read, no colour. */
  env: NodeJS.ProcessEnv;
}

/**
 * A throwaway HOME, so npm's user config and logs stay out of the user's; npm's cache is read.
 * `cache` is npm's cache folder: ready.json keeps it, and `npm test` passes it down; asking npm costs a start of npm.
 */
export function npmEnv(root: string, cache = process.env.npm_config_cache || spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim()): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: join(root, 'home'), npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
}

/**
 * Packs and installs into `root` when no one has claimed it yet (resolves when done); null when
 * another process has, and waitInstalled is the way to its result.
 */
export function claimAndInstall(root: string): Promise<void> | null {
  try {
    mkdirSync(join(root, 'lock'));
  } catch {
    return null;
  }
  return (async () => {
    try {
      const env = npmEnv(root);
      mkdirSync(env.HOME!, { recursive: true });
      const project = join(root, 'bot');
      // From the dist `npm test` has just built; card itself never comes from the network, and its
      // dependencies come from npm's cache when it holds them (--prefer-offline).
      const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: ROOT, env });
      const tarball = join(root, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true, type: 'module' }));
      // --omit=optional: the optional packages (the headless Chromium and the fonts for `preview
      // --png`, ~140 MB, a third of the install's CPU time to unpack) serve nothing these tests
      // run from the project; the screenshot tests run them from this repository's install.
      await run('npm', ['install', '--save-dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=optional', tarball], { cwd: project, env, timeout: 240_000 });
      writeFileSync(join(root, 'ready.json'), JSON.stringify({ project, tarball, cache: env.npm_config_cache }));
    } catch (e) {
      writeFileSync(join(root, 'failed.txt'), String((e as Error).stack ?? e));
      throw e;
    }
  })();
}

/** The installed project in `root`, once whoever claimed it is done (bounded, as the install is). */
export async function waitInstalled(root: string, timeoutMs = 280_000): Promise<Installed> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(join(root, 'ready.json'))) {
    if (existsSync(join(root, 'failed.txt'))) throw new Error(`packing and installing the package failed:\n${readFileSync(join(root, 'failed.txt'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`the package was not installed within ${timeoutMs / 1000} s (${root})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const { project, tarball, cache } = JSON.parse(readFileSync(join(root, 'ready.json'), 'utf8')) as { project: string; tarball: string; cache: string };
  return { project, tarball, env: npmEnv(root, cache) };
}
