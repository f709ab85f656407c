#!/usr/bin/env node
// Kept tiny on purpose: every millisecond here is paid by `card --help`.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
