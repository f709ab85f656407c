import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { startEmulator } from '../../src/emulator/server.js';

// A reader that waits on a FIFO would hang the test run: each test is bounded, and afterAll
// opens every FIFO for writing once, which lets a reader stuck in open() (the bug) go.
const LIMIT_MS = 15_000;
const sb = new Sandbox({ CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1', CARD_BASE_URL: 'http://127.0.0.1:9' });
const fifos: string[] = [];
const fifo = (name: string) => {
  const path = join(sb.dir, name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
};
afterAll(() => {
  for (const path of fifos) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader is waiting: nothing to release.
    }
  }
  sb.cleanup();
});

const card = join(sb.dir, 'card.json');
writeFileSync(card, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', element_id: 'md', content: 'hi' }] } }));
const pipe = fifo('pipe.json');
const pipePng = fifo('pipe.png');

describe('a file argument that is not a regular file', () => {
  it.each([
    ['lint', () => ['lint', pipe, '--json'], 'card file'],
    ['send', () => ['send', pipe, '--to', 'ou_x', '--dry-run'], 'card file'],
    ['preview', () => ['preview', pipe], 'card file'],
    ['stream --card', () => ['stream', '--card', pipe, '--element-id', 'md', '--to', 'ou_x'], 'card file'],
    ['lint --template-vars', () => ['lint', card, '--template-vars', pipe], 'variables file'],
    ['send --to-file', () => ['send', card, '--to-file', pipe], '--to-file: receiver file'],
    ['emulator --seed', () => ['emulator', '--seed', pipe, '--port', '0'], '--seed: cannot read seed file'],
    ['replay-callback (a fixture)', () => ['replay-callback', pipe, '--url', 'http://127.0.0.1:9/'], 'fixture'],
    ['replay-callback --expect-file', () => ['replay-callback', 'button', '--url', 'http://127.0.0.1:9/', '--expect-file', pipe], '--expect-file: expected answer'],
    ['upload-image', () => ['upload-image', pipePng], 'image'],
  ])('%s: a FIFO is refused at once with exit 2, naming it and what it is', async (_, args, what) => {
    const r = await sb.run(args());
    expect(r.code).toBe(2);
    const text = r.stdout + r.stderr;
    expect(text).toContain(what);
    expect(text).toMatch(/pipe\.(json|png)["]? (\(.*\) )?is a FIFO \(named pipe\), not a regular file|it is a FIFO \(named pipe\)/);
  }, LIMIT_MS);

  it('send --to-file /dev/zero is refused as a device, not read until memory runs out', async () => {
    const r = await sb.run(['send', card, '--to-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to-file: receiver file /dev/zero is a character device, not a regular file');
  }, LIMIT_MS);

  it('emulator --seed /dev/zero is refused as a device (it reports size 0 and never ends)', async () => {
    const r = await sb.run(['emulator', '--seed', '/dev/zero', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed: cannot read seed file /dev/zero: it is a character device');
  }, LIMIT_MS);

  it('a directory as the card is named as one', async () => {
    const r = await sb.run(['send', sb.dir, '--to', 'ou_x', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`card file ${sb.dir} is a directory, not a regular file`);
    expect(r.stderr).toContain('- to read standard input');
  }, LIMIT_MS);

  it('stdin (-) is still read', async () => {
    const r = await sb.run(['lint', '-'], { input: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }) });
    expect(r.code).toBe(0);
  }, LIMIT_MS);

  it('startEmulator({ seed }) refuses a FIFO without waiting for a writer', async () => {
    await expect(startEmulator({ port: 0, seed: pipe })).rejects.toThrow('it is a FIFO (named pipe), not a regular file');
  }, LIMIT_MS);
});
