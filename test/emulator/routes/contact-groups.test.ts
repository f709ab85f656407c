import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/**
 * The default company (groups gOncall: Alice and Bob, gLeadership: Carol and Bob, gEngineering: the
 * Engineering department), a dynamic group, and a third app whose range is Sales and the
 * Leadership group.
 */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.groups!.push({ group_id: 'gDynamic', name: 'Shanghai staff', type: 2, users: ['alice@example.com'] });
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', contact_range: { departments: ['sales'], groups: ['gLeadership'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const NARROW = 1;
const RANGED = 2;
const person = (email: string) => t.users.find((u) => u.email === email)!;
const group = (id: string) => t.emu.core.store.userGroups.get(id);
const userMember = (email: string) => ({ member_type: 'user', member_id_type: 'open_id', member_id: person(email).open_id });

async function members(groupId: string, params: Record<string, unknown> = {}) {
  const r = await answer(sdk().contact.groupMember.simplelist({ path: { group_id: groupId }, params }));
  expect(r.body.code).toBe(0);
  return r.body.data.memberlist.map((m: { member_id: string }) => m.member_id);
}

describe('POST /open-apis/contact/v3/group', () => {
  it('creates a group with its own id, read back through get and the list', async () => {
    const r = await answer(sdk().contact.group.create({ data: { group_id: 'gDesign', name: 'Design review', description: 'Who signs off designs' } }));
    expect(r.body).toMatchObject({ code: 0, data: { group_id: 'gDesign' } });
    const got = await answer(sdk().contact.group.get({ path: { group_id: 'gDesign' } }));
    expect(got.body.data.group).toEqual({ id: 'gDesign', name: 'Design review', description: 'Who signs off designs', member_user_count: 0, member_department_count: 0, type: 1 });
    const made = await answer(sdk().contact.group.create({ data: { name: 'Interviewers' } }));
    expect(made.body.data.group_id).toMatch(/^g[0-9a-f]{8}$/);
    const list = await answer(sdk().contact.group.simplelist({ params: { page_size: 100 } }));
    expect(list.body.data.grouplist.map((g: { id: string }) => g.id)).toEqual(['gOncall', 'gLeadership', 'gEngineering', 'gDesign', made.body.data.group_id]);
  });

  it('refuses an empty, long or taken name, a bad or taken id and a type other than ordinary', async () => {
    const code = async (data: Record<string, unknown>) => (await answer(sdk().contact.group.create({ data: data as any }))).body;
    expect(await code({ name: ' ' })).toMatchObject({ code: 42001, msg: 'group name empty' });
    expect((await code({ name: 'x'.repeat(101) })).code).toBe(42013);
    expect((await code({ name: 'Ok', description: 'x'.repeat(501) })).code).toBe(42014);
    expect(await code({ name: 'Leadership' })).toMatchObject({ code: 47009, msg: expect.stringMatching(/^duplicated name error/) });
    expect((await code({ name: 'New', group_id: 'gOncall' })).code).toBe(47005);
    expect((await code({ name: 'New', group_id: 'has space' })).code).toBe(42002);
    expect((await code({ name: 'New', type: 3 })).code).toBe(42003);
    expect((await code({ name: 'New', type: 2 })).code).toBe(42024);
    expect(t.emu.core.store.userGroups.size).toBe(4);
  });

  it('needs a range of the whole organisation (42010, HTTP 403) and the contact:group scope', async () => {
    const ranged = await answer(sdk(RANGED).contact.group.create({ data: { name: 'Mine' } }));
    expect([ranged.status, ranged.body.code]).toEqual([403, 42010]);
    const narrow = await answer(sdk(NARROW).contact.group.create({ data: { name: 'Mine' } }));
    expect(narrow.body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/group/:group_id', () => {
  it('shows a seeded group with its member counts', async () => {
    const r = await answer(sdk().contact.group.get({ path: { group_id: 'gEngineering' } }));
    expect(r.body.data.group).toMatchObject({ id: 'gEngineering', name: 'All of Engineering', member_user_count: 0, member_department_count: 1, type: 1 });
  });

  it('answers 42002 for an unknown group and 42009 (HTTP 403) for one outside the range', async () => {
    const unknown = await answer(sdk().contact.group.get({ path: { group_id: 'gNowhere' } }));
    expect([unknown.status, unknown.body.code, unknown.body.msg]).toEqual([400, 42002, expect.stringMatching(/^invalid group_id/)]);
    const out = await answer(sdk(RANGED).contact.group.get({ path: { group_id: 'gOncall' } }));
    expect([out.status, out.body.code]).toEqual([403, 42009]);
    const inside = await answer(sdk(RANGED).contact.group.get({ path: { group_id: 'gLeadership' } }));
    expect(inside.body.data.group.member_user_count).toBe(2);
    const narrow = await answer(sdk(NARROW).contact.group.get({ path: { group_id: 'gOncall' } }));
    expect(narrow.body.code).toBe(99991672);
  });
});

describe('PATCH /open-apis/contact/v3/group/:group_id', () => {
  it('renames and describes a group, and refuses a taken name', async () => {
    const r = await answer(sdk().contact.group.patch({ path: { group_id: 'gOncall' }, data: { name: 'Pager duty', description: 'Nights and weekends' } }));
    expect(r.body.code).toBe(0);
    const got = await answer(sdk().contact.group.get({ path: { group_id: 'gOncall' } }));
    expect(got.body.data.group).toMatchObject({ name: 'Pager duty', description: 'Nights and weekends' });
    const taken = await answer(sdk().contact.group.patch({ path: { group_id: 'gOncall' }, data: { name: 'Leadership' } }));
    expect(taken.body.code).toBe(47009);
    const same = await answer(sdk().contact.group.patch({ path: { group_id: 'gOncall' }, data: { name: 'Pager duty' } }));
    expect(same.body.code).toBe(0);
    const out = await answer(sdk(RANGED).contact.group.patch({ path: { group_id: 'gOncall' }, data: { name: 'Mine' } }));
    expect(out.body.code).toBe(42009);
  });
});

describe('DELETE /open-apis/contact/v3/group/:group_id', () => {
  it('deletes an empty group only, and it leaves the ranges that named it', async () => {
    const full = await answer(sdk().contact.group.delete({ path: { group_id: 'gLeadership' } }));
    expect(full.body).toMatchObject({ code: 42017, msg: expect.stringMatching(/^group has member not allow delete/) });
    await answer(sdk().contact.groupMember.batchRemove({ path: { group_id: 'gLeadership' }, data: { members: [userMember('carol@example.com'), userMember('bob@example.com')] } }));
    const r = await answer(sdk().contact.group.delete({ path: { group_id: 'gLeadership' } }));
    expect(r.body.code).toBe(0);
    expect((await answer(sdk().contact.group.get({ path: { group_id: 'gLeadership' } }))).body.code).toBe(42002);
    const scopes = await answer(sdk(RANGED).contact.scope.list({}));
    expect(scopes.body.data.group_ids).toEqual([]);
  });
});

describe('GET /open-apis/contact/v3/group/simplelist', () => {
  it('lists one type of group page by page, within the range', async () => {
    const first = await answer(sdk().contact.group.simplelist({ params: { page_size: 2 } }));
    expect(first.body.data.grouplist.map((g: { id: string }) => g.id)).toEqual(['gOncall', 'gLeadership']);
    expect(first.body.data.has_more).toBe(true);
    const rest = await answer(sdk().contact.group.simplelist({ params: { page_size: 2, page_token: first.body.data.page_token } }));
    expect(rest.body.data).toMatchObject({ grouplist: [{ id: 'gEngineering', member_department_count: 1 }], has_more: false });
    const dynamic = await answer(sdk().contact.group.simplelist({ params: { type: 2 } }));
    expect(dynamic.body.data.grouplist).toEqual([expect.objectContaining({ id: 'gDynamic', type: 2, member_user_count: 1 })]);
    const ranged = await answer(sdk(RANGED).contact.group.simplelist({}));
    expect(ranged.body.data.grouplist.map((g: { id: string }) => g.id)).toEqual(['gLeadership']);
  });

  it('refuses a page size past 100 (40011), a forged token (40012) and an unknown type (42003)', async () => {
    expect((await answer(sdk().contact.group.simplelist({ params: { page_size: 101 } }))).body.code).toBe(40011);
    expect((await answer(sdk().contact.group.simplelist({ params: { page_token: 'forged' } }))).body.code).toBe(40012);
    expect((await answer(sdk().contact.group.simplelist({ params: { type: 5 } }))).body.code).toBe(42003);
  });
});

describe('GET /open-apis/contact/v3/group/member_belong', () => {
  it("lists a person's groups, named or through a department, within the range", async () => {
    const bob = await answer(sdk().contact.group.memberBelong({ params: { member_id: person('bob@example.com').user_id, member_id_type: 'user_id' } }));
    expect(bob.body.data).toMatchObject({ group_list: ['gOncall', 'gLeadership', 'gEngineering'], has_more: false });
    const alice = await answer(sdk().contact.group.memberBelong({ params: { member_id: person('alice@example.com').open_id } }));
    expect(alice.body.data.group_list).toEqual(['gOncall', 'gEngineering', 'gDynamic']);
    const ordinaryOnly = await answer(sdk().contact.group.memberBelong({ params: { member_id: person('alice@example.com').open_id, group_type: 1, page_size: 1 } }));
    expect(ordinaryOnly.body.data).toMatchObject({ group_list: ['gOncall'], has_more: true });
    const ranged = await answer(sdk(RANGED).contact.group.memberBelong({ params: { member_id: person('bob@example.com').open_id } }));
    expect(ranged.body.data.group_list).toEqual(['gLeadership']);
  });

  it('refuses an unknown person (41073), one outside the range (41050), a wrong id type (41071)', async () => {
    expect((await answer(sdk().contact.group.memberBelong({ params: { member_id: 'ou_nobody' } }))).body.code).toBe(41073);
    expect((await answer(sdk(RANGED).contact.group.memberBelong({ params: { member_id: person('alice@example.com').open_id } }))).body.code).toBe(41050);
    expect((await answer(sdk().contact.group.memberBelong({ params: { member_id: 'x', member_id_type: 'email' as any } }))).body.code).toBe(41071);
    expect((await answer(sdk().contact.group.memberBelong({ params: { member_id: 'x', page_size: 1001 } }))).body.code).toBe(40011);
  });
});

describe('GET /open-apis/contact/v3/group/:group_id/member/simplelist', () => {
  it('lists people in the id type asked for, or departments', async () => {
    expect(await members('gOncall', { member_id_type: 'user_id' })).toEqual([person('alice@example.com').user_id, person('bob@example.com').user_id]);
    const depts = await answer(sdk().contact.groupMember.simplelist({ path: { group_id: 'gEngineering' }, params: { member_type: 'department' } }));
    expect(depts.body.data.memberlist).toEqual([{ member_id: 'engineering', member_type: 'department', member_id_type: 'department_id' }]);
    const first = await answer(sdk().contact.groupMember.simplelist({ path: { group_id: 'gOncall' }, params: { page_size: 1 } }));
    expect(first.body.data).toMatchObject({ memberlist: [{ member_id: person('alice@example.com').open_id, member_type: 'user' }], has_more: true });
  });

  it('refuses a member type and id type that do not match (41072), an unknown member type (41074), a group outside the range', async () => {
    expect((await answer(sdk().contact.groupMember.simplelist({ path: { group_id: 'gOncall' }, params: { member_type: 'department', member_id_type: 'open_id' } }))).body.code).toBe(41072);
    expect((await answer(sdk().contact.groupMember.simplelist({ path: { group_id: 'gOncall' }, params: { member_type: 'bot' as any } }))).body.code).toBe(41074);
    expect((await answer(sdk(RANGED).contact.groupMember.simplelist({ path: { group_id: 'gOncall' } }))).body.code).toBe(42009);
  });
});

describe('POST /open-apis/contact/v3/group/:group_id/member/add', () => {
  it('adds a person, read back in the member list and in their groups', async () => {
    const r = await answer(sdk().contact.groupMember.add({ path: { group_id: 'gOncall' }, data: { member_type: 'user', member_id_type: 'union_id', member_id: person('carol@example.com').union_id } }));
    expect(r.body.code).toBe(0);
    expect(await members('gOncall')).toContain(person('carol@example.com').open_id);
    const belong = await answer(sdk().contact.group.memberBelong({ params: { member_id: person('carol@example.com').open_id } }));
    expect(belong.body.data.group_list).toEqual(['gOncall', 'gLeadership']);
  });

  it('answers a member already there with 42005 in an HTTP 200, and refuses resigned, unknown and out-of-range people', async () => {
    const again = await answer(sdk().contact.groupMember.add({ path: { group_id: 'gOncall' }, data: { ...userMember('alice@example.com'), member_type: 'user', member_id_type: 'open_id' } }));
    expect([again.status, again.body.code, again.body.msg]).toEqual([200, 42005, expect.stringMatching(/^member is already in group/)]);
    const add = (app: number, groupId: string, member: Record<string, string>) => answer(sdk(app).contact.groupMember.add({ path: { group_id: groupId }, data: member as any }));
    expect((await add(0, 'gOncall', userMember('dave@example.com'))).body.code).toBe(42006);
    expect((await add(0, 'gOncall', { member_type: 'user', member_id_type: 'open_id', member_id: 'ou_nobody' })).body.code).toBe(41073);
    expect((await add(0, 'gOncall', { member_type: 'department', member_id_type: 'open_id', member_id: 'x' })).body.code).toBe(41074);
    expect((await add(0, 'gOncall', { member_type: 'user', member_id_type: 'email', member_id: 'x' })).body.code).toBe(41071);
    expect((await add(RANGED, 'gLeadership', userMember('alice@example.com'))).body.code).toBe(41050);
    expect((await add(RANGED, 'gOncall', userMember('carol@example.com'))).body.code).toBe(42009);
    expect((await add(0, 'gDynamic', userMember('bob@example.com'))).body.code).toBe(40001);
    expect((await add(NARROW, 'gOncall', userMember('carol@example.com'))).body.code).toBe(99991672);
    expect(group('gOncall')!.users.size).toBe(2);
  });
});

describe('POST /open-apis/contact/v3/group/:group_id/member/remove', () => {
  it('removes a person; one who is not a member changes nothing', async () => {
    const r = await answer(sdk().contact.groupMember.remove({ path: { group_id: 'gOncall' }, data: { member_type: 'user', member_id_type: 'open_id', member_id: person('alice@example.com').open_id } }));
    expect(r.body.code).toBe(0);
    expect(await members('gOncall')).toEqual([person('bob@example.com').open_id]);
    const absent = await answer(sdk().contact.groupMember.remove({ path: { group_id: 'gOncall' }, data: { member_type: 'user', member_id_type: 'open_id', member_id: person('carol@example.com').open_id } }));
    expect(absent.body.code).toBe(0);
    const unknown = await answer(sdk().contact.groupMember.remove({ path: { group_id: 'gOncall' }, data: { member_type: 'user', member_id_type: 'open_id', member_id: 'ou_nobody' } }));
    expect(unknown.body.code).toBe(41073);
  });
});

describe('POST /open-apis/contact/v3/group/:group_id/member/batch_add', () => {
  it("adds people and reports each one's code", async () => {
    const r = await answer(
      sdk().contact.groupMember.batchAdd({
        path: { group_id: 'gLeadership' },
        data: { members: [userMember('alice@example.com'), userMember('bob@example.com'), userMember('dave@example.com'), { member_type: 'user', member_id_type: 'open_id', member_id: 'ou_nobody' }] },
      }),
    );
    expect(r.body.data.results).toEqual([
      { member_id: person('alice@example.com').open_id, code: 0 },
      { member_id: person('bob@example.com').open_id, code: 42005 },
      { member_id: person('dave@example.com').open_id, code: 42006 },
      { member_id: 'ou_nobody', code: 41073 },
    ]);
    expect(await members('gLeadership')).toEqual([person('carol@example.com').open_id, person('bob@example.com').open_id, person('alice@example.com').open_id]);
  });

  it('refuses no members (40001), more than 100 and a wrong member type for the whole call', async () => {
    expect((await answer(sdk().contact.groupMember.batchAdd({ path: { group_id: 'gOncall' }, data: {} }))).body.code).toBe(40001);
    const many = Array.from({ length: 101 }, () => userMember('carol@example.com'));
    expect((await answer(sdk().contact.groupMember.batchAdd({ path: { group_id: 'gOncall' }, data: { members: many } }))).body.code).toBe(99992402);
    const dept = await answer(sdk().contact.groupMember.batchAdd({ path: { group_id: 'gOncall' }, data: { members: [userMember('carol@example.com'), { member_type: 'department', member_id: 'x' }] } }));
    expect(dept.body.code).toBe(41074);
    expect(group('gOncall')!.users.size).toBe(2);
  });
});

describe('POST /open-apis/contact/v3/group/:group_id/member/batch_remove', () => {
  it('removes people, and removes no one when one is unknown', async () => {
    const bad = await answer(sdk().contact.groupMember.batchRemove({ path: { group_id: 'gOncall' }, data: { members: [userMember('alice@example.com'), { member_type: 'user', member_id_type: 'open_id', member_id: 'ou_nobody' }] } }));
    expect(bad.body.code).toBe(41073);
    expect(group('gOncall')!.users.size).toBe(2);
    const r = await answer(sdk().contact.groupMember.batchRemove({ path: { group_id: 'gOncall' }, data: { members: [userMember('alice@example.com'), userMember('bob@example.com')] } }));
    expect(r.body.code).toBe(0);
    expect(await members('gOncall')).toEqual([]);
  });
});

describe('GET /open-apis/contact/v3/scopes', () => {
  it("lists the groups a range names, and the groups' people are in the range", async () => {
    const r = await answer(sdk(RANGED).contact.scope.list({}));
    expect(r.body.data).toMatchObject({ department_ids: [expect.stringMatching(/^od-/)], user_ids: [], group_ids: ['gLeadership'] });
    const carol = await answer(sdk(RANGED).contact.user.get({ path: { user_id: person('carol@example.com').open_id } }));
    expect(carol.body.data.user.name).toBe('Carol Wang');
    const alice = await answer(sdk(RANGED).contact.user.get({ path: { user_id: person('alice@example.com').open_id } }));
    expect(alice.body.code).toBe(41050);
  });
});
