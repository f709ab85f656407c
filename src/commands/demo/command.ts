import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('demo')
    .description('run the whole loop against an embedded emulator')
    .option('--keep', 'keep the emulator running afterwards')
    .action(lazy(() => import('./run.js')));
};

export default declare;
