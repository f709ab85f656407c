import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('recall')
    .description('recall (delete) a message the bot sent')
    .argument('<message_id>', 'the om_… id card send printed')
    .option('--dry-run', 'print the exact request and send nothing')
    .addHelpText('after', '\nExamples:\n  $ card recall om_xxx\n  $ card recall om_xxx --json')
    .action(lazy(() => import('./run.js')));
};

export default declare;
