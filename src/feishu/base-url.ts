import { isLoopback } from '../http/loopback.js';
import { usageError } from '../output/errors.js';

export const DOMAINS = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
} as const;

export { isLoopback };

/**
 * `feishu`, `lark`, or a URL. Plain http is allowed only for loopback (the emulator): a token
 * or app secret must never cross a network unencrypted.
 */
export function resolveBaseUrl(input: string, source = 'base URL'): string {
  const named = DOMAINS[input.toLowerCase() as keyof typeof DOMAINS];
  if (named) return named;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw usageError(`${source} "${input}" is not feishu, lark or a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usageError(`${source} "${input}" must be an http(s) URL`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw usageError(`${source} "${input}" uses plain http on a non-loopback host`, {
      hint: 'Use https, or http only for 127.0.0.1 / localhost (the emulator).',
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The developer console for a base URL, for links in permission hints. */
export function consoleOrigin(baseUrl: string): string {
  return baseUrl.startsWith(DOMAINS.lark) ? DOMAINS.lark : DOMAINS.feishu;
}
