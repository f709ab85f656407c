import type { Fixture } from './fixtures.js';
import type { PreparedRequest, ReplayKeys } from './prepare.js';

/** Where each key of a replay came from, said when a handler seems unable to use it. */
export interface KeySources {
  encryptKey?: string | null;
  verificationToken?: string | null;
  wps?: string | null;
}

/** A credential source as resolveCredentials names it (`flag`, `env NAME`, `profile NAME`), said for a person. */
export function describeSource(source: string, flag: string): string {
  if (source === 'flag') return `the ${flag} flag`;
  if (source.startsWith('env ')) return `the environment variable ${source.slice(4)}`;
  if (source.startsWith('profile ')) return `profile "${source.slice(8).replace(/ \(.*\)$/, '')}"`;
  return source;
}

/**
 * What a handler must hold to read this request, when it was protected at all: the body
 * encrypted with the Encrypt Key, or a signature it checks (the Encrypt Key for 2.0 callbacks
 * and events, the Verification Token for the legacy callback, the app's secret for WPS).
 */
export function protection(fixture: Fixture, prepared: PreparedRequest, keys: ReplayKeys): { what: string; key: 'Encrypt Key' | 'Verification Token' | 'WPS secret'; source: keyof KeySources } | null {
  if (fixture.format === 'wps_card') return keys.wps ? { what: 'signed (WPS-4)', key: 'WPS secret', source: 'wps' } : null;
  if (prepared.encrypted) return { what: 'encrypted and signed', key: 'Encrypt Key', source: 'encryptKey' };
  if (fixture.format === 'url_verification') return null;
  if (fixture.format === 'card.action.trigger_v1') return keys.verificationToken ? { what: 'signed', key: 'Verification Token', source: 'verificationToken' } : null;
  return keys.encryptKey ? { what: 'signed', key: 'Encrypt Key', source: 'encryptKey' } : null;
}

/**
 * Said when a reachable handler dropped the connection, or answered 500, right after a protected
 * request: the usual cause is a key that differs from the handler's (the SDKs throw "bad
 * decrypt" or a signature error, and a bare server then resets the connection).
 */
export function keyTrouble(fixture: Fixture, prepared: PreparedRequest, keys: ReplayKeys, sources: KeySources | undefined, how: string): string | null {
  const p = protection(fixture, prepared, keys);
  if (!p) return null;
  const from = sources?.[p.source] ?? null;
  const verb = prepared.encrypted ? 'decrypt or verify' : 'verify';
  return `the handler ${how} right after this ${p.what} delivery: it likely could not ${verb} it. Check that it uses the same ${p.key}${from ? ` as this replay, which took it from ${from}` : ''}.`;
}
