import { collect, lazy, type Declaration } from '../declare.js';
import { typedOption, wholeNumber } from '../option-types.js';
import { chatId, emojiType, httpUrl, locationValue, messageIds } from './person-options.js';

const load = () => import('./run.js');
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

const declare: Declaration = (program) => {
  const inbox = program
    .command('inbox')
    .description('act as a person in a running emulator\'s inbox: read, click, fill, write, react, send, act on chats (for scripts and agents)')
    .addHelpText('after', '\nThe emulator is --base-url, else CARD_BASE_URL, else http://127.0.0.1:3001 (card emulator).\nAn action exits 5 when the bot\'s answer fails in the client (not HTTP 200, no answer in 3 s, a broken answer)\nor a bot fails an event the action caused; 1 when the emulator refuses the action (the platform\'s rules, with the code).');
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
    .command('react')
    .description('react to a message with an emoji, as a person: the bots in its chat get im.message.reaction.created_v1')
    .argument('<message_id>', 'om_…')
    .argument('<emoji_type>', 'the platform\'s emoji key, case-sensitive: THUMBSUP, DONE, OK, SMILE …', emojiType)
    .option('--as <person>', 'who reacts (default: the first person in the chat)')
    .addHelpText('after', examples('card inbox react om_xxx THUMBSUP', 'card inbox react om_xxx DONE --as bob@example.com --json'))
    .action(lazy(load, (m) => m.react));
  inbox
    .command('unreact')
    .description('take back a person\'s reaction: the bots in the chat get im.message.reaction.deleted_v1')
    .argument('<message_id>', 'om_…')
    .argument('<emoji_type>', 'the emoji they reacted with', emojiType)
    .option('--as <person>', 'whose reaction (default: the first person in the chat)')
    .addHelpText('after', examples('card inbox unreact om_xxx THUMBSUP'))
    .action(lazy(load, (m) => m.unreact));
  inbox
    .command('read')
    .description('mark a message read by a person: the bot that sent it one to one gets im.message.message_read_v1 (the first read)')
    .argument('<message_id>', 'om_…')
    .option('--as <person>', 'who reads (default: the first person in the chat)')
    .addHelpText('after', examples('card inbox read om_xxx', 'card inbox read om_xxx --as bob@example.com --json'))
    .action(lazy(load, (m) => m.read));
  inbox
    .command('recall')
    .description('recall a message a person sent (only their own): the bots in the chat get im.message.recalled_v1')
    .argument('<message_id>', 'om_… a person wrote (card inbox list shows the sender)')
    .option('--as <person>', 'who recalls: the sender (the default)')
    .addHelpText('after', examples('card inbox recall om_xxx'))
    .action(lazy(load, (m) => m.recall));
  inbox
    .command('send')
    .description('send a message of another kind than text as a person (for text: card inbox say); the bot gets im.message.receive_v1')
    .argument('<chat|person>', 'oc_… chat, a bot (app_id or name), or a person (their chat with the first bot)')
    .option('--image <file>', 'a picture (PNG, JPEG, GIF, WebP …; at most 10 MB)')
    .option('--file <file>', 'a file (at most 30 MB); its name is sent, not its path')
    .option('--audio <file.opus>', 'a voice message (Ogg Opus; its length read from the file)')
    .option('--video <file.mp4>', 'a video (MP4; its length read from the file)')
    .option('--cover <file>', 'with --video: the cover picture (default: the emulator draws one)')
    .option('--post <file.json>', 'a rich text post: {"title":…, "content":[[{"tag":"text","text":…}]]}; pictures as {"tag":"img","image":"pic.png"}')
    .option('--sticker [file_key]', 'a sticker (one a message carried, by its file_key; default one from the person\'s collection)')
    .addOption(typedOption('--share-chat <chat_id>', 'a group shared as a card', chatId))
    .option('--share-user <person>', 'a person shared as a contact card (open_id, email or name)')
    .addOption(typedOption('--location <"name,lat,lng">', 'a place: its name, latitude and longitude in degrees', locationValue))
    .option('--todo <summary>', 'a task with this summary')
    .addOption(typedOption('--merge-forward <om_,om_…>', 'messages of one chat the person is in, merged into one', messageIds))
    .option('--as <person>', 'who sends, in a chat or to a bot (default: the first person there)')
    .addHelpText('after', `${examples('card inbox send alice@example.com --image receipt.png', 'card inbox send oc_xxx --post post.json --as bob@example.com', 'card inbox send "Card Demo Bot" --location "Sunny Cafe,31.2304,121.4737" --json', 'card inbox send oc_xxx --merge-forward om_aaa,om_bbb')}\n\nGive exactly one kind. In a group a bot hears a post (it @mentions the chat's bots); other kinds it does not, as on the platform.`)
    .action(lazy(load, (m) => m.send));
  inbox
    .command('menu')
    .description('press an item of a bot\'s menu (the seed\'s bot_menu), as a person: the app gets application.bot.menu_v6')
    .argument('<bot>', 'app_id or name')
    .argument('<event_key>', 'the item\'s event_key (a wrong one lists the menu\'s)')
    .option('--as <person>', 'who presses it (default: the first person)')
    .addHelpText('after', examples('card inbox menu "Card Demo Bot" my_approvals', 'card inbox menu cli_xxx new_expense --as bob@example.com --json'))
    .action(lazy(load, (m) => m.menu));
  inbox
    .command('paste-link')
    .description('send a link as a person: each bot there whose URL rules match is asked for a preview (url.preview.get), and its answer judged')
    .argument('<chat|person>', 'oc_… chat, a bot (app_id or name), or a person (their chat with the first bot)')
    .argument('<url>', 'an http(s) link', httpUrl)
    .option('--as <person>', 'who sends it, in a chat or to a bot (default: the first person there)')
    .addHelpText('after', `${examples('card inbox paste-link alice@example.com https://approvals.example.com/requests/42', 'card inbox paste-link oc_xxx https://shop.example.com/orders/7 --json')}\n\nExits 5 when a bot fails to answer, or answers with a preview the client refuses.`)
    .action(lazy(load, (m) => m.pasteLink));
  const chat = inbox
    .command('chat')
    .description('what a person does to chats: create a group, add or remove a bot or a person, leave, rename, disband, open the one-to-one chat with a bot')
    .addHelpText('after', '\nEach prints the chat as it is now and every event it caused with how the bot answered (exit 5 when a bot failed one).');
  const as = ['--as <person>', 'who acts (default: the first person in the chat)'] as const;
  chat
    .command('create')
    .description('create a group the person owns: each bot added gets im.chat.member.bot.added_v1')
    .argument('<name>', 'the group\'s name')
    .addOption(typedOption('--bot [bot]', 'add a bot (app_id or name; without one, the first app); repeat for more', collect).preset(''))
    .option('--member <person>', 'add a person (open_id, email or name); repeat for more', collect)
    .option('--as <person>', 'who creates it, and owns it (default: the first person)')
    .addHelpText('after', examples('card inbox chat create "Trip planning" --bot --member bob@example.com', 'card inbox chat create Ops --bot "Card Demo Bot" --as carol@example.com --json'))
    .action(lazy(load, (m) => m.chatCreate));
  chat
    .command('add-bot')
    .description('add a bot to a group: it gets im.chat.member.bot.added_v1')
    .argument('<chat_id>', 'oc_…')
    .argument('[bot]', 'app_id or name (default: the first app)')
    .option(...as)
    .addHelpText('after', examples('card inbox chat add-bot oc_xxx', 'card inbox chat add-bot oc_xxx "Card Demo Bot" --as alice@example.com'))
    .action(lazy(load, (m) => m.chatAddBot));
  chat
    .command('remove-bot')
    .description('remove a bot from a group (its owner or a manager): it gets im.chat.member.bot.deleted_v1')
    .argument('<chat_id>', 'oc_…')
    .argument('[bot]', 'app_id or name (default: the first app)')
    .option(...as)
    .addHelpText('after', examples('card inbox chat remove-bot oc_xxx'))
    .action(lazy(load, (m) => m.chatRemoveBot));
  chat
    .command('add')
    .description('add people to a group: the bots in it get im.chat.member.user.added_v1')
    .argument('<chat_id>', 'oc_…')
    .argument('<person...>', 'open_id, email or name')
    .option(...as)
    .addHelpText('after', examples('card inbox chat add oc_xxx bob@example.com carol@example.com'))
    .action(lazy(load, (m) => m.chatAdd));
  chat
    .command('remove')
    .description('remove a person from a group (its owner or a manager): the bots get im.chat.member.user.deleted_v1')
    .argument('<chat_id>', 'oc_…')
    .argument('<person>', 'open_id, email or name')
    .option(...as)
    .addHelpText('after', examples('card inbox chat remove oc_xxx bob@example.com --as alice@example.com'))
    .action(lazy(load, (m) => m.chatRemove));
  chat
    .command('withdraw')
    .description('withdraw the invitation of people the person added: they leave, the bots get im.chat.member.user.withdrawn_v1')
    .argument('<chat_id>', 'oc_…')
    .argument('<person...>', 'open_id, email or name')
    .option(...as)
    .addHelpText('after', examples('card inbox chat withdraw oc_xxx bob@example.com --as alice@example.com'))
    .action(lazy(load, (m) => m.chatWithdraw));
  chat
    .command('leave')
    .description('leave a group (its owner cannot): the bots get im.chat.member.user.deleted_v1')
    .argument('<chat_id>', 'oc_…')
    .requiredOption('--as <person>', 'who leaves')
    .addHelpText('after', examples('card inbox chat leave oc_xxx --as bob@example.com'))
    .action(lazy(load, (m) => m.chatLeave));
  chat
    .command('rename')
    .description('rename a group (or change its description): the bots get im.chat.updated_v1 with what changed')
    .argument('<chat_id>', 'oc_…')
    .argument('[name]', 'the new name')
    .option('--description <text>', 'the new description')
    .option(...as)
    .addHelpText('after', examples('card inbox chat rename oc_xxx "Trip planning 2027"', 'card inbox chat rename oc_xxx --description "Where we go next"'))
    .action(lazy(load, (m) => m.chatRename));
  chat
    .command('disband')
    .description('disband a group the person owns: the bots in it get im.chat.disbanded_v1')
    .argument('<chat_id>', 'oc_…')
    .option('--as <person>', 'who disbands it: its owner (default: the first person in the chat)')
    .addHelpText('after', examples('card inbox chat disband oc_xxx'))
    .action(lazy(load, (m) => m.chatDisband));
  chat
    .command('open')
    .description('open the one-to-one chat with a bot: it gets im.chat.access_event.bot_p2p_chat_entered_v1')
    .argument('[bot]', 'app_id or name (default: the first app)')
    .option('--as <person>', 'who opens it (default: the first person)')
    .addHelpText('after', examples('card inbox chat open', 'card inbox chat open "Card Demo Bot" --as bob@example.com --json'))
    .action(lazy(load, (m) => m.chatOpen));
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
