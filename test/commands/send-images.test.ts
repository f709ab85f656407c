import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { PNG_1X1 } from '../helpers/images.js';

const t = emulatorForFile();


const uploads = () => t.emu.requests().filter((r) => r.path === '/open-apis/im/v1/images');
const write = (name: string, data: string | Buffer) => {
  const path = join(t.sb.dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
};
const ALT = { tag: 'plain_text', content: 'chart' };
const cardWith = (elements: unknown[]) => JSON.stringify({ schema: '2.0', body: { elements } });

describe('card upload-image', () => {
  it('uploads and prints the key (human and --json); the emulator has the bytes', async () => {
    const png = write('chart.png', PNG_1X1);
    const r = await t.sb.run(['upload-image', png]);
    expect(r.code).toBe(0);
    const key = r.stdout.trim();
    expect(key).toMatch(/^img_v3_/);
    expect(r.stderr).toContain('Uploaded');
    expect(t.emu.core.media.get(key)?.bytes?.equals(PNG_1X1)).toBe(true);

    const j = await t.sb.run(['upload-image', png, '--type', 'avatar', '--json']);
    expect(j.code).toBe(0);
    expect(j.json).toMatchObject({ ok: true, data: { image_type: 'avatar', bytes: PNG_1X1.length } });
    expect(j.json.data.image_key).toMatch(/^img_v3_/);
  });

  it('names the problem: a missing file, a non-image name, an empty file, a bad --type (exit 2, nothing sent)', async () => {
    const missing = await t.sb.run(['upload-image', join(t.sb.dir, 'nope.png')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.png does not exist');
    const txt = await t.sb.run(['upload-image', write('notes.txt', 'hello')]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('not an image file');
    const empty = await t.sb.run(['upload-image', write('empty.png', '')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty');
    const type = await t.sb.run(['upload-image', write('a.png', PNG_1X1), '--type', 'banner', '--json']);
    expect(type.code).toBe(2);
    expect(type.json.error.message).toContain('--type');
    expect(uploads()).toHaveLength(0);
  });

  it('reports the platform refusing bytes that are not an image (exit 1, its code)', async () => {
    const r = await t.sb.run(['upload-image', write('fake.png', 'this is not a png'), '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(234011);
  });
});

describe('card send --upload-images', () => {
  it('uploads each local image once, puts the keys in the card, and sends it', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([
      { tag: 'img', img_key: './chart.png', alt: { tag: 'plain_text', content: 'chart' } },
      { tag: 'markdown', content: 'again: ![chart](chart.png)' },
      { tag: 'img', img_key: 'chart.png', alt: { tag: 'plain_text', content: 'chart' } },
    ]));
    const r = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(uploads()).toHaveLength(2); // "./chart.png" and "chart.png" are written differently
    const sent = t.emu.messages()[0]!.card as { body: { elements: Array<{ img_key?: string; content?: string }> } };
    const [img, md, img2] = sent.body.elements;
    expect(img!.img_key).toMatch(/^img_v3_/);
    expect(img2!.img_key).toMatch(/^img_v3_/);
    expect(md!.content).toBe(`again: ![chart](${img2!.img_key})`);
  });

  it('refuses a path outside the card\'s folder before uploading or sending anything', async () => {
    write('secret.png', PNG_1X1);
    const card = write('cards/evil.json', cardWith([{ tag: 'img', img_key: '../../../../../../etc/passwd.png', alt: ALT }, { tag: 'img', img_key: '../secret.png', alt: ALT }]));
    const r = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the card\'s folder');
    expect(uploads()).toHaveLength(0);
    expect(t.emu.messages()).toHaveLength(0);
  });

  it('refuses a link in the card\'s folder that points outside it, and a file that is not an image inside', async () => {
    write('outside/private.png', PNG_1X1);
    mkdirSync(join(t.sb.dir, 'cards'), { recursive: true });
    symlinkSync(join(t.sb.dir, 'outside/private.png'), join(t.sb.dir, 'cards/logo.png'));
    const card = write('cards/linked.json', cardWith([{ tag: 'img', img_key: 'logo.png', alt: ALT }]));
    const r = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the card\'s folder (it links to');
    const p = await t.sb.run(['preview', card]);
    expect(p.stdout).not.toContain('data:image/png');
    write('cards/notes.png', 'just text, named like an image');
    const fake = write('cards/fake.json', cardWith([{ tag: 'img', img_key: 'notes.png', alt: ALT }]));
    const f = await t.sb.run(['send', fake, '--to', 'alice@example.com', '--upload-images']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('does not start like an image file');
    expect(uploads()).toHaveLength(0);
    expect(t.emu.messages()).toHaveLength(0);
  });

  it('does not warn about the local paths it will upload, and a bulk resume with nothing left uploads nothing', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([{ tag: 'img', img_key: 'chart.png', alt: ALT }]));
    const people = write('people.csv', 'to\nalice@example.com\nbob@example.com\n');
    const r = await t.sb.run(['send', card, '--to-file', people, '--upload-images', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('img-key');
    expect(uploads()).toHaveLength(1);
    expect(t.emu.messages()).toHaveLength(2);
    const again = await t.sb.run(['send', card, '--to-file', people, '--upload-images', '--resume', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(uploads()).toHaveLength(1);
    expect(t.emu.messages()).toHaveLength(2);
    // Without --upload-images, lint says how to get a key.
    const plain = await t.sb.run(['send', card, '--to', 'alice@example.com', '--dry-run']);
    expect(plain.stderr).toContain('--upload-images');
  });

  it('--dry-run lists what would be uploaded and uploads nothing', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([{ tag: 'img', img_key: 'chart.png', alt: ALT }]));
    const r = await t.sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('would upload');
    expect(uploads()).toHaveLength(0);
    expect(t.emu.messages()).toHaveLength(0);
  });

  it('without --upload-images, the platform refuses the unknown key (230099 / 200570), naming the path', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([{ tag: 'img', img_key: 'img_v3_never_uploaded', alt: ALT }]));
    const r = await t.sb.run(['send', card, '--to', 'alice@example.com', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(230099);
    expect(r.json.error.message).toContain('invalid image keys at ROOT -> body -> elements -> 0 -> img_key');
    expect(r.json.error.hint).toContain('Sub-code 200570');
    expect(r.json.error.hint).toContain('--upload-images');
  });
});

describe('card preview shows local images', () => {
  it('inlines the card\'s local image files; a key or a path outside its folder stays a placeholder', async () => {
    write('cards/chart.png', PNG_1X1);
    write('secret.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([
      { tag: 'img', img_key: 'chart.png', alt: ALT },
      { tag: 'img', img_key: 'img_v3_on_the_platform', alt: ALT },
    ]));
    const r = await t.sb.run(['preview', card]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`src="data:image/png;base64,${PNG_1X1.toString('base64')}"`);
    expect(r.stdout).toContain('title="img_v3_on_the_platform"');
    const outside = write('cards/outside.json', cardWith([{ tag: 'img', img_key: '../secret.png', alt: ALT }]));
    const o = await t.sb.run(['preview', outside]);
    expect(o.code).toBe(0);
    expect(o.stdout).not.toContain('data:image/png');
    expect(o.stderr).toContain('outside the card\'s folder');
  });
});
