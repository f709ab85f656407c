import type { Command, Help } from 'commander';
import type { Part, Screens } from './render.js';

/**
 * Records every help screen of a command tree, as commander writes it, with the two steps that
 * depend on the terminal's width (an item's wrapped description, a wrapped command description)
 * left open for render.ts. Run by the build on the full tree, and by the test that holds the
 * rendered screens byte for byte to commander's at several widths.
 */
export function recordHelp(program: Command): Screens {
  const screens: Screens = {};
  const visit = (cmd: Command, path: string[]) => {
    screens[path.join(' ')] = recordScreen(cmd);
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return screens;
}

const MARK = '\u0000';

function recordScreen(cmd: Command): Part[] {
  const open: Part[] = [];
  const hole = (part: Part) => `${MARK}${open.push(part) - 1}${MARK}`;
  const saved = { help: cmd.configureHelp(), output: cmd.configureOutput() };
  let text = '';
  cmd.configureHelp({
    ...saved.help,
    formatItem: (term: string, termWidth: number, description: string) => (description ? hole({ item: [term, termWidth, description] }) : `  ${term}`),
    boxWrap: (str: string) => hole({ wrap: str }),
  } as Partial<Help>);
  cmd.configureOutput({ ...saved.output, writeOut: (s) => (text += s), getOutHasColors: () => false, getOutHelpWidth: () => 80 });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureHelp(saved.help);
    cmd.configureOutput(saved.output);
  }
  if (text.includes('\u001b')) throw new Error(`help of "${cmd.name()}" has colour codes: the recorder assumes plain text`);
  return text.split(new RegExp(`${MARK}(\\d+)${MARK}`)).map((piece, i) => (i % 2 === 0 ? piece : open[Number(piece)]!)).filter((p) => p !== '');
}
