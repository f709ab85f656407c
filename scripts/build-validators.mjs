// Precompiles the card JSON Schemas into standalone validators (dist/card/generated), one pack per
// card version, so `card lint` and every `card send` skip ajv's ~200 ms compile, load only the
// version they check, and the emulator can load one synchronously. Each pack holds ajv's code cut
// into units (split-validator.mjs) that load as a card needs them, each with a V8 code cache written
// after the units have checked the shipped cards, so the functions a check runs are in it. Run by
// `npm run build`.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { splitValidator } from './split-validator.mjs';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { AJV_OPTIONS, generatedFile, loadGenerated, writeValidatorPack } = await import('../dist/card/validators.js');

const outDir = fileURLToPath(new URL('../dist/card/generated/', import.meta.url));
const cardsDir = new URL('../fixtures/cards/', import.meta.url);
const samples = readdirSync(cardsDir).map((f) => JSON.parse(readFileSync(new URL(f, cardsDir), 'utf8')));
/** What lint reads of an error (src/card/check.ts): where, which keyword, its params and message. */
const judged = (errors) => JSON.stringify((errors ?? []).map((e) => [e.instancePath, e.keyword, e.params, e.message, e.schemaPath.includes('/propertyNames/')]));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const version of ['1.0', '2.0']) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/card-v${version}.json`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  const whole = ajv.compile(schema);
  const { root, units: cut } = splitValidator(standaloneCode(ajv, whole));
  // ASCII only (the schemas' few other characters sit in string literals, where \u escapes read
  // the same), so that loading a unit copies its text instead of decoding UTF-8 (validators.ts).
  const units = new Map([...cut].map(([name, source]) => [name, source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)]));
  const file = generatedFile(version, outDir);
  writeValidatorPack(file, root, new Map([...units].map(([name, source]) => [name, { source }])));
  const pack = loadGenerated(file, false);
  // The cut judges as ajv does; the test suite holds it to that on many more cards (lint.test.ts).
  for (const card of samples) {
    const ok = pack.validate(card);
    if (ok !== whole(card) || judged(pack.validate.errors) !== judged(whole.errors)) throw new Error(`card-v${version}: the split validator judges a shipped card differently from ajv`);
  }
  const caches = pack.createCaches();
  writeValidatorPack(file, root, new Map([...units].map(([name, source]) => [name, { source, cache: caches.get(name) }])));
}
