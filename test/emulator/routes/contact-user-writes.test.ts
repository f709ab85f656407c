import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/**
 * Writing people: the official SDK's calls, read back through the read routes, the contact-range
 * refusals and the platform's codes for the main mistakes.
 */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  // Sees Product (Carol) and Alice on her own; may write the directory.
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', name: 'Product Bot', contact_range: { departments: ['product'], users: ['alice@example.com'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const NARROW = 1;
const RANGED = 2;

const person = (email: string) => t.users.find((u) => u.email === email)!;
const stored = (openId: string) => t.emu.core.store.users.find((u) => u.open_id === openId)!;

const NEWCOMER = { name: 'Erin Wu', mobile: '+8613800000011', email: 'erin@example.com', department_ids: ['platform'], employee_type: 1 };

async function create(data: Record<string, unknown> = {}, params: Record<string, string> = { department_id_type: 'department_id' }, app = 0) {
  return answer(sdk(app).contact.user.create({ data: { ...NEWCOMER, ...data } as any, params: params as any }));
}

describe('POST /open-apis/contact/v3/users', () => {
  it('creates a user that the read routes then return, in the ids asked for', async () => {
    const before = Math.floor(t.emu.core.now() / 1000);
    const r = await create({ user_id: 'erin01', en_name: 'Erin Wu', job_title: 'Engineer', leader_user_id: person('bob@example.com').open_id, custom_attrs: [{ id: 'C-desk-phone', value: { text: '8102' } }] });
    expect(r.status).toBe(200);
    const user = r.body.data.user;
    expect(user).toMatchObject({ name: 'Erin Wu', user_id: 'erin01', email: 'erin@example.com', department_ids: ['platform'], job_title: 'Engineer', leader_user_id: person('bob@example.com').open_id });
    expect(user.open_id).toMatch(/^ou_[0-9a-f]{32}$/);
    expect(user.union_id).toMatch(/^on_[0-9a-f]{32}$/);
    // The create answer leaves the mobile out, as the docs say.
    expect(user.mobile).toBeUndefined();
    // Joined when it was made: the emulator's clock runs on between the call and this line.
    expect(user.join_time).toBeGreaterThanOrEqual(before);
    expect(user.join_time).toBeLessThanOrEqual(Math.floor(t.emu.core.now() / 1000));

    const got = await answer(sdk().contact.user.get({ path: { user_id: 'erin01' }, params: { user_id_type: 'user_id', department_id_type: 'department_id' } }));
    expect(got.body.data.user).toMatchObject({ open_id: user.open_id, mobile: '+8613800000011', department_ids: ['platform'], custom_attrs: [{ id: 'C-desk-phone', type: 'TEXT', value: { text: '8102' } }] });
    const members = await answer(sdk().contact.user.findByDepartment({ params: { department_id: 'platform', department_id_type: 'department_id' } }));
    expect(members.body.data.items.map((u: any) => u.name)).toContain('Erin Wu');
    const ids = await answer(sdk().contact.user.batchGetId({ data: { emails: ['erin@example.com'] }, params: { user_id_type: 'open_id' } }));
    expect(ids.body.data.user_list[0].user_id).toBe(user.open_id);
  });

  it('answers a repeated client_token with the same user, and a changed request under it with 40021', async () => {
    const params = { department_id_type: 'department_id', client_token: 'onboard-erin' };
    const first = await create({}, params);
    const again = await create({}, params);
    expect(again.body.data.user.open_id).toBe(first.body.data.user.open_id);
    expect(t.users.filter((u) => u.email === 'erin@example.com')).toHaveLength(1);
    const changed = await create({ name: 'Erin W.' }, params);
    expect([changed.status, changed.body.code]).toEqual([400, 40021]);
    expect(changed.body.msg).toMatch(/^no a same request error/);
  });

  it('refuses a mobile, email or user_id another user holds, with the documented codes', async () => {
    expect((await create({ mobile: '13800000001' })).body).toMatchObject({ code: 41001, msg: expect.stringMatching(/^mobile has already exist error/) });
    expect((await create({ email: 'ALICE@example.com' })).body).toMatchObject({ code: 41002, msg: expect.stringMatching(/^email has already exist error/) });
    expect((await create({ user_id: person('alice@example.com').user_id })).body.code).toBe(41011);
    // A resigned user's mobile is free again (Dave left).
    expect((await create({ mobile: '+8613800000004', email: 'dave2@example.com' })).body.code).toBe(0);
  });

  it('checks the required and bounded fields', async () => {
    expect((await create({ mobile: undefined, email: undefined })).body.code).toBe(41009);
    expect((await create({ department_ids: [] })).body.code).toBe(41017);
    expect((await create({ mobile: 'call me' })).body.code).toBe(41004);
    expect((await create({ email: 'erin-at-example' })).body.code).toBe(41005);
    expect((await create({ gender: 7 })).body.code).toBe(41038);
    expect((await create({ name: '  ' })).body.code).toBe(41040);
    expect((await create({ name: 'x'.repeat(256) })).body.code).toBe(41070);
    expect((await create({ leader_user_id: 'ou_nobody' })).body.code).toBe(44022);
    expect((await create({ leader_user_id: person('dave@example.com').open_id })).body.code).toBe(44021);
    expect((await create({ orders: [{ department_id: 'sales', is_primary_dept: true }] })).body.code).toBe(41025);
    const missing = await answer(sdk().contact.user.create({ data: { name: 'No Type', mobile: '+8613800000019', department_ids: ['platform'] } as any, params: { department_id_type: 'department_id' } }));
    expect(missing.body.code).toBe(99992402);
    expect(t.users.some((u) => u.name === 'Erin Wu')).toBe(false);
  });

  it("refuses departments outside the app's contact range (the root needs the whole organisation), and an app without the write scope", async () => {
    expect((await create({}, undefined, RANGED)).body).toMatchObject({ code: 40004, msg: expect.stringMatching(/^no dept authority error/) });
    expect((await create({ department_ids: ['0'] }, undefined, RANGED)).body.code).toBe(40004);
    expect((await create({ department_ids: ['product'] }, undefined, RANGED)).body.code).toBe(0);
    expect((await create({ mobile: '+8613800000012', email: 'f@example.com' }, undefined, NARROW)).body.code).toBe(99991672);
  });
});

describe('PATCH /open-apis/contact/v3/users/:user_id', () => {
  it('changes only the fields given, and moves a user between departments', async () => {
    const alice = person('alice@example.com');
    const r = await answer(sdk().contact.user.patch({ path: { user_id: alice.user_id }, params: { user_id_type: 'user_id', department_id_type: 'department_id' }, data: { job_title: 'Staff Engineer', department_ids: ['platform', 'product'], orders: [{ department_id: 'product', is_primary_dept: true }] } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.user).toMatchObject({ job_title: 'Staff Engineer', department_ids: ['product', 'platform'], name: 'Alice Zhang', email: 'alice@example.com' });
    const product = await answer(sdk().contact.user.findByDepartment({ params: { department_id: 'product', department_id_type: 'department_id' } }));
    expect(product.body.data.items.map((u: any) => u.open_id)).toContain(alice.open_id);
    expect(stored(alice.open_id).nickname).toBe('Ally');
    // By union_id, answered in union ids.
    const byUnion = await answer(sdk().contact.user.patch({ path: { user_id: alice.union_id }, params: { user_id_type: 'union_id' }, data: { leader_user_id: person('carol@example.com').union_id } }));
    expect(byUnion.body.data.user).toMatchObject({ union_id: alice.union_id, leader_user_id: person('carol@example.com').union_id });
  });

  it('freezes a user, and refuses a taken email, a leader of oneself and orders without departments', async () => {
    const alice = person('alice@example.com');
    const patch = (data: Record<string, unknown>) => answer(sdk().contact.user.patch({ path: { user_id: alice.open_id }, data: data as any }));
    expect((await patch({ is_frozen: true })).body.data.user.status.is_frozen).toBe(true);
    expect((await patch({ email: 'bob@example.com' })).body.code).toBe(41002);
    expect((await patch({ leader_user_id: alice.open_id })).body.code).toBe(41030);
    expect((await patch({ orders: [{ department_id: 'platform' }] })).body.code).toBe(44002);
    // Her own email again is no clash.
    expect((await patch({ email: 'alice@example.com' })).body.code).toBe(0);
  });

  it('refuses a user outside the range (41050), a department outside it (40004) and a resigned user (42006)', async () => {
    const bob = person('bob@example.com');
    expect((await answer(sdk(RANGED).contact.user.patch({ path: { user_id: bob.open_id }, data: { city: 'Hangzhou' } }))).body.code).toBe(41050);
    const alice = person('alice@example.com');
    // Alice is named in the range on her own, but her department is not in it.
    expect((await answer(sdk(RANGED).contact.user.patch({ path: { user_id: alice.open_id }, data: { city: 'Hangzhou' } }))).body.code).toBe(40004);
    const carol = person('carol@example.com');
    expect((await answer(sdk(RANGED).contact.user.patch({ path: { user_id: carol.open_id }, params: { department_id_type: 'department_id' }, data: { department_ids: ['sales'] } }))).body.code).toBe(40004);
    expect((await answer(sdk(RANGED).contact.user.patch({ path: { user_id: carol.open_id }, data: { city: 'Hangzhou' } }))).body.data.user.city).toBe('Hangzhou');
    const dave = person('dave@example.com');
    expect((await answer(sdk().contact.user.patch({ path: { user_id: dave.open_id }, data: { city: 'Hangzhou' } }))).body.code).toBe(42006);
  });
});

describe('PUT /open-apis/contact/v3/users/:user_id', () => {
  it('replaces the user: what is left out is cleared', async () => {
    const alice = person('alice@example.com');
    const r = await answer(sdk().contact.user.update({ path: { user_id: alice.open_id }, params: { department_id_type: 'department_id' }, data: { name: 'Alice Z.', mobile: '+8613800000001', department_ids: ['platform'], employee_type: 2 } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.user).toMatchObject({ name: 'Alice Z.', employee_type: 2, job_title: '', city: '', custom_attrs: [] });
    expect(r.body.data.user.email).toBeUndefined();
    expect(r.body.data.user.nickname).toBeUndefined();
    const missing = await answer(sdk().contact.user.update({ path: { user_id: alice.open_id }, data: { name: 'Alice', mobile: '+8613800000001', employee_type: 1 } as any }));
    expect(missing.body.code).toBe(41017);
  });
});

describe('DELETE /open-apis/contact/v3/users/:user_id', () => {
  it('resigns the user: still readable as resigned, out of their departments and leader posts', async () => {
    const alice = person('alice@example.com');
    const r = await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id }, data: { docs_acceptor_user_id: person('bob@example.com').open_id } }));
    expect(r.body).toMatchObject({ code: 0 });
    const got = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(got.body.data.user.status).toMatchObject({ is_resigned: true });
    expect(got.body.data.user.department_ids).toEqual([]);
    const platform = await answer(sdk().contact.department.get({ path: { department_id: 'platform' }, params: { department_id_type: 'department_id' } }));
    expect(platform.body.data.department.leaders).toHaveLength(1);
    expect((await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id } }))).body.code).toBe(40001);
  });

  it('hands a department chat the user owns to the acceptor', async () => {
    const bob = person('bob@example.com');
    const carol = person('carol@example.com');
    const made = await answer(sdk().contact.department.patch({ path: { department_id: 'engineering' }, params: { department_id_type: 'department_id' }, data: { create_group_chat: true } }));
    const chatId = made.body.data.department.chat_id;
    expect(t.emu.core.store.chats.get(chatId)!.owner_open_id).toBe(bob.open_id);
    const r = await answer(sdk().contact.user.delete({ path: { user_id: bob.open_id }, data: { department_chat_acceptor_user_id: carol.open_id } }));
    expect(r.body.code).toBe(0);
    expect(t.emu.core.store.chats.get(chatId)!.owner_open_id).toBe(carol.open_id);
  });

  it('refuses an acceptor who is not another active user, a tenant manager, and a user outside the range', async () => {
    const alice = person('alice@example.com');
    expect((await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id }, data: { calendar_acceptor_user_id: person('dave@example.com').open_id } }))).body.code).toBe(41052);
    expect((await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id }, data: { email_acceptor: { processing_type: '1', acceptor_user_id: alice.open_id } } }))).body.code).toBe(41052);
    expect((await answer(sdk().contact.user.delete({ path: { user_id: person('carol@example.com').open_id } }))).body.code).toBe(44037);
    expect((await answer(sdk(RANGED).contact.user.delete({ path: { user_id: person('bob@example.com').open_id } }))).body.code).toBe(41050);
    expect(stored(alice.open_id).resigned).toBe(false);
  });
});

describe('POST /open-apis/contact/v3/users/:user_id/resurrect', () => {
  it('brings a deleted user back into the departments given', async () => {
    const alice = person('alice@example.com');
    await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id } }));
    const r = await answer(sdk().contact.user.resurrect({ path: { user_id: alice.open_id }, params: { department_id_type: 'department_id' }, data: { departments: [{ department_id: 'product' }] } }));
    expect(r.body.code).toBe(0);
    const got = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id }, params: { department_id_type: 'department_id' } }));
    expect(got.body.data.user).toMatchObject({ status: { is_resigned: false }, department_ids: ['product'] });
    expect((await answer(sdk().contact.user.resurrect({ path: { user_id: alice.open_id } }))).body.code).toBe(44033);
  });

  it('refuses after 30 days, and while another user holds the mobile', async () => {
    const alice = person('alice@example.com');
    await answer(sdk().contact.user.delete({ path: { user_id: alice.open_id } }));
    await create({ mobile: '+8613800000001' });
    expect((await answer(sdk().contact.user.resurrect({ path: { user_id: alice.open_id } }))).body.code).toBe(44030);
    const dave = person('dave@example.com');
    // Dave left in the seed (no date): he can come back; the root needs the whole organisation.
    expect((await answer(sdk(RANGED).contact.user.resurrect({ path: { user_id: dave.open_id } }))).body.code).toBe(40004);
    expect((await answer(sdk().contact.user.resurrect({ path: { user_id: dave.open_id } }))).body.code).toBe(0);
    await answer(sdk().contact.user.delete({ path: { user_id: dave.open_id } }));
    t.emu.core.clock.advance(31 * 24 * 3600 * 1000);
    expect((await answer(sdk().contact.user.resurrect({ path: { user_id: dave.open_id } }))).body).toMatchObject({ code: 44028, msg: expect.stringMatching(/^Exceed recoverable time/) });
  });
});

describe('PATCH /open-apis/contact/v3/users/:user_id/update_user_id', () => {
  it('gives a user a new user_id, free in the tenant', async () => {
    const alice = person('alice@example.com');
    const r = await answer(sdk().contact.user.updateUserId({ path: { user_id: alice.open_id }, data: { new_user_id: 'alice.zhang' } }));
    expect(r.body.code).toBe(0);
    const got = await answer(sdk().contact.user.get({ path: { user_id: 'alice.zhang' }, params: { user_id_type: 'user_id' } }));
    expect(got.body.data.user.open_id).toBe(alice.open_id);
    expect((await answer(sdk().contact.user.updateUserId({ path: { user_id: alice.open_id }, data: { new_user_id: person('bob@example.com').user_id } }))).body.code).toBe(41011);
    expect((await answer(sdk().contact.user.updateUserId({ path: { user_id: alice.open_id }, data: { new_user_id: 'x'.repeat(65) } }))).body.code).toBe(41054);
    expect((await answer(sdk(RANGED).contact.user.updateUserId({ path: { user_id: person('bob@example.com').open_id }, data: { new_user_id: 'bob2' } }))).body.code).toBe(41050);
  });
});
