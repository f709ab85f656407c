import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
const GOOD = join(FIXTURES, 'cards/approval.v2.json');
const bad = join(sb.dir, 'bad.json');
writeFileSync(bad, '{\n  "schema": "2.0",\n  "config": {"update_multi": false},\n  "body": {"elements": [{"tag": "note", "elements": []}, {"tag": "img", "img_key": "cat.png", "alt": {"tag": "plain_text", "content": ""}}]}\n}\n');

describe('card lint', () => {
  it('passes a clean card with exit 0', async () => {
    const r = await sb.run(['lint', GOOD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no problems');
    expect(r.stderr).toContain('0 errors, 0 warnings in 1 file');
  });

  it('lists each problem with line:column, severity, message, rule and pointer, and exits 5', async () => {
    const r = await sb.run(['lint', bad, GOOD]);
    expect(r.code).toBe(5);
    const lines = r.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+3:30\s+error\s+JSON 2\.0 cards are always shared.*v2-update-multi \/config\/update_multi$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+4:\d+\s+error\s+JSON 2\.0 removed the "note" tag.*v2-removed-tag \/body\/elements\/0\/tag$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+4:\d+\s+warning\s+"cat\.png" does not look like an uploaded image key/));
    expect(r.stderr).toContain('2 errors, 1 warning in 2 files');
  });

  it('exits 0 with warnings only', async () => {
    const warn = join(sb.dir, 'warn.json');
    writeFileSync(warn, JSON.stringify({ config: { wide_screen_mode: true }, elements: [] }));
    expect((await sb.run(['lint', warn])).code).toBe(0);
  });

  it('--json gives the reports in the error details', async () => {
    const r = await sb.run(['lint', bad, '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error).toMatchObject({ type: 'check', code: 'lint_failed' });
    const [report] = r.json.error.details.files;
    expect(report).toMatchObject({ file: bad, version: '2.0', errors: 2, warnings: 1 });
    expect(report.problems[0]).toEqual({ severity: 'error', rule: 'v2-update-multi', pointer: '/config/update_multi', message: expect.any(String), line: 3, column: 30 });
    const ok = await sb.run(['lint', GOOD, '--json']);
    expect(ok.json).toEqual({ ok: true, data: { errors: 0, warnings: 0, files: [{ file: GOOD, version: '2.0', problems: [], errors: 0, warnings: 0 }] } });
  });

  it('--format sarif writes SARIF 2.1.0 with rules and regions', async () => {
    const r = await sb.run(['lint', bad, '--format', 'sarif']);
    expect(r.code).toBe(5);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run.tool.driver.rules.map((x: any) => x.id)).toEqual(['img-key', 'v2-removed-tag', 'v2-update-multi']);
    expect(run.results[0]).toMatchObject({ ruleId: 'v2-update-multi', level: 'error', locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 30 } } }] });
  });

  it('checks template variables with --template-vars, and reads stdin', async () => {
    const vars = join(sb.dir, 'vars.json');
    writeFileSync(vars, JSON.stringify({ name: 'Alice', extra: 1 }));
    const card = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi ${name}, you owe ${amount}' }] } });
    const r = await sb.run(['lint', '-', '--template-vars', vars, '--json'], { input: card });
    expect(r.code).toBe(5);
    const rules = r.json.error.details.files[0].problems.map((p: any) => `${p.rule}:${p.severity}`);
    expect(rules.sort()).toEqual(['template-var-missing:error', 'template-var-unused:warning']);
    expect(r.json.error.details.files[0].file).toBe('<stdin>');
  });

  it('card update lints the new card too', async () => {
    const r = await sb.run(['update', 'om_123', bad, '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error.message).toContain('2 lint errors; nothing was sent');
  });
});
