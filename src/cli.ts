import { Command, CommanderError, Option } from 'commander';
import type { Context, GlobalOptions } from './context.js';

/**
 * Builds the command tree. Only commander is loaded up front: each command's module, and
 * everything it needs, is imported when that command runs, so `card --help` stays fast.
 */

const EXIT_CODES_HELP = `
Exit codes:
  0   ok
  1   the platform (or emulator) refused the request
  2   bad input or usage
  3   authentication or permission (a missing scope is named, with the console link)
  4   network or timeout
  5   a check failed (replay expectations, lint)
  70  internal error in card

Environment:
  CARD_APP_ID, CARD_APP_SECRET   app credentials (also FEISHU_* and LARK_*)
  CARD_PROFILE                   profile to use
  CARD_BASE_URL                  Open API base: feishu, lark, or a URL such as the emulator's
  CARD_CONFIG_DIR                where profiles and the token cache live
  NO_COLOR, FORCE_COLOR          colour control
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command declares its own argument types
type Action = (ctx: Context, ...args: any[]) => Promise<void>;

/** Wraps a lazily imported `run` so the command module loads only when the command runs. */
function lazy(load: () => Promise<{ run: Action }>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const [{ createContext }, mod] = await Promise.all([import('./context.js'), load()]);
    const ctx = createContext(opts);
    state.ctx = ctx;
    // commander passes positional args, then the options object, then the command.
    await mod.run(ctx, ...args.slice(0, -2), opts);
  };
}

const state: { ctx: Context | null } = { ctx: null };

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(version: string): Command {
  const program = new Command('card')
    .description('Build, send and test Feishu / Lark interactive message cards.')
    .version(version, '-V, --version')
    .option('--profile <name>', 'stored credentials to use (default: the active profile)')
    .option('--json', 'write exactly one JSON document to stdout')
    .addOption(new Option('--base-url <url>', 'Open API base: feishu, lark, or a URL').env('CARD_BASE_URL'))
    .option('--verbose', 'log each HTTP request on stderr (secrets redacted) and show stack traces')
    .option('--timeout <duration>', 'request timeout, e.g. 5000 or 5s (default 15s)')
    .option('--no-color', 'no colour in output')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false });

  program
    .command('emulator')
    .description('run the local Open API emulator (Ctrl-C to stop)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3001')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <file>', 'seed JSON: apps, users, chats, templates (default: the built-in seed)')
    .option('--token-ttl <seconds>', 'lifetime of tenant tokens', '7200')
    .option('--no-rate-limit', 'turn off the platform rate limits')
    .addHelpText('after', '\nExamples:\n  $ card emulator --port 0 --json\n  $ card emulator --seed ./my-seed.json')
    .action(lazy(() => import('./commands/emulator.js')));

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const program = buildProgram(pkg.version);
  let usageMessage = '';
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => (usageMessage += s) });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeErr: (s) => (usageMessage += s) });
    for (const leaf of sub.commands) {
      leaf.exitOverride();
      leaf.configureOutput({ writeErr: (s) => (usageMessage += s) });
    }
  }
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
    let ctx = state.ctx;
    if (!ctx) {
      const { createContext } = await import('./context.js');
      // Parsing failed before any command ran: honour --json and --verbose as written.
      ctx = createContext({ json: argv.includes('--json'), verbose: argv.includes('--verbose'), timeout: undefined });
    }
    ctx.out.failure(cliErr);
    return cliErr.exitCode;
  }
}
