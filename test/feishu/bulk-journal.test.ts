import { describe, expect, it } from 'vitest';
import { planResume, rowKey, rowUuid, type Journal } from '../../src/feishu/bulk-journal.js';

const row = (line: number, to: string, vars: Record<string, unknown> = {}, receiveIdType: string | null = null) => ({ line, to, receiveIdType, vars });

describe('rowKey', () => {
  it('is what the row is: receiver, to_type and variables, whatever their order or line', () => {
    expect(rowKey(row(2, 'a@x.io', { a: 1, b: { c: 2, d: 3 } }))).toBe(rowKey(row(9, 'a@x.io', { b: { d: 3, c: 2 }, a: 1 })));
    expect(rowKey(row(2, 'a@x.io', { a: 1 }))).not.toBe(rowKey(row(2, 'a@x.io', { a: 2 })));
    expect(rowKey(row(2, 'a@x.io'))).not.toBe(rowKey(row(2, 'a@x.io', {}, 'email')));
    expect(rowUuid('base', rowKey(row(2, 'a@x.io')))).toHaveLength(40);
  });
});

describe('planResume', () => {
  const header = { kind: 'run' as const, version: 2 as const, base_uuid: 'b', card_sha256: 'c', started_at: '2026-11-26T00:00:00.000Z' };
  const entry = (r: ReturnType<typeof row>, status: 'sent' | 'attempted' | 'failed', at: number) => ({ kind: (status === 'attempted' ? 'attempt' : 'result') as 'attempt' | 'result', key: rowKey(r), line: r.line, to: r.to, uuid: 'u', at: new Date(at).toISOString(), status });
  const now = Date.parse('2026-11-26T12:00:00.000Z');

  it('sorts rows into sent, unknown within the uuid window, and unknown past it', () => {
    const [a, b, c, d] = [row(2, 'a@x.io'), row(3, 'b@x.io'), row(4, 'c@x.io'), row(5, 'd@x.io')];
    const journal: Journal = {
      header,
      rows: new Map([
        [rowKey(a), entry(a, 'sent', now - 1000)],
        [rowKey(b), entry(b, 'attempted', now - 10 * 60_000)],
        [rowKey(c), entry(c, 'attempted', now - 2 * 3600_000)],
        [rowKey(d), entry(d, 'failed', now - 1000)],
      ]),
    };
    const plan = planResume(journal, [a, b, c, d], { file: 'f.csv', resultsFile: 'r', cardSha256: 'c', now });
    expect([...plan.sent]).toEqual([rowKey(a)]);
    expect(plan.retryUnknown.map((e) => e.to)).toEqual(['b@x.io']);
    expect(plan.expiredUnknown.map((e) => e.to)).toEqual(['c@x.io']);
  });

  it('refuses a changed card, and a sent row now with other variables', () => {
    const a = row(2, 'a@x.io', { n: 1 });
    const journal: Journal = { header, rows: new Map([[rowKey(a), entry(a, 'sent', now)]]) };
    expect(() => planResume(journal, [a], { file: 'f', resultsFile: 'r', cardSha256: 'other', now })).toThrow(/card differs/);
    expect(() => planResume(journal, [row(7, 'a@x.io', { n: 2 })], { file: 'f', resultsFile: 'r', cardSha256: 'c', now })).toThrow(/line 7 \(a@x\.io\) was sent from line 2/);
    // A row deleted from the file is simply not sent.
    expect(planResume(journal, [row(2, 'z@x.io')], { file: 'f', resultsFile: 'r', cardSha256: 'c', now }).sent.size).toBe(0);
  });
});
