import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localImagesOf } from '../../src/card/local-images.js';
import { PNG_1X1 } from '../helpers/images.js';

/** `--upload-images` sends files to the platform: only those under the card's folder (or --images-dir), by real path. */

let root: string;
const put = (rel: string, data: Buffer | string = PNG_1X1) => {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
};
const cardNaming = (...keys: string[]) => ({ schema: '2.0', body: { elements: keys.map((img_key) => ({ tag: 'img', img_key, alt: { tag: 'plain_text', content: 'x' } })) } });

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'card-images-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('local images a card may upload', () => {
  it('are not allowed from the working directory: run from anywhere, a card reaches only its own folder', async () => {
    const card = put('cards/report.json', '{}');
    const elsewhere = put('home/private.png');
    // The working directory holds the image; the card names it by absolute path and by climbing out.
    const cwd = join(root, 'home');
    await expect(localImagesOf(cardNaming(elsewhere), card, cwd)).rejects.toThrow(/outside the card's folder/);
    await expect(localImagesOf(cardNaming('../home/private.png'), card, cwd)).rejects.toThrow(/outside the card's folder/);
    // Run from / (everything is under it), the answer is the same.
    await expect(localImagesOf(cardNaming(elsewhere), card, '/')).rejects.toThrow(/outside the card's folder/);
  });

  it('may have names that start with two dots, inside the card\'s folder', async () => {
    const card = put('cards/report.json', '{}');
    const dotted = put('cards/..chart.png');
    // Run from a folder that does not hold the card, so only the card's folder can allow it.
    const images = await localImagesOf(cardNaming('..chart.png', './..chart.png'), card, join(root, 'elsewhere'));
    expect(images.map((i) => i.path)).toEqual([dotted, dotted]);
  });

  it('come from --images-dir instead of the card\'s folder when it is given, still by real path', async () => {
    const card = put('cards/report.json', '{}');
    const shared = put('shared/chart.png');
    put('outside.png');
    symlinkSync(join(root, 'outside.png'), join(root, 'shared/link.png'));
    await expect(localImagesOf(cardNaming('../shared/chart.png'), card, root)).rejects.toThrow(/outside the card's folder/);
    const images = await localImagesOf(cardNaming('../shared/chart.png'), card, root, join(root, 'shared'));
    expect(images.map((i) => i.path)).toEqual([shared]);
    // A relative --images-dir is taken from the working directory.
    expect((await localImagesOf(cardNaming('../shared/chart.png'), card, root, 'shared')).map((i) => i.path)).toEqual([shared]);
    // The card's own folder is no longer allowed then, and a link out of the folder is still out.
    put('cards/own.png');
    await expect(localImagesOf(cardNaming('own.png'), card, root, 'shared')).rejects.toThrow(/outside --images-dir/);
    await expect(localImagesOf(cardNaming('../shared/link.png'), card, root, 'shared')).rejects.toThrow(/links to/);
    await expect(localImagesOf(cardNaming('../shared/chart.png'), card, root, 'missing')).rejects.toThrow(/--images-dir missing/);
  });
});
