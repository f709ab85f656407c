import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../card/inspect.js';
import { usageError } from '../output/errors.js';
import { formatPath, getPath, isPrototypeKey, parseAssignment } from './paths.js';

export interface Expectation {
  path: Array<string | number>;
  label: string;
  value: unknown;
}

export interface ExpectationFailure {
  path: string;
  expected: unknown;
  actual: unknown;
  missing: boolean;
}

export function parseExpectations(pairs: string[]): Expectation[] {
  return pairs.map((pair) => {
    const a = parseAssignment(pair, '--expect');
    return { path: a.path, label: formatPath(a.path), value: a.value };
  });
}

const deepEqual = isDeepStrictEqual;

export function checkExpectations(answer: unknown, expectations: Expectation[]): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  for (const e of expectations) {
    const got = getPath(answer, e.path);
    // A plain-text expectation also matches the same number or boolean written as text.
    const ok = got.found && (deepEqual(got.value, e.value) || (typeof e.value === 'string' && String(got.value) === e.value && typeof got.value !== 'object'));
    if (!ok) failures.push({ path: e.label, expected: e.value, actual: got.value, missing: !got.found });
  }
  return failures;
}

/**
 * An expected subset (`--expect-file`) is refused when one of its keys names a prototype
 * (`__proto__`, `prototype`, `constructor`): no answer holds such a key, and reading it would
 * compare against the language's own objects.
 */
export function checkSubsetKeys(expected: unknown, flag: string, path: Array<string | number> = []): void {
  if (Array.isArray(expected)) expected.forEach((v, i) => checkSubsetKeys(v, flag, [...path, i]));
  else if (isObject(expected)) {
    for (const [k, v] of Object.entries(expected)) {
      if (isPrototypeKey(k)) throw usageError(`${flag}: the key "${k}" at ${formatPath(path)} is not allowed (it names the object's prototype, not a key of the answer)`);
      checkSubsetKeys(v, flag, [...path, k]);
    }
  }
}

/** Subset match: every key of `expected` must be in `actual` with an equal value; arrays match whole. */
export function subsetFailures(actual: unknown, expected: unknown, path: Array<string | number> = []): ExpectationFailure[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ path: formatPath(path), expected, actual, missing: actual === undefined }];
    // Own keys only: an inherited property is not something the handler answered.
    return Object.entries(expected).flatMap(([k, v]) => subsetFailures(Object.hasOwn(actual, k) ? actual[k] : undefined, v, [...path, k]));
  }
  return deepEqual(actual, expected) ? [] : [{ path: formatPath(path), expected, actual, missing: actual === undefined }];
}
