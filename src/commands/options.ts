import { isIP } from 'node:net';
import { MAX_RATE, MAX_TOKEN_TTL_SECONDS } from '../emulator/settings-limits.js';
import { parseRateSpec, type RateSpec } from '../feishu/pacer.js';
import { usageError } from '../output/errors.js';

/**
 * Parsers for flag values that need more than a type: each takes the raw text and the flag's
 * name and returns the value, or throws a usage error (exit 2) naming the flag. They fit
 * commander's `.argParser()` as `(v) => parseX(v, '--flag')`.
 */

/** An address to listen on: an IP address or a DNS name (`localhost`, `host.docker.internal`). */
export function parseHostFlag(value: string, flag = '--host'): string {
  const v = value.trim();
  const bare = v.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  const labels = v.replace(/\.$/, '').split('.');
  const isName = v.length <= 253 && labels.every((l) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l));
  if (!isName) throw usageError(`${flag} "${value}" is not an IP address or host name`, { hint: `e.g. ${flag} 127.0.0.1, ${flag} 0.0.0.0 or ${flag} localhost` });
  return v;
}

/** Token lifetime in seconds: a whole number from 1 s to a year, as the control API takes it. */
export function parseTokenTtlFlag(value: string, flag = '--token-ttl'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_TOKEN_TTL_SECONDS) {
    throw usageError(`${flag} must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS} (a year), not "${value}"`);
  }
  return n;
}

// RFC 9110: a field name is a token; a value holds visible characters, spaces and tabs only,
// so a CR or LF cannot start a second header.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** `name:value` as one request header, [lower-case name, value]. */
export function parseHeaderFlag(pair: string, flag = '--header'): [string, string] {
  const i = pair.indexOf(':');
  if (i <= 0) throw usageError(`${flag} ${JSON.stringify(pair)} must be name:value`);
  const name = pair.slice(0, i).trim();
  const value = pair.slice(i + 1).trim();
  if (!HEADER_NAME.test(name)) throw usageError(`${flag} ${JSON.stringify(pair)}: ${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+.^_\`|~- only)`);
  if (!HEADER_VALUE.test(value)) throw usageError(`${flag} ${JSON.stringify(pair)}: a header value may not hold line breaks or other control characters`);
  return [name.toLowerCase(), value];
}

/** Repeated `--header name:value` flags as one record. */
export function parseHeaderFlags(pairs: string[] = [], flag = '--header'): Record<string, string> {
  return Object.fromEntries(pairs.map((p) => parseHeaderFlag(p, flag)));
}

/** `--rate` for pacing sends: any positive rate, however slow (`1/min`, `0.5/s`). */
export function parseSendRateFlag(value: string | undefined, flag = '--rate'): RateSpec {
  const rate = parseRateSpec(value);
  if (!rate) throw usageError(`${flag} "${value}" must look like 50, 50/s, 1/min or 50/s,1000/min (positive numbers)`);
  return rate;
}

/** `--rate` for the emulator's limits: whole numbers from 1 to the control API's bound. */
export function parseEmulatorRateFlag(value: string, defaults: RateSpec, flag = '--rate'): RateSpec {
  const rate = parseRateSpec(value, defaults);
  const whole = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_RATE;
  if (!rate || !whole(rate.perSecond) || !whole(rate.perMinute)) {
    throw usageError(`${flag} "${value}" must look like 50 or 50/s,3000/min, with whole numbers from 1 to ${MAX_RATE}`);
  }
  return rate;
}
