/**
 * The CLI's entry: runs a command line and returns the exit code. The command tree is built in
 * program.ts, loaded only when needed (`card --version` answers without it).
 */

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  // The version needs no command tree: answer it before building one.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [{ buildProgram }, { commander, runState }] = await Promise.all([import('./program.js'), import('./commands/declare.js')]);
  const { CommanderError } = commander;
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
    let ctx = runState.ctx;
    if (!ctx) {
      const { createContext } = await import('./context.js');
      // Parsing failed before any command ran: honour --json and --verbose as written.
      ctx = await createContext({ json: argv.includes('--json'), verbose: argv.includes('--verbose'), timeout: undefined });
    }
    ctx.out.failure(cliErr);
    return cliErr.exitCode;
  }
}
