import { RECEIVE_ID_TYPES } from '../../feishu/receive-id-type.js';
import { lazy, collect, templateOptions, type Declaration } from '../declare.js';
import { receiveIdTypeOption, typedOption, wholeNumber } from '../option-types.js';

const declare: Declaration = (program) => {
  templateOptions(
    program
      .command('send')
      .description('send a card (JSON 1.0 or 2.0, or a template) to users or chats')
      .argument('[card]', 'card JSON file, or - for stdin')
      .option('--to <receiver>', 'open_id (ou_), union_id (on_), chat_id (oc_), email or mobile (repeatable)', collect)
      .addOption(receiveIdTypeOption('receive_id_type for receivers of another shape', RECEIVE_ID_TYPES))
      .option('--uuid <key>', 'idempotency key (default: generated and printed); the same key never sends twice within an hour')
      .option('--dry-run', 'print the exact request and send nothing')
      .option('--reply-to <message_id>', 'reply to this message (om_…) in its chat, instead of --to')
      .option('--in-thread', 'with --reply-to: reply in a thread')
      .option('--ephemeral <user>', 'show the card only to this member of the --to oc_… group (open_id, email, mobile or user_id)')
      .option('--upload-images', 'upload the local image files the card names (img_key, markdown images) and send their keys')
      .option('--images-dir <dir>', 'with --upload-images: the folder the images must be in (default: the card\'s folder)')
      .option('--to-file <file>', 'bulk: one receiver per row, CSV (to, to_type, variables…) or NDJSON')
      .option('--results <file>', 'bulk: per-row results (default: <to-file>.results.ndjson)')
      .option('--resume', 'bulk: continue a run: rows the results file says were sent are skipped, matched by receiver and variables')
      .option('--resend-unknown', 'bulk: with --resume, send again rows whose outcome is unknown and whose uuid has expired (they may arrive twice)')
      .option('--rate <limits>', 'bulk: the app\'s limits to stay under, e.g. 50/s,1000/min (default: the platform\'s)')
      .addOption(typedOption('--concurrency <n>', 'bulk: requests in flight (default 16)', wholeNumber(1, 1000)))
      .option('--to-users <company_id:uid,...>', 'WPS: users of one company', collect)
      .option('--to-depts <company_id:dept,...>', 'WPS: departments of one company', collect)
      .option('--to-companies <id>', 'WPS: a whole company', collect)
      .option('--biz-type <type>', 'WPS: the business type of the message')
      .option('--ctx-id <id>', 'WPS: id for later updates and callbacks, at most 36 characters (made for you with --utype 1)')
      .option('--utype <0|1>', 'WPS: 1 when the card will be updated later')
      .option('--company-uid <uid>', 'WPS: the user who produces the message (for updates)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ card send card.json --to alice@corp.com\n  $ card send --template AAqDemoApprov --var applicant=Alice --var amount=42 --to oc_xxx\n  $ cat card.json | card send - --to ou_xxx --json\n  $ card send card.json --reply-to om_xxx --in-thread\n  $ card send card.json --to oc_xxx --ephemeral alice@corp.com\n  $ card send report.json --to oc_xxx --upload-images      # "img_key": "./chart.png" becomes an img_ key\n  $ card send --template AAqDemoApprov --to-file people.csv          # columns: to,applicant,amount\n  $ card send --template AAqDemoApprov --to-file people.csv --resume',
    )
    .action(lazy(() => import('./run.js')));
};

export default declare;
