import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One folder per run where the packed package is installed once, for every test file that needs it.
    globalSetup: ['test/helpers/installed-package-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests spawn the CLI; two cores are enough for two forks at once.
    pool: 'forks',
    maxWorkers: 2,
  },
});
