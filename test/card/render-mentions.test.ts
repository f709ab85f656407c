import { describe, expect, it } from 'vitest';
import { renderCardHtml } from '../../src/card/render/html.js';
import { renderMarkdown } from '../../src/card/render/markdown.js';
import { mentionsByName, namesFrom } from '../../src/card/mentions.js';

/** Mentions drawn with the names of the people the renderer is told about; unknown ids as written; everything escaped. */
const personName = namesFrom([
  { open_id: 'ou_a', user_id: 'u_a', email: 'a@example.com', name: 'Alice' },
  { open_id: 'ou_x', name: '<b>Mallory</b> & co' },
]);
const md = (s: string) => renderMarkdown(s, { block: false, personName });

describe('mentions by name in the renderer', () => {
  it('names each syntax the docs give: id, user_id, ids, email, and <person>', () => {
    expect(md('<at id=ou_a></at>')).toBe('<span class="md-at" data-at="ou_a">@Alice</span>');
    expect(md('<at user_id="ou_a"></at>')).toBe('<span class="md-at" data-at="ou_a">@Alice</span>');
    expect(md('<at id=u_a></at> <at email=a@example.com></at>')).toBe('<span class="md-at" data-at="u_a">@Alice</span> <span class="md-at" data-at="a@example.com">@Alice</span>');
    expect(md('<at ids=ou_a,ou_zz></at>')).toBe('<span class="md-at" data-at="ou_a">@Alice</span> <span class="md-at" data-at="ou_zz">@ou_zz</span>');
    expect(md('<person id=ou_a></person>')).toBe('<span class="md-at">@Alice</span>');
  });

  it('keeps unknown ids and @all as written, and without names draws ids as before', () => {
    expect(md('<at id=ou_nobody></at> <at id=all></at>')).toBe('<span class="md-at" data-at="ou_nobody">@ou_nobody</span> <span class="md-at" data-at="all">@all</span>');
    expect(renderMarkdown('<at id=ou_a></at>', { block: false })).toBe('<span class="md-at" data-at="ou_a">@ou_a</span>');
  });

  it('escapes a name at output', () => {
    expect(md('<at id=ou_x></at>')).toBe('<span class="md-at" data-at="ou_x">@&lt;b&gt;Mallory&lt;/b&gt; &amp; co</span>');
  });

  it('names person and person_list components and mentions in a card\'s header', () => {
    const html = renderCardHtml({
      schema: '2.0',
      header: { title: { tag: 'lark_md', content: 'For <at id=ou_a></at>' } },
      body: { elements: [{ tag: 'person', user_id: 'ou_a' }, { tag: 'person_list', persons: [{ id: 'ou_x' }, { id: 'ou_q' }] }, { tag: 'markdown', content: 'cc <at id=ou_a></at>' }] },
    }, { personName });
    expect(html).toContain('For <span class="md-at" data-at="ou_a">@Alice</span>');
    expect(html).toContain('<span class="el md-at person">@Alice</span>');
    expect(html).toContain('<span class="md-at">@&lt;b&gt;Mallory&lt;/b&gt; &amp; co</span> <span class="md-at">@ou_q</span>');
    expect(html).toContain('cc <span class="md-at" data-at="ou_a">@Alice</span>');
  });
});

describe('mentions by name in plain text', () => {
  it('names known people, keeps the text a message wrote for an unknown one, and the id otherwise', () => {
    expect(mentionsByName('hi <at user_id="ou_a"></at> and <at user_id="ou_q">Quinn</at>, <at user_id="ou_r"></at>', personName)).toBe('hi @Alice and @Quinn, @ou_r');
    expect(mentionsByName('<at user_id="all">everyone</at>', personName)).toBe('@all');
  });
});

describe('mentions in hostile text', () => {
  it('stays linear: 150 KB of unclosed tags and one huge attribute are read in well under a second', () => {
    const hostile = `${'<at '.repeat(37_000)}${'<at '}${'a'.repeat(150_000)}></at>`;
    const started = performance.now();
    const out = mentionsByName(hostile, personName);
    renderMarkdown(`<at ${'a'.repeat(100_000)}></at>`, { block: false, personName });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(out.startsWith('<at <at ')).toBe(true);
  });
});
