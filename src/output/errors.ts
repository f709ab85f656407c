/**
 * The one place where failures become exit codes. Commands throw these; `cli.ts` maps them.
 * Codes are a contract (README, `card --help`): 0 ok, 1 platform/API, 2 usage, 3 auth or
 * permission, 4 network or timeout, 5 a check failed, 70 internal bug.
 */
export const EXIT = { OK: 0, API: 1, USAGE: 2, AUTH: 3, NETWORK: 4, CHECK: 5, INTERNAL: 70 } as const;

export type ErrorType = 'api' | 'usage' | 'auth' | 'network' | 'check' | 'internal';

const EXIT_BY_TYPE: Record<ErrorType, number> = {
  api: EXIT.API,
  usage: EXIT.USAGE,
  auth: EXIT.AUTH,
  network: EXIT.NETWORK,
  check: EXIT.CHECK,
  internal: EXIT.INTERNAL,
};

/** The exit code of a failure of this type. */
export function exitCodeOf(type: ErrorType): number {
  return EXIT_BY_TYPE[type];
}

export interface CliErrorInit {
  code?: number | string | null;
  hint?: string | null;
  logId?: string | null;
  details?: unknown;
  cause?: unknown;
}

export class CliError extends Error {
  readonly code: number | string | null;
  readonly hint: string | null;
  readonly logId: string | null;
  readonly details: unknown;

  constructor(
    readonly type: ErrorType,
    message: string,
    init: CliErrorInit = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code ?? null;
    this.hint = init.hint ?? null;
    this.logId = init.logId ?? null;
    this.details = init.details ?? null;
  }

  get exitCode(): number {
    return exitCodeOf(this.type);
  }
}

/**
 * An error of the platform's answer re-worded for the command (`prefix: message`), with the rules
 * the platform applies to that call added to the hint. Other errors are returned as they are.
 */
export function withApiRules(err: unknown, prefix: string, rules: string): unknown {
  if (!(err instanceof CliError) || err.type !== 'api') return err;
  return new CliError('api', `${prefix}: ${err.message}`, {
    code: err.code,
    logId: err.logId,
    hint: [err.hint, rules].filter(Boolean).join('\n'),
    details: err.details,
    cause: err,
  });
}

export const usageError = (message: string, init?: CliErrorInit) => new CliError('usage', message, init);

/** Anything that is not a CliError is a bug in card itself. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CliError('internal', `internal error: ${message}`, {
    hint: 'This is a bug in card. Run again with --verbose for the stack trace, and report it.',
    cause: err,
  });
}
