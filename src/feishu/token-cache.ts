import { sha256Hex } from './sha256.js';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CachedToken {
  token: string;
  expires_at: number;
  /** Lifetime the platform gave, in seconds; sets how early we refresh. */
  ttl: number;
  /** A hash of the app secret the token was fetched with (never the secret itself). */
  secret_hash?: string;
}

/** Why a lookup found nothing usable, so `card token` can say why it fetched. */
export type CacheMiss = 'none' | 'expiring' | 'secret-changed';

interface CacheFile {
  version: 1;
  tokens: Record<string, CachedToken>;
}

/**
 * tenant_access_tokens on disk, per (base URL, app id), so a scripted `card send` in a fresh
 * process costs one request. The file is 0600 in a 0700 directory and is replaced atomically.
 * Each entry carries a hash of the secret it was fetched with: after the secret changes (rotated,
 * or mistyped), the cached token is not used, so a wrong secret fails instead of passing on a
 * token the right one earned.
 */
export class TokenCache {
  constructor(
    readonly file: string,
    private readonly now: () => number,
  ) {}

  static inConfigDir(configDir: string, now: () => number): TokenCache {
    return new TokenCache(join(configDir, 'token-cache.json'), now);
  }

  private key(baseUrl: string, appId: string): string {
    return `${baseUrl}|${appId}`;
  }

  private read(): CacheFile {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (parsed.version === 1 && parsed.tokens && typeof parsed.tokens === 'object') return parsed;
    } catch {
      // A missing or damaged cache only costs a token request.
    }
    return { version: 1, tokens: {} };
  }

  private write(data: CacheFile): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(this.file), 0o700);
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /** A token still comfortably valid for this secret: refreshed 3 minutes early (less for very short lifetimes). */
  get(baseUrl: string, appId: string, secret: string): CachedToken | null {
    const r = this.lookup(baseUrl, appId, secret);
    return 'token' in r ? r : null;
  }

  lookup(baseUrl: string, appId: string, secret: string): CachedToken | { miss: CacheMiss } {
    const entry = this.read().tokens[this.key(baseUrl, appId)];
    if (!entry) return { miss: 'none' };
    if (entry.secret_hash !== secretHash(appId, secret)) return { miss: 'secret-changed' };
    const margin = Math.min(180_000, entry.ttl * 100);
    return entry.expires_at - this.now() > margin ? entry : { miss: 'expiring' };
  }

  set(baseUrl: string, appId: string, secret: string, token: string, ttlSeconds: number): CachedToken {
    const data = this.read();
    const now = this.now();
    // Drop expired entries while we are here, so the file does not grow forever.
    for (const [k, v] of Object.entries(data.tokens)) if (v.expires_at <= now) delete data.tokens[k];
    const entry = { token, expires_at: now + ttlSeconds * 1000, ttl: ttlSeconds, secret_hash: secretHash(appId, secret) };
    data.tokens[this.key(baseUrl, appId)] = entry;
    this.write(data);
    return entry;
  }

  delete(baseUrl: string, appId: string): void {
    const data = this.read();
    if (data.tokens[this.key(baseUrl, appId)]) {
      delete data.tokens[this.key(baseUrl, appId)];
      this.write(data);
    }
  }
}

/** Salted with the app id and a label, so the hash is no use outside this file. */
export function secretHash(appId: string, secret: string): string {
  return sha256Hex(`card token cache\n${appId}\n${secret}`).slice(0, 32);
}
