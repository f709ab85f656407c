import { describe, expect, it } from 'vitest';
import { renderCardHtml, renderCardPage } from '../../src/card/render/html.js';
import { renderMarkdown } from '../../src/card/render/markdown.js';
import { lintText } from '../../src/card/lint.js';

const md = (s: string, block = false) => renderMarkdown(s, { block });
const card = (...elements: unknown[]) => ({ schema: '2.0', body: { elements } });

describe('<local_datetime> renders as the client does', () => {
  it('a value no date can hold shows the tag as text, and the rest of the text still renders', () => {
    for (const ms of ['99999999999999999999', '1e400', 'soon', '']) {
      const html = md(`**due** <local_datetime millisecond='${ms}'></local_datetime>`);
      expect(html).toBe(`<strong>due</strong> &lt;local_datetime millisecond=&#39;${ms}&#39;&gt;&lt;/local_datetime&gt;`);
    }
  });

  it('a valid value is a time, and none at all is the send time', () => {
    expect(md("<local_datetime millisecond='1700000000000'></local_datetime>")).toBe('<span class="md-time">2023-11-14 22:13</span>');
    expect(md('<local_datetime></local_datetime>')).toBe('<span class="md-time">send time</span>');
  });

  it('lint warns about the value, naming where it is', async () => {
    const r = await lintText(JSON.stringify(card({ tag: 'markdown', content: "at <local_datetime millisecond='99999999999999999999'></local_datetime>" })), 'card.json');
    expect(r.errors).toBe(0);
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'local-datetime', severity: 'warning', pointer: '/body/elements/0/content' }));
    expect(r.problems.find((p) => p.rule === 'local-datetime')!.message).toContain('99999999999999999999');
    const fine = await lintText(JSON.stringify(card({ tag: 'markdown', content: "<local_datetime millisecond='1700000000000'></local_datetime> <local_datetime millisecond='${when}'></local_datetime>" })), 'card.json', { templateVars: { when: 1 } });
    expect(fine.problems.filter((p) => p.rule === 'local-datetime')).toEqual([]);
  });
});

describe('no card content makes the renderer throw', () => {
  // JSON can give an object its own toString or valueOf: String() and Number() on it throw.
  const evil = { toString: 1, valueOf: 1 };
  const values = [evil, [evil], { tag: 'plain_text', content: evil }, 1e308, -1, null, 'constructor', '__proto__'];
  const tags = ['markdown', 'lark_md', 'plain_text', 'div', 'note', 'img', 'img_combination', 'action', 'button', 'select_static', 'multi_select_static', 'select_person', 'overflow', 'date_picker', 'picker_time', 'picker_datetime', 'input', 'checker', 'select_img', 'column_set', 'form', 'interactive_container', 'collapsible_panel', 'table', 'person', 'person_list', 'chart'];
  const fields = ['content', 'text', 'img_key', 'alt', 'size', 'type', 'value', 'options', 'initial_option', 'selected_values', 'initial_date', 'placeholder', 'label', 'default_value', 'rows', 'columns', 'page_size', 'text_color', 'text_align', 'background_style', 'name', 'layout', 'aspect_ratio', 'user_id', 'form_action_type', 'title', 'elements'];

  it('draws every element with hostile values in its fields, and no placeholder is needed', () => {
    const failed: string[] = [];
    for (const tag of tags) {
      for (const field of fields) {
        for (const value of values) {
          const html = renderCardHtml(card({ tag, [field]: value }));
          if (html.includes('could not be shown')) failed.push(`${tag}.${field}=${JSON.stringify(value)}`);
        }
      }
    }
    expect(failed).toEqual([]);
    const header = { title: { tag: 'plain_text', content: evil }, template: evil, subtitle: evil, text_tag_list: [{ text: { content: evil }, color: evil }] };
    expect(() => renderCardPage({ schema: '2.0', header, body: { elements: [] } })).not.toThrow();
    expect(md(':constructor: :toString: :hasOwnProperty:')).toBe(':constructor: :toString: :hasOwnProperty:');
    expect(md("<font color='constructor'>x</font>")).toBe('x');
  });

  it('a card nested deeper than any real one shows a placeholder there, and the rest', () => {
    let nested: Record<string, unknown> = { tag: 'markdown', content: 'deep' };
    for (let i = 0; i < 5000; i++) nested = { tag: 'column_set', columns: [{ tag: 'column', elements: [nested] }] };
    const html = renderCardHtml(card({ tag: 'markdown', content: 'before' }, nested, { tag: 'markdown', content: 'after' }));
    expect(html).toContain('before');
    expect(html).toContain('after');
    expect(html).toContain('could not be shown');
    expect(html).not.toContain('deep</div>');
  });

  it('an element whose drawing fails costs only that element', () => {
    const trap = { tag: 'markdown', get content(): string { throw new RangeError('boom'); } };
    const html = renderCardHtml(card({ tag: 'markdown', content: 'kept' }, trap));
    expect(html).toContain('kept');
    expect(html).toContain('<div class="el unrenderable" role="note">this markdown element could not be shown</div>');
    const whole = renderCardHtml({ get schema(): string { throw new Error('no'); } } as never);
    expect(whole).toContain('this card could not be shown');
  });
});

describe('a budget shared by the cards of a page', () => {
  it('bounds the markdown they draw together, and each says how much it leaves out', () => {
    const budget = { chars: 1500 };
    const first = renderCardHtml(card({ tag: 'markdown', content: 'a'.repeat(1000) }), { budget });
    const second = renderCardHtml(card({ tag: 'markdown', content: 'b'.repeat(1000) }, { tag: 'div', text: { tag: 'lark_md', content: 'c'.repeat(10) } }), { budget });
    expect(first).toContain('a'.repeat(1000));
    expect(first).not.toContain('not shown');
    expect(second).toContain(`${'b'.repeat(500)}</div><span class="md-more">… 500 more characters not shown</span>`);
    expect(second).toContain('… 10 more characters not shown');
    expect(budget.chars).toBe(0);
  });
});

describe('images in markdown', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const imageSrc = (key: string) => (key === 'chart.png' ? png : key === 'evil' ? 'javascript:alert(1)' : null);

  it('are drawn where the page can load them, as an img element is', () => {
    const html = renderCardHtml(card({ tag: 'markdown', content: 'see ![the chart](chart.png)' }, { tag: 'img', img_key: 'chart.png' }), { imageSrc });
    expect(html).toContain(`<img class="img-real md-img" src="${png}" alt="the chart" title="chart.png">`);
    expect(html).toContain(`<img class="img-real" src="${png}"`);
  });

  it('stay placeholders for keys the page cannot load, or sources that are not ours', () => {
    const html = renderCardHtml(card({ tag: 'markdown', content: '![a](other.png) ![b](evil)' }), { imageSrc });
    expect(html).toContain('<span class="img-ph inline" title="other.png">[image: a]</span>');
    expect(html).toContain('<span class="img-ph inline" title="evil">[image: b]</span>');
    expect(html).not.toContain('javascript:');
  });

  it('keep working as a link\'s text', () => {
    expect(md('[![badge](img_v2_1)](https://a.example/)')).toBe('<a href="https://a.example/"><span class="img-ph inline" title="img_v2_1">[image: badge]</span></a>');
  });
});

describe('WPS cards', () => {
  it('draw hostile values without a throw or a class named by the card', () => {
    const evil = { toString: 1, valueOf: 1 };
    const html = renderCardHtml({ header: { title: { tag: 'text', content: { type: 'plainText', text: 't' } } }, elements: [
      { tag: 'img', content: { store_key: evil } },
      { tag: 'action', actions: [{ tag: 'button', style: 'constructor', content: { text: 'go' } }, { tag: 'button', style: evil, content: { text: 'b' } }] },
      { tag: evil },
    ] } as never);
    expect(html).toContain('data-schema="wps"');
    expect(html).not.toContain('could not be shown');
    expect(html).not.toContain('function');
    expect(html.match(/class="el btn btn-default btn-medium"/g)).toHaveLength(2);
  });
});
