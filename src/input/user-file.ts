import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, usageError } from '../output/errors.js';

/**
 * Every file a user names (a card, template variables, a seed, a receiver list, a fixture, an
 * image) is read here. Only regular files are read, and never more than a cap: a FIFO would
 * block the open (or the read) forever, and a device such as /dev/zero reports size 0 and
 * never ends. The file is opened without blocking and the open descriptor is checked, so
 * what is read is what was checked.
 */
export interface UserFileOptions {
  /** What the file is, for messages: "card file", "receiver file". */
  what: string;
  /** The flag or argument that named it, for messages: "--to-file". */
  flag?: string;
  /** Where it was named, shown after the path: "at /body/elements/0/img_key". */
  where?: string;
  /** The most bytes read; one more is an error. */
  maxBytes: number;
  /** The error for a file over the cap (the default names the cap in MB). */
  tooLarge?: (path: string, size: number | null) => CliError;
  /**
   * Where a relative path starts from: the run's working directory, which in-process runs do not
   * share with the process. Messages still name the path as the user wrote it.
   */
  cwd?: string;
}

/**
 * A path the user wrote, made to start from the run's working directory `cwd` (unchanged without
 * one, so it starts from the process's). Open what this returns; name the path as written.
 */
export function resolveIn(cwd: string | undefined, path: string): string {
  return cwd === undefined ? path : resolve(cwd, path);
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0);

/** What a file system entry is, in words: "a FIFO (named pipe)", "a directory"… */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

const subject = (path: string, o: UserFileOptions) => `${o.flag ? `${o.flag}: ` : ''}${o.what} ${path}${o.where ? ` (${o.where})` : ''}`;

function notAFile(path: string, o: UserFileOptions & { stdin?: Readable }, stats: Stats): CliError {
  const kind = describeKind(stats);
  return usageError(`${subject(path, o)} is ${kind}, not a regular file`, {
    code: 'not_a_file',
    hint: o.stdin ? 'Give a regular file, or - to read standard input.' : null,
    details: { file: path, kind: kind.replace(/^an? /, '') },
  });
}

function defaultTooLarge(path: string, o: UserFileOptions): CliError {
  const mb = o.maxBytes / 1024 / 1024;
  return usageError(`${subject(path, o)} is larger than ${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`, { code: 'input_too_large', details: { file: path } });
}

function openFailed(path: string, o: UserFileOptions, err: NodeJS.ErrnoException): CliError {
  if (err.code === 'ENOENT') return usageError(`${subject(path, o)} does not exist`, { code: 'not_found', details: { file: path } });
  if (err.code === 'EACCES' || err.code === 'EPERM') return usageError(`${subject(path, o)} cannot be read (permission denied)`, { details: { file: path } });
  // A socket cannot be opened at all (ENXIO): say what it is rather than the errno.
  if (err.code === 'ENXIO') {
    const stats = (() => {
      try {
        return statSync(resolveIn(o.cwd, path));
      } catch {
        return null;
      }
    })();
    if (stats) return notAFile(path, o, stats);
  }
  return usageError(`cannot read ${subject(path, o)}: ${err.message}`, { details: { file: path } });
}

const tooLarge = (path: string, o: UserFileOptions, size: number | null) => (o.tooLarge ?? ((p) => defaultTooLarge(p, o)))(path, size);

/**
 * Opens a user-named file without blocking (a FIFO with no writer must not hang the open), checks
 * on the open descriptor that it is a regular file within the cap, and hands it to `use`; any
 * failure that is not one of ours is "cannot read".
 */
async function withCheckedFile<T>(path: string, o: UserFileOptions, use: (handle: FileHandle, stats: Stats) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  // Imported here: loading fs/promises (and the readline and watcher code it brings) is start-up
  // time that a command reading only stdin would pay for nothing.
  const { open } = await import('node:fs/promises');
  try {
    handle = await open(resolveIn(o.cwd, path), OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, o, err as NodeJS.ErrnoException);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notAFile(path, o, stats);
    if (stats.size > o.maxBytes) throw tooLarge(path, o, stats.size);
    return await use(handle, stats);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw usageError(`cannot read ${subject(path, o)}: ${(err as Error).message}`, { details: { file: path } });
  } finally {
    await handle.close();
  }
}

/** Reads a regular file of at most `maxBytes`, or stdin for `-` when `stdin` is given. */
export async function readUserFile(path: string, o: UserFileOptions & { stdin?: Readable }): Promise<{ bytes: Buffer; name: string }> {
  if (path === '-' && o.stdin) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of o.stdin) {
      const b = Buffer.from(chunk as Buffer);
      size += b.length;
      if (size > o.maxBytes) throw tooLarge('<stdin>', o, null);
      chunks.push(b);
    }
    return { bytes: Buffer.concat(chunks), name: '<stdin>' };
  }
  return withCheckedFile(path, o, async (handle, stats) => {
    // Read to the end (at most one byte past the cap) rather than trust the size: the file may grow.
    const buffer = Buffer.allocUnsafe(Math.min(o.maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, o.maxBytes + 1 - size), null);
      if (!bytesRead) break;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      size += bytesRead;
      if (size > o.maxBytes) throw tooLarge(path, o, size);
    }
    return { bytes: Buffer.concat(chunks, size), name: path };
  });
}

/** readUserFile for start-up paths that are synchronous (the emulator's seed). No stdin. */
export function readUserFileSync(path: string, o: UserFileOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(resolveIn(o.cwd, path), OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, o, err as NodeJS.ErrnoException);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notAFile(path, o, stats);
    if (stats.size > o.maxBytes) throw tooLarge(path, o, stats.size);
    const buffer = Buffer.allocUnsafe(Math.min(o.maxBytes + 1, stats.size + 1));
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, Math.min(buffer.length, o.maxBytes + 1 - size), null);
      if (!bytesRead) break;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      size += bytesRead;
      if (size > o.maxBytes) throw tooLarge(path, o, size);
    }
    return Buffer.concat(chunks, size);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw usageError(`cannot read ${subject(path, o)}: ${(err as Error).message}`, { details: { file: path } });
  } finally {
    closeSync(fd);
  }
}

/**
 * The first `length` bytes of a regular file and its size, for a check of magic bytes that
 * needs no more of the file. The size cap is checked on the open descriptor.
 */
export async function readUserFileHead(path: string, length: number, o: UserFileOptions): Promise<{ head: Buffer; size: number }> {
  return withCheckedFile(path, o, async (handle, stats) => {
    const head = Buffer.alloc(length);
    const { bytesRead } = await handle.read(head, 0, length, 0);
    return { head: head.subarray(0, bytesRead), size: stats.size };
  });
}

/** Text of a user's file as UTF-8 (replacement characters where it is not), for formats that check their own content. */
export async function readUserText(path: string, o: UserFileOptions & { stdin?: Readable }): Promise<string> {
  return (await readUserFile(path, o)).bytes.toString('utf8');
}
