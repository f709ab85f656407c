import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * A web page elsewhere must not make a person act: every control route a person's actions go
 * through refuses a request whose Origin is not the emulator's, and nothing happens.
 */
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('person actions refuse other origins', () => {
  it('messages, links, menu, reactions, chats, members, rename, disband and p2p answer 403 to another origin and change nothing', async () => {
    emu = await startEmulator({ rateLimits: false });
    const base = emu.url;
    const state = async () => (await json(fetch(`${base}/_emulator/state`))).data;
    const messages = async () => (await json(fetch(`${base}/_emulator/messages?page_size=500`))).data.messages.length;
    const s = await state();
    const before = await messages();
    const alice = s.users.find((u: any) => u.email === 'alice@example.com').open_id;
    const bob = s.users.find((u: any) => u.open_id !== alice).open_id;
    const group = s.chats.find((c: any) => c.name === 'Card Playground').chat_id;
    const app = s.apps[0].app_id;
    const u = `/_emulator/users/${alice}`;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', `${u}/messages`, { chat_id: group, text: 'from a page elsewhere' }],
      ['POST', `${u}/links`, { chat_id: group, url: 'https://example.com/x' }],
      ['POST', `${u}/menu`, { app_id: app, event_key: 'anything' }],
      ['POST', `${u}/reactions`, { message_id: 'om_x', emoji_type: 'THUMBSUP' }],
      ['POST', `${u}/chats`, { name: 'made by a page' }],
      ['POST', `${u}/chats/${group}/members`, { users: [bob] }],
      ['POST', `${u}/chats/${group}/members/withdraw`, { users: [bob] }],
      ['DELETE', `${u}/chats/${group}/members/${bob}`, undefined],
      ['PATCH', `${u}/chats/${group}`, { name: 'renamed by a page' }],
      ['DELETE', `${u}/chats/${group}`, undefined],
      ['POST', `${u}/p2p`, { app_id: app }],
    ];
    for (const origin of ['http://evil.test', 'null', base.replace('127.0.0.1', 'localhost.evil.test')]) {
      for (const [method, path, body] of attempts) {
        const res = await fetch(base + path, { method, headers: { origin, 'content-type': 'text/plain' }, body: body === undefined ? undefined : JSON.stringify(body) });
        expect({ method, path, origin, status: res.status }).toEqual({ method, path, origin, status: 403 });
      }
    }
    const after = await state();
    expect(after.chats.map((c: any) => [c.chat_id, c.name, c.members?.length ?? null])).toEqual(s.chats.map((c: any) => [c.chat_id, c.name, c.members?.length ?? null]));
    expect(after.chats.length).toBe(s.chats.length);
    expect(await messages()).toBe(before);
    // The emulator's own page may.
    const own = await fetch(`${base}${u}/messages`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: group, text: 'from the inbox' }) });
    expect(own.status).toBe(200);
    expect(await messages()).toBe(before + 1);
  });
});
