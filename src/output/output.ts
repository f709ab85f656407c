import type { Writable } from 'node:stream';
import type { CliError } from './errors.js';
import { SafeStream, terminalSafeJson } from './sanitize.js';

/** The few styles card uses; chalk provides them when colour is on. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const same = (s: string) => s;
export const PLAIN_STYLE: Style = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/** chalk is loaded only when colour is on, so scripts and CI never pay for it. */
export async function loadStyle(color: boolean): Promise<Style> {
  if (!color) return PLAIN_STYLE;
  const { Chalk } = await import('chalk');
  // Level decided here, not by chalk's own detection: card's rules (colorEnabled) pick it.
  return new Chalk({ level: 1 });
}

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
  style?: Style;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

/**
 * Every byte card writes goes through here: data to stdout, everything else to stderr.
 * In JSON mode stdout holds exactly one document, written by `result` or `failure`.
 */
export class Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
  /**
   * Every write is cleaned of terminal control characters (sanitize.ts): stderr always, stdout
   * when it is a terminal (piped data stays byte for byte). Commands that write to these
   * directly get the same protection.
   */
  readonly stdout: SafeStream;
  readonly stderr: SafeStream;
  /** The real stderr, for a spinner that draws with cursor controls of its own. */
  readonly rawStderr: OutputOptions['stderr'];
  readonly style: Style;

  constructor(opts: OutputOptions) {
    this.json = opts.json;
    this.verbose = opts.verbose;
    this.color = opts.color;
    this.stdout = new SafeStream(opts.stdout, { always: false, keepOwnStyles: opts.color });
    this.stderr = new SafeStream(opts.stderr, { always: true, keepOwnStyles: opts.color });
    this.rawStderr = opts.stderr;
    this.style = opts.style ?? PLAIN_STYLE;
  }

  get interactive(): boolean {
    return !this.json && !!this.stderr.isTTY;
  }

  /** Human text for stdout (data). Ignored in JSON mode, where `result` carries the data. */
  print(text: string): void {
    if (!this.json) this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Progress and notes for a person, on stderr; quiet in JSON mode. */
  info(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    this.info(`${this.style.green('✓')} ${text}`);
  }

  /** Warnings show in every mode: a script's log should keep them. */
  warn(text: string): void {
    this.stderr.write(`${this.style.yellow('!')} ${text}\n`);
  }

  debug(text: string): void {
    if (this.verbose) this.stderr.write(`${this.style.dim(text)}\n`);
  }

  /** The data of a successful run. */
  result(data: unknown): void {
    if (this.json) this.stdout.write(`${terminalSafeJson({ ok: true, data: data ?? null })}\n`);
  }

  failure(err: CliError): void {
    if (this.json) {
      const error = {
        type: err.type,
        code: err.code,
        message: err.message,
        hint: err.hint,
        log_id: err.logId,
        ...(err.details !== null && err.details !== undefined ? { details: err.details } : {}),
      };
      this.stdout.write(`${terminalSafeJson({ ok: false, error })}\n`);
      return;
    }
    const code = err.code !== null ? ` [${err.code}]` : '';
    this.stderr.write(`${this.style.red('✗')} ${err.message}${code}\n`);
    if (err.hint) this.stderr.write(`  ${err.hint.replace(/\n/g, '\n  ')}\n`);
    if (err.logId) this.stderr.write(`  ${this.style.dim(`log id: ${err.logId}`)}\n`);
    if (this.verbose && err.stack) this.stderr.write(`${this.style.dim(err.stack)}\n`);
    const cause = (err as Error & { cause?: unknown }).cause;
    if (this.verbose && cause instanceof Error && cause.stack) this.stderr.write(`${this.style.dim(`caused by: ${cause.stack}`)}\n`);
  }
}

/** NO_COLOR wins, then FORCE_COLOR, then --no-color, then whether stderr is a terminal. */
export function colorEnabled(env: NodeJS.ProcessEnv, flag: boolean | undefined, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (flag === false) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !!isTTY;
}
