import { describe, expect, it } from 'vitest';
import { emulatorEnv } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';

const emu = emulatorForFile();

describe('wording', () => {
  it('counts in words that agree: "1 bot", "2 users"', async () => {
    const r = await emu.sb.run(['create-chat', '--name', 'wording', '--users', 'alice@example.com,bob@example.com']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('with 2 users and 1 bot (the calling bot included)');
    expect(r.stderr).not.toContain('1 bots');
  });

  it('a chat made with a caller\'s --uuid does not claim it was just created', async () => {
    const r = await emu.sb.run(['create-chat', '--name', 'again', '--uuid', 'wording-chat-1']);
    const again = await emu.sb.run(['create-chat', '--name', 'again', '--uuid', 'wording-chat-1']);
    expect(again.stdout).toBe(r.stdout);
    expect(again.stderr).not.toContain('Created chat');
    expect(again.stderr).toContain('made now, or earlier with --uuid wording-chat-1');
  });

  it('help shows string defaults as typed, not as JSON', async () => {
    const r = await emu.sb.run(['replay-callback', '--help']);
    expect(r.stdout).toContain('(default: 4)');
    expect(r.stdout).not.toContain('(default: "');
  });

  it('a bulk failure of one row says "1 of 2 messages was not sent"', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(emu.sb.dir, 'two.csv');
    writeFileSync(file, 'to\nalice@example.com\nghost@example.com\n');
    const r = await emu.sb.run(['send', '-', '--to-file', file], { input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 of 2 messages was not sent');
  });
});

describe('a terminal 0 columns wide', () => {
  it('gets plain progress lines, and the bulk send ends (a spinner there never finished)', async () => {
    const { execFileSync, spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { CARD_BIN } = await import('../helpers/cli.js');
    let hasScript = true;
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
    } catch {
      hasScript = false;
    }
    if (!hasScript) return; // needs util-linux script(1) for a pseudo-terminal
    const file = join(emu.sb.dir, 'zero.csv');
    writeFileSync(file, 'to\nalice@example.com\nbob@example.com\n');
    const card = join(emu.sb.dir, 'zero-card.json');
    writeFileSync(card, '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}');
    const env = { CARD_CONFIG_DIR: emu.sb.configDir, HOME: emu.sb.dir, ...emulatorEnv(emu.emu.url, emu.app) };
    const assignments = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    const inner = `stty cols 0 rows 0; ${assignments} '${process.execPath}' '${CARD_BIN}' send '${card}' --to-file '${file}'; echo "rc=$?"`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(out).toContain('sent 2, failed 0 of 2');
    expect(out).toContain('rc=0');
  }, 20_000);
});
