import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/callback/check-answer.js';
import { checkUrlPreviewAnswer, MAX_INLINE_TITLE } from '../../src/callback/url-preview.js';

/**
 * A bot's answer to url.preview.get is untrusted and kept on the preview and in the delivery log:
 * what it may hold is bounded, and a flood of stray keys is one problem, not one each.
 */
const check = (answer: Record<string, unknown>): Problem[] => {
  const problems: Problem[] = [];
  checkUrlPreviewAnswer(answer, problems);
  return problems;
};

const flood = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));

describe('url.preview.get answers are bounded', () => {
  it('stray keys anywhere in the answer are reported once, naming a few', () => {
    const problems = check({ ...flood(5000), inline: { title: 'ok', ...flood(5000), i18n_title: flood(5000), url: flood(5000) }, card: { type: 'card_json', data: {}, ...flood(5000) } });
    expect(problems.length).toBeLessThanOrEqual(5);
    expect(problems.map((p) => p.path).sort()).toEqual(['$.*', '$.card.*', '$.inline.*', '$.inline.i18n_title.*', '$.inline.url.*']);
    expect(problems.find((p) => p.path === '$.*')!.message).toContain('5000 of them: "k0", "k1", "k2", "k3", "k4", …');
  });

  it('one stray key keeps its own path', () => {
    expect(check({ inline: { title: 'ok' }, extra: 1 })).toEqual([{ path: '$.extra', message: expect.stringContaining('unknown key') }]);
  });

  it('a localised title is held to the title limit, a link to a browser link length', () => {
    const long = 'x'.repeat(MAX_INLINE_TITLE + 1);
    expect(check({ inline: { title: 'ok', i18n_title: { en_us: long } } })).toEqual([{ path: '$.inline.i18n_title.en_us', message: expect.stringContaining(`at most ${MAX_INLINE_TITLE}`) }]);
    const farLink = `https://example.com/${'a'.repeat(3000)}`;
    expect(check({ inline: { title: 'ok', url: { web: farLink } } })).toEqual([{ path: '$.inline.url.web', message: expect.stringContaining('at most 2048') }]);
    expect(check({ inline: { title: 'ok', url: farLink } })).toHaveLength(1);
    expect(check({ inline: { title: 'ok', url: { web: 'javascript:alert(1)' } } })).toHaveLength(1);
  });
});
