// Precompiles the card JSON Schemas into standalone validators (dist/card/generated), one file
// per card version, so `card lint` and every `card send` skip ajv's ~200 ms compile and load
// only the version they check. CommonJS, so the emulator can load one synchronously.
// Run by `npm run build`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { AJV_OPTIONS } = await import('../dist/card/validators.js');

const outDir = new URL('../dist/card/generated/', import.meta.url);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const version of ['1.0', '2.0']) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/card-v${version}.json`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  const validate = ajv.compile(schema);
  writeFileSync(new URL(`card-v${version}.cjs`, outDir), standaloneCode(ajv, validate));
}
