import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

const c = emulatorForFile();
let token: string;
beforeEach(async () => {
  token = await c.token();
});

const user = (email: string) => c.users.find((u) => u.email === email)!;

describe('contact/v3/users/batch_get_id', () => {
  const path = '/open-apis/contact/v3/users/batch_get_id';

  it('resolves mobiles (with or without +86) and emails; unknown entries come back without user_id', async () => {
    const r = await c.call('POST', `${path}?user_id_type=open_id`, { mobiles: ['13800000001', '+8613800000002', '+10000000000'], emails: ['carol@example.com', 'nobody@example.com'] }, token);
    expect(r.body.code).toBe(0);
    const list = r.body.data.user_list;
    expect(list).toHaveLength(5);
    expect(list[0]).toMatchObject({ mobile: '13800000001', user_id: user('alice@example.com').open_id, status: { is_resigned: false } });
    expect(list[1].user_id).toBe(user('bob@example.com').open_id);
    expect(list[2]).toEqual({ mobile: '+10000000000' });
    expect(list[3].user_id).toBe(user('carol@example.com').open_id);
    expect(list[4]).toEqual({ email: 'nobody@example.com' });
  });

  it('honours user_id_type and include_resigned', async () => {
    const union = await c.call('POST', `${path}?user_id_type=union_id`, { emails: ['alice@example.com', 'dave@example.com'] }, token);
    expect(union.body.data.user_list[0].user_id).toBe(user('alice@example.com').union_id);
    expect(union.body.data.user_list[1].user_id).toBeUndefined();
    const resigned = await c.call('POST', `${path}?user_id_type=user_id`, { emails: ['dave@example.com'], include_resigned: true }, token);
    expect(resigned.body.data.user_list[0]).toMatchObject({ user_id: user('dave@example.com').user_id, status: { is_resigned: true } });
  });

  it('refuses more than 50 entries, wrong types and a bad user_id_type', async () => {
    const many = await c.call('POST', path, { emails: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) }, token);
    expect([many.status, many.body.code]).toEqual([400, 99992402]);
    expect(many.body.error.field_violations[0].field).toBe('emails');
    const wrong = await c.call('POST', path, { mobiles: '13800000001' }, token);
    expect([wrong.status, wrong.body.code]).toEqual([400, 9499]);
    expect(wrong.body.msg).toContain('mobiles');
    const badType = await c.call('POST', `${path}?user_id_type=email`, { emails: [] }, token);
    expect(badType.body.code).toBe(99992402);
  });
});

describe('im/v1/chats', () => {
  it('creates a chat with owner, users and bots, and reads it back', async () => {
    const alice = user('alice@example.com');
    const bob = user('bob@example.com');
    const other = c.emu.state().apps[1]!.app_id;
    const r = await c.call('POST', '/open-apis/im/v1/chats?user_id_type=open_id&set_bot_manager=true', {
      name: 'Release train', description: 'test', owner_id: alice.open_id, user_id_list: [bob.open_id], bot_id_list: [other],
    }, token);
    expect(r.body.code).toBe(0);
    expect(r.body.data).toMatchObject({ name: 'Release train', owner_id: alice.open_id, owner_id_type: 'open_id', chat_mode: 'group', tenant_key: 'emu_tenant_demo' });
    expect(r.body.data.chat_id).toMatch(/^oc_/);
    const got = await c.call('GET', `/open-apis/im/v1/chats/${r.body.data.chat_id}`, undefined, token);
    expect(got.body.data).toMatchObject({ name: 'Release train', user_count: '2', bot_count: '2' });
    const members = await c.call('GET', `/open-apis/im/v1/chats/${r.body.data.chat_id}/members`, undefined, token);
    expect(members.body.data.items.map((m: any) => m.member_id).sort()).toEqual([alice.open_id, bob.open_id].sort());
  });

  it('makes at most one chat per uuid and owner', async () => {
    const body = { name: 'Once', owner_id: user('alice@example.com').open_id };
    const a = await c.call('POST', '/open-apis/im/v1/chats?uuid=k1', body, token);
    const b = await c.call('POST', '/open-apis/im/v1/chats?uuid=k1', body, token);
    expect(b.body.data.chat_id).toBe(a.body.data.chat_id);
    const d = await c.call('POST', '/open-apis/im/v1/chats?uuid=k2', body, token);
    expect(d.body.data.chat_id).not.toBe(a.body.data.chat_id);
  });

  it('refuses unknown or resigned users with 232043, naming them', async () => {
    const r = await c.call('POST', '/open-apis/im/v1/chats', { name: 'x', user_id_list: ['ou_doesnotexist', user('dave@example.com').open_id] }, token);
    expect([r.status, r.body.code]).toEqual([400, 232043]);
    expect(r.body.msg).toContain('ou_doesnotexist');
    expect(r.body.error.field_violations).toHaveLength(2);
    const tooMany = await c.call('POST', '/open-apis/im/v1/chats', { user_id_list: Array.from({ length: 51 }, () => 'ou_x') }, token);
    expect(tooMany.body.code).toBe(99992402);
  });

  it('adds members per succeed_type and removes them', async () => {
    const chat = (await c.call('POST', '/open-apis/im/v1/chats', { name: 'm' }, token)).body.data.chat_id;
    const alice = user('alice@example.com').open_id;
    const dave = user('dave@example.com').open_id;
    const strict = await c.call('POST', `/open-apis/im/v1/chats/${chat}/members?member_id_type=open_id`, { id_list: [alice, 'ou_ghost'] }, token);
    expect(strict.body.code).toBe(232043);
    const lenient = await c.call('POST', `/open-apis/im/v1/chats/${chat}/members?member_id_type=open_id&succeed_type=1`, { id_list: [alice, dave, 'ou_ghost'] }, token);
    expect(lenient.body.data).toEqual({ invalid_id_list: [dave], not_existed_id_list: ['ou_ghost'], pending_approval_id_list: [] });
    const none = await c.call('POST', `/open-apis/im/v1/chats/${chat}/members?succeed_type=0`, { id_list: [dave] }, token);
    expect(none.body.code).toBe(232027);
    const removed = await c.call('DELETE', `/open-apis/im/v1/chats/${chat}/members`, { id_list: [alice, 'ou_ghost'] }, token);
    expect(removed.body.data.invalid_id_list).toEqual(['ou_ghost']);
    expect((await c.call('GET', `/open-apis/im/v1/chats/${chat}`, undefined, token)).body.data.user_count).toBe('0');
  });

  it('answers chats the bot is not in, unknown chats and dissolved chats with the chat codes', async () => {
    const otherToken = await c.token(1);
    const seeded = c.emu.state().chats[0]!.chat_id;
    const notIn = await c.call('GET', `/open-apis/im/v1/chats/${seeded}`, undefined, otherToken);
    expect(notIn.body.code).toBe(99991672); // the narrow app lacks the chat scopes entirely
    const unknown = await c.call('GET', '/open-apis/im/v1/chats/oc_nothing', undefined, token);
    expect([unknown.status, unknown.body.code]).toEqual([400, 232006]);
    const chat = (await c.call('POST', '/open-apis/im/v1/chats', { name: 'short-lived' }, token)).body.data.chat_id;
    expect((await c.call('DELETE', `/open-apis/im/v1/chats/${chat}`, undefined, token)).body.code).toBe(0);
    expect((await c.call('GET', `/open-apis/im/v1/chats/${chat}`, undefined, token)).body.code).toBe(232009);
    const send = await c.send(token, 'chat_id', chat, { elements: [] });
    expect(send.body.code).toBe(230002);
  });

  it('refuses member changes from a bot outside the chat with 232011', async () => {
    await c.restart({
      seed: {
        apps: [{ app_id: 'cli_x1', app_secret: 's1' }, { app_id: 'cli_x2', app_secret: 's2' }],
        users: [{ name: 'U', email: 'u@example.com' }],
        chats: [{ name: 'only x2', members: ['u@example.com'], bots: ['cli_x2'] }],
      },
    });
    token = await c.token(0);
    const chat = c.emu.state().chats[0]!.chat_id;
    const r = await c.call('POST', `/open-apis/im/v1/chats/${chat}/members`, { id_list: [c.users[0]!.open_id] }, token);
    expect([r.status, r.body.code]).toEqual([400, 232011]);
  });
});
