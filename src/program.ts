import type { Command } from 'commander';
import { commander, type Declaration } from './commands/declare.js';
const { Command: CommandClass, Option } = commander;

/**
 * Builds the command tree from the commands' own declarations (src/commands/<name>/command.ts).
 * Only commander and those light declarations load up front: each command's run module, and
 * everything it needs, is imported when that command runs, so `card --help` stays fast.
 */

/**
 * In the order `card --help` lists them; each declares the one command of its name. A command
 * line that names one command (and asks no help) declares only that one: the other sixteen
 * declarations would be loaded and built for nothing (~0.4 ms each at start-up).
 */
const COMMANDS: Array<[name: string, load: () => Promise<{ default: Declaration }>]> = [
  ['token', () => import('./commands/token/command.js')],
  ['lookup-user', () => import('./commands/lookup-user/command.js')],
  ['create-chat', () => import('./commands/create-chat/command.js')],
  ['chat', () => import('./commands/chat/command.js')],
  ['send', () => import('./commands/send/command.js')],
  ['update', () => import('./commands/update/command.js')],
  ['recall', () => import('./commands/recall/command.js')],
  ['upload-image', () => import('./commands/upload-image/command.js')],
  ['stream', () => import('./commands/stream/command.js')],
  ['profile', () => import('./commands/profile/command.js')],
  ['lint', () => import('./commands/lint/command.js')],
  ['preview', () => import('./commands/preview/command.js')],
  ['replay-callback', () => import('./commands/replay-callback/command.js')],
  ['listen', () => import('./commands/listen/command.js')],
  ['fixtures', () => import('./commands/fixtures/command.js')],
  ['demo', () => import('./commands/demo/command.js')],
  ['emulator', () => import('./commands/emulator/command.js')],
  ['inbox', () => import('./commands/inbox/command.js')],
  ['mcp', () => import('./commands/mcp/command.js')],
];

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
  CARD_ENCRYPT_KEY               Encrypt Key for replay-callback and listen
  CARD_VERIFICATION_TOKEN        Verification Token for replay-callback and listen
  CARD_PROFILE                   profile to use (like --profile: not mixed with the environment)
  CARD_TIMEOUT                   request timeout, like --timeout
  CARD_BASE_URL                  Open API base: feishu, lark, or a URL such as the emulator's
  CARD_CONFIG_DIR                where profiles and the token cache live
  NO_COLOR, FORCE_COLOR          colour control
`;

export async function buildProgram(version: string, only?: string): Promise<Command> {
  const program = new CommandClass('card')
    .description('Build, send and test Feishu / Lark interactive message cards.')
    .version(version, '-V, --version')
    .option('--profile <name>', 'stored credentials to use (default: the active profile)')
    .option('--json', 'write exactly one JSON document to stdout')
    .option('--base-url <url>', 'Open API base: feishu, lark, or a URL (env CARD_BASE_URL)')
    .option('--app-id <id>', 'app id (env CARD_APP_ID)')
    .addOption(new Option('--app-secret <secret>', 'app secret; prefer CARD_APP_SECRET or a profile: arguments are visible to other users').hideHelp())
    .option('--verbose', 'log each HTTP request on stderr (secrets redacted) and show stack traces')
    .option('--timeout <duration>', 'request timeout, e.g. 5000 or 5s (default 15s)')
    .option('--no-color', 'no colour in output')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false });

  const named = COMMANDS.filter(([name]) => name === only);
  const declarations = await Promise.all((named.length ? named : COMMANDS).map(([, load]) => load()));
  for (const { default: declare } of declarations) declare(program);
  showDefaultsPlainly(program);
  return program;
}

/** commander prints a string default as JSON, `(default: "4")`: show it as typed, `(default: 4)`. */
function showDefaultsPlainly(cmd: Command): void {
  for (const opt of cmd.options) {
    if (typeof opt.defaultValue === 'string' && opt.defaultValueDescription === undefined) opt.defaultValueDescription = opt.defaultValue;
  }
  for (const sub of cmd.commands) showDefaultsPlainly(sub);
}
