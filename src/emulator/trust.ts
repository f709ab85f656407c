import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { PlatformError } from './http.js';

/**
 * Who may use the emulator at all. The default seed's app secrets are published, and the control API
 * and inbox have no auth, so a web page must reach none of it: a DNS-rebinding page calls the emulator
 * under its own name (its requests carry a Host header that is not ours) and could get a tenant token
 * and read every message; a page on another origin could move the clock or click cards (its requests
 * carry an Origin header that is not ours). Server-side SDKs send no Origin and name the emulator by
 * an address it knows: loopback, its `--host`, or a name allowed with `--allow-host`.
 */

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

/** A name as compared: lower-case, no brackets, no trailing dot. */
function bare(name: string): string {
  return name.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/**
 * An `--allow-host` value as the emulator compares it (a bare name or IP; a port is ignored, since
 * the emulator has one), or null when it is not a host name.
 */
export function allowedHostName(value: string): string | null {
  const v = value.trim();
  if (v === '' || v.includes('*')) return null;
  // An IPv6 address may come without brackets.
  if (isIP(v) === 6) return bare(v);
  const name = hostName(v);
  if (name === null) return null;
  const b = bare(name);
  return isIP(b) || /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(b) ? b : null;
}

/** The names an emulator answers to besides loopback: the address it listens on and the allowed names. */
export interface TrustedHosts {
  bound: string;
  allowed: readonly string[];
}

function served(name: string, trusted: TrustedHosts): boolean {
  const b = bare(name);
  return isLoopbackHost(b) || b === bare(trusted.bound) || trusted.allowed.includes(b);
}

/**
 * The last Host header found served, per emulator: a client sends the same one on every request,
 * so it is parsed and compared once rather than on every request (the Origin is still checked).
 */
const lastServed = new WeakMap<TrustedHosts, string>();

/**
 * Throws a 403 unless the request names a host the emulator serves (a loopback name, the `--host`
 * it was started with, or an `--allow-host` name) and, when it carries an Origin, that origin is
 * the emulator itself under that name.
 */
export function checkTrusted(req: IncomingMessage, trusted: TrustedHosts): void {
  const hostHeader = req.headers.host;
  if (hostHeader === undefined || lastServed.get(trusted) !== hostHeader) checkHost(hostHeader, trusted);
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
    throw new PlatformError(403, 403, `Refused: a request from the web page at ${JSON.stringify(origin)} may not use the emulator (only pages the emulator serves may; SDKs send no Origin).`);
  }
}

/** Throws the 403 unless the Host header names a host the emulator serves; remembers one that does. */
function checkHost(hostHeader: string | undefined, trusted: TrustedHosts): void {
  const name = typeof hostHeader === 'string' ? hostName(hostHeader) : null;
  if (name === null || !served(name, trusted)) {
    const hint = name === null ? '' : ` To let clients reach it under this name (say an SDK in a container), start it with --allow-host ${bare(name)} (allowHosts in startEmulator's options).`;
    throw new PlatformError(
      403,
      403,
      `Refused: the Host header ${JSON.stringify(hostHeader ?? null)} is not a name this emulator serves; it answers only to localhost, 127.0.0.1, [::1], the --host it was started with and --allow-host names.${hint}`,
    );
  }
  lastServed.set(trusted, hostHeader!);
}
