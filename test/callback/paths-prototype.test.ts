import { describe, expect, it } from 'vitest';
import { checkExpectations, checkSubsetKeys, parseExpectations, subsetFailures } from '../../src/callback/expect.js';
import { getPath, parseAssignment, parsePath, setPath } from '../../src/callback/paths.js';
import { valueMatches } from '../../src/testing/elements.js';

/** Paths given by a user (--set, --expect, --expect-file) never reach an object's prototype. */
describe('prototype segments in user-given paths', () => {
  it.each(['__proto__.x', 'event.constructor.prototype.x', 'a.prototype', 'header[0].__proto__'])('parsePath refuses %s, naming the flag and the segment', (path) => {
    expect(() => parsePath(path, '--set')).toThrow(/--set .*segment "(__proto__|constructor|prototype)" is not allowed/);
  });

  it('a --set of __proto__.x leaves Object.prototype alone and names --set', () => {
    let err: any;
    try {
      parseAssignment('__proto__.polluted=1', '--set');
    } catch (e) {
      err = e;
    }
    expect(err?.type).toBe('usage');
    expect(err.message).toContain('--set');
    expect(err.message).toContain('__proto__');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('setPath refuses a prototype segment built elsewhere and never writes through an inherited value', () => {
    const target: Record<string, unknown> = {};
    expect(() => setPath(target, ['__proto__', 'polluted'], 1)).toThrow(/__proto__/);
    expect(() => setPath(target, ['constructor', 'prototype', 'polluted'], 1)).toThrow(/constructor/);
    expect(({} as any).polluted).toBeUndefined();
    // `toString` is inherited, not the payload's: it is replaced by an own object, never written into.
    setPath(target, ['toString', 'x'], 1);
    expect(target.toString).toEqual({ x: 1 });
    expect(typeof Object.prototype.toString).toBe('function');
  });

  it('reading never finds what the payload only inherits', () => {
    expect(getPath({}, ['constructor']).found).toBe(false);
    expect(getPath({ a: {} }, ['a', '__proto__']).found).toBe(false);
    expect(() => parseExpectations(['constructor.name=Object'])).toThrow(/--expect .*"constructor"/);
  });

  it('--expect-file keys that name a prototype are refused, and subsets compare own keys only', () => {
    const subset = JSON.parse('{"toast": {"__proto__": {}}}');
    expect(() => checkSubsetKeys(subset, '--expect-file x.json')).toThrow(/--expect-file x\.json: the key "__proto__" at \$\.toast/);
    // Without the refusal, an own "__proto__" key must still not match the answer's inherited prototype.
    expect(subsetFailures({ toast: {} }, subset)).toHaveLength(1);
    expect(checkExpectations({ a: 1 }, parseExpectations(['a=1']))).toEqual([]);
  });

  it('the testing library matches own keys only', () => {
    expect(valueMatches({}, JSON.parse('{"__proto__": {}}'))).toBe(false);
    expect(valueMatches({ a: { b: 1 } }, { a: { b: 1 } })).toBe(true);
  });
});
