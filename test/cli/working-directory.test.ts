import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SeedFile } from '../../src/index.js';
import { emulatorEnv, FIXTURES, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';
import { PNG_1X1 } from '../helpers/images.js';

/**
 * A run in-process has its own working directory, which is not the test process's (the repo
 * root, where none of these files are): every relative path on the command line starts from it,
 * and messages name the path as it was written.
 */

const APP = { app_id: 'cli_cwdtest00000001', app_secret: 'cwd-test-secret' };
const SEED: SeedFile = {
  apps: [APP],
  users: [
    { name: 'Ada', email: 'ada@example.com' },
    { name: 'Bo', email: 'bo@example.com' },
  ],
  templates: [{ template_id: 'AAqCwdTemplat', versions: [{ version_name: '1.0.0', variables: { name: { type: 'string' } }, card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi ${name}' }] } } }] }],
};
const CARD = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hello' }] } });

let sb: Sandbox | undefined;
let emu: RunningEmulator | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await emu?.close();
  await stop?.();
  sb?.cleanup();
  emu = undefined;
  stop = undefined;
  sb = undefined;
});

/** A sandbox whose folder `work/` holds the given files; runs start there. */
function workspace(files: Record<string, string | Buffer>, env: Record<string, string> = {}): { sb: Sandbox; cwd: string } {
  sb = new Sandbox(env);
  const cwd = join(sb.dir, 'work');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(cwd, name, '..'), { recursive: true });
    writeFileSync(join(cwd, name), content);
  }
  mkdirSync(cwd, { recursive: true });
  return { sb, cwd };
}

describe('relative paths start from the run\'s working directory', () => {
  it('lint reads the cards and --template-vars there, and SARIF\'s %SRCROOT% is that directory', async () => {
    const { sb, cwd } = workspace({
      'cards/hello.json': JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi ${name}' }] } }),
      'vars.json': JSON.stringify({ name: 'Ada' }),
    });
    const human = await sb.run(['lint', 'cards/hello.json', '--template-vars', 'vars.json'], { cwd });
    expect(human.stdout).toContain('no problems');
    expect(human.code).toBe(0);
    const sarif = await sb.run(['lint', 'cards/hello.json', '--format', 'sarif'], { cwd });
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${cwd}/`);
    // A missing file is named as written, not as a full path.
    const missing = await sb.run(['lint', 'cards/nope.json', '--json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.json.error.message).toContain('cards/nope.json');
    expect(missing.json.error.message).not.toContain(cwd);
  });

  it('send reads the card and --vars there; --to-file and --results are read and written there', async () => {
    emu = await startEmulator({ port: 0, seed: SEED });
    const { sb, cwd } = workspace({ 'card.json': CARD, 'vars.json': JSON.stringify({ name: 'Ada' }), 'people.csv': 'to\nada@example.com\nbo@example.com\n', 'logo.png': PNG_1X1 }, emulatorEnv(emu.url, APP));
    const templated = await sb.run(['send', '--template', 'AAqCwdTemplat', '--vars', 'vars.json', '--to', 'ada@example.com', '--json'], { cwd });
    expect(templated.code).toBe(0);
    expect(JSON.parse(emu.messages()[0]!.content).data.template_variable).toEqual({ name: 'Ada' });

    const bulk = await sb.run(['send', 'card.json', '--to-file', 'people.csv', '--results', 'sent.ndjson', '--json'], { cwd });
    expect(bulk.code).toBe(0);
    expect(bulk.json.data).toMatchObject({ total: 2, sent: 2, results_file: 'sent.ndjson' });
    const lines = readFileSync(join(cwd, 'sent.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.kind === 'result').map((l) => l.status)).toEqual(['sent', 'sent']);
    // --resume reads the results back from there: nothing goes twice.
    const again = await sb.run(['send', 'card.json', '--to-file', 'people.csv', '--results', 'sent.ndjson', '--resume', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(again.json.data).toMatchObject({ sent: 0, skipped: 2 });
    expect(emu.messages()).toHaveLength(3);

    // A card's local image is found beside the card; upload-image reads its file there too.
    writeFileSync(join(cwd, 'pictured.json'), JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'img', img_key: 'logo.png', alt: { tag: 'plain_text', content: 'logo' } }] } }));
    const pictured = await sb.run(['send', 'pictured.json', '--upload-images', '--images-dir', '.', '--to', 'ada@example.com', '--json'], { cwd });
    expect(pictured.code).toBe(0);
    expect(emu.messages()[3]!.content).toMatch(/"img_key":"img_/);
    const upload = await sb.run(['upload-image', 'logo.png', '--json'], { cwd });
    expect(upload.code).toBe(0);
    expect(upload.json.data).toMatchObject({ file: 'logo.png', bytes: PNG_1X1.length });
  });

  it('preview reads the card there and writes --out there, naming a bad --out as written', async () => {
    const { sb, cwd } = workspace({ 'card.json': CARD });
    const r = await sb.run(['preview', 'card.json', '--out', 'page.html', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'page.html'), 'utf8')).toContain('hello');
    expect(r.json.data.html).toBe(join(cwd, 'page.html'));
    const bad = await sb.run(['preview', 'card.json', '--out', 'missing/page.html'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--out missing/page.html: the folder missing does not exist');
  });

  it('replay-callback reads fixture files and folders, --expect-file, --from-card and --seed there', async () => {
    let body = '';
    const handler = await serve(async (req, res) => {
      body = await readBody(req);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ toast: { type: 'success', content: 'ok' } }));
    });
    stop = handler.close;
    const { sb, cwd } = workspace({
      'fx/mine.json': readFileSync(join(FIXTURES, 'callbacks', 'button.json'), 'utf8'),
      'expect.json': JSON.stringify({ toast: { type: 'success' } }),
      'seed.json': JSON.stringify({ apps: [APP], users: [{ name: 'Cy', email: 'cy@example.com', open_id: 'ou_cwdseeduser' }] }),
      'card.json': JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Go' }, behaviors: [{ type: 'callback', value: { go: 1 } }] }] } }),
    });
    const r = await sb.run(['replay-callback', 'fx/mine.json', '--url', handler.url, '--expect-file', 'expect.json', '--operator', 'cy@example.com', '--seed', 'seed.json', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(body).event.operator.open_id).toBe('ou_cwdseeduser');
    const dir = await sb.run(['replay-callback', 'fx', '--from-card', 'card.json', '--url', handler.url, '--json'], { cwd });
    expect(dir.code).toBe(0);
    expect(dir.json.data.results).toHaveLength(2);
    const shown = await sb.run(['fixtures', 'show', 'fx/mine.json', '--json'], { cwd });
    expect(shown.code).toBe(0);
    expect(shown.json.data).toMatchObject({ name: 'button', path: 'fx/mine.json' });
    const missing = await sb.run(['replay-callback', 'fx/mine.json', '--url', handler.url, '--expect-file', 'nope.json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--expect-file: expected answer nope.json does not exist');
  });

  it('emulator --seed reads the seed there', async () => {
    const { sb, cwd } = workspace({ 'seed.json': JSON.stringify(SEED) });
    const live = sb.start(['emulator', '--port', '0', '--seed', 'seed.json', '--json'], { cwd });
    live.end();
    await live.firstLine();
    live.stop();
    const r = await live.result;
    expect(r.stderr).not.toContain('seed');
    expect(JSON.parse(r.stdout.split('\n')[0]!).apps.map((a: { app_id: string }) => a.app_id)).toEqual([APP.app_id]);
  });

  it('listen makes its --out folder there', async () => {
    const { sb, cwd } = workspace({});
    const live = sb.start(['listen', '--port', '0', '--out', 'recorded', '--json'], { cwd });
    live.end();
    await live.firstLine();
    live.stop();
    const r = await live.result;
    expect(JSON.parse(r.stdout.split('\n')[0]!).out).toBe('recorded');
    expect(existsSync(join(cwd, 'recorded'))).toBe(true);
  });
});
