import { describe, expect, it } from 'vitest';
import { checkCard } from '../../src/card/check.js';
import { lintText } from '../../src/card/lint.js';
import { findImageRefs, isPlaceholder, replaceImageRefs } from '../../src/card/image-refs.js';
import { htmlLinkTargets, markdownImages, markdownLinkTargets } from '../../src/card/text-links.js';
import { fastestCpuMs } from '../helpers/cpu-time.js';

/**
 * Card texts built to make a backtracking pattern restart its scan at every opener (an `<a ` whose
 * `href` never comes, a `[` whose `](` is behind it, a `${` never closed), and shapes next to them.
 * Each is built to a given length.
 */
const SHAPES: Record<string, (n: number) => string> = {
  '<a ': (n) => '<a '.repeat(n / 3),
  '<A\\n': (n) => '<A\n'.repeat(n / 3),
  '<link ': (n) => '<link '.repeat(n / 6),
  '<a href (no =)': (n) => '<a href'.repeat(n / 7),
  '<a href=" (unclosed)': (n) => '<a href="'.repeat(n / 9),
  '<link url= then spaces': (n) => `<link url=${' '.repeat(n)}`,
  '](  then [': (n) => `](${'['.repeat(n)}`,
  '[a](b then [': (n) => `[a](b ${'['.repeat(n)}`,
  '[a]( then spaces': (n) => `[a](${' '.repeat(n)}`,
  '![': (n) => '!['.repeat(n / 2),
  '![a](x': (n) => '![a](x'.repeat(n / 6),
  '![a](x then spaces': (n) => '![a](x '.repeat(n / 7),
  '${': (n) => '${'.repeat(n / 2),
  '${a': (n) => '${a'.repeat(n / 3),
  '<local_datetime millisecond': (n) => `<local_datetime${' millisecond'.repeat(n / 12)}`,
  '<local_datetime millisecond=\'': (n) => `<local_datetime millisecond='${'x'.repeat(n)}`,
  '<at id': (n) => `<at${' '.repeat(n)}`,
};

const cardOf = (text: string) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: text }] } });
const card1Of = (text: string) => ({ elements: [{ tag: 'div', text: { tag: 'lark_md', content: text } }] });

/** Everything lint, the emulator and `send --upload-images` read from a card's text. */
const READERS: Record<string, (text: string) => unknown> = {
  'lint (2.0 markdown)': (text) => checkCard(cardOf(text), { platform: 'feishu' }),
  'lint (1.0 lark_md)': (text) => checkCard(card1Of(text), { platform: 'feishu' }),
  // With the file's text: every problem is placed at its line and column.
  'lint of a file': (text) => lintText(JSON.stringify(cardOf(text), null, 2), 'card.json'),
  'image references': (text) => findImageRefs(cardOf(text)),
  'image replacement': (text) => replaceImageRefs(cardOf(text), new Map([['x', 'img_v3_x']])),
  'placeholder test': (text) => isPlaceholder(text),
};

describe('lint reads card text in time linear in its length', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${JSON.stringify(name)} repeated`, () => {
      const small = shape(12_500);
      const big = shape(100_000);
      for (const [reader, read] of Object.entries(READERS)) {
        const t1 = fastestCpuMs(() => read(small));
        const t8 = fastestCpuMs(() => read(big), 3);
        // Eight times the text: about eight times the time when linear, sixty-four when quadratic.
        // The floor keeps a timer's grain on a tiny run from deciding.
        expect(t8, `${reader} on ${name}: 12.5 KB ${t1.toFixed(1)} ms, 100 KB ${t8.toFixed(1)} ms`).toBeLessThan(Math.max(30 * t1, 100));
        // And a bound of its own: the patterns these replace took seconds on several of these.
        expect(t8, `${reader} on ${name}: 100 KB ${t8.toFixed(1)} ms`).toBeLessThan(500);
      }
    });
  }
});

/** The patterns the scanners replace, kept here as the definition of what must be found. */
const MD_LINK = /(?<!!)\[[^\]]*\]\(\s*([^)\s]+)/g;
const HTML_LINK = /<(?:a\s[^>]*?\bhref|link\s[^>]*?\b(?:url|pc_url|ios_url|android_url))\s*=\s*(["']?)([^"'\s>]*)\1/gi;
const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\(([^)\s]+)\)/g;
const PLACEHOLDER = /\$\{[^}]+\}/;

/** A small generator with a seed, so a failure can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return (below: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % below;
  };
}

const PIECES = ['[', ']', '(', ')', '!', ' ', '\n', '\t', '<', '>', 'a', 'A', 'link', 'LINK', 'href', 'HREF', 'data-href', 'url', 'pc_url', 'xurl', '=', '"', "'", 'x', 'https://e.com', 'tel:1', '$', '{', '}', '${v}', '<a ', '<link ', '](', '![', '\u00a0'];

describe('the scanners find what the patterns they replace found', () => {
  it('on 10,000 random texts made of the pieces links and images are written with', () => {
    const next = random(21);
    for (let i = 0; i < 10_000; i++) {
      const length = next(24);
      let text = '';
      for (let j = 0; j < length; j++) text += PIECES[next(PIECES.length)];
      const where = `text ${JSON.stringify(text)}`;
      expect(markdownLinkTargets(text), where).toEqual([...text.matchAll(MD_LINK)].map((m) => m[1]));
      expect(htmlLinkTargets(text), where).toEqual([...text.matchAll(HTML_LINK)].map((m) => m[2]));
      expect(markdownImages(text).map((m) => m.target), where).toEqual([...text.matchAll(MARKDOWN_IMAGE)].map((m) => m[1]));
      expect(isPlaceholder(text), where).toBe(PLACEHOLDER.test(text));
    }
  });

  it('on the links and images cards are written with', () => {
    const texts = [
      '[docs](https://open.feishu.cn/document) and [call](tel:10086) and ![chart](img_v3_abc)',
      '<a href="https://example.com">x</a> <A HREF=\'lark://applink\'>y</A> <a title="href" href=ftp://h>z</a>',
      '<link url="https://a" pc_url=\'https://b\'></link> <link ios_url=https://c>',
      '<a class="x"\n   data-href="javascript:alert(1)">x</a> <a href = " spaced ">',
      '[a]( https://e.com ) [b](  ) [c]() ![d](x.png) ![e](y z.png) ![f\n](z.png) ![](w.png)',
      '${name} ${} $ {x} ${a${b}',
    ];
    for (const text of texts) {
      expect(markdownLinkTargets(text), text).toEqual([...text.matchAll(MD_LINK)].map((m) => m[1]));
      expect(htmlLinkTargets(text), text).toEqual([...text.matchAll(HTML_LINK)].map((m) => m[2]));
      expect(markdownImages(text).map((m) => m.target), text).toEqual([...text.matchAll(MARKDOWN_IMAGE)].map((m) => m[1]));
      expect(isPlaceholder(text), text).toBe(PLACEHOLDER.test(text));
    }
  });

  it('replaces each image that has an uploaded key, once, and leaves the alt text alone', () => {
    const card = cardOf('![(a.png)](a.png) and ![b](b.png), ![again](a.png), [a.png](a.png)');
    replaceImageRefs(card, new Map([['a.png', 'img_v3_a']]));
    expect(card.body.elements[0]!.content).toBe('![(a.png)](img_v3_a) and ![b](b.png), ![again](img_v3_a), [a.png](a.png)');
  });
});
