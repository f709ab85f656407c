import { SIGNATURE_HEADERS } from './crypto.js';
import type { Received, Verdict } from './record.js';

/**
 * What `card listen` lets through when keys are set. The platform's SDKs check the signature and
 * nothing else (no SDK checks freshness or replay: reference/feishu-api.md §6.2); a listener open to
 * the internet through a tunnel also has to refuse a captured callback sent again, so a signature
 * that verified is accepted once, and only while its timestamp is near the listener's clock.
 */

/** How far a signed timestamp may be from now, either way. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;
/** Remembered signatures beyond this many are forgotten oldest first (they are stale by then anyway). */
const MAX_REMEMBERED = 100_000;

type Headers = Record<string, string | string[] | undefined>;

/** Unix seconds (or milliseconds) as the platform sends them, or a date string; null when unreadable. */
export function parseTimestamp(value: string): number | null {
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) {
    const n = Number(text);
    return n >= 1e12 ? n : n * 1000;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export interface Decision {
  /** The label reported: the signature verdict, or stale / replayed. */
  verdict: Verdict;
  /** Whether the callback may be forwarded and saved. */
  accepted: boolean;
  /** Why it was refused, for the log line. */
  reason: string | null;
}

export class CallbackGuard {
  /** signature -> when it can be forgotten (ms) */
  private seen = new Map<string, number>();

  constructor(
    private readonly keysSet: boolean,
    private readonly now: () => number,
    private readonly maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS,
    /** Let through a callback no set key can check (--accept-unchecked); refused otherwise. */
    private readonly acceptUnchecked = false,
  ) {}

  decide(got: Received, headers: Headers): Decision {
    // Without keys nothing can be checked: the listener says so at start and lets all through.
    if (!this.keysSet) return { verdict: got.signature, accepted: true, reason: null };
    if (!got.payload) return { verdict: got.signature, accepted: false, reason: got.error ?? 'the body cannot be read' };
    switch (got.signature) {
      case 'bad signature':
        return { verdict: got.signature, accepted: false, reason: 'the signature does not match the key' };
      case 'bad token':
        return { verdict: got.signature, accepted: false, reason: 'the Verification Token does not match' };
      case 'missing signature':
        return { verdict: got.signature, accepted: false, reason: 'the signature headers are missing' };
      case 'verified':
        return this.fresh(headers);
      case 'unchecked':
        // No set key signs this format, and the body chooses the format: a forger picks the one
        // nothing checks. Refused like a bad signature unless its token matched or the user opted in.
        if (got.tokenChecked || this.acceptUnchecked) return { verdict: got.signature, accepted: true, reason: null };
        return { verdict: got.signature, accepted: false, reason: 'no key that is set can check this kind of callback (--accept-unchecked lets it through)' };
      default:
        // not signed (url_verification, token already checked).
        return { verdict: got.signature, accepted: true, reason: null };
    }
  }

  private fresh(headers: Headers): Decision {
    const one = (name: string) => {
      const v = headers[name];
      return (Array.isArray(v) ? v[0] : v) ?? '';
    };
    const now = this.now();
    const at = parseTimestamp(one(SIGNATURE_HEADERS.timestamp));
    const skewMs = this.maxSkewSeconds * 1000;
    if (at === null) return { verdict: 'stale', accepted: false, reason: 'the timestamp header cannot be read' };
    if (Math.abs(now - at) > skewMs) {
      return { verdict: 'stale', accepted: false, reason: `the timestamp is ${Math.round(Math.abs(now - at) / 1000)} s from now (at most ${this.maxSkewSeconds} s)` };
    }
    const signature = one(SIGNATURE_HEADERS.signature);
    this.forgetExpired(now);
    if (this.seen.has(signature)) return { verdict: 'replayed', accepted: false, reason: 'this signature was already received' };
    // A copy is refused while its timestamp is fresh; after that the freshness check refuses it.
    this.seen.set(signature, at + skewMs);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    return { verdict: 'verified', accepted: true, reason: null };
  }

  private forgetExpired(now: number): void {
    for (const [sig, until] of this.seen) if (until < now) this.seen.delete(sig);
  }
}
