import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAMED_KEYS, MediaStore } from '../../src/emulator/media.js';
import { MAX_TEXT } from '../../src/emulator/person-messages.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * A message event replayed at the emulator (replay-callback) is a recording, so untrusted: what it
 * makes the emulator keep (the message, the picture and file keys it names) is bounded.
 */
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('keys named by replayed messages', () => {
  it('are forgotten oldest first past the bound; seeded keys and uploads stay', () => {
    const media = new MediaStore();
    media.seed('img_from_the_seed', 'image', 0);
    for (let i = 0; i <= MAX_NAMED_KEYS; i++) media.name(`img_named_${i}`, 'image', 0);
    expect(media.get('img_named_0')).toBeUndefined();
    expect(media.get('img_named_1')).toBeDefined();
    expect(media.get(`img_named_${MAX_NAMED_KEYS}`)).toBeDefined();
    expect(media.get('img_from_the_seed')).toBeDefined();
    // A key the store already has is left as it is.
    media.name('img_from_the_seed', 'image', 0);
    for (let i = 0; i < MAX_NAMED_KEYS; i++) media.name(`img_more_${i}`, 'image', 0);
    expect(media.get('img_from_the_seed')).toBeDefined();
  });
});

describe('POST /_emulator/event-messages', () => {
  it('refuses content past a message bound, an unknown message_type and a flood of mentions, by JSON path', async () => {
    emu = await startEmulator({ rateLimits: false });
    const state = (await json(fetch(`${emu.url}/_emulator/state`))).data;
    const app = state.apps[0];
    const alice = state.users.find((u: any) => u.email === 'alice@example.com');
    const token = (await json(fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }) }))).tenant_access_token;
    const replay = async (message: Record<string, unknown>) => {
      const payload = { schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: { sender: { sender_id: { open_id: alice.open_id } }, message: { chat_type: 'p2p', message_type: 'text', content: '{"text":"hi"}', ...message } } };
      return json(fetch(`${emu!.url}/_emulator/event-messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ payload }) }));
    };
    expect((await replay({})).code).toBe(0);
    const images = Array.from({ length: 6000 }, (_, i) => [{ tag: 'img', image_key: `img_k${i}` }]);
    const big = await replay({ message_type: 'post', content: JSON.stringify({ title: '', content: images.concat(images, images, images, images) }) });
    expect(big.code).not.toBe(0);
    expect(JSON.stringify(big)).toContain('payload.event.message.content');
    expect(JSON.stringify(big)).toContain(`at most ${MAX_TEXT}`);
    const odd = await replay({ message_type: 'x'.repeat(10_000) });
    expect(JSON.stringify(odd)).toContain('payload.event.message.message_type');
    const loud = await replay({ mentions: Array.from({ length: 500 }, (_, i) => ({ key: `@_user_${i}`, id: { open_id: alice.open_id }, name: 'A' })) });
    expect(JSON.stringify(loud)).toContain('payload.event.message.mentions');
  });
});

describe('a replayed message the inbox then lists', () => {
  it('a task whose due time is not a time is listed without it, not a failed inbox', async () => {
    emu = await startEmulator({ rateLimits: false });
    const state = (await json(fetch(`${emu.url}/_emulator/state`))).data;
    const app = state.apps[0];
    const alice = state.users.find((u: any) => u.email === 'alice@example.com');
    const token = (await json(fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }) }))).tenant_access_token;
    const content = JSON.stringify({ task_id: 't', summary: { title: '', content: [[{ tag: 'text', text: 'Ship it' }]] }, due_time: '99999999999999999999' });
    const payload = { schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: { sender: { sender_id: { open_id: alice.open_id } }, message: { chat_type: 'p2p', message_type: 'todo', content } } };
    const made = await json(fetch(`${emu.url}/_emulator/event-messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ payload }) }));
    expect(made.code).toBe(0);
    const res = await fetch(`${emu.url}/_emulator/inbox/messages?chat_id=${made.data.chat_id}`);
    expect(res.status).toBe(200);
    const listed = ((await res.json()) as any).data.messages.find((m: any) => m.message_id === made.data.message_id);
    expect(listed.text).toBe('[Task] Ship it');
  });
});
