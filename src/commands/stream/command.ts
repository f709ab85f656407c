import { RECEIVE_ID_TYPES } from '../../feishu/receive-id-type.js';
import { lazy, type Declaration } from '../declare.js';
import { receiveIdTypeOption } from '../option-types.js';

const declare: Declaration = (program) => {
  program
    .command('stream')
    .description('stream text from stdin (or a command) into a CardKit card as it arrives (the typewriter effect)')
    .argument('[command...]', 'run this command and stream its output (stdout and stderr) instead of stdin; put it after --')
    .option('--to <receiver>', 'open_id (ou_), union_id (on_), chat_id (oc_), email or mobile')
    .addOption(receiveIdTypeOption('receive_id_type for a receiver of another shape', RECEIVE_ID_TYPES))
    .option('--reply-to <message_id>', 'send the card as a reply to this om_… message instead')
    .option('--in-thread', 'with --reply-to: reply in the message\'s thread')
    .option('--card <file>', 'a JSON 2.0 card to stream into (default: a card with one markdown element)')
    .option('--element-id <id>', 'with --card: the markdown or plain_text element that takes the text')
    .option('--title <text>', 'the default card\'s header title')
    .option('--no-lint', 'with --card: skip card lint (CardKit rules included) and let the platform judge the card')
    .option('--interval <ms>', 'least time between two text updates, in ms (at least 100: 10 updates a second per card)', '200')
    .option('--uuid <key>', 'idempotency key of the send (the same key never sends twice within an hour)')
    .addHelpText(
      'after',
      `
The card is created as a card entity, sent by its card_id, and updated with the whole text so far
(each update with a larger sequence); the client types out what is new. At the end of the input,
or on Ctrl-C, the last text goes out and streaming mode is closed, so the card is left final.

Examples:
  $ ./llm "Explain CardKit" | card stream --to alice@corp.com --title "Answer"
  $ card stream --to oc_xxx --title "nightly build" -- make test
  $ tail -f deploy.log | card stream --reply-to om_xxx          # Ctrl-C ends it
  $ card stream --to ou_xxx --card answer.json --element-id body --json < notes.md`,
    )
    .action(lazy(() => import('./run.js')));
};

export default declare;
