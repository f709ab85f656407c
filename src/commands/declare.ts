import { createRequire } from 'node:module';
import type { Command } from 'commander';
import type { Context, GlobalOptions } from '../context.js';
import type { ClientFactory } from '../feishu/client-factory.js';
import type { CliIO } from '../io.js';

/**
 * What a command's declaration module needs: commander's classes and the lazy action wrapper.
 * Declarations stay light (options and help only); each command's run module, and everything it
 * needs, is imported only when that command runs, so `card --help` stays fast.
 */

// commander is CommonJS: require() skips the ESM wrapper's source scan, which every start would pay.
export const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

/** A command's context: the run's streams and settings, and its platform client made on first use. */
export type CommandContext = Context & ClientFactory;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command declares its own argument types
export type Action = (ctx: CommandContext, ...args: any[]) => Promise<void>;

/**
 * What one run shares with its command: the IO it runs with, and the context the command got (so
 * a failure is reported in its output mode). Kept per program, so runs in one process never mix.
 */
export interface RunState {
  io: CliIO;
  ctx: Context | null;
}
const runs = new WeakMap<Command, RunState>();

/** Ties a run's IO to its program; the command that runs finds it there. */
export function startRun(program: Command, io: CliIO): RunState {
  const state: RunState = { io, ctx: null };
  runs.set(program, state);
  return state;
}

function runOf(command: Command): RunState {
  let root = command;
  while (root.parent) root = root.parent;
  const state = runs.get(root);
  if (!state) throw new Error('a command ran outside runCli');
  return state;
}

/** Wraps a lazily imported handler so the command module loads only when the command runs. */
export function lazy<M>(load: () => Promise<M>, pick: (m: M) => Action = (m) => (m as { run: Action }).run) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const [{ createContext }, { clientFactory }, mod] = await Promise.all([import('../context.js'), import('../feishu/client-factory.js'), load()]);
    const run = runOf(command);
    const ctx = await createContext(opts, run.io);
    run.ctx = ctx;
    // One client per run, closed here whatever the command did: commands never close their own.
    const clients = clientFactory(ctx);
    try {
      // commander passes positional args, then the options object, then the command.
      await pick(mod)(Object.assign(ctx, { credentials: clients.credentials, client: clients.client }), ...args.slice(0, -2), opts);
    } finally {
      await clients.close();
    }
  };
}

/** commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A command's declaration: adds itself (and its subcommands) to the program. */
export type Declaration = (program: Command) => void;

/** Options shared by the commands that take a card or a template. */
export function templateOptions(cmd: Command): Command {
  return cmd
    .option('--template <id>', 'send a published template instead of a card file')
    .option('--template-version <version>', 'template version (default: the latest published)')
    .option('--var <name=value>', 'template variable; the value is JSON if it parses, else text (repeatable)', collect)
    .option('--vars <file>', 'template variables from a JSON object file')
    .option('--no-lint', 'skip card lint: send the card as it is and let the platform judge it');
}
