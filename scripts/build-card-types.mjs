// Writes src/card/types.generated.ts: TypeScript types for card JSON 1.0 and 2.0, made from the
// JSON Schemas the validators use (schemas/card-v*.json), so the types and the checks cannot
// drift (test/card/card-types-generated.test.ts fails when the file is not what this writes).
// Run by `npm run build` before tsc; commit what it writes, so a fresh clone type-checks.
//
// The schemas use a known subset of JSON Schema. Each keyword is either turned into a type, or
// only constrains values a type cannot express (bounds, lengths), or is refused: a keyword the
// generator does not know stops it, rather than a type that quietly says less than the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Keywords that bound values without changing their type. */
const VALUE_BOUNDS = new Set(['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'format']);
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'definitions', 'discriminator']);
const TYPED = new Set(['type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'enum', 'const', '$ref', 'oneOf', 'allOf']);

/** Per version: the root fields a card of that version must carry beyond what its schema requires. */
const ROOT_REQUIRED = {
  // The version is chosen by `schema` before the 2.0 schema applies (cardSchemaOf): a card without
  // it is read as 1.0, so a 2.0 card names it.
  '2.0': ['schema'],
  '1.0': [],
};

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function pascal(name) {
  return name
    .split(/[_\s-]+|(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** The exported name of a definition: components (`c_*`) end in `Element`. */
export function typeName(version, def) {
  const prefix = `CardV${version.split('.')[0]}`;
  return def.startsWith('c_') ? `${prefix}${pascal(def.slice(2))}Element` : `${prefix}${pascal(def)}`;
}

function doc(text, indent) {
  if (!text) return '';
  return `${indent}/** ${String(text).replace(/\*\//g, '*\u200b/')} */\n`;
}

/** A literal as the project writes it: strings in single quotes. */
function literal(v) {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v);
}

function checkKeywords(schema, where) {
  for (const k of Object.keys(schema)) {
    if (!TYPED.has(k) && !VALUE_BOUNDS.has(k) && !ANNOTATIONS.has(k) && k !== 'if' && k !== 'then') {
      throw new Error(`${where}: the type generator does not know the keyword "${k}"; teach scripts/build-card-types.mjs what type it means`);
    }
  }
}

class Generator {
  constructor(version, schema) {
    this.version = version;
    this.schema = schema;
  }

  ref(ref, where) {
    const m = /^#\/definitions\/([^/]+)$/.exec(ref);
    if (!m || !(m[1] in this.schema.definitions)) throw new Error(`${where}: unresolved $ref ${ref}`);
    return typeName(this.version, m[1]);
  }

  /** The type of a schema, written at `indent` (the indent of the line it starts on). */
  type(schema, where, indent) {
    if (schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) return 'unknown';
    if (schema === false) return 'never';
    checkKeywords(schema, where);
    if (schema.$ref) return this.ref(schema.$ref, where);
    if ('const' in schema) return literal(schema.const);
    if (schema.enum) return schema.enum.map(literal).join(' | ');
    if (schema.oneOf) return this.union(schema.oneOf.map((s, i) => this.type(s, `${where}/oneOf/${i}`, indent)));
    if (schema.allOf) return this.conditional(schema, where, indent);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.type === undefined) {
      if (schema.properties || schema.required || schema.additionalProperties !== undefined) return this.object(schema, where, indent);
      throw new Error(`${where}: a schema with no type the generator can read`);
    }
    return this.union(types.map((t) => this.simple(t, schema, where, indent)));
  }

  union(parts) {
    return [...new Set(parts)].join(' | ');
  }

  simple(t, schema, where, indent) {
    switch (t) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array': {
        if (!schema.items) return 'unknown[]';
        const item = this.type(schema.items, `${where}/items`, indent);
        return /^[\w.$]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'object':
        return this.object(schema, where, indent);
      default:
        throw new Error(`${where}: unknown type ${t}`);
    }
  }

  object(schema, where, indent, extraRequired = [], overrides = {}) {
    const inner = `${indent}  `;
    const required = new Set([...(schema.required ?? []), ...extraRequired]);
    const lines = [];
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const name = IDENT.test(key) ? key : literal(key);
      const t = overrides[key] ?? this.type(prop, `${where}/properties/${key}`, inner);
      lines.push(`${doc(prop.description, inner)}${inner}${name}${required.has(key) ? '' : '?'}: ${t};`);
    }
    for (const key of required) if (!(key in (schema.properties ?? {}))) lines.push(`${inner}${IDENT.test(key) ? key : literal(key)}: unknown;`);
    const extra = schema.additionalProperties;
    if (schema.propertyNames) {
      if (schema.properties) throw new Error(`${where}: propertyNames beside properties`);
      const keys = schema.propertyNames.enum;
      if (!keys) throw new Error(`${where}: propertyNames other than an enum`);
      const value = extra === undefined || extra === true ? 'unknown' : this.type(extra, `${where}/additionalProperties`, indent);
      return `{ [K in ${keys.map(literal).join(' | ')}]?: ${value} }`;
    }
    if (extra === undefined || extra === true) lines.push(`${inner}[key: string]: unknown;`);
    else if (extra !== false) {
      if (schema.properties) throw new Error(`${where}: additionalProperties as a schema beside properties`);
      lines.push(`${inner}[key: string]: ${this.type(extra, `${where}/additionalProperties`, inner)};`);
    }
    return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
  }

  /**
   * allOf of `if: {properties: {p: {const}}}, then: {required}` branches, as the schemas use for a
   * behaviour's `type`: one object type per value of `p`, each requiring what its branch requires.
   */
  conditional(schema, where, indent) {
    const branches = schema.allOf.map((b, i) => {
      const at = `${where}/allOf/${i}`;
      const props = b.if?.properties;
      const keys = props ? Object.keys(props) : [];
      const thenKeys = b.then ? Object.keys(b.then) : [];
      if (Object.keys(b).some((k) => k !== 'if' && k !== 'then') || keys.length !== 1 || !('const' in props[keys[0]]) || thenKeys.some((k) => k !== 'required')) {
        throw new Error(`${at}: the generator reads allOf only as if {one property's const} then {required}`);
      }
      return { key: keys[0], value: props[keys[0]].const, required: b.then.required ?? [] };
    });
    const key = branches[0].key;
    if (branches.some((b) => b.key !== key)) throw new Error(`${where}/allOf: branches on different properties`);
    const values = schema.properties?.[key]?.enum;
    if (!values) throw new Error(`${where}/allOf: ${key} is not an enum`);
    const { allOf, ...base } = schema;
    return values
      .map((v) => {
        const extra = branches.filter((b) => b.value === v).flatMap((b) => b.required);
        return this.object(base, where, indent, extra, { [key]: literal(v) });
      })
      .join(' | ');
  }

  definitions() {
    const out = [];
    for (const [def, schema] of Object.entries(this.schema.definitions)) {
      out.push(`${doc(schema.description, '')}export type ${typeName(this.version, def)} = ${this.type(schema, `#/definitions/${def}`, '')};`);
    }
    return out;
  }

  root() {
    const { definitions, ...root } = this.schema;
    const name = `CardV${this.version.split('.')[0]}`;
    return `${doc(root.title, '')}export type ${name} = ${this.object(root, '#', '', ROOT_REQUIRED[this.version] ?? [])};`;
  }
}

/** The generated module's text for the two schemas. */
export function cardTypesSource(schemas) {
  const parts = [
    '// Generated by scripts/build-card-types.mjs from schemas/card-v1.0.json and schemas/card-v2.0.json.',
    '// Do not edit: change the schema and run `npm run build` (test/card/card-types-generated.test.ts checks it).',
    '/* eslint-disable */',
    '',
  ];
  for (const version of ['1.0', '2.0']) {
    const g = new Generator(version, schemas[version]);
    const major = version.split('.')[0];
    const element = typeName(version, 'element');
    parts.push(`// ---- card JSON ${version} ----`, '', g.root(), '', ...g.definitions().flatMap((d) => [d, '']));
    parts.push(`/** Every component tag of card JSON ${version}. */`, `export type CardV${major}Tag = ${element}['tag'];`, '');
  }
  return parts.join('\n');
}

export const GENERATED_FILE = fileURLToPath(new URL('../src/card/types.generated.ts', import.meta.url));

export function readSchemas() {
  const read = (v) => JSON.parse(readFileSync(new URL(`../schemas/card-v${v}.json`, import.meta.url), 'utf8'));
  return { '1.0': read('1.0'), '2.0': read('2.0') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_FILE, cardTypesSource(readSchemas()));
}
