import { lazy, type Declaration } from '../declare.js';
import { typedOption, wholeNumber } from '../option-types.js';

const load = () => import('./run.js');
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

const declare: Declaration = (program) => {
  const inbox = program
    .command('inbox')
    .description('act as a person in a running emulator\'s inbox: read, click, fill, write (for scripts and agents)')
    .addHelpText('after', '\nThe emulator is --base-url, else CARD_BASE_URL, else http://127.0.0.1:3001 (card emulator).\nAn action exits 5 when the bot\'s answer fails in the client (not HTTP 200, no answer in 3 s, a broken answer).');
  inbox
    .command('list')
    .description('messages, newest last: id, chat, sender, type, one line of text')
    .option('--chat <chat_id>', 'only this chat')
    .addOption(typedOption('--limit <n>', 'only the newest n', wholeNumber(1)))
    .addHelpText('after', examples('card inbox list', 'card inbox list --chat oc_xxx --limit 5 --json'))
    .action(lazy(load, (m) => m.list));
  inbox
    .command('show')
    .description('a message as a person reads it, with its interactive elements numbered #1, #2, …')
    .argument('<message_id>', 'om_… (card inbox list shows them)')
    .option('--as <person>', 'see the card as this person sees it (open_id, email, mobile or name)')
    .addHelpText('after', examples('card inbox show om_xxx', 'card inbox show om_xxx --json | jq .data.elements'))
    .action(lazy(load, (m) => m.show));
  inbox
    .command('click')
    .description('click a button (or toggle a checker, or press a form\'s submit button) and print the bot\'s answer')
    .argument('<message_id>', 'om_…')
    .argument('<target>', 'the button\'s text, its element_id, or #N from card inbox show')
    .option('--as <person>', 'who clicks (default: the first person in the chat)')
    .addHelpText('after', `${examples('card inbox click om_xxx Approve', 'card inbox click om_xxx "#2" --as bob@example.com --json')}\n\nA form's submit button sends its defaults; to set its fields first, use fill … --submit.`)
    .action(lazy(load, (m) => m.click));
  inbox
    .command('choose')
    .description('pick an option in a select or overflow menu (several for a multi-select), or a date or time in a picker')
    .argument('<message_id>', 'om_…')
    .argument('<target>', 'the element\'s text, element_id, or #N')
    .argument('<option...>', 'option values or texts; people by open_id, email or name; YYYY-MM-DD / HH:mm for pickers')
    .option('--as <person>', 'who chooses (default: the first person in the chat)')
    .addHelpText('after', `${examples('card inbox choose om_xxx size Large', 'card inbox choose om_xxx "#3" 2026-01-15')}\n\nInside a form the client sends nothing when you choose: the submit button sends the whole form.\nEach card inbox command starts afresh, so use fill to set a form's fields and submit it in one go.`)
    .action(lazy(load, (m) => m.choose));
  inbox
    .command('fill')
    .description('fill a form\'s fields and submit it (or type into one input and press Enter)')
    .argument('<message_id>', 'om_…')
    .argument('<name=value...>', 'fields by name; a,b for a multi-select; true/false for a checker')
    .option('--submit <button>', 'the submit button to press (text, element_id or #N; default the first)')
    .option('--as <person>', 'who fills (default: the first person in the chat)')
    .addHelpText('after', examples('card inbox fill om_xxx title="Lunch" amount=42', 'card inbox fill om_xxx reason=late --submit "Send"'))
    .action(lazy(load, (m) => m.fill));
  inbox
    .command('say')
    .description('write to the bot as a person, in a chat (@mentioning the bot in a group) or in their one-to-one chat')
    .argument('<chat|person>', 'oc_… chat, a bot (app_id or name), or a person (their chat with the first bot)')
    .argument('<text>', 'what they write')
    .option('--as <person>', 'who writes, in a chat or to a bot (default: the first person there)')
    .addHelpText('after', examples('card inbox say alice@example.com "expense 42"', 'card inbox say oc_xxx "status?" --as bob@example.com'))
    .action(lazy(load, (m) => m.say));
  inbox
    .command('wait')
    .description('wait for the next message or card update that matches, and print it (--timeout, default 10s)')
    .option('--chat <chat_id>', 'only in this chat')
    .option('--from-bot', 'only what a bot sent')
    .addHelpText('after', examples('card inbox wait --from-bot --timeout 10s', 'card inbox wait --chat oc_xxx --json'))
    .action(lazy(load, (m) => m.wait));
  inbox
    .command('record')
    .description('record what people do in the inbox and what the bot answers, then write it as a vitest test')
    .requiredOption('--out <file>', 'the test file to write (.ts for TypeScript, .js/.mjs for JavaScript)')
    .option('--setup <module>', 'a module whose default export starts the bot: (emu) => Promise<{ close() }> (default: a startBot() to fill in)')
    .option('--until-signal', 'ignore stdin: stop only on SIGINT or SIGTERM (for a recording run in the background of a script)')
    .addHelpText('after', '\nStops at Enter, at the end of stdin, or on Ctrl-C (SIGINT) or SIGTERM, then writes the file.' + examples('card inbox record --out test/recorded.test.ts', 'card inbox record --out test/approve.test.ts --setup ./start-bot.js --until-signal &'))
    .action(lazy(load, (m) => m.record));
  inbox
    .command('screenshot')
    .description('the inbox page, or one message in it, as a PNG (the browser and fonts of card preview)')
    .argument('[message_id]', 'only this message (its chat is shown)')
    .requiredOption('--out <file.png>', 'where to write the PNG')
    .option('--dark', 'cards in the client\'s dark theme')
    .option('--as <person>', 'the person whose view is drawn')
    .addHelpText('after', examples('card inbox screenshot --out inbox.png', 'card inbox screenshot om_xxx --out card.png --dark'))
    .action(lazy(load, (m) => m.screenshot));
};

export default declare;
