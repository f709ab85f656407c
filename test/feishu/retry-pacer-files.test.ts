import { describe, expect, it } from 'vitest';
import { parseFaults, pickFault } from '../../src/emulator/faults.js';
import { Pacer, parseRateSpec } from '../../src/feishu/pacer.js';
import { parseCsv, parseReceiverFile } from '../../src/feishu/receiver-file.js';
import { DEFAULT_RETRY, retryDelay } from '../../src/http/retry.js';
import { CliError } from '../../src/output/errors.js';

describe('retryDelay', () => {
  const half = () => 0.5;
  const net = (code: string) => ({ kind: 'network' as const, error: new CliError('network', 'x', { code }) });

  it('always retries a rate limit, waiting for the reset the platform gave', () => {
    expect(retryDelay({ kind: 'rate-limited', resetSeconds: 2 }, 0, false, DEFAULT_RETRY, half)).toBe(2050);
    expect(retryDelay({ kind: 'rate-limited', resetSeconds: null }, 0, false, DEFAULT_RETRY, half)).toBeGreaterThan(0);
  });

  it('retries 5xx and lost answers only for idempotent calls', () => {
    expect(retryDelay({ kind: 'server-error', status: 500 }, 0, true, DEFAULT_RETRY, half)).toBe(125);
    expect(retryDelay({ kind: 'server-error', status: 500 }, 0, false, DEFAULT_RETRY, half)).toBeNull();
    expect(retryDelay(net('UND_ERR_SOCKET'), 0, false, DEFAULT_RETRY, half)).toBeNull();
    expect(retryDelay(net('timeout'), 1, true, DEFAULT_RETRY, half)).toBe(250);
    // A refused connection never reached the server, so even a non-idempotent call may go again.
    expect(retryDelay(net('ECONNREFUSED'), 0, false, DEFAULT_RETRY, half)).toBe(125);
  });

  it('backs off exponentially with jitter, capped, and stops after the bounded count', () => {
    const full = () => 1;
    expect([0, 1, 2, 3].map((a) => retryDelay({ kind: 'server-error', status: 503 }, a, true, DEFAULT_RETRY, full))).toEqual([250, 500, 1000, 2000]);
    expect(retryDelay({ kind: 'server-error', status: 503 }, 10, true, { ...DEFAULT_RETRY, retries: 20 }, full)).toBe(8000);
    expect(retryDelay({ kind: 'server-error', status: 503 }, 4, true, DEFAULT_RETRY, full)).toBeNull();
    expect(retryDelay({ kind: 'final' }, 0, true, DEFAULT_RETRY)).toBeNull();
  });
});

describe('Pacer', () => {
  it('spaces requests evenly and honours the per-minute cap and pauses', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const pacer = new Pacer(10, 25, () => t, async (ms) => {
      sleeps.push(ms);
    });
    const slots: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = sleeps.length;
      await pacer.take();
      slots.push(t + (sleeps[before] ?? 0));
    }
    expect(slots.slice(0, 3)).toEqual([0, 100, 200]);
    // The 26th request waits for the first of the minute to age out.
    expect(slots[25]).toBe(60_000);
    t = 70_000;
    pacer.pauseUntil(75_000);
    const before = sleeps.length;
    await pacer.take();
    expect(sleeps[before]).toBeGreaterThanOrEqual(5000);
  });

  it('re-spaces a waiter that woke far past its slot instead of letting it burst', async () => {
    let t = 0;
    // Every sleep oversleeps by 500 ms, as a stalled event loop would.
    const pacer = new Pacer(10, 1000, () => t, async (ms) => {
      t += ms + 500;
    });
    const sendTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.take();
      sendTimes.push(t);
    }
    const gaps = sendTimes.slice(1).map((x, i) => x - sendTimes[i]!);
    expect(gaps.every((g) => g >= 100)).toBe(true);
  });

  it('parses rate specs', () => {
    expect(parseRateSpec('50/s,3000/min')).toEqual({ perSecond: 50, perMinute: 3000 });
    expect(parseRateSpec('20')).toEqual({ perSecond: 20, perMinute: 1000 });
    expect(parseRateSpec(undefined)).toEqual({ perSecond: 50, perMinute: 1000 });
    expect(parseRateSpec('fast')).toBeNull();
  });
});

describe('receiver files', () => {
  it('parses RFC 4180 CSV: quotes, doubled quotes, commas and newlines inside, CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,\n').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['last', ''],
    ]);
  });

  it('reads CSV rows with variables typed like --var, and NDJSON', () => {
    const csv = parseReceiverFile('to,to_type,name,amount\nalice@example.com,,Alice,42\nabc123,user_id,Bob,"007"\n', 'p.csv');
    expect(csv).toEqual([
      { line: 2, to: 'alice@example.com', receiveIdType: null, vars: { name: 'Alice', amount: 42 } },
      { line: 3, to: 'abc123', receiveIdType: 'user_id', vars: { name: 'Bob', amount: '007' } },
    ]);
    const nd = parseReceiverFile('{"to":"ou_1","vars":{"n":1}}\n\n{"to":"oc_2","extra":true}\n', 'p.ndjson');
    expect(nd).toEqual([
      { line: 1, to: 'ou_1', receiveIdType: null, vars: { n: 1 } },
      { line: 3, to: 'oc_2', receiveIdType: null, vars: { extra: true } },
    ]);
  });

  it('names the file and line of what is wrong', () => {
    expect(() => parseReceiverFile('name\nAlice\n', 'p.csv')).toThrow('p.csv:1: the header needs a "to" column');
    expect(() => parseReceiverFile('to,name\nalice@example.com\n', 'p.csv')).toThrow('p.csv:2: 1 fields, but the header has 2');
    expect(() => parseReceiverFile('{"to":"ou_1"}\n{"name":"x"}\n', 'p.ndjson')).toThrow('p.ndjson:2: "to" is missing');
    expect(() => parseReceiverFile('{"to":"ou_1"}\n{oops\n', 'p.ndjson')).toThrow('p.ndjson:2: not valid JSON');
  });
});

describe('fault specs', () => {
  it('spreads a single rate and reads named ones', () => {
    expect(parseFaults('0.2')).toMatchObject({ drop: 0.05, error: 0.05, slow: 0.05, rateLimit: 0.05 });
    expect(parseFaults('500=0.1,slow_ms=50')).toMatchObject({ error: 0.1, drop: 0, slowMs: 50 });
    expect(() => parseFaults('drop=0.7,500=0.7')).toThrow('more than 1');
    expect(() => parseFaults('boom=1')).toThrow('not one of');
    const f = parseFaults('429=0.5');
    expect(pickFault(f, () => 0.4)).toBe('rateLimit');
    expect(pickFault(f, () => 0.6)).toBeNull();
  });
});
