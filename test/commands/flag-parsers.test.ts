import { describe, expect, it } from 'vitest';
import { parseEmulatorRateFlag, parseHeaderFlag, parseHeaderFlags, parseHostFlag, parseSendRateFlag, parseTokenTtlFlag } from '../../src/commands/options.js';
import { MAX_TOKEN_TTL_SECONDS } from '../../src/emulator/settings-limits.js';
import { Pacer } from '../../src/feishu/pacer.js';

const usage = (message: string | RegExp) => expect.objectContaining({ type: 'usage', message: expect.stringMatching(message) });

describe('--token-ttl', () => {
  it('takes whole seconds from 1 to a year, the control API bound', () => {
    expect(parseTokenTtlFlag('1')).toBe(1);
    expect(parseTokenTtlFlag(String(MAX_TOKEN_TTL_SECONDS))).toBe(MAX_TOKEN_TTL_SECONDS);
    for (const bad of ['1e13', '0.0001', '0', '-5', '', String(MAX_TOKEN_TTL_SECONDS + 1), 'Infinity']) {
      expect(() => parseTokenTtlFlag(bad)).toThrow(usage(/^--token-ttl must be a whole number of seconds from 1 to 31536000/));
    }
  });
});

describe('--host', () => {
  it('takes addresses and names, and refuses text that is neither, naming the flag', () => {
    expect(parseHostFlag('127.0.0.1')).toBe('127.0.0.1');
    expect(parseHostFlag('::')).toBe('::');
    expect(parseHostFlag('[::1]')).toBe('::1');
    expect(parseHostFlag('host.docker.internal')).toBe('host.docker.internal');
    for (const bad of ['bad host', 'a/b', 'x:80', '', 'a..b', 'http://x']) expect(() => parseHostFlag(bad)).toThrow(usage(/^--host ".*" is not an IP address or host name/));
  });
});

describe('--header', () => {
  it('refuses a line break in the name or the value (a second header smuggled in), as bad input', () => {
    expect(parseHeaderFlag('X-Trace: abc')).toEqual(['x-trace', 'abc']);
    expect(parseHeaderFlags(['a: 1', 'B:2'])).toEqual({ a: '1', b: '2' });
    expect(() => parseHeaderFlag('x\r\ny: z')).toThrow(usage(/^--header "x\\r\\ny: z": "x\\r\\ny" is not a header name/));
    expect(() => parseHeaderFlag('x: a\r\ny: z')).toThrow(usage(/may not hold line breaks/));
    expect(() => parseHeaderFlag('x: a\u0000')).toThrow(usage(/control characters/));
    expect(() => parseHeaderFlag('novalue')).toThrow(usage(/must be name:value/));
  });
});

describe('--rate', () => {
  it('for sends takes any positive rate, however slow, and nothing that is not one', () => {
    expect(parseSendRateFlag('1/min')).toEqual({ perSecond: 50, perMinute: 1 });
    expect(parseSendRateFlag('0.5/s')).toEqual({ perSecond: 0.5, perMinute: 1000 });
    for (const bad of ['0/min', '0', 'fast', '1e9', '9'.repeat(400)]) expect(() => parseSendRateFlag(bad)).toThrow(usage(/^--rate/));
  });

  it('for the emulator takes whole numbers, as the control API does', () => {
    const defaults = { perSecond: 50, perMinute: 1000 };
    expect(parseEmulatorRateFlag('5/s,100/min', defaults)).toEqual({ perSecond: 5, perMinute: 100 });
    for (const bad of ['0.5', '2000000/s', '1.5/min']) expect(() => parseEmulatorRateFlag(bad, defaults)).toThrow(usage(/whole numbers from 1 to 1000000/));
  });
});

describe('a slow pace', () => {
  const run = async (perSecond: number, perMinute: number, sends: number) => {
    let t = 0;
    const sleeps: number[] = [];
    const pacer = new Pacer(perSecond, perMinute, () => t, async (ms) => {
      sleeps.push(ms);
      t += ms;
    });
    const at: number[] = [];
    for (let i = 0; i < sends; i++) {
      await pacer.take();
      at.push(t);
    }
    return { at, sleeps };
  };

  it('below one send a minute still paces (bulk asks 95% of 1/min)', async () => {
    const { at } = await run(47.5, 0.95, 3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(60_000 / 0.95);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(60_000 / 0.95);
  });

  it('one a minute allows one send in any 60 s', async () => {
    const { at } = await run(47.5, 1, 3);
    expect(at.slice(1).map((x, i) => x - at[i]!)).toEqual([60_000, 60_000]);
  });

  it('waits longer than a timer can hold in steps a timer can hold', async () => {
    const { at, sleeps } = await run(1e-7, 1000, 2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1e10);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('refuses a rate of zero instead of sending as fast as it can', () => {
    expect(() => new Pacer(50, 0)).toThrow(RangeError);
  });
});
