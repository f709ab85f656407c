import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { renderCardHtml, renderCardPage } from '../../src/card/render/html.js';
import { renderMarkdown } from '../../src/card/render/markdown.js';

const md = (s: string, block = false) => renderMarkdown(s, { block });

describe('lark_md and markdown', () => {
  it('renders emphasis, links, mentions, colours, tags and emoji keys', () => {
    expect(md('**bold** *it* ~~gone~~')).toBe('<strong>bold</strong> <em>it</em> <del>gone</del>');
    expect(md('[docs](https://example.com)')).toBe('<a href="https://example.com">docs</a>');
    expect(md('<at id=ou_1></at> <at id=all></at>')).toBe('<span class="md-at" data-at="ou_1">@ou_1</span> <span class="md-at" data-at="all">@all</span>');
    expect(md("<font color='red'>hot</font>")).toBe('<span style="color:#C02A26">hot</span>');
    expect(md("<text_tag color='green'>ok</text_tag>")).toBe('<span class="tag tag-green">ok</span>');
    expect(md(':THUMBSUP: :SomethingNew:')).toBe('👍 <span class="emoji" title="SomethingNew">SomethingNew</span>');
    expect(md('a\nb')).toBe('a<br>b');
  });

  it('renders headings, lists, quotes, code and dividers in the markdown component', () => {
    const html = md('# Title\n- one\n- two\n1. first\n> quoted\n```js\nlet a = 1 < 2;\n```\n---\n`x`', true);
    expect(html).toContain('<div class="md-h md-h1">Title</div>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<pre class="md-code"><code>let a = 1 &lt; 2;</code></pre>');
    expect(html).toContain('<hr class="md-hr">');
    expect(html).toContain('<code>x</code>');
  });

  it('escapes everything else, so a card cannot inject markup', () => {
    expect(md('<script>alert(1)</script><img src=x onerror=alert(1)>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(md('[x](javascript:alert(1))')).toContain('<a href="#">x</a>');
    expect(md('[x](javascript:alert(1))')).not.toContain('javascript:alert(1)"');
    expect(md("<font color='red\" onmouseover=\"x'>a</font>")).not.toContain('onmouseover="');
  });
});

describe('card HTML', () => {
  const card = {
    schema: '2.0',
    config: { width_mode: 'compact' },
    header: { title: { tag: 'plain_text', content: 'Title', i18n_content: { en_us: 'Title EN' } }, template: 'green', text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 'new' }, color: 'red' }] },
    body: {
      elements: [
        { tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, type: 'primary_filled', behaviors: [{ type: 'callback', value: { a: 1 } }] },
        { tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'why', label: { tag: 'plain_text', content: 'Why' }, required: true }, { tag: 'button', name: 's', text: { tag: 'plain_text', content: 'Send' }, form_action_type: 'submit' }] },
        { tag: 'select_static', placeholder: { tag: 'plain_text', content: 'Pick' }, options: [{ text: { tag: 'plain_text', content: 'High' }, value: 'h' }] },
        { tag: 'table', page_size: 1, columns: [{ name: 'a', display_name: 'A', data_type: 'text' }], rows: [{ a: 'r1' }, { a: 'r2' }] },
        { tag: 'mystery' },
      ],
    },
  };

  it('renders the header with its template, tags and locale', () => {
    const html = renderCardHtml(card, { locale: 'en_us' });
    expect(html).toContain('class="card width-compact"');
    expect(html).toContain('class="header header-green" data-template="green"');
    expect(html).toContain('Title EN');
    expect(html).toContain('<span class="tag tag-red">new</span>');
  });

  it('marks interactive elements with what they send', () => {
    const html = renderCardHtml(card);
    expect(html).toContain('class="el btn btn-primary_filled btn-medium" data-tag="button" data-value="{&quot;a&quot;:1}"');
    expect(html).toContain('data-tag="input" data-name="why" data-form="f"');
    expect(html).toContain('data-name="s" data-form="f" data-form-action="submit"');
    expect(html).toContain('<option value="h">High</option>');
    expect(html).toContain('<td>r1</td>');
    expect(html).not.toContain('<td>r2</td>');
    expect(html).toContain('1 of 2 rows');
    expect(html).toContain('unsupported element: mystery');
  });

  it('picks the locale of i18n_elements, zh_cn first', () => {
    const v1 = { i18n_elements: { en_us: [{ tag: 'markdown', content: 'english' }], zh_cn: [{ tag: 'markdown', content: '中文' }] } };
    expect(renderCardHtml(v1)).toContain('中文');
    expect(renderCardHtml(v1, { locale: 'en_us' })).toContain('english');
  });

  it('makes a whole page with no script and no external resource', () => {
    const page = renderCardPage(card);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|src=["']?https?:|href=["']?https?:\/\/[^"']*\.css/);
  });
});

describe('no card content makes markup, attributes, URLs or styles of its own', () => {
  // An attribute named on… in any tag, once the quoted values (which may hold escaped text) are set aside.
  const hasHandler = (html: string) => [...html.matchAll(/<[a-z][^>]*>/gi)].some((m) => /\son[a-z]+\s*=/i.test(m[0].replace(/"[^"]*"/g, '""')));
  const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);

  it('an auto-linked URL next to a text_tag cannot break out of its href', () => {
    const html = md("see https://a.example/<text_tag color='x autofocus onfocus=alert(1) tabindex=0'>t</text_tag>");
    expect(hasHandler(html)).toBe(false);
    expect(html).toContain('<span class="tag tag-neutral">t</span>');
    expect(attrs(html, 'href')).toEqual(['https://a.example/']);
  });

  it('a card\'s own \\u0000 markers cannot name kept markup', () => {
    const html = md('<at id=ou_1></at> [x](https://a.example/\u00000\u0000) https://b.example/\u00000\u0000');
    expect(hasHandler(html)).toBe(false);
    for (const href of attrs(html, 'href')) expect(href).not.toMatch(/[<>"]/);
  });

  it('keeps a mention inside a colour', () => {
    expect(md("<font color='red'><at id=ou_1></at> hi</font>")).toBe('<span style="color:#C02A26"><span class="md-at" data-at="ou_1">@ou_1</span> hi</span>');
  });

  it('links only to http(s), lark://, mailto: and tel:', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example']) {
      // A link is made only where markdown sees one (not across the tab), and then it goes nowhere.
      const made = [md(`[x](${bad})`), md(`<link url="${bad}">x</link>`), md(`<a href='${bad}'>x</a>`)].flatMap((h) => attrs(h, 'href'));
      expect(made.length).toBeGreaterThanOrEqual(bad.includes('\t') ? 2 : 3);
      expect(made.every((h) => h === '#')).toBe(true);
    }
    expect(attrs(md('[x](https://a.example/?q=1&r=2)'), 'href')).toEqual(['https://a.example/?q=1&amp;r=2']);
  });

  it('drops javascript: URLs from 1.0 buttons, multi_url, open_url behaviours and card_link', () => {
    const card = {
      card_link: { url: 'javascript:alert(1)' },
      elements: [
        { tag: 'action', actions: [
          { tag: 'button', text: { tag: 'plain_text', content: 'a' }, url: 'javascript:alert(1)' },
          { tag: 'button', text: { tag: 'plain_text', content: 'b' }, multi_url: { url: 'javascript:alert(2)', pc_url: '' } },
          { tag: 'button', text: { tag: 'plain_text', content: 'c' }, behaviors: [{ type: 'open_url', default_url: ' javascript:alert(3)' }] },
          { tag: 'button', text: { tag: 'plain_text', content: 'd' }, multi_url: { url: 'https://ok.example' } },
        ] },
      ],
    };
    const html = renderCardHtml(card);
    expect(html).not.toContain('javascript:');
    expect(attrs(html, 'data-url')).toEqual(['#', '#', '#', 'https://ok.example']);
  });

  it('lets margin, column width, text_align and colours reach style only as valid values', () => {
    const evil = ';background:url(https://evil.example/x)';
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: 't', text_align: `left${evil}` }, template: 'x" onmouseover="alert(1)', text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 'p' }, color: `red${evil}` }] },
      body: { elements: [
        { tag: 'markdown', content: `<font color='red${evil}'>f</font>`, margin: `0px${evil}` },
        { tag: 'markdown', content: 'ok', margin: '4px 0px 8px -2px' },
        { tag: 'column_set', columns: [{ tag: 'column', width: `10px${evil}`, elements: [] }, { tag: 'column', width: '120px', elements: [] }, { tag: 'column', width: 'weighted', weight: '1;x', elements: [] }] },
        { tag: 'img', img_key: '"><img src=https://evil.example/i onerror=alert(1)>', size: 'x" onload="y' },
      ] },
    };
    const html = renderCardHtml(card);
    expect(html).not.toMatch(/url\(/);
    expect(hasHandler(html)).toBe(false);
    expect(attrs(html, 'style')).toEqual(['margin:4px 0px 8px -2px', 'flex:0 1 auto', 'flex:0 0 120px', 'flex:1 1 0']);
    expect(html).toContain('class="header header-xonmouseoveralert1"');
    expect(html).toContain('<span class="tag tag-neutral">p</span>');
  });

  it('gives the preview page a CSP with no script and no network', () => {
    const page = renderCardPage({ elements: [] });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
  });
});

describe('GFM tables in 2.0 markdown', () => {
  it('renders a header row, alignment and body rows, with inline markdown in cells', () => {
    const html = md('| Name | Qty | Note |\n| :--- | ---: | :-: |\n| **a** | 1 | x \\| y |\n| b | 2 |\nafter', true);
    expect(html).toContain('<table class="md-table"><thead><tr><th class="al-left">Name</th><th class="al-right">Qty</th><th class="al-center">Note</th></tr></thead>');
    expect(html).toContain('<tr><td class="al-left"><strong>a</strong></td><td class="al-right">1</td><td class="al-center">x | y</td></tr>');
    expect(html).toContain('<tr><td class="al-left">b</td><td class="al-right">2</td><td class="al-center"></td></tr></tbody></table><div class="md-p">after</div>');
  });

  it('leaves a line with a pipe but no rule row as text, and escapes cells', () => {
    expect(md('a | b\n---', true)).toBe('<div class="md-p">a | b</div><hr class="md-hr">');
    expect(md('| <b>x</b> |\n|---|\n| <i onmouseover=1>y</i> |', true)).toContain('<td>&lt;i onmouseover=1&gt;y&lt;/i&gt;</td>');
  });
});

describe('GFM tables do not cut markup', () => {
  it('keeps an auto-link whole when its row is split on pipes', () => {
    const html = md('| a |\n|---|\n| https://a.example/| |\n| https://b.example/autofocus/onfocus=alert(1)// |', true);
    expect(html).toContain('<td><a href="https://a.example/">https://a.example/</a></td>');
    expect(html).toContain('<td><a href="https://b.example/autofocus/onfocus=alert(1)//">https://b.example/autofocus/onfocus=alert(1)//</a></td>');
    // No tag ends up with an attribute named by card text.
    for (const tag of html.match(/<a\b[^>]*>/g) ?? []) expect(tag).toMatch(/^<a href="[^"]*">$/);
  });

  it('ends an auto-link at a pipe', () => {
    expect(md('https://a.example/x|y', false)).toBe('<a href="https://a.example/x">https://a.example/x</a>|y');
  });

  it('renders a very wide table quickly, with its columns capped', () => {
    const src = '|'.repeat(6000) + '\n' + '|-'.repeat(6000) + '|\n' + '|'.repeat(12000);
    const start = performance.now();
    const html = md(src, true);
    expect(performance.now() - start).toBeLessThan(300);
    expect(html.match(/<th>/g)?.length).toBe(100);
  });

  it('caps the rows of a long table', () => {
    const html = md('| a |\n|---|\n' + '| x |\n'.repeat(5000) + 'after', true);
    expect(html.match(/<td>/g)?.length).toBe(1000);
    expect(html).toContain('<div class="md-p">after</div>');
  });
});

describe('WPS cards', () => {
  const wps = JSON.parse(readFileSync(join(FIXTURES, 'cards/wps-approval.json'), 'utf8'));

  it('renders as the WPS client shows them, not as a Feishu card', () => {
    const html = renderCardHtml(wps);
    expect(html).not.toContain('[object Object]');
    expect(html).not.toContain('unsupported');
    expect(html).toContain('data-schema="wps"');
    expect(html).toContain('<div class="text title">报销审批 Expense approval</div>');
    expect(html).toContain('<strong>Applicant:</strong> Alice Zhang<br><strong>Amount:</strong> ¥1,280.00');
    expect(html).toContain('class="el btn btn-primary_filled btn-medium" data-tag="button" data-value="{&quot;action&quot;:&quot;approve&quot;}"');
    expect(html).toContain('data-url="https://example.com/exp/1024">Details</button>');
    expect((html.match(/class="field short"/g) ?? []).length).toBe(2);
  });

  it('follows [text]($url_val) through href.url_val, and only to safe URLs', () => {
    const card = { header: { title: { tag: 'text', content: { type: 'plainText', text: 't' } } }, elements: [
      { tag: 'text', content: { type: 'markdown', text: '[go]($url_val)' }, href: { url_val: { url: 'https://ok.example/x' } } },
      { tag: 'text', content: { type: 'markdown', text: '[bad]($url_val)' }, href: { url_val: { url: 'javascript:alert(1)' } } },
    ] };
    const html = renderCardHtml(card);
    expect(html).toContain('<a href="https://ok.example/x">go</a>');
    expect(html).toContain('<a href="#">bad</a>');
  });
});
