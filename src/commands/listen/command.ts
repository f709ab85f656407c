import { lazy, type Declaration } from '../declare.js';
import { port, typedOption } from '../option-types.js';

const declare: Declaration = (program) => {
  program
    .command('listen')
    .description('receive real callbacks, check their signatures, save them as fixtures, and optionally forward them')
    .option('--ws', 'connect to the platform (or the emulator: --base-url) as a long-connection client of the app instead of opening a port')
    .addOption(typedOption('--port <port>', 'port to listen on (0 picks a free one)', port, 3002))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--out <dir>', 'where recorded fixtures go', 'fixtures/recorded')
    .option('--no-save', 'do not save recordings')
    .option('--forward-to <url>', 'forward each callback (original bytes and signature) to your handler and relay its answer')
    .option('--encrypt-key <key>', 'Encrypt Key, to decrypt and check signatures (default: profile or CARD_ENCRYPT_KEY)')
    .option('--verification-token <token>', 'Verification Token, to check legacy signatures and tokens')
    .option('--encrypt-key-stdin', 'read the Encrypt Key from stdin, out of the process list (env CARD_ENCRYPT_KEY works too)')
    .option('--verification-token-stdin', 'read the Verification Token from stdin (env CARD_VERIFICATION_TOKEN works too); with both, one per line: key, token')
    .option('--accept-unchecked', 'with keys set, still let through callbacks of a kind no set key can check (refused by default)')
    .addHelpText('after', '\nExamples:\n  $ card listen --forward-to http://localhost:3000/webhook/card\n  $ card replay-callback fixtures/recorded --url http://localhost:3000/webhook/card\n  $ card listen --ws --forward-to http://localhost:3000/webhook/card   # callbacks and events over the long connection')
    .action(lazy(() => import('./run.js')));
};

export default declare;
