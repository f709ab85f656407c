import { CliError } from '../output/errors.js';

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Who may be reached over plain http. 'loopback' for anything that carries a token or secret
 * (the platform, WPS): it must never cross a network unencrypted. 'any' for a handler URL the
 * user named, which gets only signed callbacks (replay, listen's forwarding).
 */
export type PlainHttpPolicy = 'loopback' | 'any';

const PLAIN: Record<string, string> = { 'http:': 'https', 'ws:': 'wss' };
const SECURE = new Set(['https:', 'wss:']);

/**
 * Throws a usage error (exit 2) for a URL the policy does not allow. The long connection's ws: and
 * wss: follow the same rule as http: and https:.
 */
export function checkTarget(url: URL, policy: PlainHttpPolicy): void {
  const secure = PLAIN[url.protocol];
  if (!secure && !SECURE.has(url.protocol)) throw new CliError('usage', `"${url.href}" is not an http(s) or ws(s) URL`);
  if (secure && policy === 'loopback' && !isLoopback(url.hostname)) {
    throw new CliError('usage', `${url.host} would be reached over plain ${url.protocol.slice(0, -1)} on a non-loopback host`, {
      hint: `Use ${secure}, or ${url.protocol.slice(0, -1)} only for 127.0.0.1 / localhost (the emulator).`,
    });
  }
}
