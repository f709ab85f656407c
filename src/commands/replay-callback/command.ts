import { lazy, collect, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('replay-callback')
    .description('POST recorded card callbacks at your handler, signed and encrypted as the platform does, and check its answers')
    .argument('[fixture...]', 'fixture files, directories of them, or shipped names (card fixtures list)')
    .option('--url <url>', 'where the handler listens')
    .option('--ws', 'deliver through the emulator (--base-url) to the app\'s connected long-connection client instead')
    .option('--card-frames', 'with --ws: send as type=card frames, which the official SDKs drop (a reported failure)')
    .option('--from-card <card.json>', 'derive one callback per interactive element of a card')
    .option('--legacy', 'with --from-card: the legacy card callback instead of card.action.trigger')
    .option('--encrypt-key <key>', 'Encrypt Key: encrypt the body and sign with it (default: from the profile or CARD_ENCRYPT_KEY)')
    .option('--no-encrypt', 'send plain bodies even when an Encrypt Key is configured')
    .option('--verification-token <token>', 'Verification Token (default: from the profile or CARD_VERIFICATION_TOKEN)')
    .option('--encrypt-key-stdin', 'read the Encrypt Key from stdin, out of the process list (env CARD_ENCRYPT_KEY works too)')
    .option('--verification-token-stdin', 'read the Verification Token from stdin (env CARD_VERIFICATION_TOKEN works too); with both, one per line: key, token')
    .option('--set <path=value>', 'override a payload field, e.g. event.action.value.action=reject (JSON values allowed; repeatable)', collect)
    .option('--operator <open_id|email>', 'the user who clicks: a seeded user\'s open_id, union_id and user_id are filled in together')
    .option('--seed <file>', 'with --operator: the emulator seed to find the user in (default: the built-in seed)')
    .option('--strict', 'fail empty answers too (a Node SDK handler answers empty when it rejected the signature): for CI')
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
      [
        '',
        'Examples:',
        '  $ card replay-callback button --url http://localhost:3000/webhook/card',
        '  $ card replay-callback button form-submit select-static --url http://localhost:3000/card --encrypt-key "$KEY"   # shipped fixtures by name: card fixtures list',
        '  $ card replay-callback fixtures/recorded --url http://localhost:3000/card --concurrency 8   # what card listen recorded',
        '  $ card replay-callback --from-card approval.json --url http://localhost:3000/card --expect toast.type=success',
        '  $ card replay-callback button --url … --set event.action.value.action=reject --expect-file expected.json',
        '  $ card replay-callback button --ws --base-url http://127.0.0.1:3001 --expect toast.type=success',
        '  $ card replay-callback message-p2p --ws --base-url http://127.0.0.1:3001   # an event: only its ack is judged',
        '  $ card replay-callback wps-card-button --platform wps --app-key AK --secret SK --url http://localhost:3000/wps/card',
      ].join('\n'),
    )
    .action(lazy(() => import('./run.js')));
};

export default declare;
