import { lazy, type Declaration } from '../declare.js';
import { choiceOption } from '../option-types.js';

/** What im/v1/images takes as image_type. */
const IMAGE_TYPES = ['message', 'avatar'] as const;

const declare: Declaration = (program) => {
  program
    .command('upload-image')
    .description('upload an image (im/v1/images) and print its img_ key for cards')
    .argument('<file>', 'JPG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC, up to 10 MB')
    .addOption(choiceOption('--type <type>', 'message (for cards and messages) or avatar', IMAGE_TYPES, 'message'))
    .addHelpText('after', '\nExamples:\n  $ card upload-image chart.png\n  $ KEY=$(card upload-image chart.png)\n  $ card send card.json --to alice@corp.com --upload-images   # uploads the local paths a card names')
    .action(lazy(() => import('./run.js')));
};

export default declare;
