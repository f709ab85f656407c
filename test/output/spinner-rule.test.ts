import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { spinnerFor } from '../../src/commands/send/bulk.js';
import { Output } from '../../src/output/output.js';

/** A stderr that says it is an 80-column terminal. */
function terminal(columns = 80) {
  return Object.assign(new PassThrough(), { isTTY: true, columns });
}
const outOn = (stderr: ReturnType<typeof terminal>, json = false) => new Output({ json, verbose: false, color: false, stdout: new PassThrough(), stderr });

describe('the progress spinner on a terminal', () => {
  it('is drawn on a plain terminal', () => {
    expect(spinnerFor({ out: outOn(terminal()), env: {} })).toBe(true);
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['TERM=dumb', { TERM: 'dumb' }],
    ['CI=true', { CI: 'true' }],
  ])('is not drawn under %s', (_, env) => {
    expect(spinnerFor({ out: outOn(terminal()), env })).toBe(false);
  });

  it('an empty NO_COLOR counts as unset, as the NO_COLOR convention says', () => {
    expect(spinnerFor({ out: outOn(terminal()), env: { NO_COLOR: '' } })).toBe(true);
  });

  it('is not drawn with no width, in JSON mode, or off a terminal', () => {
    expect(spinnerFor({ out: outOn(terminal(0)), env: {} })).toBe(false);
    expect(spinnerFor({ out: outOn(terminal(), true), env: {} })).toBe(false);
    expect(spinnerFor({ out: outOn(Object.assign(new PassThrough(), { isTTY: false, columns: 80 })), env: {} })).toBe(false);
  });
});
