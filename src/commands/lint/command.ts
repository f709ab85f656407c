import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('lint')
    .description('check card JSON (1.0 and 2.0) against the platform\'s rules before sending it')
    .argument('<card...>', 'card JSON files, or - for stdin')
    .option('--format <format>', 'human, json or sarif', 'human')
    .option('--template-vars <vars.json>', 'values for ${name} placeholders: check each is supplied and fits where it lands')
    .option('--platform <platform>', 'feishu or wps (default: a WPS card is recognised by its shape)')
    .option('--cardkit', 'also check the rules of a CardKit card entity (on by itself when the card sets config.streaming_mode)')
    .addHelpText('after', '\nExamples:\n  $ card lint card.json\n  $ card lint stream-card.json --cardkit\n  $ card lint cards/*.json --format sarif > lint.sarif\n  $ card lint template-card.json --template-vars vars.json')
    .action(lazy(() => import('./run.js')));
};

export default declare;
