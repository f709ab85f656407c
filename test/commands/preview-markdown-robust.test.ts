import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { PNG_1X1 } from '../helpers/images.js';

/** `card preview` draws what a card's markdown names, and survives whatever the markdown holds. */
const sb = new Sandbox();
afterAll(() => sb.cleanup());

const md = (content: string) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content }] } });
const dataUri = `data:image/png;base64,${PNG_1X1.toString('base64')}`;

describe('card preview', () => {
  it('draws a local image named in markdown as it draws the same file in an img element', async () => {
    const dir = join(sb.dir, 'md-images');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'chart.png'), PNG_1X1);
    const file = join(dir, 'card.json');
    writeFileSync(file, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'see ![the chart](chart.png)' }, { tag: 'img', img_key: 'chart.png' }] } }));
    const r = await sb.run(['preview', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`<img class="img-real md-img" src="${dataUri}" alt="the chart" title="chart.png">`);
    expect(r.stdout).toContain(`<img class="img-real" src="${dataUri}"`);
  });

  it('keeps to the same containment as img: a file outside the card\'s folder stays a placeholder', async () => {
    const dir = join(sb.dir, 'md-outside');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(sb.dir, 'secret.png'), PNG_1X1);
    symlinkSync(join(sb.dir, 'secret.png'), join(dir, 'link.png'));
    const file = join(dir, 'card.json');
    writeFileSync(file, JSON.stringify(md('![a](../secret.png) ![b](link.png)')));
    const r = await sb.run(['preview', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('data:image/png');
    expect(r.stdout).toContain('[image: a]');
    expect(r.stderr).toContain('placeholders');
  });

  it('shows a <local_datetime> no date can hold as text, and exits 0', async () => {
    const file = join(sb.dir, 'datetime.json');
    writeFileSync(file, JSON.stringify(md("due <local_datetime millisecond='99999999999999999999'></local_datetime>")));
    const r = await sb.run(['preview', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('due &lt;local_datetime millisecond=&#39;99999999999999999999&#39;&gt;');
  });
});
