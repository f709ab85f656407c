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

/**
 * The validator for a card version: the precompiled one written by the build, or, when running
 * from source, one compiled from the schema in schemas/ (the same data either way).
 */
export async function validatorFor(version: CardSchema): Promise<Validate> {
  const hit = cache.get(version);
  if (hit) return hit;
  let validate: Validate;
  try {
    validate = (await import(new URL(`./generated/card-v${version}.js`, import.meta.url).href)).default as Validate;
  } catch {
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv') as new (o: object) => { compile(s: object): Validate };
    const schema = JSON.parse(readFileSync(new URL(`../../schemas/card-v${version}.json`, import.meta.url), 'utf8')) as object;
    validate = new Ajv(AJV_OPTIONS).compile(schema);
  }
  cache.set(version, validate);
  return validate;
}
