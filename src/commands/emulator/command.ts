import { DEFAULT_MAX_MESSAGES, isMessageCap } from '../../emulator/message-cap.js';
import { lazy, type Declaration } from '../declare.js';
import { numberWhere, port, typedOption } from '../option-types.js';

const declare: Declaration = (program) => {
  program
    .command('emulator')
    .description('run the local Open API emulator (Ctrl-C to stop)')
    .addOption(typedOption('--port <port>', 'port to listen on (0 picks a free one)', port, 3001))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--allow-host <name>', 'also answer to this Host name, e.g. host.docker.internal for an SDK in a container (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--seed <file>', 'seed JSON: apps, users, chats, templates (default: the built-in seed)')
    .option('--token-ttl <seconds>', 'lifetime of tenant tokens', '7200')
    .option('--no-rate-limit', 'turn off the platform rate limits')
    .option('--rate <limits>', 'per-app limits, e.g. 50/s,1000/min (the platform\'s)')
    .option('--faults <spec>', 'inject faults into a share of requests: 0.2, or drop=0.05,500=0.05,slow=0.05,429=0.05,slow_ms=1000')
    .addOption(typedOption('--max-messages <n>', 'messages kept; past it the oldest are dropped', numberWhere(isMessageCap, 'It must be a whole number of at least 1.'), DEFAULT_MAX_MESSAGES))
    .option('--callback-url <url>', 'where clicks in the inbox are sent (apps whose seed names none)')
    .option('--event-url <url>', 'where events are POSTed (apps whose seed names none)')
    .option('--ws', 'send callbacks and events over the long connection (apps whose seed does not say); the default for apps with no URL')
    .option('--ws-card-frames', 'send callbacks as type=card frames, which the official SDKs drop (reproduces "clicks do nothing")')
    .addHelpText('after', '\nExamples:\n  $ card emulator --port 0 --json\n  $ card emulator --seed ./my-seed.json\n  $ card emulator --faults 0.2 --rate 50/s,3000/min\n  $ card emulator --callback-url http://localhost:3000/webhook/card   # then open the inbox in a browser\n  $ card emulator --ws   # your bot connects with WSClient({domain: "http://127.0.0.1:3001"})')
    .action(lazy(() => import('./run.js')));
};

export default declare;
