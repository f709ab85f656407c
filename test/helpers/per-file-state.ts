import { createRequire } from 'node:module';

/*
 * Run before every test file (vitest.config.ts setupFiles). Test files share a worker's module
 * graph (isolate: false), so state a dependency keeps for the whole process must start fresh for
 * each file, as it did when every file had a process of its own.
 *
 * @larksuiteoapi/node-sdk caches tenant tokens per app id in one process-wide cache; every
 * emulator serves the same default app with tokens of its own, so a token another file's
 * emulator issued would be sent to this file's and refused.
 */
const require = createRequire(import.meta.url);
const sdkPath = require.resolve('@larksuiteoapi/node-sdk');
if (require.cache[sdkPath]) {
  (require(sdkPath) as typeof import('@larksuiteoapi/node-sdk')).internalCache.values.clear();
}
