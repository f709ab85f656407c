/**
 * The CLI's entry: runs a command line and returns the exit code. The command tree is built in
 * program.ts, loaded only when needed (`card --version` answers without it).
 */

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { processIO, type CliIO } from './io.js';
import { exitCodeOf } from './output/errors.js';

/** Runs the CLI with `io` and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  if (io.process) endQuietlyOnClosedOutput(io.process);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  // The version needs no command tree: answer it before building one.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [{ buildProgram }, { commander, startRun }] = await Promise.all([import('./program.js'), import('./commands/declare.js')]);
  const { CommanderError } = commander;
  const words = positionalWords(argv);
  // Help lists every command: build them all then. Otherwise only the one named, if any.
  const asksHelp = argv.includes('--help') || argv.includes('-h');
  const program = await buildProgram(pkg.version, asksHelp ? undefined : words[0]);
  const runState = startRun(program, io);
  // A command group run bare (`card`, `card profile`) shows its help instead of nothing.
  // (`card inbox chat` too: groups nest.)
  let group: Command | undefined = program;
  for (const word of words) {
    const next: Command | undefined = group?.commands.find((c) => c.name() === word);
    if (!next) break;
    group = next;
  }
  if (words.length === 0 || (group !== program && group.commands.length > 0 && group.name() === words[words.length - 1])) argv = [...argv, '--help'];
  let usageMessage = '';
  // Help goes to this run's stdout; usage errors are kept to be reported like any other failure.
  const output = { writeOut: (s: string) => void io.stdout.write(s), writeErr: (s: string) => (usageMessage += s) };
  program.exitOverride();
  program.configureOutput(output);
  // Every command at every depth reports its usage errors here rather than exiting the process.
  const override = (c: Command): void => {
    c.exitOverride();
    c.configureOutput(output);
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.exitCode === 0) return 0;
    }
    const { toCliError, usageError } = await import('./output/errors.js');
    const cliErr =
      err instanceof CommanderError
        ? usageError((usageMessage || err.message).trim().replace(/^error: /, ''), { hint: 'Run card --help for usage.' })
        : toCliError(err);
    let ctx = runState.ctx;
    if (!ctx) {
      const { createContext } = await import('./context.js');
      // Parsing failed before any command ran: honour --json and --verbose as written. The
      // timeout is not needed to report, and may be the very thing that failed (CARD_TIMEOUT).
      ctx = await createContext({ json: argv.includes('--json'), verbose: argv.includes('--verbose'), timeout: undefined }, { ...io, env: { ...io.env, CARD_TIMEOUT: undefined } });
    }
    ctx.out.failure(cliErr);
    return cliErr.exitCode;
  }
}

/**
 * `card --help | head -1`: the reader went away, which is a normal end, not a crash. Without a
 * listener, the EPIPE of the next write is an uncaught 'error' with a stack trace.
 */
function endQuietlyOnClosedOutput(proc: NodeJS.Process): void {
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') proc.exit(0);
      throw err;
    });
  }
}

/**
 * Runs `main` so that it always ends with an exit code and a message, never a bare stack. As a
 * process (`io.process` set, as bin/card.js does):
 * - should a request's promise be left pending with nothing else alive (a socket that closed
 *   without the HTTP layer noticing), Node would exit 13 in silence: that is a lost connection;
 * - an error thrown where nothing catches it (a socket's 'error' event, a stray rejection) is a
 *   network error when it is one (ECONNRESET and the like: exit 4), else a bug (exit 70).
 * In a test's process those guards belong to the test runner and are left alone; `io.exit` there
 * ends this call with its code instead of ending the process.
 */
export async function runCli(argv: string[], opts: { io?: CliIO; run?: (argv: string[], io: CliIO) => Promise<number> } = {}): Promise<number> {
  const base = opts.io ?? processIO();
  const run = opts.run ?? main;
  const proc = base.process;
  let exitNow!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exitNow = resolve));
  const io: CliIO = { ...base, exit: (code) => (proc ? proc.exit(code) : exitNow(code)) };
  if (!proc) return Promise.race([run(argv, io), exited]);

  let settled = false;
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const end = (type: 'network' | 'internal', code: string | null, message: string, hint: string, err?: unknown): never => {
    settled = true;
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { type, code, message, hint, log_id: null } })}\n`);
    else {
      io.stderr.write(`✗ ${message}${code ? ` [${code}]` : ''}\n  ${hint}\n`);
      if (verbose && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    }
    return proc.exit(exitCodeOf(type));
  };
  const onDrained = () => {
    if (!settled) end('network', 'connection_lost', 'the connection closed without an answer', 'Check the base URL and your network, then try again.');
  };
  const onFatal = (err: unknown) => {
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    if (typeof code === 'string' && NETWORK_ERROR_CODES.test(code)) end('network', code, `the connection failed: ${message}`, 'Check the base URL and your network, then try again.', err);
    end('internal', null, `internal error: ${message}`, 'This is a bug in card. Run again with --verbose for the stack trace, and report it.', err);
  };
  proc.once('beforeExit', onDrained);
  proc.on('uncaughtException', onFatal);
  proc.on('unhandledRejection', onFatal);
  try {
    return await run(argv, io);
  } finally {
    settled = true;
    proc.off('beforeExit', onDrained);
  }
}

const NETWORK_ERROR_CODES = /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_[A-Z_]+)$/;

/** Global options that take a value: their value is not a command name. */
const VALUE_OPTIONS = new Set(['--profile', '--base-url', '--app-id', '--app-secret', '--timeout']);

function positionalWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    words.push(a);
  }
  return words;
}
