import { createRequire } from 'node:module';
import type { Command as CommandType } from 'commander';
import type { Context, GlobalOptions } from './context.js';

// commander is CommonJS: require() skips the ESM wrapper's source scan, ~12 ms of every start.
const { Command, CommanderError, Option } = createRequire(import.meta.url)('commander') as typeof import('commander');
type Command = CommandType;

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

/** Wraps a lazily imported handler so the command module loads only when the command runs. */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => Action = (m) => (m as { run: Action }).run) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const [{ createContext }, mod] = await Promise.all([import('./context.js'), load()]);
    const ctx = await createContext(opts);
    state.ctx = ctx;
    // commander passes positional args, then the options object, then the command.
    await pick(mod)(ctx, ...args.slice(0, -2), opts);
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
    .option('--base-url <url>', 'Open API base: feishu, lark, or a URL (env CARD_BASE_URL)')
    .option('--app-id <id>', 'app id (env CARD_APP_ID)')
    .addOption(new Option('--app-secret <secret>', 'app secret; prefer CARD_APP_SECRET or a profile: arguments are visible to other users').hideHelp())
    .option('--verbose', 'log each HTTP request on stderr (secrets redacted) and show stack traces')
    .option('--timeout <duration>', 'request timeout, e.g. 5000 or 5s (default 15s)')
    .option('--no-color', 'no colour in output')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false });

  const templateOptions = (cmd: Command) =>
    cmd
      .option('--template <id>', 'send a published template instead of a card file')
      .option('--template-version <version>', 'template version (default: the latest published)')
      .option('--var <name=value>', 'template variable; the value is JSON if it parses, else text (repeatable)', collect)
      .option('--vars <file>', 'template variables from a JSON object file')
      .option('--no-lint', 'skip card lint: send the card as it is and let the platform judge it');

  program
    .command('token')
    .description('get a tenant_access_token (cached across runs)')
    .option('--refresh', 'fetch a new token even if the cached one is valid')
    .option('--reveal', 'print the whole token instead of a masked one')
    .addHelpText('after', '\nExamples:\n  $ card token\n  $ TOKEN=$(card token --reveal)')
    .action(lazy(() => import('./commands/token.js')));

  program
    .command('lookup-user')
    .description('turn mobiles and emails into user ids (contact/v3/users/batch_get_id)')
    .argument('<mobile|email...>', 'mobile numbers (+country code outside mainland China) or email addresses')
    .option('--user-id-type <type>', 'open_id, union_id or user_id', 'open_id')
    .option('--include-resigned', 'also return users who have resigned')
    .option('--allow-missing', 'exit 0 even when some are not found')
    .addHelpText('after', '\nExamples:\n  $ card lookup-user alice@corp.com +8613800000001\n  $ card lookup-user --json bob@corp.com | jq -r .data.users[0].user_id')
    .action(lazy(() => import('./commands/lookup-user.js')));

  program
    .command('create-chat')
    .description('create a test group chat with the bot in it')
    .requiredOption('--name <name>', 'chat name')
    .option('--owner <user>', 'owner: open_id, email or mobile (default: the bot)')
    .option('--users <users>', 'members: open_ids, emails or mobiles, comma-separated (repeatable)', collect)
    .option('--bots <app_ids>', 'other bots to add, comma-separated (repeatable)', collect)
    .option('--description <text>', 'chat description')
    .option('--set-bot-manager', 'make the bot a manager of the chat (needs --owner)')
    .option('--uuid <key>', 'idempotency key: the same key and owner make one chat within 10 hours')
    .addHelpText('after', '\nExamples:\n  $ card create-chat --name "card test" --owner alice@corp.com --users bob@corp.com,+8613800000002')
    .action(lazy(() => import('./commands/create-chat.js')));

  templateOptions(
    program
      .command('send')
      .description('send a card (JSON 1.0 or 2.0, or a template) to users or chats')
      .argument('[card]', 'card JSON file, or - for stdin')
      .option('--to <receiver>', 'open_id (ou_), union_id (on_), chat_id (oc_), email or mobile (repeatable)', collect)
      .option('--to-type <type>', 'receive_id_type for receivers of another shape: open_id, union_id, user_id, email, chat_id')
      .option('--uuid <key>', 'idempotency key (default: generated and printed); the same key never sends twice within an hour')
      .option('--dry-run', 'print the exact request and send nothing')
      .option('--to-file <file>', 'bulk: one receiver per row, CSV (to, to_type, variables…) or NDJSON')
      .option('--results <file>', 'bulk: per-row results (default: <to-file>.results.ndjson)')
      .option('--resume', 'bulk: skip rows the results file says were sent')
      .option('--rate <limits>', 'bulk: the app\'s limits to stay under, e.g. 50/s,1000/min (default: the platform\'s)')
      .option('--concurrency <n>', 'bulk: requests in flight (default 16)')
      .option('--to-users <company_id:uid,...>', 'WPS: users of one company', collect)
      .option('--to-depts <company_id:dept,...>', 'WPS: departments of one company', collect)
      .option('--to-companies <id>', 'WPS: a whole company', collect)
      .option('--biz-type <type>', 'WPS: the business type of the message')
      .option('--ctx-id <id>', 'WPS: id for later updates and callbacks, at most 36 characters (made for you with --utype 1)')
      .option('--utype <0|1>', 'WPS: 1 when the card will be updated later')
      .option('--company-uid <uid>', 'WPS: the user who produces the message (for updates)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ card send card.json --to alice@corp.com\n  $ card send --template AAqDemoApprov --var applicant=Alice --var amount=42 --to oc_xxx\n  $ cat card.json | card send - --to ou_xxx --json\n  $ card send --template AAqDemoApprov --to-file people.csv          # columns: to,applicant,amount\n  $ card send --template AAqDemoApprov --to-file people.csv --resume',
    )
    .action(lazy(() => import('./commands/send.js')));

  templateOptions(
    program
      .command('update')
      .description('update a sent card in place (PATCH; shared cards only; WPS: by ctx_id)')
      .argument('<message_id>', 'the om_… id card send printed (WPS profiles: the ctx_id)')
      .argument('[card]', 'new card JSON file, or - for stdin'),
  )
    .addHelpText('after', '\nExamples:\n  $ card update om_xxx approved.json')
    .action(lazy(() => import('./commands/update.js')));

  const profile = program.command('profile').description('stored app credentials');
  profile
    .command('add')
    .description('add or change a profile (the secret is asked for, or read with --app-secret-stdin)')
    .argument('<name>', 'profile name')
    .option('--app-id <id>', 'app id (cli_…)')
    .option('--app-secret-stdin', 'read the app secret from stdin')
    .addOption(new Option('--app-secret <secret>', 'app secret (visible in the process list; prefer the prompt)').hideHelp())
    .option('--domain <domain>', 'feishu, lark, or a base URL', undefined)
    .option('--encrypt-key <key>', 'Encrypt Key, for signing replayed callbacks')
    .option('--verification-token <token>', 'Verification Token, for replayed callbacks')
    .option('--platform <platform>', 'feishu (default, also Lark) or wps')
    .option('--gateway-prefix <prefix>', 'WPS: the gateway prefix of a private deployment (default /o/woa)')
    .option('--company-token-path <path>', 'WPS: where company_token is fetched (default /oauthapi/v3/inner/company/token)')
    .option('--wps-auth <scheme>', 'WPS: wps-4 (default) or wps-3 request signatures')
    .option('--use', 'make it the active profile')
    .action(lazy(() => import('./commands/profile.js'), (m) => m.add));
  profile.command('list').description('list profiles').action(lazy(() => import('./commands/profile.js'), (m) => m.list));
  profile
    .command('use')
    .description('make a profile the active one')
    .argument('<name>')
    .action(lazy(() => import('./commands/profile.js'), (m) => m.use));
  profile
    .command('remove')
    .description('delete a profile')
    .argument('<name>')
    .action(lazy(() => import('./commands/profile.js'), (m) => m.remove));
  profile
    .command('show')
    .description('show the credentials card would use and where each came from')
    .argument('[name]', 'a profile (default: what card would use now)')
    .action(lazy(() => import('./commands/profile.js'), (m) => m.show));

  program
    .command('lint')
    .description('check card JSON (1.0 and 2.0) against the platform\'s rules before sending it')
    .argument('<card...>', 'card JSON files, or - for stdin')
    .option('--format <format>', 'human, json or sarif', 'human')
    .option('--template-vars <vars.json>', 'values for ${name} placeholders: check each is supplied and fits where it lands')
    .option('--platform <platform>', 'feishu or wps (default: a WPS card is recognised by its shape)')
    .option('--cardkit', 'also check the rules of a CardKit card entity (on by itself when the card sets config.streaming_mode)')
    .addHelpText('after', '\nExamples:\n  $ card lint card.json\n  $ card lint stream-card.json --cardkit\n  $ card lint cards/*.json --format sarif > lint.sarif\n  $ card lint template-card.json --template-vars vars.json')
    .action(lazy(() => import('./commands/lint.js')));

  program
    .command('preview')
    .description('render a card to a self-contained HTML page like the client shows it, or a PNG')
    .argument('<card>', 'card JSON file, or - for stdin')
    .option('--out <file.html>', 'write the page here (default: stdout when piped, a temp file on a terminal)')
    .option('--png <file.png>', 'screenshot the card with headless Chromium (CARD_CHROMIUM, or the system one)')
    .option('--open', 'open the page in your browser')
    .option('--locale <locale>', 'language for i18n content, e.g. en_us (default: zh_cn when present)')
    .option('--vars <vars.json>', 'values for ${name} placeholders of a template card')
    .option('--dark', 'dark theme')
    .addHelpText('after', '\nExamples:\n  $ card preview card.json --open\n  $ card preview card.json --png card.png\n  $ card preview template.json --vars vars.json --locale en_us > page.html')
    .action(lazy(() => import('./commands/preview.js')));

  program
    .command('replay-callback')
    .description('POST recorded card callbacks at your handler, signed and encrypted as the platform does, and check its answers')
    .argument('[fixture...]', 'fixture files, directories of them, or shipped names (card fixtures list)')
    .option('--url <url>', 'where the handler listens')
    .option('--from-card <card.json>', 'derive one callback per interactive element of a card')
    .option('--legacy', 'with --from-card: the legacy card callback instead of card.action.trigger')
    .option('--encrypt-key <key>', 'Encrypt Key: encrypt the body and sign with it (default: from the profile or CARD_ENCRYPT_KEY)')
    .option('--no-encrypt', 'send plain bodies even when an Encrypt Key is configured')
    .option('--verification-token <token>', 'Verification Token (default: from the profile or CARD_VERIFICATION_TOKEN)')
    .option('--set <path=value>', 'override a payload field, e.g. event.action.value.action=reject (JSON values allowed; repeatable)', collect)
    .option('--operator <open_id>', 'the user who clicks')
    .option('--expect <path=value>', 'assert on the answer, e.g. toast.type=success (repeatable)', collect)
    .option('--expect-file <answer.json>', 'assert the answer contains this JSON (subset match)')
    .option('--concurrency <n>', 'replays in flight at once', '4')
    .option('--budget <ms>', 'fail answers slower than this (default: 3000 ms, 1000 ms for url_verification)')
    .option('--header <name:value>', 'extra request header (repeatable)', collect)
    .option('--platform <platform>', 'feishu (default) or wps: WPS 协作 card callbacks, WPS-4 signed')
    .option('--app-key <ak>', 'WPS: the app key (AK) that signs callbacks (default: the WPS profile)')
    .option('--secret <sk>', 'WPS: the secret (SK) (default: the WPS profile or CARD_APP_SECRET)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ card replay-callback button --url http://localhost:3000/webhook/card\n  $ card replay-callback fixtures/callbacks --url http://localhost:3000/card --encrypt-key $KEY --concurrency 8\n  $ card replay-callback --from-card approval.json --url http://localhost:3000/card --expect toast.type=success\n  $ card replay-callback button --url … --set event.action.value.action=reject --expect-file expected.json\n  $ card replay-callback wps-card-button --platform wps --app-key AK --secret SK --url http://localhost:3000/wps/card',
    )
    .action(lazy(() => import('./commands/replay-callback.js')));

  program
    .command('listen')
    .description('receive real callbacks, check their signatures, save them as fixtures, and optionally forward them')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3002')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--out <dir>', 'where recorded fixtures go', 'fixtures/recorded')
    .option('--no-save', 'do not save recordings')
    .option('--forward-to <url>', 'forward each callback (original bytes and signature) to your handler and relay its answer')
    .option('--encrypt-key <key>', 'Encrypt Key, to decrypt and check signatures (default: profile or CARD_ENCRYPT_KEY)')
    .option('--verification-token <token>', 'Verification Token, to check legacy signatures and tokens')
    .addHelpText('after', '\nExamples:\n  $ card listen --forward-to http://localhost:3000/webhook/card\n  $ card replay-callback fixtures/recorded --url http://localhost:3000/webhook/card')
    .action(lazy(() => import('./commands/listen.js')));

  const fixtures = program.command('fixtures').description('the callback fixtures shipped with card');
  fixtures.command('list').description('list shipped fixtures').action(lazy(() => import('./commands/fixtures.js'), (m) => m.list));
  fixtures
    .command('show')
    .description('print a fixture')
    .argument('<name>', 'a shipped name or a file path')
    .action(lazy(() => import('./commands/fixtures.js'), (m) => m.show));

  program
    .command('demo')
    .description('run the whole loop against an embedded emulator')
    .option('--keep', 'keep the emulator running afterwards')
    .action(lazy(() => import('./commands/demo.js')));

  program
    .command('emulator')
    .description('run the local Open API emulator (Ctrl-C to stop)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3001')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <file>', 'seed JSON: apps, users, chats, templates (default: the built-in seed)')
    .option('--token-ttl <seconds>', 'lifetime of tenant tokens', '7200')
    .option('--no-rate-limit', 'turn off the platform rate limits')
    .option('--rate <limits>', 'per-app limits, e.g. 50/s,1000/min (the platform\'s)')
    .option('--faults <spec>', 'inject faults into a share of requests: 0.2, or drop=0.05,500=0.05,slow=0.05,429=0.05,slow_ms=1000')
    .option('--callback-url <url>', 'where clicks in the inbox are sent (apps whose seed names none)')
    .addHelpText('after', '\nExamples:\n  $ card emulator --port 0 --json\n  $ card emulator --seed ./my-seed.json\n  $ card emulator --faults 0.2 --rate 50/s,3000/min\n  $ card emulator --callback-url http://localhost:3000/webhook/card   # then open the inbox in a browser')
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
      ctx = await createContext({ json: argv.includes('--json'), verbose: argv.includes('--verbose'), timeout: undefined });
    }
    ctx.out.failure(cliErr);
    return cliErr.exitCode;
  }
}
