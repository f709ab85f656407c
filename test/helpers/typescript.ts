import { transformSync } from 'rolldown/utils';

/*
 * Generated TypeScript (the recorder's tests), read as a bot project's tools read it: parsed and its
 * types stripped by oxc, the transformer rolldown (this repository's bundler) ships. TypeScript 7's
 * compiler is a native program with no in-process API, so a test that only needs a file parsed and
 * stripped does it here rather than by running `tsc`.
 */

/** The syntax errors oxc finds in `code`, one line each: empty when it parses. */
export function syntaxErrors(code: string, file = 'generated.ts'): string[] {
  return transformSync(file, code, { lang: 'ts' }).errors.map((e) => plain(e.message));
}

/** `code` as JavaScript (ES2022 modules): its types stripped. Throws with the syntax errors when it does not parse. */
export function stripTypes(code: string, file = 'generated.ts'): string {
  const out = transformSync(file, code, { lang: 'ts', target: 'es2022' });
  if (out.errors.length) throw new Error(`${file} does not parse:\n${out.errors.map((e) => plain(e.message)).join('\n')}`);
  return out.code;
}

// oxc colours its messages for a terminal; an assertion shows them as text.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
