import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validatorFor, type SchemaError } from '../../src/card/validators.js';

/**
 * The validators the CLI runs are the build's packs in dist/ (scripts/build-validators.mjs): ajv's
 * standalone code cut into units that load as a card needs them. Tests run from src/, where the
 * same schema is compiled by ajv at run time, with the same options: that is the reference here.
 */
const dist = new URL('../../dist/card/', import.meta.url);
const built = (await import(new URL('validators.js', dist).href)) as typeof import('../../src/card/validators.js');
const packFile = (version: '1.0' | '2.0') => built.generatedFile(version, fileURLToPath(new URL('generated/', dist)));
/** A pack's index: its root unit and where each unit sits (the layout validators.ts describes). */
function packIndex(file: string): { root: string; base: number; units: Record<string, [number, number, number]> } {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(0);
  return { ...(JSON.parse(bytes.toString('latin1', 4, 4 + length)) as { root: string; units: Record<string, [number, number, number]> }), base: 4 + length };
}
const tmp = mkdtempSync(join(tmpdir(), 'card-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const small = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hello' }, { tag: 'markdown', content: 'again' }] } };
/** What lint reads of ajv's errors (src/card/check.ts): where, keyword, params, message, and whether inside propertyNames. */
const judged = (errors: SchemaError[] | null | undefined) => (errors ?? []).map((e) => [e.instancePath, e.keyword, e.params, e.message, e.schemaPath.includes('/propertyNames/')]);

function cardsIn(dir: string): unknown[] {
  const out: unknown[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...cardsIn(path));
    else if (entry.name.endsWith('.json')) {
      try {
        out.push(JSON.parse(readFileSync(path, 'utf8')));
      } catch {
        // not JSON on purpose (lint's own tests read those)
      }
    }
  }
  return out;
}

/** Cards with faults sown in: properties dropped, renamed or mistyped, tags made up. Seeded, so every run checks the same ones. */
function mutated(cards: unknown[], rounds: number): unknown[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const mutate = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => (random() < 0.08 ? 42 : mutate(x)));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = random();
        if (r < 0.05) continue;
        else if (r < 0.08) o[k] = 'zz';
        else if (r < 0.1) o[`${k}_x`] = x;
        else if (r < 0.13 && k === 'tag') o[k] = random() < 0.5 ? 'bogus' : 'note';
        else o[k] = mutate(x);
      }
      return o;
    }
    if (typeof v === 'string') return random() < 0.04 ? 7 : v;
    if (typeof v === 'number') return random() < 0.05 ? 'n' : v;
    return v;
  };
  const out: unknown[] = [];
  for (let i = 0; i < rounds; i++) for (const c of cards) out.push(mutate(c));
  return out;
}

const shipped = [...cardsIn(fileURLToPath(new URL('../../fixtures/cards/', import.meta.url))), ...cardsIn(fileURLToPath(new URL('../cards/', import.meta.url)))];
const corpus = [
  ...shipped,
  ...mutated(shipped, 20),
  null,
  'card',
  [],
  {},
  { schema: '2.0' },
  { schema: '2.0', body: { elements: [{}] } },
  { schema: '2.0', body: { elements: [{ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [{ tag: 'markdown', content: 1 }] }] }] }] } },
];

describe('the validator packs the build writes', () => {
  it('a small card loads the root and the few units its elements need, each from its code cache', () => {
    const pack = built.loadGenerated(packFile('2.0'));
    expect(pack.validate(small)).toBe(true);
    const loaded = pack.loaded();
    expect(Object.keys(packIndex(packFile('2.0')).units).length).toBeGreaterThan(20);
    expect(loaded.length).toBeLessThanOrEqual(5);
    expect(loaded.every((u) => u.cached)).toBe(true);
    // A bad element loads what checking it takes, and reports it.
    expect(pack.validate({ schema: '2.0', body: { elements: [{ tag: 'button', text: 5 }] } })).toBe(false);
    expect(pack.validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/body/elements/0/text', keyword: 'type' }));
    expect(pack.loaded().length).toBeGreaterThan(loaded.length);
  });

  it.each(['1.0', '2.0'] as const)('%s judges every card as ajv compiling the schema does: verdict, and each error lint reads', (version) => {
    const pack = built.loadGenerated(packFile(version));
    const reference = validatorFor(version);
    const differ: string[] = [];
    let invalid = 0;
    for (const card of corpus) {
      const ok = pack.validate(card);
      if (!reference(card)) invalid++;
      if (ok !== reference(card) || JSON.stringify(judged(pack.validate.errors)) !== JSON.stringify(judged(reference.errors))) differ.push(JSON.stringify(card).slice(0, 200));
    }
    expect(differ).toEqual([]);
    // The corpus holds plenty of both, or this would prove little.
    expect(invalid).toBeGreaterThan(150);
    expect(corpus.length - invalid).toBeGreaterThan(10);
  });

  it('without a usable code cache (another Node version) compiles each unit from source and judges the same', () => {
    const file = join(tmp, 'stale.pack');
    const good = built.loadGenerated(packFile('2.0'));
    const index = packIndex(packFile('2.0'));
    const bytes = readFileSync(packFile('2.0'));
    const base = index.base;
    const units = new Map(Object.entries(index.units).map(([name, [offset, length]]) => [name, { source: bytes.toString('latin1', base + offset, base + offset + length), cache: Buffer.from('not a code cache') }]));
    built.writeValidatorPack(file, index.root, units);
    const stale = built.loadGenerated(file);
    const bad = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 42 }] } };
    expect(stale.validate(bad)).toBe(false);
    expect(judged(stale.validate.errors)).toEqual(judged((good.validate(bad), good.validate.errors)));
    expect(stale.validate(small)).toBe(true);
    expect(stale.loaded().length).toBeGreaterThan(1);
    expect(stale.loaded().every((u) => !u.cached)).toBe(true);
  });

  it('refuses a unit that is not ASCII, and a pack cut short names the file', () => {
    expect(() => built.writeValidatorPack(join(tmp, 'x.pack'), 'validate1', new Map([['validate1', { source: '(function () { return "caf\u00e9"; })' }]]))).toThrow(/validate1 is not ASCII/);
    const cut = join(tmp, 'cut.pack');
    copyFileSync(packFile('2.0'), cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 3));
    expect(() => built.loadGenerated(cut).validate({ schema: '2.0', body: { elements: [{ tag: 'chart', chart_spec: {} }] } })).toThrow(/cut\.pack ends early/);
  });
});
