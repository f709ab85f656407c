import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('card (no command)', () => {
  it('--help lists the commands and the exit codes, and exits 0', async () => {
    const r = await sb.run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['token', 'lookup-user', 'create-chat', 'send', 'update', 'profile', 'emulator', 'demo']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*3\s+authentication or permission[\s\S]*70\s+internal/);
  });

  it('--version prints the package version', async () => {
    const r = await sb.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers an unknown command with exit 2 and a suggestion', async () => {
    const r = await sb.run(['sned']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'sned'");
    expect(r.stderr).toContain('send');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('in --json mode, a usage error is one JSON document on stdout with every key', async () => {
    const r = await sb.run(['send', '--json', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json).toEqual({ ok: false, error: { type: 'usage', code: null, message: expect.stringContaining('--bogus'), hint: expect.any(String), log_id: null } });
  });

  it('refuses a bad --timeout and a missing required option with exit 2', async () => {
    expect((await sb.run(['token', '--timeout', 'soon'])).code).toBe(2);
    const r = await sb.run(['create-chat']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name');
  });

  it('asks for credentials when there are none, naming the ways to give them', async () => {
    const r = await sb.run(['token', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('no app id or app secret');
    expect(r.json.error.hint).toContain('CARD_APP_ID');
  });
});
