import { readFileSync } from 'node:fs';

/**
 * `card --help` without commander: the help screens are recorded from the command tree at build
 * time (record.ts, into dist/help/screens.json) with the two width-dependent steps left open,
 * and filled in here for the terminal's width exactly as commander's Help would. Loading
 * commander and the seventeen declarations and building the tree costs more than Node's own start.
 */

/** A recorded help screen: fixed text, with commander's width-dependent steps left open. */
export type Part = string | { item: [term: string, termWidth: number, description: string] } | { wrap: string };
export type Screens = Record<string, Part[]>;

/** Below this many columns commander does not wrap (Help.minWidthToWrap). */
const MIN_WIDTH_TO_WRAP = 40;

/** commander's Help.boxWrap: wrap at whitespace, keeping the line breaks already there. */
export function boxWrap(str: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return str;
  const lines: string[] = [];
  for (const line of str.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      lines.push('');
      continue;
    }
    let sum = [chunks[0]!];
    let sumWidth = chunks[0]!.length;
    for (const chunk of chunks.slice(1)) {
      if (sumWidth + chunk.length <= width) {
        sum.push(chunk);
        sumWidth += chunk.length;
        continue;
      }
      lines.push(sum.join(''));
      const next = chunk.trimStart();
      sum = [next];
      sumWidth = next.length;
    }
    lines.push(sum.join(''));
  }
  return lines.join('\n');
}

/** commander's Help.formatItem: the term padded, the description wrapped beside it. */
export function formatItem(term: string, termWidth: number, description: string, helpWidth: number): string {
  const indent = '  ';
  if (!description) return indent + term;
  const padded = term.padEnd(termWidth);
  const remaining = helpWidth - termWidth - 2 - indent.length;
  const text = remaining < MIN_WIDTH_TO_WRAP || /\n[^\S\r\n]/.test(description) ? description : boxWrap(description, remaining).replace(/\n/g, `\n${' '.repeat(termWidth + 2)}`);
  return `${indent}${padded}  ${text.replace(/\n/g, `\n${indent}`)}`;
}

export function renderHelp(parts: Part[], helpWidth: number): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if ('item' in part) out += formatItem(part.item[0], part.item[1], part.item[2], helpWidth);
    else out += boxWrap(part.wrap, helpWidth);
  }
  return out;
}

/**
 * The screen a command line asks for, when it is one that only shows help: `card`, `card -h`,
 * `card <command> --help`, `card <group>`, `card <group> <command> --help`. Anything else
 * (options beside the help flag, `card help send`, typos) is left to commander.
 */
export function screenFor(argv: string[], screens: Screens): string | null {
  const last = argv[argv.length - 1];
  const asksHelp = last === '--help' || last === '-h';
  const words = asksHelp ? argv.slice(0, -1) : argv;
  if (words.some((w) => w.startsWith('-'))) return null;
  const key = words.join(' ');
  if (!(key in screens)) return null;
  if (asksHelp || words.length === 0) return key;
  // A group named bare shows its help; a command named bare runs.
  return Object.keys(screens).some((k) => k.startsWith(`${key} `)) && words.length === 1 ? key : null;
}

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
