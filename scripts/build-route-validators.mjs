// Compiles the request schemas of every declared emulator route into one standalone module
// (dist/emulator/catalogue/generated/route-validators.cjs), keyed by each schema's hash, so the
// emulator checks requests without loading ajv or compiling at run time (a first send used to wait
// ~0.5 s for both). Run by `npm run build`, after tsc.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const { PLATFORM_ROUTES } = await import('../dist/emulator/routes/index.js');
const { schemaKey, AJV_ROUTE_OPTIONS } = await import('../dist/emulator/catalogue/declare.js');

const outDir = fileURLToPath(new URL('../dist/emulator/catalogue/generated/', import.meta.url));
const ajv = new Ajv({ ...AJV_ROUTE_OPTIONS, code: { source: true, esm: false } });
const exports = {};
for (const route of PLATFORM_ROUTES) {
  const d = route.declared;
  if (!d) continue;
  for (const schema of [d.params, d.query, d.body]) {
    if (!schema || schema === 'raw') continue;
    const key = schemaKey(schema.json);
    if (exports[key]) continue;
    ajv.addSchema(schema.json, key);
    exports[key] = key;
  }
}
mkdirSync(outDir, { recursive: true });
// ASCII only, as the card validators: non-ASCII sits in string literals, where \u escapes read the same.
const code = standaloneCode(ajv, exports).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(`${outDir}route-validators.cjs`, code);
console.log(`route validators: ${Object.keys(exports).length} schemas`);
