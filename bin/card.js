#!/usr/bin/env node
// Kept tiny on purpose: every millisecond here is paid by `card --help`.
import module from 'node:module';

// Node 22.1+ keeps compiled code on disk between runs; Node 20 has no such switch and skips it.
module.enableCompileCache?.();
const { runCli } = await import('../dist/cli.js');

const code = await runCli(process.argv.slice(2));
// Exit as soon as output is flushed, instead of waiting on library teardown (keep-alive
// sockets, pending timers) that can hold the event loop for a few hundred milliseconds.
const flush = (stream) => new Promise((resolve) => (stream.destroyed ? resolve() : stream.write('', resolve)));
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);
