// Precompiles the card JSON Schemas into standalone validators (dist/card/generated), one
// CommonJS file per card version, so `card lint` and every `card send` skip ajv's ~200 ms
// compile, load only the version they check, and the emulator can load one synchronously.
// Beside each file goes a V8 code cache, written after the validator has checked the shipped
// cards so the functions a check runs are in it. Run by `npm run build`.
import { readdirSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { AJV_OPTIONS, generatedFile, loadGenerated } = await import('../dist/card/validators.js');

const outDir = fileURLToPath(new URL('../dist/card/generated/', import.meta.url));
const cardsDir = new URL('../fixtures/cards/', import.meta.url);
const samples = readdirSync(cardsDir).map((f) => JSON.parse(readFileSync(new URL(f, cardsDir), 'utf8')));
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const version of ['1.0', '2.0']) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/card-v${version}.json`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  const file = generatedFile(version, outDir);
  // ASCII only (the schemas' few other characters sit in string literals, where \u escapes read
  // the same), so that loading it copies its text instead of decoding UTF-8 (validators.ts).
  const code = standaloneCode(ajv, ajv.compile(schema)).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(file, code);
  const { validate, script } = loadGenerated(file, false);
  for (const card of samples) validate(card);
  writeFileSync(`${file}.v8cache`, script.createCachedData());
}
