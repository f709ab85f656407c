import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readUserFile, readUserFileHead, readUserFileSync } from '../../src/input/user-file.js';

const dir = mkdtempSync(join(tmpdir(), 'card-user-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: number) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes, 0x61));
  return path;
};
const opts = { what: 'test file', flag: '--in', maxBytes: 100 };

describe('reading a file a user named', () => {
  it('reads a regular file up to the cap, and refuses one byte more', async () => {
    expect((await readUserFile(file('ok', 100), opts)).bytes.length).toBe(100);
    expect(readUserFileSync(file('ok2', 100), opts).length).toBe(100);
    await expect(readUserFile(file('big', 101), opts)).rejects.toMatchObject({ type: 'usage', code: 'input_too_large', message: expect.stringContaining('--in: test file') });
    expect(() => readUserFileSync(file('big2', 101), opts)).toThrow(expect.objectContaining({ code: 'input_too_large' }));
  });

  it('refuses a FIFO, a device and a directory, saying which', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [path, kind] of [[fifo, 'FIFO (named pipe)'], ['/dev/zero', 'character device'], [dir, 'directory']] as const) {
      await expect(readUserFile(path, opts)).rejects.toMatchObject({ type: 'usage', code: 'not_a_file', message: `--in: test file ${path} is a ${kind}, not a regular file` });
      expect(() => readUserFileSync(path, opts)).toThrow(`is a ${kind}`);
      await expect(readUserFileHead(path, 4, opts)).rejects.toMatchObject({ code: 'not_a_file' });
    }
  }, 10_000);

  it('says when a file does not exist', async () => {
    await expect(readUserFile(join(dir, 'nope'), opts)).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('does not exist') });
  });

  it('caps stdin too, and reads it only for -', async () => {
    await expect(readUserFile('-', { ...opts, stdin: Readable.from([Buffer.alloc(60), Buffer.alloc(60)]) })).rejects.toMatchObject({ code: 'input_too_large' });
    expect((await readUserFile('-', { ...opts, stdin: Readable.from([Buffer.from('{}')]) })).bytes.toString()).toBe('{}');
  });

  it('reads only the head for a magic-bytes check, with the size from the open file', async () => {
    const { head, size } = await readUserFileHead(file('img', 90), 16, opts);
    expect(head.length).toBe(16);
    expect(size).toBe(90);
  });
});
