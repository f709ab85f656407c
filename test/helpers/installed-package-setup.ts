import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Names the folder where this run installs the packed package (see installed-package.ts) and removes
 * it when the run ends. Nothing is packed here: a run whose files never ask pays nothing.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'card-installed-'));
  project.provide('cardInstallRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
