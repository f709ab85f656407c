import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { CARD_BIN, Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

function startCli(args: string[]) {
  const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0', ...args], { env: { PATH: process.env.PATH, HOME: sb.dir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

describe('card emulator', () => {
  it('--json prints one ready line with url, apps, users, chats, templates and WPS apps, and stops cleanly on SIGTERM', async () => {
    const { child, exited, lines } = startCli(['--json', '--callback-url', 'http://127.0.0.1:9/cb']);
    const ready = JSON.parse((await lines.next()).value);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.apps[0]).toMatchObject({ app_id: 'cli_a0e1d2c3b4a59687', callback_url: 'http://127.0.0.1:9/cb' });
    expect(ready.users.map((u: any) => u.email)).toContain('alice@example.com');
    expect(ready.chats).toHaveLength(1);
    expect(ready.templates[0].template_id).toBe('AAqDemoApprov');
    expect(ready.wps_apps[0].app_key).toBe('WK2026emu0000001');
    const page = await fetch(`${ready.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--max-messages caps the stored messages', async () => {
    const { child, exited, lines } = startCli(['--json', '--max-messages', '2', '--no-rate-limit']);
    try {
      const ready = JSON.parse((await lines.next()).value);
      const post = async (path: string, body: unknown, token?: string) =>
        (await fetch(ready.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json() as Promise<any>;
      const { tenant_access_token: token } = await post('/open-apis/auth/v3/tenant_access_token/internal', { app_id: ready.apps[0].app_id, app_secret: ready.apps[0].app_secret });
      for (let i = 0; i < 3; i++) {
        const r = await post('/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: ready.chats[0].chat_id, msg_type: 'text', content: JSON.stringify({ text: `m${i}` }) }, token);
        expect(r.code).toBe(0);
      }
      const listed = (await (await fetch(`${ready.url}/_emulator/messages`)).json()) as any;
      expect(listed.data.messages.map((m: { content: string }) => JSON.parse(m.content).text)).toEqual(['m1', 'm2']);
      expect(listed.data.dropped).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('prints a readable summary on a terminal-less run, and refuses bad flags with exit 2', async () => {
    const { child, exited, lines } = startCli([]);
    const first = (await lines.next()).value;
    expect(first).toMatch(/^Open API emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect((await lines.next()).value).toContain('Inbox');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const bad of [['--faults', 'lots'], ['--rate', 'fast'], ['--seed', '/nonexistent.json'], ['--callback-url', 'ftp://x']]) {
      const r = await sb.run(['emulator', '--port', '0', ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
    }
  });

  it('refuses a seed whose chat names an unknown member or bot with exit 2 naming the JSON path', async () => {
    const base = { apps: [{ app_id: 'cli_s1', app_secret: 's1' }], users: [{ name: 'U', email: 'u@example.com' }, { name: 'V', mobile: '+10000000001' }] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'c', members: ['u@example.com', 'ou_nobody'] }, '$.chats[0].members[1]'],
      [{ name: 'c', members: ['u@example.com'], bots: ['cli_nobody'] }, '$.chats[0].bots[0]'],
    ];
    for (const [chat, path] of cases) {
      const file = join(sb.dir, 'seed-bad-member.json');
      writeFileSync(file, JSON.stringify({ ...base, chats: [chat] }));
      const r = await sb.run(['emulator', '--port', '0', '--seed', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
