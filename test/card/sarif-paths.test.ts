import { describe, expect, it } from 'vitest';
import { toSarif } from '../../src/card/sarif.js';
import type { LintReport } from '../../src/card/lint.js';

const report = (file: string): LintReport =>
  ({ file, version: '2.0', errors: 1, warnings: 0, problems: [{ severity: 'error', rule: 'schema', pointer: '/body', message: 'bad', line: 2, column: 3 }] }) as LintReport;

const locationsOf = (sarif: any) => sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);

describe('SARIF locations', () => {
  it('are relative to the working directory under %SRCROOT%, which the run defines', () => {
    const sarif = toSarif([report('cards/a.json'), report('/repo/cards/b c.json')], '1.0.0', '/repo') as any;
    expect(locationsOf(sarif)).toEqual([
      { uri: 'cards/a.json', uriBaseId: '%SRCROOT%' },
      { uri: 'cards/b%20c.json', uriBaseId: '%SRCROOT%' },
    ]);
    expect(sarif.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
  });

  it('keep an absolute file URI for a file outside the working directory', () => {
    const sarif = toSarif([report('../elsewhere/c.json'), report('/tmp/d.json')], '1.0.0', '/repo/sub') as any;
    expect(locationsOf(sarif)).toEqual([{ uri: 'file:///repo/elsewhere/c.json' }, { uri: 'file:///tmp/d.json' }]);
  });
});
