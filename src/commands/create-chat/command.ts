import { lazy, collect, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
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
    .action(lazy(() => import('./run.js')));
};

export default declare;
