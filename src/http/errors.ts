import { CliError } from '../output/errors.js';

/** Connection failures: all are network errors (exit 4). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'ENETDOWN', 'EHOSTDOWN']);

const TLS_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

/**
 * The one place a failed exchange becomes an error: every connection failure, reset and timeout
 * is a network error (exit 4), with the socket's code (ECONNREFUSED, …) or 'timeout' as its code.
 */
export function networkError(err: unknown, url: URL, timeoutMs: number): CliError {
  if (err instanceof CliError) return err;
  const e = err as Error & { code?: string };
  const code = e.code ?? null;
  const host = url.host;
  if (code === 'timeout') {
    return new CliError('network', `${host} did not answer within ${timeoutMs} ms`, { code: 'timeout', hint: 'Raise the limit with --timeout, or check the URL.', cause: err });
  }
  if (code && NETWORK_CODES.has(code)) {
    return new CliError('network', `cannot reach ${host} (${code})`, {
      code,
      hint: code === 'ECONNREFUSED' ? 'Nothing is listening there. Is the emulator (or the handler) running?' : 'Check the URL and your network.',
      cause: err,
    });
  }
  if (code && TLS_CODE.test(code)) {
    return new CliError('network', `TLS with ${host} failed: ${e.message}`, { code, hint: 'A proxy or private CA? Point NODE_EXTRA_CA_CERTS at its certificate.', cause: err });
  }
  return new CliError('network', `request to ${host} failed: ${e.message}`, { code, cause: err });
}
