import { collect, lazy, templateOptions, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  templateOptions(
    program
      .command('update')
      .description('update a sent card in place (PATCH; shared cards only; WPS: by ctx_id), or with a callback token')
      .argument('[message_id]', 'the om_… id card send printed (WPS profiles: the ctx_id); left out with --token')
      .argument('[card]', 'new card JSON file, or - for stdin')
      .option('--token <c-…>', 'the delayed update: the token of a card callback (30 minutes, 2 uses) instead of a message id')
      .option('--open-id <open_id>', 'with --token, for a JSON 1.0 card that is not shared: whose view to update (repeatable)', collect)
      .option('--dry-run', 'print the exact request and send nothing'),
  )
    .addHelpText('after', '\nExamples:\n  $ card update om_xxx approved.json\n  $ card update --token c-xxx approved.json          # in the 30 minutes after a click')
    .action(lazy(() => import('./run.js')));
};

export default declare;
