import { commander, lazy, type Declaration } from '../declare.js';
import { choiceOption } from '../option-types.js';

const PLATFORMS = ['feishu', 'wps'] as const;
const WPS_AUTH_SCHEMES = ['wps-4', 'wps-3'] as const;

const declare: Declaration = (program) => {
  const profile = program.command('profile').description('stored app credentials');
  profile
    .command('add')
    .description('add or change a profile (the secret is asked for, or read with --app-secret-stdin)')
    .argument('<name>', 'profile name')
    .option('--app-id <id>', 'app id (cli_…)')
    .option('--app-secret-stdin', 'read the app secret from stdin')
    .addOption(new commander.Option('--app-secret <secret>', 'app secret (visible in the process list; prefer the prompt)').hideHelp())
    .option('--domain <domain>', 'feishu, lark, or a base URL', undefined)
    .option('--encrypt-key-stdin', 'read the Encrypt Key from stdin (with other -stdin flags: one per line, secret, key, token)')
    .option('--verification-token-stdin', 'read the Verification Token from stdin')
    .option('--encrypt-key <key>', 'Encrypt Key, for signing replayed callbacks (visible in the process list: prefer -stdin)')
    .option('--verification-token <token>', 'Verification Token, for replayed callbacks (visible in the process list: prefer -stdin)')
    .addOption(choiceOption('--platform <platform>', 'feishu (default, also Lark) or wps', PLATFORMS))
    .option('--gateway-prefix <prefix>', 'WPS: the gateway prefix of a private deployment (default /o/woa)')
    .option('--company-token-path <path>', 'WPS: where company_token is fetched (default /oauthapi/v3/inner/company/token)')
    .addOption(choiceOption('--wps-auth <scheme>', 'WPS: wps-4 (default) or wps-3 request signatures', WPS_AUTH_SCHEMES))
    .option('--use', 'make it the active profile')
    .action(lazy(() => import('./run.js'), (m) => m.add));
  profile.command('list').description('list profiles').action(lazy(() => import('./run.js'), (m) => m.list));
  profile
    .command('use')
    .description('make a profile the active one')
    .argument('<name>')
    .action(lazy(() => import('./run.js'), (m) => m.use));
  profile
    .command('remove')
    .description('delete a profile')
    .argument('<name>')
    .action(lazy(() => import('./run.js'), (m) => m.remove));
  profile
    .command('show')
    .description('show the credentials card would use and where each came from')
    .argument('[name]', 'a profile (default: what card would use now)')
    .action(lazy(() => import('./run.js'), (m) => m.show));
};

export default declare;
