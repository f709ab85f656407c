import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Shared by the runtime compile and the build-time standalone code, so both judge alike. Refs are
 * not inlined: each definition is its own function, so the build can cut them into units.
 */
export const AJV_OPTIONS = { allErrors: true, strict: false, discriminator: true, inlineRefs: false } as const;

const cache = new Map<CardSchema, Validate>();
const require = createRequire(import.meta.url);

export function generatedFile(version: CardSchema, dir: string = fileURLToPath(new URL('./generated/', import.meta.url))): string {
  return `${dir}card-v${version}.pack`;
}

/*
 * A validator pack (scripts/build-validators.mjs writes one per card version): ajv's standalone code
 * for the schema, cut into units (scripts/split-validator.mjs), one per validate function (the
 * root, the body, each element type, …) with the schema constants it reads, each with a V8 code
 * cache. A unit loads when a card first needs it: a card of a few markdown elements compiles three
 * units of forty, where one file of ~300 KB cost most of what a send's lint does.
 *
 * Layout: a 4-byte little-endian length, that many bytes of JSON index ({root, units: {name:
 * [offset, source length, cache length]}}), then each unit's source (ASCII) followed by its cache.
 * A unit's source is a function expression, `(function (__unit, require) {…; return validateN;})`,
 * where `__unit(name)` is another unit's function, loaded on first use.
 */

type AjvFunction = ((data: unknown, options?: object) => boolean) & { errors?: SchemaError[] | null };

interface PackIndex {
  root: string;
  units: Record<string, [offset: number, sourceLength: number, cacheLength: number]>;
}

export interface PackUnit {
  source: string;
  cache?: Uint8Array;
}

export interface ValidatorPack {
  validate: Validate;
  /** The units compiled so far, and whether V8 took the code cache of each. */
  loaded(): Array<{ name: string; cached: boolean }>;
  /** For the build: loads every unit, then gives each one's code cache as it stands. */
  createCaches(): Map<string, Buffer>;
}

/** Writes a pack in place of `file` (a new file renamed over it: a process reading the old one keeps it whole). */
export function writeValidatorPack(file: string, root: string, units: Map<string, PackUnit>): void {
  const index: PackIndex = { root, units: {} };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, { source, cache }] of units) {
    const text = Buffer.from(source, 'latin1');
    if (text.toString('latin1') !== source || !text.every((b) => b < 0x80)) throw new Error(`validator unit ${name} is not ASCII`);
    index.units[name] = [offset, text.length, cache?.length ?? 0];
    blobs.push(text, cache ?? new Uint8Array(0));
    offset += text.length + (cache?.length ?? 0);
  }
  const header = Buffer.from(JSON.stringify(index), 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  writeFileSync(`${file}.tmp`, Buffer.concat([length, header, ...blobs]));
  renameSync(`${file}.tmp`, file);
}

/**
 * Opens a validator pack and compiles its root unit, with the code caches the build wrote unless
 * `useCache` is false. A cache from another Node version is rejected by V8 and that unit is
 * compiled from its source. The file stays open while the process runs, for the units still to load.
 */
export function loadGenerated(file: string, useCache = true): ValidatorPack {
  const fd = openSync(file, 'r');
  let index: PackIndex;
  let base: number;
  try {
    const length = readAt(fd, file, 0, 4).readUInt32LE(0);
    index = JSON.parse(readAt(fd, file, 4, length).toString('latin1')) as PackIndex;
    base = 4 + length;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const requireHere = createRequire(file);
  const units = new Map<string, { fn: AjvFunction; script: vm.Script; cached: boolean }>();
  const unit = (name: string): AjvFunction => {
    const hit = units.get(name);
    if (hit) return hit.fn;
    const entry = index.units[name];
    if (!entry) throw new Error(`${file} has no unit ${name}`);
    const [offset, sourceLength, cacheLength] = entry;
    const bytes = readAt(fd, file, base + offset, sourceLength + cacheLength);
    const cachedData = useCache && cacheLength ? bytes.subarray(sourceLength) : undefined;
    const script = new vm.Script(bytes.toString('latin1', 0, sourceLength), { filename: `${file}#${name}`, cachedData });
    const fn = (script.runInThisContext() as (u: typeof unit, r: NodeJS.Require) => AjvFunction)(unit, requireHere);
    units.set(name, { fn, script, cached: script.cachedDataRejected === false });
    return fn;
  };
  const root = unit(index.root);
  const validate: Validate = (data) => {
    const ok = root(data);
    validate.errors = root.errors ?? null;
    return ok;
  };
  return {
    validate,
    loaded: () => [...units].map(([name, u]) => ({ name, cached: u.cached })),
    createCaches() {
      for (const name of Object.keys(index.units)) unit(name);
      return new Map([...units].map(([name, u]) => [name, u.script.createCachedData()]));
    },
  };
}

/** `length` bytes of `file` from `position`; a pack cut short is an error, not a short unit. */
function readAt(fd: number, file: string, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) throw new Error(`${file} ends early: not a whole validator pack`);
    done += n;
  }
  return bytes;
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
