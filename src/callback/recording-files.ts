import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { resolveIn } from '../input/user-file.js';

/**
 * Recordings hold real callbacks (scrubbed, yet still a user's clicks and messages): they are
 * written for the owner only, as the config directory is. Modes are set explicitly after the
 * fact, so they hold under any umask (0o700 under umask 000 too, never wider).
 */
export const RECORDING_FILE_MODE = 0o600;
export const RECORDING_DIR_MODE = 0o700;

/**
 * Creates `dir` (and missing parents) for the owner only. Folders that already existed keep
 * their mode: `--out .` must not change the mode of the user's working directory. A relative
 * `dir` starts from `cwd` (the process's working directory without one).
 */
export async function ensurePrivateDir(dir: string, cwd?: string): Promise<void> {
  const leaf = resolve(resolveIn(cwd, dir));
  const first = await mkdir(leaf, { recursive: true, mode: RECORDING_DIR_MODE });
  if (first === undefined) return;
  // mkdir reports the first folder it made; every folder from there down to the leaf is new.
  const made: string[] = [];
  for (let d = leaf; ; d = dirname(d)) {
    made.push(d);
    if (d === first || dirname(d) === d) break;
  }
  for (const d of made) await chmod(d, RECORDING_DIR_MODE);
}

/** Writes a new file (never over an existing one: flag wx) readable by the owner only. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const file = await open(path, 'wx', RECORDING_FILE_MODE);
  try {
    await file.chmod(RECORDING_FILE_MODE);
    await file.writeFile(text);
  } finally {
    await file.close();
  }
}
