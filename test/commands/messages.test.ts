import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

/** card send --reply-to / --ephemeral, card recall, card update --token and card chat, against a real emulator. */
const t = emulatorForFile();


const chatId = () => t.emu.state().chats[0]!.chat_id;
const user = (email: string) => t.emu.state().users.find((u) => u.email === email)!;

function cardFile(text = 'hello', extra: Record<string, unknown> = {}): string {
  const path = join(t.sb.dir, `card-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: text }] }, ...extra }));
  return path;
}

async function sendOne(): Promise<string> {
  const r = await t.sb.run(['send', cardFile('first'), '--to', chatId(), '--json']);
  expect(r.code).toBe(0);
  return r.json.data.messages[0].message_id;
}

describe('card send --reply-to', () => {
  it('replies in the chat of the message, in a thread when asked', async () => {
    const parent = await sendOne();
    const r = await t.sb.run(['send', cardFile('reply'), '--reply-to', parent]);
    expect(r.code, r.stderr).toBe(0);
    const replyId = r.stdout.trim();
    expect(replyId).toMatch(/^om_/);
    expect(r.stderr).toContain(`Replied to ${parent}`);
    const j = await t.sb.run(['send', cardFile('threaded'), '--reply-to', parent, '--in-thread', '--json']);
    expect(j.code).toBe(0);
    expect(j.json.data).toMatchObject({ reply_to: parent, parent_id: parent, root_id: parent, chat_id: chatId() });
    expect(j.json.data.thread_id).toMatch(/^omt_/);
    const body = t.emu.requests().filter((q) => q.path.endsWith('/reply')).map((q) => q.body as any);
    expect(body[1]).toMatchObject({ msg_type: 'interactive', reply_in_thread: true });
  });

  it('refuses bad input before sending, and reports the platform code', async () => {
    const noParent = await t.sb.run(['send', cardFile(), '--in-thread', '--to', chatId()]);
    expect([noParent.code, noParent.stderr]).toEqual([2, expect.stringContaining('--in-thread goes with --reply-to')]);
    const bad = await t.sb.run(['send', cardFile(), '--reply-to', 'oc_notamessage', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error).toMatchObject({ type: 'usage', message: expect.stringContaining('not a message id') });
    const both = await t.sb.run(['send', cardFile(), '--reply-to', 'om_x', '--to', chatId()]);
    expect(both.code).toBe(2);
    const missing = await t.sb.run(['send', cardFile(), '--reply-to', 'om_missing', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json.error.code).toBe(230001);
    expect(t.emu.messages()).toHaveLength(0);
  });

  it('--dry-run prints the reply request and sends nothing', async () => {
    const r = await t.sb.run(['send', cardFile(), '--reply-to', 'om_abc', '--in-thread', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.requests[0]).toMatchObject({ method: 'POST', url: `${t.emu.url}/open-apis/im/v1/messages/om_abc/reply`, body: { reply_in_thread: true, msg_type: 'interactive' } });
    expect(t.emu.requests().filter((q) => q.path.endsWith('/reply'))).toHaveLength(0);
  });
});

describe('card send --ephemeral', () => {
  it('shows a card to one member of a group, by email, open_id or mobile', async () => {
    const alice = user('alice@example.com');
    for (const who of ['alice@example.com', alice.open_id, alice.mobile!]) {
      const r = await t.sb.run(['send', cardFile('only you'), '--to', chatId(), '--ephemeral', who, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.data).toMatchObject({ ephemeral: true, chat_id: chatId(), user: who });
      expect(r.json.data.message_id).toMatch(/^om_/);
    }
    const sent = t.emu.requests().filter((q) => q.path === '/open-apis/ephemeral/v1/send').map((q) => q.body as any);
    expect(sent[0]).toMatchObject({ chat_id: chatId(), email: 'alice@example.com', msg_type: 'interactive', card: { schema: '2.0' } });
    expect(sent[1]).toMatchObject({ open_id: alice.open_id });
    expect(sent[2]).toMatchObject({ open_id: alice.open_id });
  });

  it('needs one --to oc_, and reports a non-member as the platform does', async () => {
    const toUser = await t.sb.run(['send', cardFile(), '--to', 'alice@example.com', '--ephemeral', 'alice@example.com']);
    expect(toUser.code).toBe(2);
    expect(toUser.stderr).toContain('exactly one --to oc_');
    const outsider = await t.sb.run(['send', cardFile(), '--to', chatId(), '--ephemeral', 'carol@example.com']);
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('not a member');
    expect(outsider.stderr).toContain('[230001]');
  });
});

describe('card recall', () => {
  it('recalls, then says the platform refuses a second time', async () => {
    const id = await sendOne();
    const r = await t.sb.run(['recall', id]);
    expect([r.code, r.stdout.trim()]).toEqual([0, id]);
    expect(t.emu.messages()[0]!.deleted).toBe(true);
    const again = await t.sb.run(['recall', id, '--json']);
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ ok: false, error: { type: 'api', code: 230011 } });
    expect(again.json.error.hint).toContain('recall window');
  });

  it('checks the id, and --dry-run sends nothing', async () => {
    const bad = await t.sb.run(['recall', 'oc_abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"oc_abc" is not a message id (om_…)');
    const dry = await t.sb.run(['recall', 'om_abc', '--dry-run', '--json']);
    expect(dry.json.data.requests[0]).toMatchObject({ method: 'DELETE', url: `${t.emu.url}/open-apis/im/v1/messages/om_abc` });
    expect(t.emu.requests().filter((q) => q.method === 'DELETE')).toHaveLength(0);
  });
});

describe('card update --token', () => {
  it('updates the card behind a callback token, twice, then the platform refuses', async () => {
    const id = await sendOne();
    const minted = (await (await fetch(`${t.emu.url}/_emulator/card-tokens`, { method: 'POST', body: JSON.stringify({ message_id: id }) })).json()) as { data: { token: string } };
    const token = minted.data.token;
    const first = await t.sb.run(['update', '--token', token, cardFile('after click')]);
    expect(first.code, first.stderr).toBe(0);
    expect((t.emu.messages()[0]!.card as any).body.elements[0].content).toBe('after click');
    expect((await t.sb.run(['update', '--token', token, cardFile('second')])).code).toBe(0);
    const third = await t.sb.run(['update', '--token', token, cardFile('third'), '--json']);
    expect(third.code).toBe(1);
    expect(third.json.error.code).toBe(300040);
    expect(third.json.error.hint).toContain('at most 2 times');
  });

  it('refuses a malformed token, an id with the token, and --open-id on a shared card', async () => {
    expect((await t.sb.run(['update', '--token', 'bogus', cardFile()])).code).toBe(2);
    const both = await t.sb.run(['update', 'om_x', cardFile(), '--token', 'c-abc']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('not a message id too')]);
    const shared = await t.sb.run(['update', '--token', 'c-abc', cardFile(), '--open-id', user('alice@example.com').open_id]);
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain('leave --open-id out');
    const dry = await t.sb.run(['update', '--token', 'c-abc', cardFile(), '--dry-run', '--json']);
    expect(dry.json.data.requests[0]).toMatchObject({ method: 'POST', url: `${t.emu.url}/open-apis/interactive/v1/card/update` });
    expect(JSON.stringify(dry.json)).not.toContain('c-abc');
  });
});

describe('card chat', () => {
  it('lists the group chats the bot is in and disbands the ones it made', async () => {
    const made = await t.sb.run(['create-chat', '--name', 'cleanup \u001b[31mme', '--json']);
    expect(made.code).toBe(0);
    const madeId = made.json.data.chat_id;
    const list = await t.sb.run(['chat', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(chatId());
    expect(list.stdout).toContain(madeId);
    expect(list.stdout).not.toContain('\u001b');
    const filtered = await t.sb.run(['chat', 'list', '--name', 'cleanup', '--json']);
    expect(filtered.json.data.chats.map((c: any) => c.chat_id)).toEqual([madeId]);
    const dry = await t.sb.run(['chat', 'disband', madeId, '--dry-run', '--json']);
    expect(dry.json.data.requests[0]).toMatchObject({ method: 'DELETE', url: `${t.emu.url}/open-apis/im/v1/chats/${madeId}` });
    const gone = await t.sb.run(['chat', 'disband', madeId, '--json']);
    expect(gone.json).toEqual({ ok: true, data: { disbanded: [madeId] } });
    const after = await t.sb.run(['chat', 'list', '--json']);
    expect(after.json.data.chats.map((c: any) => c.chat_id)).toEqual([chatId()]);
  });

  it('refuses bad ids and says why the platform refused', async () => {
    const bad = await t.sb.run(['chat', 'disband', 'om_abc']);
    expect(bad.code).toBe(2);
    const limit = await t.sb.run(['chat', 'list', '--limit', 'zero']);
    expect([limit.code, limit.stderr]).toEqual([2, expect.stringContaining('--limit')]);
    // The seeded chat was not created by the bot, so it may not disband it.
    const seeded = await t.sb.run(['chat', 'disband', chatId(), '--json']);
    expect(seeded.code).toBe(1);
    expect(seeded.json.error.code).toBe(232017);
    expect(seeded.json.error.hint).toContain('operate_as_owner');
  });
});
