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
    writeFileSync(warn, JSON.stringify({ config: { wide_screen_mode: true }, elements: [{ tag: 'hr' }] }));
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

  it('--format json writes the whole document on stdout, with errors (exit 5) or without (exit 0)', async () => {
    const r = await sb.run(['lint', bad, '--format', 'json']);
    expect(r.code).toBe(5);
    expect(r.json).toMatchObject({ errors: 2, warnings: 1, files: [{ file: bad, version: '2.0', errors: 2 }] });
    expect(r.stderr).toContain('lint found 2 errors, 1 warning in 1 file');
    const ok = await sb.run(['lint', GOOD, '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(ok.json).toEqual({ errors: 0, warnings: 0, files: [{ file: GOOD, version: '2.0', problems: [], errors: 0, warnings: 0 }] });
  });

  it('rejects an unknown --format with exit 2', async () => {
    const r = await sb.run(['lint', GOOD, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be human, json or sarif, not "xml"');
  });
});

describe('card lint: text from the card cannot drive the terminal', () => {
  it('control characters in keys and values are shown escaped, in lint and in send\'s hint', async () => {
    const evil = join(sb.dir, 'evil.json');
    writeFileSync(evil, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x', '\u001b[2Jcolour': 1 }, { tag: 'car\u001b]0;owned\u0007' }] } }));
    const r = await sb.run(['lint', evil]);
    expect(r.code).toBe(5);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('unknown property "\\u001b[2Jcolour"');
    expect(r.stdout).toContain('"car\\u001b]0;owned\\u0007" is not a component');
    const send = await sb.run(['send', evil, '--to', 'ou_test']);
    expect(send.code).toBe(5);
    expect(send.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(send.stderr).toContain('\\u001b[2Jcolour');
  });

  it('a parse error shows its line with control characters replaced, the caret still under the column', async () => {
    const raw = join(sb.dir, 'raw.json');
    writeFileSync(raw, '{"a": "x\u001b[2J"}');
    const r = await sb.run(['send', raw, '--to', 'ou_test']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).toContain('1 | {"a": "x·[2J"}');
    expect(r.stderr).toMatch(/\n\s+\| {9}\^/);
  });
});

describe('card lint: input that is not a card file is bad input (exit 2), in every format', () => {
  const broken = join(sb.dir, 'broken.json');
  writeFileSync(broken, '{\n  "schema": "2.0",\n  "body": {,}\n}\n');
  const deep = join(sb.dir, 'deep.json');
  writeFileSync(deep, `{"schema":"2.0","body":{"elements":[${'{"tag":"column_set","columns":['.repeat(20_000)}${']}'.repeat(20_000)}]}}`);
  const latin1 = join(sb.dir, 'latin1.json');
  writeFileSync(latin1, Buffer.concat([Buffer.from('{\n  "elements": [{"tag": "markdown", "content": "caf'), Buffer.from([0xe9]), Buffer.from('"}]\n}\n')]));

  it('JSON that does not parse: exit 2, the document still written, the problem at its line and column', async () => {
    const r = await sb.run(['lint', broken, GOOD, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.json.files[0].problems).toEqual([expect.objectContaining({ rule: 'json', line: 3, column: 12 })]);
    expect(r.json.files[1]).toMatchObject({ file: GOOD, errors: 0 });
    expect(r.stderr).toContain(`${broken} is not card JSON`);
    const sarif = await sb.run(['lint', broken, '--format', 'sarif']);
    expect(sarif.code).toBe(2);
    expect(JSON.parse(sarif.stdout).runs[0].results[0]).toMatchObject({ ruleId: 'json', level: 'error' });
    const env = await sb.run(['lint', broken, '--json']);
    expect(env.code).toBe(2);
    expect(env.json.error).toMatchObject({ type: 'usage', code: 'invalid_input' });
  });

  it('a 20k-deep card: exit 2 naming the file, line and path, for lint, send --no-lint, preview and --from-card', async () => {
    const lint = await sb.run(['lint', deep]);
    expect(lint.code).toBe(2);
    expect(lint.stdout).toMatch(/1:\d+\s+error\s+the JSON nests deeper than 64 levels/);
    expect(lint.stdout).toContain('input-depth /body/elements/0/columns/0/columns');
    for (const args of [['send', deep, '--to', 'ou_test', '--no-lint'], ['preview', deep, '--out', join(sb.dir, 'p.html')], ['replay-callback', '--from-card', deep, '--url', 'http://127.0.0.1:9/x']]) {
      const r = await sb.run(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${deep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: the JSON nests deeper than 64 levels \\(at /body/elements/0/columns/0/`));
      expect(r.stderr).not.toContain('Maximum call stack');
    }
  });

  it('a file that is not UTF-8 is refused with its line and column, not sent with U+FFFD', async () => {
    const lint = await sb.run(['lint', latin1, '--format', 'json']);
    expect(lint.code).toBe(2);
    expect(lint.json.files[0].problems).toEqual([expect.objectContaining({ rule: 'encoding', line: 2, column: 51, message: expect.stringContaining('not valid UTF-8 (byte 0xe9') })]);
    const send = await sb.run(['send', latin1, '--to', 'ou_test', '--no-lint']);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain(`${latin1}:2:51: not valid UTF-8`);
  });

  it('a 1.8 MB card of 150,000 elements is judged by its size, not a crash', async () => {
    const wide = join(sb.dir, 'wide.json');
    writeFileSync(wide, JSON.stringify({ schema: '2.0', body: { elements: Array.from({ length: 150_000 }, () => ({ tag: 'x' })) } }));
    const r = await sb.run(['lint', wide, '--format', 'json']);
    expect(r.code).toBe(5);
    expect(r.json.files[0].problems).toEqual([expect.objectContaining({ rule: 'card-size', line: 1, column: 1 })]);
  });

  it('a file over 2 MB is refused before it is read', async () => {
    const huge = join(sb.dir, 'huge.json');
    writeFileSync(huge, `{"a": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    const r = await sb.run(['lint', huge, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.json.files[0].problems).toEqual([expect.objectContaining({ rule: 'input-size', message: expect.stringContaining('larger than 2 MB') })]);
    const send = await sb.run(['send', huge, '--to', 'ou_test', '--no-lint']);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain(`${huge} is larger than 2 MB`);
  });

  it('a missing card file is a problem in the report; a missing vars file is named as one', async () => {
    const r = await sb.run(['lint', join(sb.dir, 'nope.json'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.json.files[0].problems[0]).toMatchObject({ rule: 'file', message: expect.stringContaining('card file') });
    const vars = await sb.run(['lint', GOOD, '--template-vars', join(sb.dir, 'no-vars.json')]);
    expect(vars.code).toBe(2);
    expect(vars.stderr).toContain(`variables file ${join(sb.dir, 'no-vars.json')} does not exist`);
    expect(vars.stderr).not.toContain('card file');
  });
});

describe('card lint: cards that parse but are not cards the platform takes (exit 5)', () => {
  it('null and {}: lint fails them, and send stops before any request', async () => {
    const nul = join(sb.dir, 'null.json');
    writeFileSync(nul, 'null\n');
    const empty = join(sb.dir, 'empty.json');
    writeFileSync(empty, '{}\n');
    const r = await sb.run(['lint', nul, empty]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('a card must be a JSON object, not null');
    expect(r.stdout).toMatch(/error\s+the card is empty.*empty-card/);
    const send = await sb.run(['send', empty, '--to', 'ou_test', '--json']);
    expect(send.code).toBe(5);
    expect(send.json.error.message).toContain('1 lint error; nothing was sent');
    const sendNull = await sb.run(['send', nul, '--to', 'ou_test']);
    expect(sendNull.code).toBe(2);
    expect(sendNull.stderr).toContain('a card must be a JSON object, not null');
  });

  it('--cardkit checks a card entity; streaming settings turn the checks on by themselves', async () => {
    const v1 = join(sb.dir, 'stream-v1.json');
    writeFileSync(v1, JSON.stringify({ elements: [{ tag: 'markdown', content: 'x' }] }));
    expect((await sb.run(['lint', v1])).code).toBe(0);
    const r = await sb.run(['lint', v1, '--cardkit', '--format', 'json']);
    expect(r.code).toBe(5);
    expect(r.json.files[0].problems.map((p: any) => p.rule)).toEqual(['cardkit-schema']);
    const v2 = join(sb.dir, 'stream-v2.json');
    writeFileSync(v2, JSON.stringify({ schema: '2.0', config: { streaming_mode: true }, body: { elements: [{ tag: 'markdown', content: '' }] } }));
    const auto = await sb.run(['lint', v2, '--format', 'json']);
    expect(auto.code).toBe(0);
    expect(auto.json.files[0].problems).toEqual([expect.objectContaining({ rule: 'cardkit-stream-target', severity: 'warning', pointer: '/body/elements/0' })]);
  });
});
