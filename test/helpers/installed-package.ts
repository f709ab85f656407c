import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { claimAndInstall, waitInstalled, type Installed } from './pack-install.js';

/*
 * The package as a bot project gets it: packed (from the dist `npm test` has just built), installed
 * from the tarball into an empty project. Packing and installing take seconds, so a test run does it
 * once: the global setup (installed-package-setup.ts) names a folder for the run, and starts the work
 * there at once when the run includes a file that needs it; otherwise the first file to ask does it.
 * Every other file waits for it and reuses it.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    cardInstallRoot: string | undefined;
  }
}

export type InstalledPackage = Installed;

let installing: Promise<InstalledPackage> | undefined;

/** The packed package installed in a project of its own, made once per test run. */
export function installedPackage(): Promise<InstalledPackage> {
  installing ??= (async () => {
    const root = rootForRun();
    await claimAndInstall(root);
    return waitInstalled(root);
  })();
  return installing;
}

function rootForRun(): string {
  let root: string | undefined;
  try {
    root = inject('cardInstallRoot');
  } catch {
    root = undefined;
  }
  if (root) return root;
  // Run without the global setup (another config): this process packs for itself and cleans up at exit.
  const own = mkdtempSync(join(tmpdir(), 'card-installed-'));
  process.once('exit', () => rmSync(own, { recursive: true, force: true }));
  return own;
}
