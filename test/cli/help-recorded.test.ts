import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { recordHelp } from '../../src/help/record.js';
import { renderHelp, screenFor } from '../../src/help/render.js';
import { buildProgram } from '../../src/program.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What commander itself writes for `cmd --help` at a given width (undefined: not a terminal). */
function commanderHelp(cmd: Command, width: number | undefined): string {
  let text = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => (text += s), getOutHasColors: () => false, getOutHelpWidth: () => width as number });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return text;
}

function everyCommand(cmd: Command, path: string[] = []): Array<[string, Command]> {
  return [[path.join(' '), cmd], ...cmd.commands.flatMap((sub) => everyCommand(sub, [...path, sub.name()]))];
}

describe('help screens recorded at build time', () => {
  it('render byte for byte as commander writes them, at every width', async () => {
    const program = await buildProgram(VERSION);
    const screens = recordHelp(program);
    const commands = everyCommand(program);
    expect(Object.keys(screens).sort()).toEqual(commands.map(([k]) => k).sort());
    // 80 is what commander uses when stdout is not a terminal; under 40 columns it stops wrapping.
    for (const width of [undefined, 80, 20, 39, 40, 41, 57, 100, 133, 200]) {
      for (const [key, cmd] of commands) {
        expect(renderHelp(screens[key]!, width ?? 80), `card ${key} --help at ${width ?? 'no'} columns`).toBe(commanderHelp(cmd, width));
      }
    }
  });

  it('leave the width-dependent parts open, so a narrow terminal wraps and a wide one does not', async () => {
    const screens = recordHelp(await buildProgram(VERSION));
    const top = screens['']!;
    expect(top.some((p) => typeof p !== 'string' && 'item' in p)).toBe(true);
    // The option list is wrapped only where a description has 40 columns or more beside the terms.
    const lines = (width: number) => renderHelp(top, width).split('\n').length;
    expect(lines(90)).toBeGreaterThan(lines(250));
    expect(lines(20)).toBe(lines(250));
  });

  it('are what the build wrote into dist/help/screens.json', async () => {
    const built = JSON.parse(readFileSync(new URL('../../dist/help/screens.json', import.meta.url), 'utf8')) as unknown;
    expect(built).toEqual(recordHelp(await buildProgram(VERSION)));
  });

  it('answer only plain help requests; anything else is commander’s', () => {
    const screens = { '': [], send: [], profile: [], 'profile add': [] };
    expect(screenFor([], screens)).toBe('');
    expect(screenFor(['--help'], screens)).toBe('');
    expect(screenFor(['-h'], screens)).toBe('');
    expect(screenFor(['send', '--help'], screens)).toBe('send');
    expect(screenFor(['profile'], screens)).toBe('profile');
    expect(screenFor(['profile', 'add', '-h'], screens)).toBe('profile add');
    // A command named bare runs; unknown names, extra options and `help send` go to commander.
    expect(screenFor(['send'], screens)).toBeNull();
    expect(screenFor(['sned', '--help'], screens)).toBeNull();
    expect(screenFor(['send', '--json', '--help'], screens)).toBeNull();
    expect(screenFor(['--help', 'send'], screens)).toBeNull();
    expect(screenFor(['help', 'send'], screens)).toBeNull();
    expect(screenFor(['--json'], screens)).toBeNull();
  });
});
