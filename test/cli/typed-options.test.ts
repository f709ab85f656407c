import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { PNG_1X1 } from '../helpers/images.js';

/** Options checked where they are declared, and --images-dir: bad values stop before any request. */
const t = emulatorForFile();

const write = (name: string, data: string | Buffer) => {
  const path = join(t.sb.dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
};

describe('typed options', () => {
  it('refuse a value outside their choices or range with a usage error naming the flag, before any request', async () => {
    const card = write('card.json', JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }));
    const cases: Array<[string[], string]> = [
      [['send', card, '--to', 'x1', '--to-type', 'mobile'], '--to-type'],
      [['send', card, '--to-file', 'p.csv', '--concurrency', '0'], '--concurrency'],
      [['send', card, '--to-file', 'p.csv', '--concurrency', '1001'], '--concurrency'],
      [['lookup-user', 'a@example.com', '--user-id-type', 'email'], '--user-id-type'],
      [['upload-image', 'x.png', '--type', 'banner'], '--type'],
      [['chat', 'list', '--limit', '0'], '--limit'],
      [['emulator', '--port', '65536'], '--port'],
      [['listen', '--port', '-1'], '--port'],
      [['emulator', '--port', '0', '--max-messages', '1.5'], '--max-messages'],
      [['profile', 'add', 'p', '--app-id', 'cli_x', '--platform', 'slack'], '--platform'],
    ];
    for (const [args, flag] of cases) {
      const r = await t.sb.run([...args, '--json']);
      expect([args.join(' '), r.code, r.json?.error?.type]).toEqual([args.join(' '), 2, 'usage']);
      expect(r.json.error.message).toContain(flag);
    }
    expect(t.emu.requests()).toEqual([]);
  });

  it('hand the command a number: --to-type user_id sends as a user_id, --concurrency 2 sends a file', async () => {
    const card = write('card.json', JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } }));
    const user = t.emu.state().users[0]!;
    const typed = await t.sb.run(['send', card, '--to', user.user_id, '--to-type', 'user_id', '--json']);
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.json.data.messages[0]).toMatchObject({ receive_id_type: 'user_id', receive_id: user.user_id });
    const people = write('people.csv', `to,to_type\n${user.user_id},user_id\n${t.emu.state().users[1]!.open_id},\n`);
    const bulk = await t.sb.run(['send', card, '--to-file', people, '--concurrency', '2', '--json']);
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.json.data).toMatchObject({ sent: 2, failed: 0 });
  });
});

describe('send --upload-images --images-dir', () => {
  it('uploads from the folder it names (not the card\'s), and goes only with --upload-images', async () => {
    write('shared/chart.png', PNG_1X1);
    const card = write('cards/report.json', JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: '../shared/chart.png', alt: { tag: 'plain_text', content: 'chart' } }] } }));
    const refused = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--json']);
    expect([refused.code, refused.json.error.message]).toEqual([2, expect.stringContaining("outside the card's folder")]);
    const sent = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--images-dir', join(t.sb.dir, 'shared'), '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    expect((t.emu.messages()[0]!.card as { body: { elements: Array<{ img_key: string }> } }).body.elements[0]!.img_key).toMatch(/^img_v3_/);
    const alone = await t.sb.run(['send', card, '--to', 'alice@example.com', '--images-dir', 'shared', '--json']);
    expect([alone.code, alone.json.error.message]).toEqual([2, '--images-dir goes with --upload-images']);
  });
});
