import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { personMessageBody, SendInputError } from '../../src/testing/user-messages.js';

/**
 * The testing library's `send` reads the files a test names: only regular files, and never more
 * than the emulator takes, so an oversized file (or one that never ends) is refused before it is
 * read whole and base64'd into memory.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'card-send-'));
  dirs.push(d);
  return d;
};

describe('send reads files within bounds', () => {
  it('refuses a file larger than the emulator takes, naming it, without reading it', async () => {
    const big = join(scratch(), 'big.bin');
    writeFileSync(big, '');
    // Sparse: no disk or time spent on its bytes.
    truncateSync(big, MEDIA_LIMITS.fileMaxBytes + 1);
    const sent = personMessageBody('p2p', { file: big });
    await expect(sent).rejects.toBeInstanceOf(SendInputError);
    await expect(sent).rejects.toThrow(/file .*big\.bin is larger than 30 MB/);
  });

  it('refuses what is not a regular file', async () => {
    const dir = scratch();
    await expect(personMessageBody('p2p', { image: dir })).rejects.toThrow(/is a directory, not a regular file/);
  });

  it('still reads a small file and names it by its base name', async () => {
    const f = join(scratch(), 'notes.txt');
    writeFileSync(f, 'hello');
    const body = await personMessageBody('p2p', { file: f });
    expect(body.file).toEqual({ data: Buffer.from('hello').toString('base64'), file_name: 'notes.txt' });
  });
});
