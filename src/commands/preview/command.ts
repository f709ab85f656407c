import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('preview')
    .description('render a card to a self-contained HTML page like the client shows it, or a PNG')
    .argument('<card>', 'card JSON file, or - for stdin')
    .option('--out <file.html>', 'write the page here (default: stdout when piped, a temp file on a terminal)')
    .option('--png <file.png>', 'screenshot the card with headless Chromium: CARD_CHROMIUM if set, else a Chrome, Chromium or Edge on the system, else the one card ships (Linux x64/arm64)')
    .option('--open', 'open the page in your browser')
    .option('--locale <locale>', 'language for i18n content, e.g. en_us (default: zh_cn when present)')
    .option('--vars <vars.json>', 'values for ${name} placeholders of a template card')
    .option('--dark', 'dark theme')
    .addHelpText('after', '\nExamples:\n  $ card preview card.json --open\n  $ card preview card.json --png card.png\n  $ card preview template.json --vars vars.json --locale en_us > page.html')
    .action(lazy(() => import('./run.js')));
};

export default declare;
