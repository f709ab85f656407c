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

/** Throws a usage error (exit 2) for a URL the policy does not allow. */
export function checkTarget(url: URL, policy: PlainHttpPolicy): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError('usage', `${url.origin} is not an http(s) URL`);
  if (url.protocol === 'http:' && policy === 'loopback' && !isLoopback(url.hostname)) {
    throw new CliError('usage', `${url.host} would be reached over plain http on a non-loopback host`, {
      hint: 'Use https, or http only for 127.0.0.1 / localhost (the emulator).',
    });
  }
}
