import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { processIO, type CliIO, type Clock } from './io.js';
import { usageError } from './output/errors.js';
import { colorEnabled, loadStyle, Output } from './output/output.js';

/** Options every command accepts (DESIGN.md: global options). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  baseUrl?: string;
  appId?: string;
  appSecret?: string;
  verbose?: boolean;
  timeout?: string;
  color?: boolean;
}

/**
 * What a command may depend on. Built once per run from the process, or by tests from
 * their own values, so nothing reaches for the user's home directory or the real clock.
 */
export interface Context {
  out: Output;
  env: NodeJS.ProcessEnv;
  globals: GlobalOptions;
  /** Request timeout in milliseconds. */
  timeoutMs: number;
  /** Where profiles and the token cache live. */
  configDir: string;
  stdin: Readable;
  /** The clock's `now`, kept as a plain function for the many places that only read the time. */
  now: () => number;
  clock: Clock;
  /** Where relative paths given on the command line start from. */
  cwd: string;
  /** The world this run lives in: streams, stop requests, exit. */
  io: CliIO;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_TIMEOUT_MS = 2_147_483_647;

export function defaultConfigDir(env: NodeJS.ProcessEnv): string {
  if (env.CARD_CONFIG_DIR) return env.CARD_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'card');
}

export function parseTimeout(value: string | undefined, name = '--timeout'): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!m) throw usageError(`${name} must be a duration such as 5000, 5000ms or 5s, not "${value}"`);
  const n = Number(m[1]);
  const ms = m[2] === 's' ? n * 1000 : n;
  // Timers hold at most 2^31-1 ms; beyond that Node throws a RangeError deep in a request.
  if (ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw usageError(`${name} must be between 1 ms and ${MAX_TIMEOUT_MS} ms (about 24 days), not "${value}"`);
  }
  return Math.round(ms);
}

/** A command's context, from its global options and the IO of the run (the real process by default). */
export async function createContext(globals: GlobalOptions, io: CliIO = processIO()): Promise<Context> {
  const env = io.env;
  const color = !globals.json && colorEnabled(env, globals.color, io.stderr.isTTY);
  const out = new Output({
    json: !!globals.json,
    verbose: !!globals.verbose,
    color,
    style: await loadStyle(color),
    stdout: io.stdout,
    stderr: io.stderr,
  });
  return {
    out,
    env,
    globals,
    timeoutMs: parseTimeout(globals.timeout ?? env.CARD_TIMEOUT, globals.timeout !== undefined ? '--timeout' : 'CARD_TIMEOUT'),
    configDir: defaultConfigDir(env),
    stdin: io.stdin,
    now: () => io.clock.now(),
    clock: io.clock,
    cwd: io.cwd,
    io,
  };
}
