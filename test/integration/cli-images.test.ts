import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
import { PNG_1X1 } from '../helpers/images.js';

let emu: RunningEmulator;
let sb: Sandbox;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
  sb?.cleanup();
});
beforeEach(() => {
  emu.reset();
  sb?.cleanup();
  sb = new Sandbox(emulatorEnv(emu.url, emu.state().apps[0]!));
});

const uploads = () => emu.requests().filter((r) => r.path === '/open-apis/im/v1/images');
const write = (name: string, data: string | Buffer) => {
  const path = join(sb.dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
};
const ALT = { tag: 'plain_text', content: 'chart' };
const cardWith = (elements: unknown[]) => JSON.stringify({ schema: '2.0', body: { elements } });

describe('card upload-image', () => {
  it('uploads and prints the key (human and --json); the emulator has the bytes', async () => {
    const png = write('chart.png', PNG_1X1);
    const r = await sb.run(['upload-image', png]);
    expect(r.code).toBe(0);
    const key = r.stdout.trim();
    expect(key).toMatch(/^img_v3_/);
    expect(r.stderr).toContain('Uploaded');
    expect(emu.core.media.get(key)?.bytes?.equals(PNG_1X1)).toBe(true);

    const j = await sb.run(['upload-image', png, '--type', 'avatar', '--json']);
    expect(j.code).toBe(0);
    expect(j.json).toMatchObject({ ok: true, data: { image_type: 'avatar', bytes: PNG_1X1.length } });
    expect(j.json.data.image_key).toMatch(/^img_v3_/);
  });

  it('names the problem: a missing file, a non-image name, an empty file, a bad --type (exit 2, nothing sent)', async () => {
    const missing = await sb.run(['upload-image', join(sb.dir, 'nope.png')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.png does not exist');
    const txt = await sb.run(['upload-image', write('notes.txt', 'hello')]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('not an image file');
    const empty = await sb.run(['upload-image', write('empty.png', '')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty');
    const type = await sb.run(['upload-image', write('a.png', PNG_1X1), '--type', 'banner', '--json']);
    expect(type.code).toBe(2);
    expect(type.json.error.message).toContain('--type');
    expect(uploads()).toHaveLength(0);
  });

  it('reports the platform refusing bytes that are not an image (exit 1, its code)', async () => {
    const r = await sb.run(['upload-image', write('fake.png', 'this is not a png'), '--json']);
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
    const r = await sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(uploads()).toHaveLength(2); // "./chart.png" and "chart.png" are written differently
    const sent = emu.messages()[0]!.card as { body: { elements: Array<{ img_key?: string; content?: string }> } };
    const [img, md, img2] = sent.body.elements;
    expect(img!.img_key).toMatch(/^img_v3_/);
    expect(img2!.img_key).toMatch(/^img_v3_/);
    expect(md!.content).toBe(`again: ![chart](${img2!.img_key})`);
  });

  it('refuses a path outside the card\'s folder before uploading or sending anything', async () => {
    write('secret.png', PNG_1X1);
    const card = write('cards/evil.json', cardWith([{ tag: 'img', img_key: '../../../../../../etc/passwd.png', alt: ALT }, { tag: 'img', img_key: '../secret.png', alt: ALT }]));
    const r = await sb.run(['send', card, '--to', 'alice@example.com', '--upload-images'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the card\'s folder');
    expect(uploads()).toHaveLength(0);
    expect(emu.messages()).toHaveLength(0);
  });

  it('--dry-run lists what would be uploaded and uploads nothing', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([{ tag: 'img', img_key: 'chart.png', alt: ALT }]));
    const r = await sb.run(['send', card, '--to', 'alice@example.com', '--upload-images', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('would upload');
    expect(uploads()).toHaveLength(0);
    expect(emu.messages()).toHaveLength(0);
  });

  it('without --upload-images, the platform refuses the unknown key (230099 / 200570), naming the path', async () => {
    write('cards/chart.png', PNG_1X1);
    const card = write('cards/report.json', cardWith([{ tag: 'img', img_key: 'img_v3_never_uploaded', alt: ALT }]));
    const r = await sb.run(['send', card, '--to', 'alice@example.com', '--json']);
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
    const r = await sb.run(['preview', card]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`src="data:image/png;base64,${PNG_1X1.toString('base64')}"`);
    expect(r.stdout).toContain('title="img_v3_on_the_platform"');
    const outside = write('cards/outside.json', cardWith([{ tag: 'img', img_key: '../secret.png', alt: ALT }]));
    const o = await sb.run(['preview', outside]);
    expect(o.code).toBe(0);
    expect(o.stdout).not.toContain('data:image/png');
    expect(o.stderr).toContain('outside the card\'s folder');
  });
});
