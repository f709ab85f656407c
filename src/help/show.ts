import { readFileSync } from 'node:fs';
import { renderHelp, screenFor, type Screens } from './render.js';

/**
 * Writes the help a command line asks for from the screens the build recorded, and says whether
 * it did; false (commander takes over) when the line is not a plain help request or the screens
 * are missing, as when running from source before a build.
 */
export function showRecordedHelp(argv: string[], stdout: NodeJS.WriteStream = process.stdout): boolean {
  let screens: Screens;
  try {
    screens = JSON.parse(readFileSync(new URL('./screens.json', import.meta.url), 'utf8')) as Screens;
  } catch {
    return false;
  }
  const key = screenFor(argv, screens);
  if (key === null) return false;
  // `card --help | head -1`: the reader leaving is a normal end, as in the CLI proper.
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
  // commander's width: the terminal's columns, or 80 when the output is not a terminal.
  stdout.write(renderHelp(screens[key]!, (stdout.isTTY ? stdout.columns : undefined) ?? 80));
  return true;
}
