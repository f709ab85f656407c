import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardTypesSource, GENERATED_FILE, readSchemas, typeName } from '../../scripts/build-card-types.mjs';

type Schema = { definitions: Record<string, Record<string, unknown>> } & Record<string, unknown>;

const schemas = readSchemas() as Record<'1.0' | '2.0', Schema>;
const copy = (): Record<'1.0' | '2.0', Schema> => structuredClone(schemas);

describe('the card types generated from the schemas', () => {
  it('src/card/types.generated.ts is what the generator writes from schemas/ (run `npm run build` after changing a schema)', () => {
    const committed = readFileSync(GENERATED_FILE, 'utf8');
    // One line names the fix, rather than a diff of 1,300 lines.
    expect(committed === cardTypesSource(schemas), 'src/card/types.generated.ts is stale: run `node scripts/build-card-types.mjs`').toBe(true);
  });

  it('a schema change changes the types: a new required field of a component becomes a required property', () => {
    const changed = copy();
    const button = changed['2.0'].definitions.c_button as { required: string[]; properties: Record<string, unknown> };
    button.properties.caption = { type: 'string' };
    button.required.push('caption');
    const source = cardTypesSource(changed);
    expect(source).not.toBe(cardTypesSource(schemas));
    const block = source.slice(source.indexOf('export type CardV2ButtonElement = {'));
    expect(block.slice(0, block.indexOf('\n};'))).toContain('\n  caption: string;');
  });

  it('every component of each version is in its element union, discriminated by its tag', () => {
    const source = cardTypesSource(schemas);
    for (const version of ['1.0', '2.0'] as const) {
      const defs = schemas[version].definitions;
      const components = Object.keys(defs).filter((d) => d.startsWith('c_'));
      const union = new RegExp(`export type ${typeName(version, 'element')} = ([^;]+);`).exec(source)![1]!.split(' | ');
      expect(union.sort()).toEqual(components.map((c) => typeName(version, c)).sort());
      for (const c of components) {
        const tag = (defs[c]!.properties as { tag: { const: string } }).tag.const;
        expect(source).toMatch(new RegExp(`export type ${typeName(version, c)} = \\{\\n(  /\\*\\*.*\\*/\\n)?  tag: '${tag}';`));
      }
    }
  });

  it('extra fields are allowed exactly where the schema allows them: 1.0 objects are open, 2.0 components closed', () => {
    const source = cardTypesSource(schemas);
    const body = (name: string) => {
      const from = source.indexOf(`export type ${name} = {`);
      return source.slice(from, source.indexOf('\n};', from));
    };
    expect(body('CardV1ButtonElement')).toContain('\n  [key: string]: unknown;');
    expect(body('CardV2ButtonElement')).not.toContain('[key: string]');
  });

  it('refuses a keyword it does not know, naming where it is', () => {
    const changed = copy();
    (changed['2.0'].definitions.c_hr as Record<string, unknown>).patternProperties = { '^x-': {} };
    expect(() => cardTypesSource(changed)).toThrow('#/definitions/c_hr: the type generator does not know the keyword "patternProperties"');
  });

  it('a behaviour requires what its type requires: default_url for open_url, value for callback', () => {
    const source = cardTypesSource(schemas);
    expect(source).toMatch(/type: 'open_url';\n  default_url: string;/);
    expect(source).toMatch(/type: 'callback';[^}]*\n  value: unknown;/);
  });
});
