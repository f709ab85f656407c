// Writes docs/coverage.md from the official SDK's route list and the emulator's declared routes
// (run after `npm run build`; `npm test` checks the file is current).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const sdkMain = require.resolve('@larksuiteoapi/node-sdk');
const sdkVersion = JSON.parse(readFileSync(new URL('../node_modules/@larksuiteoapi/node-sdk/package.json', import.meta.url), 'utf8')).version;
const { sdkRoutes, coverageTable, COUNTED_NAMESPACES, OTHER_NAMESPACES } = await import(new URL('../dist/emulator/catalogue/coverage.js', import.meta.url));
const { PLATFORM_ROUTES } = await import(new URL('../dist/emulator/routes/index.js', import.meta.url));
const platform = sdkRoutes(readFileSync(sdkMain, 'utf8'), [...COUNTED_NAMESPACES, ...OTHER_NAMESPACES]);
writeFileSync(`${root}docs/coverage.md`, coverageTable(platform, PLATFORM_ROUTES, sdkVersion));
console.log(`docs/coverage.md: ${platform.length} platform routes, ${PLATFORM_ROUTES.length} answered`);
