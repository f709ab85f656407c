import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/card/lint.js';

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
