// Precompiles the card JSON Schemas into standalone validators (dist/card/generated), so
// `card lint` and every `card send` skip ajv's ~200 ms compile. Run by `npm run build`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { AJV_OPTIONS } = await import('../dist/card/validators.js');

const outDir = new URL('../dist/card/generated/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const version of ['1.0', '2.0']) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/card-v${version}.json`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  writeFileSync(new URL(`card-v${version}.js`, outDir), standaloneCode(ajv, validate));
}
