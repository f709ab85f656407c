import type { CliError } from '../output/errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 8000 };

/** Platform codes that mean "slow down and try again": the request was not carried out. */
export const RATE_LIMIT_CODES = new Set([99991400, 230020, 232019]);

/** Connection failures that happen before a request reaches the server: safe to retry any call. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export type AttemptOutcome =
  | { kind: 'ok' }
  | { kind: 'rate-limited'; resetSeconds: number | null }
  | { kind: 'server-error'; status: number }
  | { kind: 'network'; error: CliError }
  | { kind: 'final' };

/**
 * Whether to try again, and after how long. A call that may already have taken effect (a
 * 5xx, a dropped answer, a timeout) is retried only when it is idempotent: a read, or a write
 * carrying a uuid the platform deduplicates on.
 */
export function retryDelay(outcome: AttemptOutcome, attempt: number, idempotent: boolean, policy: RetryPolicy, random = Math.random): number | null {
  if (attempt >= policy.retries) return null;
  const backoff = () => Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
  switch (outcome.kind) {
    case 'rate-limited':
      // Refused before it was carried out: always safe. Wait for the window, plus a little spread.
      return outcome.resetSeconds !== null ? outcome.resetSeconds * 1000 + Math.round(random() * 100) : backoff() + 500;
    case 'server-error':
      return idempotent ? backoff() : null;
    case 'network': {
      const code = String(outcome.error.code ?? '');
      return idempotent || NOT_SENT_CODES.has(code) ? backoff() : null;
    }
    default:
      return null;
  }
}
