import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests spawn the CLI; two cores are enough for two forks at once.
    pool: 'forks',
    maxWorkers: 2,
  },
});
