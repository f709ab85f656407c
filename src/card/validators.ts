import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
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
export const AJV_OPTIONS = { allErrors: true, strict: false, discriminator: true } as const;

const cache = new Map<CardSchema, Validate>();
const require = createRequire(import.meta.url);

export function generatedFile(version: CardSchema, dir: string = fileURLToPath(new URL('./generated/', import.meta.url))): string {
  return `${dir}card-v${version}.cjs`;
}

/**
 * Loads a generated CommonJS validator the way require would, but with the V8 code cache the
 * build wrote beside it: the validators are large generated code, and compiling them would be most
 * of what a first lint costs; the cache lets V8 skip that. A cache from another Node version
 * is rejected by V8 and the source is compiled as usual. Returns the script too, so the build
 * can write the cache after warming it.
 */
export function loadGenerated(file: string, useCache = true): { validate: Validate; script: vm.Script } {
  // The build writes it in ASCII only (build-validators.mjs escapes every other character): read
  // as Latin-1, ~300 KB are copied instead of decoded, and need no scan for other characters.
  const source = readFileSync(file, 'latin1');
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.v8cache`);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  return { validate: mod.exports as Validate, script };
}

/**
 * The validator for one card version, loaded on first use and only for that version: the
 * precompiled one written by the build (loaded synchronously, so the emulator can check a
 * card inside a request), or, when running from source, one compiled from schemas/.
 */
export function validatorFor(version: CardSchema): Validate {
  const hit = cache.get(version);
  if (hit) return hit;
  let validate: Validate;
  try {
    validate = loadGenerated(generatedFile(version)).validate;
  } catch {
    const Ajv = require('ajv') as new (o: object) => { compile(s: object): Validate };
    const schema = JSON.parse(readFileSync(new URL(`../../schemas/card-v${version}.json`, import.meta.url), 'utf8')) as object;
    validate = new Ajv(AJV_OPTIONS).compile(schema);
  }
  cache.set(version, validate);
  return validate;
}
