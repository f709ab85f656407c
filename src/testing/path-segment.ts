import { TestEmulatorError } from './errors.js';

/**
 * An id as one segment of a control-API path. encodeURIComponent leaves `.` alone (and turns `%`
 * into `%25`, so `%2e` stays an id), and URL parsing treats a segment of `.` or `..` as a step
 * within the path, so `DELETE …/members/..` would reach another route. An id is never one of
 * those, nor empty, so the library refuses it rather than send a request other than the one asked for.
 */
export function idSegment(id: string, what: string): string {
  if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
    throw new TestEmulatorError(`${what} ${JSON.stringify(id)} is not an id: give the ${what} as the emulator answered it`);
  }
  return encodeURIComponent(id);
}
