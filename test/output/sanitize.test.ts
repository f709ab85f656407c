import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/output/output.js';
import { stripControls, terminalSafeJson } from '../../src/output/sanitize.js';

const OSC_TITLE = '\u001b]0;owned\u0007';
const CLEAR = '\u001b[2J\u001b[H';

describe('stripControls', () => {
  it('replaces escapes, \\r, DEL, C1 and bidi overrides, keeps newline and tab', () => {
    const out = stripControls(`a${OSC_TITLE}b${CLEAR}c\rd\u007fe\u009bf\u202eg\n\th`);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('\n\th');
    expect(out).toContain('\\u001b]0;owned\\u0007');
  });

  it('with colour on keeps only the SGR codes card itself writes', () => {
    const out = stripControls('\u001b[31mred\u001b[39m \u001b[8mhidden\u001b[28m', true);
    expect(out.startsWith('\u001b[31mred\u001b[39m ')).toBe(true);
    expect(out).not.toContain('\u001b[8m');
    expect(out).toContain('\\u001b[8mhidden');
  });
});

describe('terminalSafeJson', () => {
  it('escapes the controls JSON.stringify leaves raw, and stays the same value', () => {
    const value = { s: `x${OSC_TITLE}\u009b2J\u202e` };
    const text = terminalSafeJson(value);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('Output', () => {
  function capture(tty: boolean) {
    const stdout = Object.assign(new PassThrough(), { isTTY: tty });
    const stderr = Object.assign(new PassThrough(), { isTTY: tty });
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    return { stdout, stderr, text: () => ({ out, err }) };
  }

  it('cleans everything on stderr, and stdout on a terminal; piped stdout stays exact', async () => {
    const tty = capture(true);
    const o = new Output({ json: false, verbose: true, color: false, stdout: tty.stdout, stderr: tty.stderr });
    o.info(`note ${OSC_TITLE}`);
    o.warn(`warn ${CLEAR}`);
    o.print(`data ${OSC_TITLE}`);
    o.stderr.write(`direct ${OSC_TITLE}\n`);
    await new Promise((r) => setImmediate(r));
    expect(tty.text().err).not.toContain('\u001b');
    expect(tty.text().out).not.toContain('\u001b');
    expect(tty.text().err).toContain('direct \\u001b]0;owned');

    const piped = capture(false);
    const p = new Output({ json: false, verbose: false, color: false, stdout: piped.stdout, stderr: piped.stderr });
    p.print(`data ${OSC_TITLE}`);
    p.info(`note ${OSC_TITLE}`);
    await new Promise((r) => setImmediate(r));
    expect(piped.text().out).toBe(`data ${OSC_TITLE}\n`);
    expect(piped.text().err).not.toContain('\u001b');
  });
});

describe('printable and stripControls', () => {
  it('escape exactly the same characters (one definition), but for newline and tab', async () => {
    const { printable } = await import('../../src/output/printable.js');
    for (let cp = 0; cp < 0x2100; cp++) {
      const c = String.fromCharCode(cp);
      expect(stripControls(c), `U+${cp.toString(16)}`).toBe(printable(c, true));
    }
    expect(printable('\n\t')).toBe('\\u000a\\u0009');
    expect(stripControls('a\u202eb\u001b[31mc\u001b[8md', true)).toBe('a\\u202eb\u001b[31mc\\u001b[8md');
  });
});
