import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One folder per run where the packed package is installed once, for every test file that needs it.
    globalSetup: ['test/helpers/installed-package-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Three forks for two cores: a file waiting on a child process, a browser or the packed install
    // leaves its core to the other two, so the cores stay busy (on 2 cores, 2 forks left them idle
    // a tenth of the run). Forks, not threads: the linear-time tests read process.cpuUsage(), which
    // in a thread counts the other workers' time too.
    pool: 'forks',
    maxWorkers: 3,
    // Each fork runs its files one after another in one module graph: importing src/ and the
    // in-process CLI's commands again for every file was a third of the suite's CPU time. What a
    // dependency keeps for the whole process is reset before each file (per-file-state.ts).
    isolate: false,
    setupFiles: ['test/helpers/per-file-state.ts'],
  },
});
