#!/usr/bin/env node
// Kept tiny on purpose: every millisecond here is paid by every command. CommonJS (bin/package.json)
// so that starting needs no ES module loader: the CLI comes from dist/bundle, compiled from the V8
// code caches the build wrote (scripts/build-bundle.mjs); without a bundle, from the module build.
'use strict';

const argv = process.argv.slice(2);
let bundle = null;
try {
  bundle = require('../dist/bundle/loader.cjs');
} catch (err) {
  if (err?.code !== 'MODULE_NOT_FOUND') throw err;
}

main().then(exit);

async function main() {
  // A plain help request (`card`, `card -h`, `card send --help`, `card profile`) is answered from
  // the screens the build recorded, without commander or the command tree.
  const last = argv[argv.length - 1];
  const plain = (words) => words.every((a) => !a.startsWith('-'));
  if (argv.length === 0 || (argv.length === 1 && plain(argv)) || (argv.length <= 3 && (last === '--help' || last === '-h') && plain(argv.slice(0, -1)))) {
    const { showRecordedHelp } = bundle ? bundle.load('help.cjs') : await import('../dist/help/render.js');
    if (showRecordedHelp(argv)) return 0;
  }
  // Node 22.1+ keeps compiled code on disk between runs (for what the bundle leaves outside it).
  require('node:module').enableCompileCache?.();
  const { runCli } = bundle ? bundle.load('cli.cjs') : await import('../dist/cli.js');
  return runCli(argv);
}

// Exit as soon as output is flushed, instead of waiting on library teardown (keep-alive
// sockets, pending timers) that can hold the event loop for a few hundred milliseconds.
async function exit(code) {
  const flush = (stream) => new Promise((resolve) => (stream.destroyed ? resolve() : stream.write('', resolve)));
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}
