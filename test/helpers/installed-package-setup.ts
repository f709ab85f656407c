import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { claimAndInstall } from './pack-install.js';

/** The test files that install the packed package (through installed-package.ts). */
const USERS = ['test/project/package.test.ts', 'test/project/readme-examples.test.ts', 'test/project/card-types.test.ts', 'test/testing/recorded-test-runs.test.ts'];

/**
 * Names the folder where this run installs the packed package (see installed-package.ts) and removes
 * it when the run ends. When the run includes a file that needs the package (a whole-suite run, or a
 * filter that matches one), packing starts here at once, beside the first test files, so no worker
 * sits waiting for it later; a run of other files pays nothing.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'card-installed-'));
  project.provide('cardInstallRoot', root);
  const filters = filtersOf(process.argv);
  const needed = filters.length === 0 || USERS.some((file) => filters.some((f) => file.includes(f)));
  // A failure is written to the folder for the files that wait on it; the setup itself goes on.
  const inflight = needed ? claimAndInstall(root)?.catch(() => undefined) : undefined;
  return async () => {
    await inflight;
    rmSync(root, { recursive: true, force: true });
  };
}

/** The file filters on vitest's command line: its words after `run` that are not options. */
export function filtersOf(argv: string[]): string[] {
  const at = argv.findIndex((a) => a === 'run' || a === 'related' || a === 'watch' || a === 'dev');
  const words = at >= 0 ? argv.slice(at + 1) : argv.slice(2).filter((a) => !/vitest/.test(a));
  // A word after an option may be that option's value; taking it as a filter only makes packing lazy.
  return words.filter((a) => !a.startsWith('-'));
}
