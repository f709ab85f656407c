import { constants } from 'node:fs';
import { access, open, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveIn } from '../../input/user-file.js';
import { usageError } from '../../output/errors.js';

/**
 * Checks that a file can be written at `path` before any slow work starts, and says what is
 * wrong in the user's terms (exit 2, naming the path) rather than failing deep inside a browser.
 * A relative `path` starts from `cwd` (the process's working directory without one) and is named as written.
 */
export async function checkWritableFile(path: string, flag: string, cwd?: string): Promise<void> {
  const existing = await stat(resolveIn(cwd, path)).catch(() => null);
  if (existing?.isDirectory()) throw usageError(`${flag} ${path} is a folder: give a file name, such as ${path.replace(/\/+$/, '')}/card.png`);
  const dir = dirname(path);
  const parent = await stat(resolveIn(cwd, dir)).catch((err: NodeJS.ErrnoException) => err);
  if (parent instanceof Error) throw usageError(`${flag} ${path}: the folder ${dir} ${parent.code === 'ENOENT' ? 'does not exist' : `cannot be read (${parent.code})`}`);
  if (!parent.isDirectory()) throw usageError(`${flag} ${path}: ${dir} is not a folder`);
  try {
    await access(resolveIn(cwd, existing ? path : dir), constants.W_OK);
  } catch {
    throw usageError(`${flag} ${path}: ${existing ? 'the file' : `the folder ${dir}`} is not writable`);
  }
  // Permission bits do not tell everything (root, /proc, read-only mounts): create it for real.
  if (!existing) {
    try {
      await (await open(resolveIn(cwd, path), 'wx')).close();
      await unlink(resolveIn(cwd, path));
    } catch (err) {
      throw usageError(`${flag} ${path} ${describe(err)}`);
    }
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'cannot be created: its folder does not allow new files';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'is not writable';
  if (code === 'ENOSPC') return 'cannot be written: the disk is full';
  return `cannot be written (${code ?? (err as Error).message})`;
}

/** Writes a file, turning the file system's refusal into a usage error that names the path. */
export async function writeUserFile(path: string, data: string | Buffer, flag: string, cwd?: string): Promise<void> {
  try {
    await writeFile(resolveIn(cwd, path), data);
  } catch (err) {
    throw usageError(`${flag} ${path} ${describe(err)}`);
  }
}
