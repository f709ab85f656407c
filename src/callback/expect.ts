import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../card/inspect.js';
import { formatPath, getPath, parseAssignment } from './paths.js';

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

/** Subset match: every key of `expected` must be in `actual` with an equal value; arrays match whole. */
export function subsetFailures(actual: unknown, expected: unknown, path: Array<string | number> = []): ExpectationFailure[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ path: formatPath(path), expected, actual, missing: actual === undefined }];
    return Object.entries(expected).flatMap(([k, v]) => subsetFailures(actual[k], v, [...path, k]));
  }
  return deepEqual(actual, expected) ? [] : [{ path: formatPath(path), expected, actual, missing: actual === undefined }];
}
