import { describe, expect, it } from 'vitest';
import { INBOX_ACTIONS, supportedActions, type InboxAction } from '../../src/emulator/inbox/actions.js';
import { uploadMaxBytes } from '../../src/emulator/routes/inbox.js';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { emulatorForFile } from '../helpers/emulator.js';

/**
 * What the inbox page may offer a person (the conversations answer's `actions`), the bound it puts
 * on uploads, and the person rule of the recall it calls: only one's own message.
 */
const t = emulatorForFile({ settings: { rateLimits: false } });

const conversations = async () => (await t.call('GET', '/_emulator/inbox/conversations')).body.data;
const person = (email: string) => t.users.find((u) => u.email === email)!;

/** Whether the emulator serves this method and pattern: a request with made-up ids is answered by the route (a 404 naming the unknown person, message or app), not refused as no route. */
async function served(method: string, pattern: string): Promise<boolean> {
  const path = pattern.replace(/:[a-z_]+/g, (p) => `${p.slice(1)}-none`);
  const r = await t.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
  return !(r.status === 404 && /is not a route of the Open API emulator/.test(r.body.msg));
}

describe('the inbox lists the actions the emulator serves', () => {
  it('lists exactly the actions whose every route answers, whatever this build holds', async () => {
    const listed: InboxAction[] = (await conversations()).actions;
    const expected: InboxAction[] = [];
    for (const [name, routes] of Object.entries(INBOX_ACTIONS) as Array<[InboxAction, ReadonlyArray<readonly [string, string]>]>) {
      let all = true;
      for (const [method, pattern] of routes) all = (await served(method, pattern)) && all;
      if (all) expected.push(name);
    }
    expect(listed).toEqual(expected);
    // What every build has: the message box, reactions, reads, recalls and the delivery log.
    expect(listed).toEqual(expect.arrayContaining(['send', 'react', 'unreact', 'read', 'recall', 'deliveries']));
  });

  it('drops an action when one of its routes is missing, and matches routes whatever their parameters are named', () => {
    const routes = t.emu.core.routes;
    const all = supportedActions(routes);
    const withoutUnreact = routes.filter((r) => !(r.method === 'DELETE' && r.pattern === '/_emulator/users/:open_id/reactions/:reaction_id'));
    expect(supportedActions(withoutUnreact)).toEqual(all.filter((a) => a !== 'unreact'));
    const renamed = routes.map((r) => ({ ...r, pattern: r.pattern.replace(':reaction_id', ':id').replace(':message_id', ':id') }));
    expect(supportedActions(renamed)).toEqual(all);
    // Both routes of the bot menu, or it is not offered.
    const menuHalf = [...routes, { method: 'GET', pattern: '/_emulator/apps/:app_id/menu', auth: 'none' as const, handle: () => ({ body: null }) }];
    expect(supportedActions(menuHalf.filter((r) => !(r.method === 'POST' && r.pattern === '/_emulator/users/:open_id/menu')))).not.toContain('bot_menu');
  });

  it("tells the page the largest picture and file the message route takes, and the route takes a file of that size and no more", async () => {
    const limits = (await conversations()).upload_max_bytes;
    // The route's own body bound carries the largest of each, base64.
    expect(limits).toEqual({ image: MEDIA_LIMITS.imageMaxBytes, file: MEDIA_LIMITS.fileMaxBytes, audio: MEDIA_LIMITS.fileMaxBytes, media: MEDIA_LIMITS.fileMaxBytes });
    const saved = { ...MEDIA_LIMITS };
    // A small bound, so the test sends kilobytes, not the platform's 30 MB.
    MEDIA_LIMITS.fileMaxBytes = 48 * 1024;
    try {
      const max = (await conversations()).upload_max_bytes.file;
      expect(max).toBe(48 * 1024);
      const alice = person('alice@example.com');
      const file = (n: number) => ({ app_id: t.app.app_id, file: { data: Buffer.alloc(n, 7).toString('base64'), file_name: 'minutes.pdf' } });
      const fits = await t.call('POST', `/_emulator/users/${alice.open_id}/messages`, file(max));
      expect(fits.body.code, fits.body.msg).toBe(0);
      const over = await t.call('POST', `/_emulator/users/${alice.open_id}/messages`, file(max + 1));
      expect(over.body.error.field_violations[0].field).toBe('file.data');
    } finally {
      Object.assign(MEDIA_LIMITS, saved);
    }
  });

  it('bounds an upload by the body bound too: its base64 and the JSON around it fit', () => {
    for (const bound of [64 * 1024, 2 * 1024 * 1024]) {
      const n = uploadMaxBytes(bound);
      expect(Math.ceil(n / 3) * 4 + 8 * 1024).toBeLessThanOrEqual(bound);
      expect(Math.ceil((n + 3) / 3) * 4 + 8 * 1024).toBeGreaterThan(bound - 4);
    }
  });
});

describe('a person recalls a message through the control API', () => {
  async function aliceWrites(): Promise<string> {
    const r = await t.call('POST', `/_emulator/users/${person('alice@example.com').open_id}/messages`, { app_id: t.app.app_id, text: 'mine to take back' });
    expect(r.body.code).toBe(0);
    return r.body.data.message_id;
  }

  it("refuses someone else's message, and the bot's, and leaves it as it was", async () => {
    const id = await aliceWrites();
    const bob = person('bob@example.com');
    const refused = await t.call('POST', `/_emulator/messages/${id}/recall`, { open_id: bob.open_id });
    expect([refused.status, refused.body.code]).toEqual([400, 230026]);
    expect(refused.body.msg).toContain(`${bob.name} cannot recall ${id}: a person recalls only their own messages`);
    const token = await t.token();
    const sent = await t.send(token, 'email', 'alice@example.com', { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } });
    const botMessage = sent.body.data.message_id;
    const notTheirs = await t.call('POST', `/_emulator/messages/${botMessage}/recall`, { open_id: person('alice@example.com').open_id });
    expect(notTheirs.body.code).toBe(230026);
    expect(notTheirs.body.msg).toContain(`the bot ${t.app.app_id} sent it`);
    expect(t.emu.messages().filter((m) => m.deleted)).toEqual([]);
    expect(t.emu.core.store.deliveryLog.items.filter((d) => d.kind === 'im.message.recalled_v1')).toEqual([]);
  });

  it('recalls their own once, within the recall window; an unknown person is a 404', async () => {
    const alice = person('alice@example.com');
    const id = await aliceWrites();
    expect((await t.call('POST', `/_emulator/messages/${id}/recall`, { open_id: 'ou_nobody' })).status).toBe(404);
    expect((await t.call('POST', `/_emulator/messages/${id}/recall`, { open_id: 42 })).body.msg).toContain('open_id');
    const ok = await t.call('POST', `/_emulator/messages/${id}/recall`, { open_id: alice.open_id });
    expect(ok.body.code).toBe(0);
    expect(ok.body.data).toMatchObject({ deleted: true, deliveries: [{ kind: 'im.message.recalled_v1' }] });
    expect((await t.call('POST', `/_emulator/messages/${id}/recall`, { open_id: alice.open_id })).body.code).toBe(230011);

    const old = await aliceWrites();
    await t.call('POST', '/_emulator/clock', { advance_seconds: 24 * 3600 + 1 });
    const late = await t.call('POST', `/_emulator/messages/${old}/recall`, { open_id: alice.open_id });
    expect(late.body.code).toBe(230009);
    expect(t.emu.messages().find((m) => m.message_id === old)!.deleted).toBe(false);
  });
});

describe('the inbox message list shows what the actions need', () => {
  it("names each chip's reactions with their ids, and whether the viewer read the message", async () => {
    const token = await t.token();
    const sent = await t.send(token, 'email', 'alice@example.com', { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'hi' }] } });
    const id = sent.body.data.message_id;
    const chat = t.emu.messages().find((m) => m.message_id === id)!.chat_id;
    const alice = person('alice@example.com');
    const reacted = await t.call('POST', `/_emulator/users/${alice.open_id}/reactions`, { message_id: id, emoji_type: 'THUMBSUP' });
    const view = async () => (await t.call('GET', `/_emulator/inbox/messages?chat_id=${chat}&open_id=${alice.open_id}`)).body.data.messages.find((m: any) => m.message_id === id);
    expect((await view()).read_by_viewer).toBe(false);
    await t.call('POST', `/_emulator/messages/${id}/read`, { open_id: alice.open_id });
    expect(await view()).toMatchObject({
      reactions: [{ emoji_type: 'THUMBSUP', count: 1, by: [{ operator_type: 'user', operator_id: alice.open_id, reaction_id: reacted.body.data.reaction.reaction_id }] }],
      reads: 1,
      read_by_viewer: true,
    });
  });
});
