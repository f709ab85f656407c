import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('token')
    .description('get a tenant_access_token (cached across runs)')
    .option('--refresh', 'fetch a new token even if the cached one is valid')
    .option('--reveal', 'print the whole token instead of a masked one')
    .addHelpText('after', '\nExamples:\n  $ card token\n  $ TOKEN=$(card token --reveal)')
    .action(lazy(() => import('./run.js')));
};

export default declare;
