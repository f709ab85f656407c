import { isAbsolute, join, relative, resolve } from 'node:path';
import { resolveIn } from '../input/user-file.js';
import { writePrivateFile } from './recording-files.js';

/**
 * Writes a recording inside `dir` under a fresh name: never over an earlier file (a counter from
 * an earlier run starts at 1 again), never through a link, never outside `dir`. A relative `dir`
 * starts from `cwd` (the process's working directory without one); the path returned names it as given.
 */
export async function saveRecording(dir: string, nameFor: (n: number) => string, n: number, fixture: (name: string) => unknown, cwd?: string): Promise<string> {
  const root = resolve(resolveIn(cwd, dir));
  for (let k = n; k < n + 1000; k++) {
    const name = nameFor(k);
    const path = resolve(root, `${name}.json`);
    const rel = relative(root, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel !== `${name}.json`) throw new Error(`recording name "${name}" is not a plain file name`);
    try {
      await writePrivateFile(path, `${JSON.stringify(fixture(name), null, 2)}\n`);
      return join(dir, `${name}.json`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free file name for recording ${nameFor(n)} in ${dir}`);
}
