import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CardSchema } from './inspect.js';

export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** Shared by the runtime compile and the build-time standalone code, so both judge alike. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

const cache = new Map<CardSchema, Validate>();
const require = createRequire(import.meta.url);

/**
 * The validator for one card version, loaded on first use: the precompiled one written by the
 * build (CommonJS, so it loads synchronously and the emulator can check a card inside a
 * request), or, when running from source, one compiled from the schema in schemas/.
 * A 1.0 card never loads the 2.0 validator, nor the other way round.
 */
export function validatorFor(version: CardSchema): Validate {
  const hit = cache.get(version);
  if (hit) return hit;
  let validate: Validate;
  try {
    validate = require(`./generated/card-v${version}.cjs`) as Validate;
  } catch {
    const Ajv = require('ajv') as new (o: object) => { compile(s: object): Validate };
    const schema = JSON.parse(readFileSync(new URL(`../../schemas/card-v${version}.json`, import.meta.url), 'utf8')) as object;
    validate = new Ajv(AJV_OPTIONS).compile(schema);
  }
  cache.set(version, validate);
  return validate;
}
