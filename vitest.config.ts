import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One folder per run where the packed package is installed once, for every test file that needs it.
    globalSetup: ['test/helpers/installed-package-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CLI tests run the CLI in their own process (test/helpers/cli.ts); two forks fill two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
