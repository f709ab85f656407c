import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/emulator/query.js';

describe('request queries, parsed once and shared', () => {
  it('reads hostile queries as plain data, and the shared forms cannot be changed', () => {
    const q = parseQuery('__proto__=polluted&constructor=x&a=%ZZ&a=2&b=%E4%B8%AD');
    expect(q.record).toEqual({ ['__proto__']: 'polluted', constructor: 'x', a: '2', b: '中' });
    expect(Object.getPrototypeOf(q.record)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(q.params.getAll('a')).toEqual(['%ZZ', '2']);
    expect(Object.isFrozen(q.record)).toBe(true);
    expect(() => q.params.set('a', '3')).toThrow(/cannot be changed/);
    expect(() => q.params.append('c', '1')).toThrow(/cannot be changed/);
    expect(() => q.params.delete('a')).toThrow(/cannot be changed/);
    expect(() => q.params.sort()).toThrow(/cannot be changed/);
    expect(q.params.get('a')).toBe('%ZZ');
  });

  it('gives the same parse for the same query, and stays bounded under ever new ones', () => {
    expect(parseQuery('receive_id_type=chat_id')).toBe(parseQuery('receive_id_type=chat_id'));
    const first = parseQuery('n=0');
    for (let i = 1; i < 2000; i++) parseQuery(`n=${i}`);
    // The memo was emptied on the way: the query is parsed afresh, to the same values.
    const again = parseQuery('n=0');
    expect(again).not.toBe(first);
    expect(again.record).toEqual(first.record);
    const long = `x=${'y'.repeat(600)}`;
    expect(parseQuery(long)).not.toBe(parseQuery(long));
  });
});
