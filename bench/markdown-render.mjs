// Render of 100 KB of adversarial markdown (openers whose closers never come, the shapes that made
// the earlier renderer quadratic), as the markdown component and as lark_md, in process. The
// slowest shape is reported (its median, and its fastest run: the machine may be shared). Aim:
// under 50 ms for each.
import { fmt } from './lib.mjs';

const SIZE = 100_000;
const SHAPES = {
  '[': () => '['.repeat(SIZE),
  '![': () => '!['.repeat(SIZE / 2),
  '[a](': () => '[a]('.repeat(SIZE / 4),
  '<at ': () => '<at '.repeat(SIZE / 4),
  '<font>': () => '<font>'.repeat(SIZE / 6),
  '**a': () => '**a'.repeat(SIZE / 3),
  '~~a': () => '~~a'.repeat(SIZE / 3),
  '`': () => '`'.repeat(SIZE),
  '> [ lines': () => '> [\n'.repeat(SIZE / 4),
  '| rows': () => '|-|\n'.repeat(SIZE / 4),
  mixed: () => {
    const parts = ['[', ']', '(', ')', '*', '_', '`', '<', '>', '!', ':', '~', '|', '\n', ' ', 'a', '<at ', '</at>', '<font>', '</font>', 'http://'];
    let s = '';
    for (let x = 1; s.length < SIZE; ) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      s += parts[x % parts.length];
    }
    return s.slice(0, SIZE);
  },
};

export async function benchMarkdownRender({ runs = 9 } = {}) {
  const { renderMarkdown } = await import('../dist/card/render/markdown.js');
  let worst = { shape: '', median: 0, fastest: 0, block: false };
  for (const [shape, make] of Object.entries(SHAPES)) {
    const text = make();
    for (const block of [true, false]) {
      renderMarkdown(text, { block });
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        renderMarkdown(text, { block });
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      const median = samples[Math.floor(samples.length / 2)];
      if (median > worst.median) worst = { shape, median, fastest: samples[0], block };
    }
  }
  return {
    name: 'render 100 KB of adversarial markdown',
    value: worst.median,
    line: `slowest of ${Object.keys(SHAPES).length} shapes: ${fmt(worst.median, 1)} ms median, ${fmt(worst.fastest, 1)} ms fastest (${JSON.stringify(worst.shape)} as ${worst.block ? 'the markdown component' : 'lark_md'}) (aim: under 50 ms)`,
  };
}
