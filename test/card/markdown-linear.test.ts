import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_CHARS, renderMarkdown } from '../../src/card/render/markdown.js';
import { fastestCpuMs } from '../helpers/cpu-time.js';

/**
 * Texts that made the earlier regex renderer quadratic (an opener whose closer never comes, met
 * again at every position), and shapes next to them. Each is built to a given length.
 */
const SHAPES: Record<string, (n: number) => string> = {
  '[': (n) => '['.repeat(n),
  '*': (n) => '*'.repeat(n),
  _: (n) => '_'.repeat(n),
  '`': (n) => '`'.repeat(n),
  '<': (n) => '<'.repeat(n),
  '![': (n) => '!['.repeat(n / 2),
  '[a](': (n) => '[a]('.repeat(n / 4),
  '![](': (n) => '![]('.repeat(n / 4),
  '<at ': (n) => '<at '.repeat(n / 4),
  '<font>': (n) => '<font>'.repeat(n / 6),
  "<font color='red'>[": (n) => "<font color='red'>[".repeat(n / 19) + '</font>',
  '**a': (n) => '**a'.repeat(n / 3),
  '~~a': (n) => '~~a'.repeat(n / 3),
  'nested quotes': (n) => '>'.repeat(n),
  'quoted [ lines': (n) => '> [\n'.repeat(n / 4),
  '[ lines': (n) => '[x\n'.repeat(n / 3),
  '|': (n) => '|'.repeat(n),
  'table rows': (n) => '|-|\n'.repeat(n / 4),
  '```': (n) => '```\n'.repeat(n / 4),
  ':a': (n) => ':a'.repeat(n / 2),
  'long ~~ line': (n) => '~~'.repeat(n / 2),
};

describe('markdown renders in time linear in the text', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${JSON.stringify(name)} repeated, as lark_md and as the markdown component`, () => {
      for (const block of [false, true]) {
        const small = shape(12_500);
        const big = shape(100_000);
        const t1 = fastestCpuMs(() => renderMarkdown(small, { block }));
        const t8 = fastestCpuMs(() => renderMarkdown(big, { block }), 3);
        // Eight times the text: about eight times the time when linear, sixty-four when quadratic.
        // The floor keeps a timer's grain on a tiny run from deciding.
        expect(t8, `${name} (${block ? 'markdown' : 'lark_md'}): 12.5 KB ${t1.toFixed(1)} ms, 100 KB ${t8.toFixed(1)} ms`).toBeLessThan(Math.max(30 * t1, 100));
        // And a bound of its own: the earlier renderer took seconds on several of these.
        expect(t8).toBeLessThan(1000);
      }
    });
  }
});

describe('the scanner searches each stretch of text a bounded number of times', () => {
  /** Characters crossed by the searches a render makes: the scanner's look-ups for closers, and escaping. */
  function searched(run: () => void): number {
    const indexOf = String.prototype.indexOf;
    const exec = RegExp.prototype.exec;
    let crossed = 0;
    String.prototype.indexOf = function (this: string, needle: string, from?: number) {
      const at = indexOf.call(this, needle, from);
      crossed += (at === -1 ? this.length : at) - (from ?? 0);
      return at;
    };
    RegExp.prototype.exec = function (this: RegExp, s: string) {
      const from = this.global || this.sticky ? this.lastIndex : 0;
      const m = exec.call(this, s);
      if (this.global || this.sticky) crossed += (m ? m.index : s.length) - from;
      return m;
    };
    try {
      run();
    } finally {
      String.prototype.indexOf = indexOf;
      RegExp.prototype.exec = exec;
    }
    return crossed;
  }

  it('never more than a few times the length of the text and the page, whatever its shape', () => {
    for (const [name, shape] of Object.entries(SHAPES)) {
      for (const block of [false, true]) {
        const text = shape(40_000);
        let html = '';
        const crossed = searched(() => (html = renderMarkdown(text, { block })));
        expect(crossed, `${name} (${block ? 'markdown' : 'lark_md'})`).toBeLessThan((text.length + html.length) * 8);
      }
    }
  });
});

describe('a text longer than any the platform takes', () => {
  it('is drawn up to the bound, and says how much is left out', () => {
    const html = renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS) + 'b'.repeat(500), { block: true });
    expect(html).not.toContain('b');
    expect(html).toContain('500 more characters not shown');
  });

  it('does not split an emoji at the cut', () => {
    const html = renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS - 1) + '😀' + 'tail', { block: false });
    expect(html).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(html).toContain('6 more characters not shown');
  });
});
