import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorClient, emulatorForFile } from '../helpers/emulator.js';

const t = emulatorForFile();
const SCHEMA = './node_modules/feishu-card-cli/schemas/card-v2.0.json';
const withSchema = (value: unknown = SCHEMA) => ({ $schema: value, schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } });
const write = (name: string, card: unknown) => {
  const file = join(t.sb.dir, name);
  writeFileSync(file, JSON.stringify(card, null, 2));
  return file;
};

describe('"$schema" in a card file (for editors)', () => {
  it('passes lint', async () => {
    const r = await t.sb.run(['lint', write('a.json', withSchema()), '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.errors).toBe(0);
  });

  it('must be a string', async () => {
    const r = await t.sb.run(['lint', write('b.json', withSchema(5)), '--format', 'json']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).files[0].problems[0]).toMatchObject({ pointer: '/$schema', severity: 'error' });
  });

  it('is never sent: send carries the card without it', async () => {
    const open_id = t.emu.state().users[0]!.open_id;
    const r = await t.sb.run(['send', write('c.json', withSchema()), '--to', open_id, '--json']);
    expect(r.code).toBe(0);
    const [stored] = t.emu.messages();
    expect(stored!.card).not.toHaveProperty('$schema');
    expect(stored!.card).toMatchObject({ schema: '2.0' });
  });

  it('the emulator, like the platform, refuses a JSON 2.0 card that carries it', async () => {
    const client = new EmulatorClient(t.emu);
    const r = await client.send(await client.token(), 'open_id', t.emu.state().users[0]!.open_id, withSchema());
    expect(r.body.code).not.toBe(0);
    expect(JSON.stringify(r.body)).toContain('$schema');
  });
});
