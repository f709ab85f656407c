import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCard, MAX_CHECKED_BYTES } from '../../src/card/check.js';
import { jsonPointerPositions } from '../../src/card/json-source.js';
import { depthExceeds, findTooDeep, invalidUtf8Offset } from '../../src/card/json-limits.js';
import { lintText, MAX_PROBLEMS_SHOWN } from '../../src/card/lint.js';
import { readSource } from '../../src/card/load.js';
import { Readable } from 'node:stream';

const CARDS = new URL('../cards/', import.meta.url).pathname;
const FIXTURE_CARDS = new URL('../../fixtures/cards/', import.meta.url).pathname;
const valid = [
  ...readdirSync(join(CARDS, 'valid')).map((f) => join(CARDS, 'valid', f)),
  ...readdirSync(FIXTURE_CARDS).map((f) => join(FIXTURE_CARDS, f)),
];
const lint = (card: unknown, vars?: Record<string, unknown>) => lintText(JSON.stringify(card, null, 2), 'card.json', vars ? { templateVars: vars } : {});

describe('valid cards lint clean', () => {
  it.each(valid)('%s', async (file) => {
    const r = await lintText(readFileSync(file, 'utf8'), file);
    expect(r.errors, JSON.stringify(r.problems)).toBe(0);
    // The platform's own walkthrough card is not shared; saying so is the one warning expected.
    expect(r.problems.map((p) => p.rule)).toEqual(file.includes('release-review') ? ['update-multi'] : []);
    expect(r.version).toBe(file.includes('wps-') ? 'wps' : file.includes('.v1') || file.includes('release') ? '1.0' : '2.0');
  });
});

describe('the seed-style 2.0 cards that still use "action" are caught', () => {
  it.each([
    ['seed-style-leave-approval.v2.json', '/body/elements/2/tag'],
    ['seed-style-feedback-form.v2.json', '/body/elements/0/elements/2/tag'],
  ])('%s', async (file, pointer) => {
    const r = await lintText(readFileSync(join(CARDS, file), 'utf8'), file);
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'v2-removed-tag', pointer, severity: 'error' }));
    expect(r.problems.filter((p) => p.rule === 'unknown-tag')).toEqual([]);
  });
});

describe('an element whose tag is unknown, missing or not a string', () => {
  // The component's schema is picked by the tag; a tag that picks none is reported once, as the tag.
  it.each([
    [{ schema: '2.0', body: { elements: [{ tag: 'carousel' }] } }, ['unknown-tag /body/elements/0/tag']],
    [{ schema: '2.0', body: { elements: [{ content: 'x' }] } }, ['required /body/elements/0']],
    [{ schema: '2.0', body: { elements: [{ tag: 5 }] } }, ['unknown-tag /body/elements/0/tag']],
    [{ elements: [{ tag: 'carousel' }] }, ['unknown-tag /elements/0/tag']],
    [{ elements: [{ text: {} }] }, ['required /elements/0']],
  ])('%j', (card, expected) => {
    expect(checkCard(card).problems.map((p) => `${p.rule} ${p.pointer}`)).toEqual(expected);
  });
});

const v2 = (elements: unknown[], extra: Record<string, unknown> = {}) => ({ schema: '2.0', body: { elements }, ...extra });
const v1 = (elements: unknown[], extra: Record<string, unknown> = {}) => ({ elements, ...extra });
const text = (content: string) => ({ tag: 'plain_text', content });
const button = (extra: Record<string, unknown> = {}) => ({ tag: 'button', text: text('Go'), ...extra });
const nest = (depth: number): unknown => (depth === 0 ? { tag: 'hr' } : { tag: 'interactive_container', behaviors: [{ type: 'callback', value: {} }], elements: [nest(depth - 1)] });

// One broken card per rule: the rule, where it points, and how severe it is.
const broken: Array<[string, unknown, string, 'error' | 'warning', Record<string, unknown>?]> = [
  ['required', v2([{ tag: 'img', img_key: 'img_v3_x' }]), '/body/elements/0', 'error'],
  ['type', v2([{ tag: 'markdown', content: 42 }]), '/body/elements/0/content', 'error'],
  ['enum', v2([], { header: { title: text('t'), template: 'pink' } }), '/header/template', 'error'],
  ['unknown-tag', v2([{ tag: 'carousel' }]), '/body/elements/0/tag', 'error'],
  ['unknown-property', v2([button({ colour: 'red' })]), '/body/elements/0/colour', 'error'],
  ['locale', v2([], { header: { title: { tag: 'plain_text', content: 'x', i18n_content: { klingon: 'x' } } } }), '/header/title/i18n_content/klingon', 'error'],
  ['range', v2([{ tag: 'input', max_length: 5000 }]), '/body/elements/0/max_length', 'error'],
  ['format', v2([{ tag: 'date_picker', initial_date: '03/01/2024' }]), '/body/elements/0/initial_date', 'error'],
  ['v2-removed-tag', v2([{ tag: 'note', elements: [] }]), '/body/elements/0/tag', 'error'],
  ['v2-top-level-elements', { schema: '2.0', elements: [] }, '/elements', 'error'],
  ['v2-update-multi', v2([], { config: { update_multi: false } }), '/config/update_multi', 'error'],
  ['element-id', v2([{ tag: 'hr', element_id: '1st' }]), '/body/elements/0/element_id', 'error'],
  ['element-id', v2([{ tag: 'hr', element_id: 'a' }, { tag: 'hr', element_id: 'a' }]), '/body/elements/1/element_id', 'error'],
  ['form-placement', v2([{ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [button({ name: 's', form_action_type: 'submit' })] }] }] }]), '/body/elements/0/columns/0/elements/0', 'error'],
  ['form-content', v1([{ tag: 'form', name: 'f', elements: [{ tag: 'chart', chart_spec: {} }, button({ name: 's', action_type: 'form_submit' })] }]), '/elements/0/elements/0', 'error'],
  ['form-field-name', v2([{ tag: 'form', name: 'f', elements: [{ tag: 'input' }, button({ name: 's', form_action_type: 'submit' })] }]), '/body/elements/0/elements/0', 'error'],
  ['name-unique', v2([{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'x' }, { tag: 'input', name: 'x' }, button({ name: 's', form_action_type: 'submit' })] }]), '/body/elements/0/elements/1/name', 'error'],
  ['form-submit', v2([{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'x' }] }]), '/body/elements/0', 'error'],
  ['form-only', v2([{ tag: 'multi_select_static', name: 'm', options: [] }]), '/body/elements/0', 'error'],
  ['required-outside-form', v2([{ tag: 'input', required: true }]), '/body/elements/0/required', 'warning'],
  ['nesting-depth', v2([nest(6)]), '/body/elements/0/elements/0/elements/0/elements/0/elements/0/elements/0', 'error'],
  ['element-count', v2(Array.from({ length: 201 }, () => ({ tag: 'hr' }))), '/body', 'error'],
  ['card-size', v2([{ tag: 'markdown', content: 'x'.repeat(31_000) }]), '', 'error'],
  ['table-count', v2(Array.from({ length: 6 }, () => ({ tag: 'table', columns: [], rows: [] }))), '', 'error'],
  ['table-placement', v2([{ tag: 'collapsible_panel', header: { title: text('t') }, elements: [{ tag: 'table', columns: [], rows: [] }] }]), '/body/elements/0/elements/0', 'error'],
  ['text-length', v2([button({ text: text('x'.repeat(101)) })]), '/body/elements/0/text/content', 'error'],
  ['button-value', v1([{ tag: 'action', actions: [button({ value: 'approve' })] }]), '/elements/0/actions/0/value', 'error'],
  ['callback-value', v2([button({ behaviors: [{ type: 'callback', value: 'approve' }] })]), '/body/elements/0/behaviors/0/value', 'error'],
  ['link-scheme', v2([button({ behaviors: [{ type: 'open_url', default_url: 'ftp://x' }] })]), '/body/elements/0/behaviors/0/default_url', 'warning'],
  ['img-key', v2([{ tag: 'img', img_key: 'photo.png', alt: text('') }]), '/body/elements/0/img_key', 'warning'],
  ['at-all', v2([{ tag: 'markdown', content: 'hi <at id=all></at>' }]), '/body/elements/0/content', 'warning'],
  ['header-tags', v2([], { header: { title: text('t'), text_tag_list: [1, 2, 3, 4].map((n) => ({ tag: 'text_tag', text: text(`t${n}`) })) } }), '/header/text_tag_list', 'warning'],
  ['deprecated', v1([{ tag: 'hr' }], { config: { wide_screen_mode: true } }), '/config/wide_screen_mode', 'warning'],
  ['deprecated', v2([button({ value: { a: 1 } })]), '/body/elements/0/value', 'warning'],
  ['update-multi', v1([{ tag: 'action', actions: [button({ value: {} })] }]), '/config', 'warning'],
  ['template-placeholder', v2([{ tag: 'markdown', content: 'Hi ${name}' }]), '/body/elements/0/content', 'warning'],
  ['template-var-missing', v2([{ tag: 'markdown', content: 'Hi ${name}' }]), '/body/elements/0/content', 'error', { other: 1 }],
  ['template-var-unused', v2([{ tag: 'markdown', content: 'Hi' }]), '', 'warning', { other: 1 }],
  ['type', v2([{ tag: 'column_set', flex_mode: 'none', columns: '${cols}' }]), '/body/elements/0/columns', 'error', { cols: 3 }],
  // issue 12: what the platform enforces and lint used to miss
  ['div-content', v1([{ tag: 'div' }]), '/elements/0', 'error'],
  ['div-content', v2([{ tag: 'div', text_align: 'left' }]), '/body/elements/0', 'error'],
  ['button-text', v1([{ tag: 'action', actions: [{ tag: 'button', type: 'primary', value: {} }] }], { config: { update_multi: true } }), '/elements/0/actions/0', 'error'],
  ['empty-card', {}, '', 'error'],
  ['empty-card', v1([]), '', 'error'],
  ['empty-card', { schema: '2.0', body: {} }, '', 'error'],
  ['format', v2([{ tag: 'date_picker', initial_date: '2024-02-30' }]), '/body/elements/0/initial_date', 'error'],
  ['format', v1([{ tag: 'action', actions: [{ tag: 'picker_time', initial_time: '24:00' }] }]), '/elements/0/actions/0/initial_time', 'error'],
  ['format', v1([{ tag: 'action', actions: [{ tag: 'picker_time', initial_time: '9:30' }] }]), '/elements/0/actions/0/initial_time', 'error'],
  ['format', v2([{ tag: 'picker_datetime', initial_datetime: '2024-01-31T09:30' }]), '/body/elements/0/initial_datetime', 'error'],
  ['link-scheme', v1([{ tag: 'action', actions: [button({ url: 'javascript:alert(1)' })] }]), '/elements/0/actions/0/url', 'warning'],
  ['link-scheme', v1([{ tag: 'action', actions: [button({ multi_url: { url: 'https://ok.example', ios_url: 'file:///etc/passwd' } })] }]), '/elements/0/actions/0/multi_url/ios_url', 'warning'],
  ['link-scheme', v1([{ tag: 'action', actions: [{ tag: 'overflow', options: [{ text: text('o'), value: 'v', url: 'ftp://x.example' }] }] }]), '/elements/0/actions/0/options/0/url', 'warning'],
  ['link-scheme', v1([{ tag: 'div', text: { tag: 'lark_md', content: 'see [the docs](javascript:alert(1))' } }]), '/elements/0/text/content', 'warning'],
  ['link-scheme', v2([{ tag: 'markdown', content: "<link url='data:text/html,x'>open</link>" }]), '/body/elements/0/content', 'warning'],
  ['link-scheme', v1([{ tag: 'hr' }], { card_link: { url: 'intent://x' } }), '/card_link/url', 'warning'],
  ['schema-version', { schema: '3.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } }, '/schema', 'error'],
  ['template-unchecked', v2([], { header: { title: text('t'), template: '${colour}' } }), '/header/template', 'warning'],
  ['template-unchecked', v2([{ tag: 'date_picker', initial_date: '${due}' }]), '/body/elements/0/initial_date', 'warning'],
  ['format', v2([{ tag: 'date_picker', initial_date: '${due}' }]), '/body/elements/0/initial_date', 'error', { due: 'tomorrow' }],
  // issue 16: CardKit
  ['cardkit-schema', v1([{ tag: 'markdown', content: 'x' }], { config: { streaming_mode: true } }), '', 'warning'],
  ['cardkit-stream-target', v2([{ tag: 'markdown', content: '' }], { config: { streaming_mode: true } }), '/body/elements/0', 'warning'],
  ['enum', v2([{ tag: 'markdown', content: '', element_id: 'md' }], { config: { streaming_mode: true, streaming_config: { print_strategy: 'slow' } } }), '/config/streaming_config/print_strategy', 'error'],
  ['required', v2([{ tag: 'markdown', content: '', element_id: 'md' }], { config: { streaming_config: { print_step: { ios: 2 } } } }), '/config/streaming_config/print_step', 'error'],
];

describe('broken cards: one per rule, caught at the right place', () => {
  it.each(broken)('%s', async (rule, card, pointer, severity, vars) => {
    const r = await lint(card, vars);
    const hit = r.problems.find((p) => p.rule === rule && p.pointer === pointer);
    expect(hit, JSON.stringify(r.problems, null, 1)).toBeDefined();
    expect(hit!.severity).toBe(severity);
    expect(hit!.line).toBeGreaterThan(0);
    expect(hit!.message.length).toBeGreaterThan(10);
  });

  it('gives the line and column of the offending value', async () => {
    const line3 = '  "header": {"title": {"tag": "plain_text", "content": "x"}, "template": "pink"}';
    const r = await lintText(`{\n  "schema": "2.0",\n${line3}\n}\n`, 'c.json');
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'enum', pointer: '/header/template', line: 3, column: line3.indexOf('"pink"') + 1 })]);
  });

  it('reports JSON that does not parse as one problem with its position', async () => {
    const r = await lintText('{\n  "schema": "2.0",\n  "body": {,}\n}', 'c.json');
    expect(r).toMatchObject({ version: null, errors: 1, problems: [{ rule: 'json', line: 3, column: 12 }] });
  });

  it('knows a template reference is not a card', async () => {
    const r = await lint({ type: 'template', data: { template_id: 'AAqX' } });
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'template-reference', severity: 'warning' })]);
  });
});

describe('issue 12: what lint says', () => {
  it('calls null what it is', async () => {
    const r = await lintText('null', 'c.json');
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'not-a-card', message: 'a card must be a JSON object, not null', line: 1, column: 1 })]);
  });

  it('reports schema "3.0" as an unknown schema, not as JSON 1.0 problems', async () => {
    const r = await lint({ schema: '3.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } });
    expect(r.version).toBeNull();
    expect(r.problems.map((p) => p.rule)).toEqual(['schema-version']);
    expect(r.problems[0]!.message).toContain('"3.0" is not a card schema');
  });

  it('a template card without values: placeholders in text, keys and URLs are not errors', async () => {
    const card = v2([
      { tag: 'markdown', content: 'Hi ${name}, see [it](${link})' },
      { tag: 'img', img_key: '${img}', alt: text('') },
      button({ behaviors: [{ type: 'open_url', default_url: '${link}' }] }),
      { tag: 'column_set', flex_mode: '${mode}', columns: [] },
    ]);
    const r = await lint(card);
    expect(r.errors, JSON.stringify(r.problems)).toBe(0);
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'template-placeholder', severity: 'warning' }));
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'template-unchecked', pointer: '/body/elements/3/flex_mode', severity: 'warning' }));
  });

  it('a list variable in place of the elements is content, unchecked until values are given', async () => {
    const r = await lint({ schema: '2.0', body: { elements: '${rows}' } });
    expect(r.errors, JSON.stringify(r.problems)).toBe(0);
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'template-unchecked', pointer: '/body/elements' }));
    const filled = await lint({ schema: '2.0', body: { elements: '${rows}' } }, { rows: [] });
    expect(filled.problems).toContainEqual(expect.objectContaining({ rule: 'empty-card', severity: 'error' }));
  });

  it('with values, checks them where they land and names the variable', async () => {
    const card = v2([{ tag: 'column_set', flex_mode: '${mode}', columns: [] }, button({ behaviors: [{ type: 'open_url', default_url: '${link}' }] })]);
    const r = await lint(card, { mode: 'zigzag', link: 'javascript:x' });
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'enum', pointer: '/body/elements/0/flex_mode', severity: 'error', message: expect.stringContaining('(the value of ${mode})') }));
    expect(r.problems).toContainEqual(expect.objectContaining({ rule: 'link-scheme', pointer: '/body/elements/1/behaviors/0/default_url' }));
  });

  it('real dates and times pass', async () => {
    const r = await lint(v2([
      { tag: 'date_picker', initial_date: '2024-02-29' },
      { tag: 'picker_time', initial_time: '23:59' },
      { tag: 'picker_datetime', initial_datetime: '2024-12-31 00:00' },
    ]));
    expect(r.problems.filter((p) => p.rule === 'format')).toEqual([]);
  });

  it('allowed links pass: http(s), lark://, tel: in markdown, 1.0 $href variables, images', async () => {
    const r = await lint(v1([
      { tag: 'markdown', content: '[a](https://x.example) [b](lark://msgcard/unsupported_action) [c]($urlVal) [d](tel://123) ![i](img_v3_x)' },
      { tag: 'action', actions: [button({ url: 'http://x.example', multi_url: { url: 'https://x.example', pc_url: '', ios_url: 'lark://x', android_url: 'https://y.example' } })] },
    ], { config: { update_multi: true } }));
    expect(r.problems).toEqual([]);
  });
});

describe('issue 11: input that would crash', () => {
  it('a 20k-deep card is one problem with its line, column and path, not a stack overflow', async () => {
    const text = `{"schema":"2.0","body":{"elements":[${'{"tag":"column_set","columns":['.repeat(20_000)}${']}'.repeat(20_000)}]}}`;
    const r = await lintText(text, 'deep.json');
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'input-depth', line: 1, severity: 'error' })]);
    expect(r.problems[0]!.pointer.startsWith('/body/elements/0/columns/0/columns')).toBe(true);
    // The column is that of the 65th open bracket: the first one past the limit.
    let seen = 0;
    const offset = [...text].findIndex((ch) => (ch === '{' || ch === '[') && ++seen === 65);
    expect(r.problems[0]!.column).toBe(offset + 1);
  });

  it('finds the path to the first value past the limit, keys and indexes', () => {
    expect(findTooDeep('{"a":[1,{"b\\"c":[[]]}]}', 4)).toEqual({ pointer: '/a/1/b"c/0', offset: 17 });
    expect(findTooDeep('{"a/b":{"x":1,"y":[{}]}}', 3)).toEqual({ pointer: '/a~1b/y/0', offset: 19 });
    expect(findTooDeep('{"a":[1,{"b":[[]]}]}', 5)).toBeNull();
    expect(findTooDeep('"[[[[[" ', 2)).toBeNull();
  });

  it('checkCard bounds a parsed value too (what the emulator hands it)', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { elements: [deep] };
    const r = checkCard(deep);
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'input-depth', severity: 'error' })]);
    expect(depthExceeds({ a: [{ b: 1 }] }, 3)).toBeNull();
    expect(depthExceeds({ a: [{ b: {} }] }, 3)).toBe('/a/0/b');
  });

  it('a wide card lists at most MAX_PROBLEMS_SHOWN problems and keeps the true counts', async () => {
    const r = await lint(v2(Array.from({ length: 400 }, () => ({ tag: 'carousel' }))));
    expect(r.errors).toBeGreaterThan(400);
    expect(r.problems).toHaveLength(MAX_PROBLEMS_SHOWN + 1);
    expect(r.problems.at(-1)).toMatchObject({ rule: 'too-many-problems' });
  });

  it('a card far past the size limit is reported for its size only, not element by element', async () => {
    const r = await lint(v2(Array.from({ length: 20_000 }, () => ({ tag: 'carousel' }))));
    expect(JSON.stringify(v2(Array.from({ length: 20_000 }, () => ({ tag: 'carousel' })))).length).toBeGreaterThan(MAX_CHECKED_BYTES);
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'card-size', severity: 'error', message: expect.stringContaining('Not checked further') })]);
  });

  it('maps only the pointers asked for, to the same places as the full map', () => {
    const text = readFileSync(join(CARDS, 'valid', 'everything.v2.json'), 'utf8').replace('"schema"', '"sch\\u0065ma"');
    const all = jsonPointerPositions(text);
    expect(all.size).toBeGreaterThan(100);
    for (const pointer of [...all.keys()].filter((_, i) => i % 3 === 0)) {
      const some = jsonPointerPositions(text, [pointer]);
      expect(some.get(pointer), pointer).toEqual(all.get(pointer));
      expect(some.size).toBeLessThan(all.size);
    }
  });

  it('stdin is bounded and strict UTF-8 too', async () => {
    const big = Readable.from([Buffer.alloc(1024 * 1024, 0x20), Buffer.alloc(1024 * 1024, 0x20), Buffer.from('{}')]);
    await expect(readSource('-', big)).rejects.toMatchObject({ type: 'usage', code: 'input_too_large', message: expect.stringContaining('<stdin> is larger than 2 MB') });
    const latin1 = Readable.from([Buffer.from('{"a":\n "caf'), Buffer.from([0xe9, 0x22, 0x7d])]);
    await expect(readSource('-', latin1)).rejects.toMatchObject({ type: 'usage', message: expect.stringMatching(/^<stdin>:2:6: not valid UTF-8/) });
    await expect(readSource('-', Readable.from([Buffer.from('{"ok": "✓"}')]))).resolves.toEqual({ text: '{"ok": "✓"}', name: '<stdin>' });
  });

  it('finds the first byte that is not UTF-8', () => {
    expect(invalidUtf8Offset(Buffer.from('café ✓ 𝄞'))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong '/'
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x9c]))).toBe(1); // cut short
  });
});

describe('checkCard: the rule set the emulator calls', () => {
  it('is synchronous and returns problems with severity, rule and pointer', () => {
    const r = checkCard(v2([{ tag: 'note', elements: [] }]));
    expect(r).not.toBeInstanceOf(Promise);
    expect(r.version).toBe('2.0');
    expect(r.problems).toContainEqual({ severity: 'error', rule: 'v2-removed-tag', pointer: '/body/elements/0/tag', message: expect.any(String) });
  });

  it('passes a good CardKit card clean, with or without --cardkit', () => {
    const card = v2([{ tag: 'markdown', content: '', element_id: 'answer' }], { config: { streaming_mode: true, streaming_config: { print_frequency_ms: { default: 30, ios: 40 }, print_step: { default: 2 }, print_strategy: 'fast' } } });
    expect(checkCard(card).problems).toEqual([]);
    expect(checkCard(card, { cardkit: true }).problems).toEqual([]);
  });

  it('--cardkit checks a card that has no streaming settings', () => {
    const card = v1([{ tag: 'markdown', content: 'x' }]);
    expect(checkCard(card).problems).toEqual([]);
    expect(checkCard(card, { cardkit: true }).problems).toEqual([expect.objectContaining({ rule: 'cardkit-schema', severity: 'error' })]);
  });
});
