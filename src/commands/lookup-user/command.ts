import { USER_ID_TYPES } from '../../feishu/receive-id-type.js';
import { lazy, type Declaration } from '../declare.js';
import { choiceOption } from '../option-types.js';

const declare: Declaration = (program) => {
  program
    .command('lookup-user')
    .description('turn mobiles and emails into user ids (contact/v3/users/batch_get_id)')
    .argument('<mobile|email...>', 'mobile numbers (+country code outside mainland China) or email addresses')
    .addOption(choiceOption('--user-id-type <type>', 'open_id, union_id or user_id', USER_ID_TYPES, 'open_id'))
    .option('--include-resigned', 'also return users who have resigned')
    .option('--allow-missing', 'exit 0 even when some are not found')
    .addHelpText('after', '\nExamples:\n  $ card lookup-user alice@corp.com +8613800000001\n  $ card lookup-user --json bob@corp.com | jq -r .data.users[0].user_id')
    .action(lazy(() => import('./run.js')));
};

export default declare;
