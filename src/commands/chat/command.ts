import { lazy, type Declaration } from '../declare.js';
import { typedOption, wholeNumber } from '../option-types.js';

const declare: Declaration = (program) => {
  const chat = program.command('chat').description('find and clean up the group chats the bot is in');
  chat
    .command('list')
    .description('list the group chats the bot is in')
    .addOption(typedOption('--limit <n>', 'at most this many chats', wholeNumber(1)))
    .option('--name <text>', 'only chats whose name contains this text')
    .addHelpText('after', '\nExamples:\n  $ card chat list\n  $ card chat list --name "card test" --json')
    .action(lazy(() => import('./run.js'), (m) => m.list));
  chat
    .command('disband')
    .description('disband a group chat the bot owns or created')
    .argument('<chat_id...>', 'oc_… ids (card chat list shows them)')
    .option('--dry-run', 'print the exact requests and send nothing')
    .addHelpText('after', '\nExamples:\n  $ card chat disband oc_xxx\n  $ card chat list --name "card test" --json | jq -r \'.data.chats[].chat_id\' | xargs card chat disband')
    .action(lazy(() => import('./run.js'), (m) => m.disband));
};

export default declare;
