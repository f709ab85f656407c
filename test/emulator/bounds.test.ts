import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { emulatorForFile, sharedCard, type EmulatorClient } from '../helpers/emulator.js';
import { Sandbox } from '../helpers/cli.js';

const client = emulatorForFile();

async function sendMany(c: EmulatorClient, n: number): Promise<string[]> {
  const token = await c.token();
  const chat = c.emu.state().chats[0]!.chat_id;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await c.send(token, 'chat_id', chat, sharedCard(`n${i}`));
    expect(r.body.code).toBe(0);
    ids.push(r.body.data.message_id);
  }
  return ids;
}

describe('a bounded emulator', () => {
  it('keeps the newest messages under the cap and says when a named message was dropped', async () => {
    await client.restart({ settings: { maxMessages: 3, rateLimits: false } });
    const ids = await sendMany(client, 5);
    expect(client.emu.messages().map((m) => m.message_id)).toEqual(ids.slice(2));
    const token = await client.token();
    const gone = await client.call('GET', `/open-apis/im/v1/messages/${ids[0]}`, undefined, token);
    expect(gone.body.code).toBe(230001);
    expect(gone.body.msg).toMatch(/dropped this message: it keeps the newest 3/);
    const control = await client.call('GET', `/_emulator/messages/${ids[1]}`);
    expect(control.status).toBe(404);
    expect(control.body.msg).toContain('--max-messages');
    // An id that never existed gets the plain answer.
    const never = await client.call('GET', `/open-apis/im/v1/messages/om_${'0'.repeat(32)}`, undefined, token);
    expect(never.body.msg).not.toContain('dropped');
    const listed = await client.call('GET', '/_emulator/messages');
    expect(listed.body.data).toMatchObject({ has_more: false, page_token: null, dropped: 2 });
    client.emu.reset();
    expect(client.emu.messages()).toEqual([]);
    expect((await client.call('GET', '/_emulator/messages')).body.data.dropped).toBe(0);
  });

  it('pages every list: at most 1,000 a page, with a page token, nothing repeated or lost', async () => {
    await client.restart({ settings: { rateLimits: false } });
    const ids = await sendMany(client, 1005);
    const first = await client.call('GET', '/_emulator/messages?page_size=5000');
    expect(first.body.data.messages).toHaveLength(1000);
    expect(first.body.data.has_more).toBe(true);
    const second = await client.call('GET', `/_emulator/messages?page_token=${first.body.data.page_token}`);
    expect(second.body.data).toMatchObject({ has_more: false, page_token: null });
    expect([...first.body.data.messages, ...second.body.data.messages].map((m: { message_id: string }) => m.message_id)).toEqual(ids);

    const seen: number[] = [];
    let token: string | null = null;
    do {
      const page: { body: any } = await client.call('GET', `/_emulator/requests?page_size=400${token ? `&page_token=${token}` : ''}`);
      expect(page.body.data.requests.length).toBeLessThanOrEqual(400);
      seen.push(...page.body.data.requests.map((r: { seq: number }) => r.seq));
      token = page.body.data.page_token;
    } while (token);
    expect(seen).toEqual(client.emu.requests().map((r) => r.seq));
    expect(seen.length).toBe(1006);

    const chat = client.emu.state().chats[0]!.chat_id;
    const newest = await client.call('GET', `/_emulator/inbox/messages?chat_id=${chat}`);
    expect(newest.body.data.messages).toHaveLength(1000);
    expect(newest.body.data.messages.at(-1).message_id).toBe(ids.at(-1));
    const older = await client.call('GET', `/_emulator/inbox/messages?chat_id=${chat}&page_token=${newest.body.data.page_token}`);
    expect(older.body.data.messages.map((m: { message_id: string }) => m.message_id)).toEqual(ids.slice(0, 5));
    expect(older.body.data.has_more).toBe(false);
    const conversations = await client.call('GET', '/_emulator/inbox/conversations?page_size=1');
    expect(conversations.body.data.conversations).toHaveLength(1);
    expect(conversations.body.data.conversations[0]).toMatchObject({ chat_id: chat, messages: 1005 });
    // A thousand sends one after another, then lists of a thousand: seconds on a quiet machine, and
    // several times that with both cores busy, which is no reason to fail.
  }, 120_000);

  it('keeps the request log as a ring of the newest entries', async () => {
    await client.restart({ settings: { requestLogSize: 3, rateLimits: false } });
    await sendMany(client, 5);
    expect(client.emu.requests().map((r) => r.seq)).toEqual([4, 5, 6]);
  });

  it('refuses a cap that is not a positive whole number', async () => {
    await expect(startEmulator({ port: 0,  settings: { maxMessages: 0 } })).rejects.toThrow(/maxMessages/);
    const sb = new Sandbox();
    try {
      const r = await sb.run(['emulator', '--port', '0', '--max-messages', '0', '--json']);
      expect(r.code).toBe(2);
      expect(r.json.error.message).toContain('--max-messages');
    } finally {
      sb.cleanup();
    }
  });

  it('loads neither replay nor lint at start, and core and the inbox clicks do not import each other', () => {
    // The static import graph of the built emulator: dynamic import() is what keeps replay lazy.
    const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) {
        const target = join(dirname(file), m[1]!);
        walk(target);
      }
    };
    walk(join(dist, 'emulator/server.js'));
    const loaded = [...seen].map((f) => f.slice(dist.length + 1));
    expect(loaded).toContain('emulator/core.js');
    expect(loaded).not.toContain('callback/replay.js');
    expect(loaded).not.toContain('emulator/inbox/clicks.js');
    // Type imports count for the circle too: they are erased from dist, so read the sources.
    const src = resolve(dist, '../src/emulator');
    expect(readFileSync(join(src, 'core.ts'), 'utf8')).not.toMatch(/from '\.\/inbox\//);
    expect(readFileSync(join(src, 'inbox/clicks.ts'), 'utf8')).toMatch(/from '\.\.\/core\.js'/);
  });
});
