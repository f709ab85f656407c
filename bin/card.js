#!/usr/bin/env node
// Kept tiny on purpose: every millisecond here is paid by every command.
import module from 'node:module';

const argv = process.argv.slice(2);
// A plain help request (`card`, `card -h`, `card send --help`, `card profile`) is answered from
// the screens the build recorded, without commander or the command tree.
const last = argv[argv.length - 1];
const plain = (words) => words.every((a) => !a.startsWith('-'));
if (argv.length === 0 || (argv.length === 1 && plain(argv)) || (argv.length <= 3 && (last === '--help' || last === '-h') && plain(argv.slice(0, -1)))) {
  const { showRecordedHelp } = await import('../dist/help/render.js');
  if (showRecordedHelp(argv)) await exit(0);
}

// Node 22.1+ keeps compiled code on disk between runs; Node 20 has no such switch and skips it.
module.enableCompileCache?.();
const { runCli } = await import('../dist/cli.js');
await exit(await runCli(argv));

// Exit as soon as output is flushed, instead of waiting on library teardown (keep-alive
// sockets, pending timers) that can hold the event loop for a few hundred milliseconds.
async function exit(code) {
  const flush = (stream) => new Promise((resolve) => (stream.destroyed ? resolve() : stream.write('', resolve)));
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}
