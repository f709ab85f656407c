import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { PlatformError } from './http.js';

/**
 * Who may use the emulator's own API and inbox. Both have no auth and `/_emulator/state` holds the
 * apps' secrets, so a web page must not reach them: a page on another origin could move the clock
 * or click cards (its requests carry an Origin header that is not ours), and a DNS-rebinding page
 * reads them under its own name (its requests carry a Host header that is not ours).
 */

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

/** The name part of a Host header value (`name:port`, `[v6]:port`), lower-cased; null when malformed. */
export function hostName(header: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** The routes that trust only loopback and their own origin: the control API and the inbox. */
export function isPrivateRoute(pathname: string): boolean {
  return pathname === '/' || pathname === '/_emulator' || pathname.startsWith('/_emulator/');
}

/**
 * Throws a 403 unless the request names a host the emulator serves (a loopback name, or the
 * `--host` it was started with) and, when it carries an Origin, that origin is the emulator itself.
 */
export function checkTrusted(req: IncomingMessage, boundHost: string): void {
  const hostHeader = req.headers.host;
  const name = typeof hostHeader === 'string' ? hostName(hostHeader) : null;
  const own = boundHost.toLowerCase().replace(/^\[|\]$/g, '');
  const served = name !== null && (isLoopbackHost(name) || name.replace(/^\[|\]$/g, '') === own || LOOPBACK_NAMES.has(name));
  if (!served) {
    throw new PlatformError(
      403,
      403,
      `Refused: the Host header ${JSON.stringify(hostHeader ?? null)} is not an address this emulator serves. The control API and inbox answer only to localhost, 127.0.0.1, [::1] or the --host it was started with.`,
    );
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let same = false;
  try {
    const o = new URL(origin);
    same = o.protocol === 'http:' && o.host.toLowerCase() === String(hostHeader).trim().toLowerCase();
  } catch {
    same = false;
  }
  if (!same) {
    throw new PlatformError(403, 403, `Refused: a request from the web page at ${JSON.stringify(origin)} may not use the emulator's control API or inbox (only pages the emulator serves may).`);
  }
}
