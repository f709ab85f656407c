import { lazy, templateOptions, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  templateOptions(
    program
      .command('update')
      .description('update a sent card in place (PATCH; shared cards only; WPS: by ctx_id)')
      .argument('<message_id>', 'the om_… id card send printed (WPS profiles: the ctx_id)')
      .argument('[card]', 'new card JSON file, or - for stdin'),
  )
    .addHelpText('after', '\nExamples:\n  $ card update om_xxx approved.json')
    .action(lazy(() => import('./run.js')));
};

export default declare;
