import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Here feishu-card-cli is this repository, linked (file:../..), and vitest would run a linked
// package's files through its transformer as the project's own source: seconds per test file.
// Left to Node, it loads as an installed package does. A bot project that installs feishu-card-cli
// from npm has it in node_modules, where vitest leaves it to Node anyway, and needs none of this.
const linkedPackage = new RegExp(`^${fileURLToPath(new URL('../../dist/', import.meta.url)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.js'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    server: { deps: { external: [linkedPackage] } },
  },
});
