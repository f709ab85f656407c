import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company, and a third app that sees only the Product department and Alice. */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.apps.push({ app_id: 'cli_range0000000004', app_secret: 'emu-range-secret-not-real', name: 'Product Bot', contact_range: { departments: ['product'], users: ['alice@example.com'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const NARROW = 1;
const RANGED = 2;
const person = (email: string) => t.users.find((u) => u.email === email)!;
const openDept = (id: string) => [...t.emu.core.store.departments.values()].find((d) => d.department_id === id)!.open_department_id;
const members = (roleId: string, params: Record<string, string> = {}) => answer(sdk().contact.functionalRoleMember.list({ path: { role_id: roleId }, params: params as any }));

describe('POST /open-apis/contact/v3/functional_roles', () => {
  it('creates a role that members can then be added to', async () => {
    const r = await answer(sdk().contact.functionalRole.create({ data: { role_name: 'Expense Approver' } }));
    expect(r.body.code).toBe(0);
    const roleId = r.body.data.role_id;
    expect(t.emu.core.store.functionalRoles.get(roleId)!.role_name).toBe('Expense Approver');
    const listed = await members(roleId);
    expect(listed.body.data).toMatchObject({ members: [], has_more: false });
  });

  it('refuses a name already taken (41201) and a 501st role (41208)', async () => {
    const dup = await answer(sdk().contact.functionalRole.create({ data: { role_name: 'Attendance Admin' } }));
    expect([dup.status, dup.body.code, dup.body.msg]).toEqual([400, 41201, expect.stringMatching(/^role name is exist/)]);
    const store = t.emu.core.store;
    for (let i = store.functionalRoles.size; i < 500; i++) store.functionalRoles.set(`fill${i}`, { role_id: `fill${i}`, role_name: `fill ${i}`, members: new Map() });
    expect((await answer(sdk().contact.functionalRole.create({ data: { role_name: 'One too many' } }))).body.code).toBe(41208);
  });

  it('needs the functional-role scope', async () => {
    expect((await answer(sdk(NARROW).contact.functionalRole.create({ data: { role_name: 'X' } }))).body.code).toBe(99991672);
  });
});

describe('PUT /open-apis/contact/v3/functional_roles/:role_id', () => {
  it("renames a role, refusing another role's name and an unknown role", async () => {
    expect((await answer(sdk().contact.functionalRole.update({ path: { role_id: 'attendanceadmin' }, data: { role_name: 'Attendance Manager' } }))).body.code).toBe(0);
    expect(t.emu.core.store.functionalRoles.get('attendanceadmin')!.role_name).toBe('Attendance Manager');
    expect((await answer(sdk().contact.functionalRole.update({ path: { role_id: 'attendanceadmin' }, data: { role_name: 'Engineering HRBP' } }))).body.code).toBe(41201);
    const none = await answer(sdk().contact.functionalRole.update({ path: { role_id: 'nope' }, data: { role_name: 'Y' } }));
    expect([none.status, none.body.code]).toEqual([404, 41202]);
  });
});

describe('DELETE /open-apis/contact/v3/functional_roles/:role_id', () => {
  it('refuses a role with members, and deletes it once they are removed', async () => {
    const refused = await answer(sdk().contact.functionalRole.delete({ path: { role_id: 'attendanceadmin' } }));
    expect(refused.body.code).toBe(41209);
    await answer(sdk().contact.functionalRoleMember.batchDelete({ path: { role_id: 'attendanceadmin' }, data: { members: [person('carol@example.com').open_id] } }));
    expect((await answer(sdk().contact.functionalRole.delete({ path: { role_id: 'attendanceadmin' } }))).body.code).toBe(0);
    expect((await members('attendanceadmin')).body.code).toBe(41202);
    expect((await answer(sdk().contact.functionalRole.delete({ path: { role_id: 'attendanceadmin' } }))).body.code).toBe(41202);
  });
});

describe('GET /open-apis/contact/v3/functional_roles/:role_id/members', () => {
  it('lists members with what they manage, in the id types asked for', async () => {
    const bob = person('bob@example.com');
    const r = await members('engineeringhrbp', { user_id_type: 'user_id', department_id_type: 'department_id' });
    expect(r.body.data.members).toEqual([{ user_id: bob.user_id, scope_type: 'Part', department_ids: ['engineering'] }]);
    const open = await members('engineeringhrbp');
    expect(open.body.data.members[0]).toEqual({ user_id: bob.open_id, scope_type: 'Part', department_ids: [openDept('engineering')] });
    expect((await members('attendanceadmin')).body.data.members).toEqual([{ user_id: person('carol@example.com').open_id, scope_type: 'All' }]);
  });

  it('pages, and takes the read-only scope', async () => {
    const ids = ['alice@example.com', 'bob@example.com', 'carol@example.com'].map((e) => person(e).open_id);
    await answer(sdk().contact.functionalRoleMember.batchCreate({ path: { role_id: 'engineeringhrbp' }, data: { members: ids } }));
    const first = await members('engineeringhrbp', { page_size: '2' });
    expect(first.body.data.members).toHaveLength(2);
    expect(first.body.data.has_more).toBe(true);
    const second = await members('engineeringhrbp', { page_size: '2', page_token: first.body.data.page_token });
    expect(second.body.data.members.map((m: any) => m.user_id)).toEqual([ids[2]]);
    const seed = seedWithRange();
    seed.apps[0]!.scopes = ['contact:functional_role:readonly'];
    await t.restart({ seed });
    expect((await members('engineeringhrbp')).body.code).toBe(0);
    expect((await answer(sdk().contact.functionalRole.create({ data: { role_name: 'Z' } }))).body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/functional_roles/:role_id/members/:member_id', () => {
  it("returns one member's scope, 41203 for someone not in the role and 41202 for an unknown role", async () => {
    const bob = person('bob@example.com');
    const r = await answer(sdk().contact.functionalRoleMember.get({ path: { role_id: 'engineeringhrbp', member_id: bob.user_id }, params: { user_id_type: 'user_id', department_id_type: 'department_id' } }));
    expect(r.body.data.member).toEqual({ user_id: bob.user_id, scope_type: 'Part', department_ids: ['engineering'] });
    const notMember = await answer(sdk().contact.functionalRoleMember.get({ path: { role_id: 'engineeringhrbp', member_id: person('alice@example.com').open_id } }));
    expect([notMember.status, notMember.body.code]).toEqual([404, 41203]);
    expect((await answer(sdk().contact.functionalRoleMember.get({ path: { role_id: 'nope', member_id: bob.open_id } }))).body.code).toBe(41202);
  });
});

describe('POST /open-apis/contact/v3/functional_roles/:role_id/members/batch_create', () => {
  it('adds members and answers each with its reason', async () => {
    const alice = person('alice@example.com');
    const bob = person('bob@example.com');
    const r = await answer(sdk().contact.functionalRoleMember.batchCreate({ path: { role_id: 'engineeringhrbp' }, params: { user_id_type: 'user_id' }, data: { members: [alice.user_id, bob.user_id, 'nobody'] } }));
    expect(r.body.data.results).toEqual([{ user_id: alice.user_id, reason: 1 }, { user_id: bob.user_id, reason: 4 }, { user_id: 'nobody', reason: 2 }]);
    const got = await answer(sdk().contact.functionalRoleMember.get({ path: { role_id: 'engineeringhrbp', member_id: alice.open_id } }));
    expect(got.body.data.member).toEqual({ user_id: alice.open_id, scope_type: 'All' });
  });

  it("answers reason 3 for someone outside the app's contact range", async () => {
    const r = await answer(sdk(RANGED).contact.functionalRoleMember.batchCreate({ path: { role_id: 'engineeringhrbp' }, data: { members: [person('carol@example.com').open_id, person('dave@example.com').open_id] } }));
    expect(r.body.data.results.map((x: any) => x.reason)).toEqual([1, 3]);
    expect((await answer(sdk().contact.functionalRoleMember.batchCreate({ path: { role_id: 'nope' }, data: { members: ['ou_x'] } }))).body.code).toBe(41202);
  });
});

describe('PATCH /open-apis/contact/v3/functional_roles/:role_id/members/batch_delete', () => {
  it('removes members and answers each with its reason', async () => {
    const bob = person('bob@example.com');
    const r = await answer(sdk().contact.functionalRoleMember.batchDelete({ path: { role_id: 'engineeringhrbp' }, data: { members: [bob.open_id, person('alice@example.com').open_id, 'ou_nobody'] } }));
    expect(r.body.data.result).toEqual([{ user_id: bob.open_id, reason: 1 }, { user_id: person('alice@example.com').open_id, reason: 5 }, { user_id: 'ou_nobody', reason: 2 }]);
    expect((await members('engineeringhrbp')).body.data.members).toEqual([]);
    const out = await answer(sdk(RANGED).contact.functionalRoleMember.batchDelete({ path: { role_id: 'attendanceadmin' }, data: { members: [person('dave@example.com').open_id] } }));
    expect(out.body.data.result).toEqual([{ user_id: person('dave@example.com').open_id, reason: 3 }]);
  });
});

describe('PATCH /open-apis/contact/v3/functional_roles/:role_id/members/scopes', () => {
  it('sets the departments members manage, read back through the member routes', async () => {
    const bob = person('bob@example.com');
    const r = await answer(sdk().contact.functionalRoleMember.scopes({ path: { role_id: 'engineeringhrbp' }, params: { department_id_type: 'department_id' }, data: { members: [bob.open_id, person('alice@example.com').open_id], departments: ['platform', 'product'] } }));
    expect(r.body.data.results).toEqual([{ user_id: bob.open_id, reason: 1 }, { user_id: person('alice@example.com').open_id, reason: 5 }]);
    const got = await members('engineeringhrbp', { department_id_type: 'department_id' });
    expect(got.body.data.members).toEqual([{ user_id: bob.open_id, scope_type: 'Part', department_ids: ['platform', 'product'] }]);
    await answer(sdk().contact.functionalRoleMember.scopes({ path: { role_id: 'engineeringhrbp' }, data: { members: [bob.open_id], departments: [] } }));
    expect((await members('engineeringhrbp')).body.data.members[0].scope_type).toBe('None');
    await answer(sdk().contact.functionalRoleMember.scopes({ path: { role_id: 'engineeringhrbp' }, data: { members: [bob.open_id], departments: ['0'] } }));
    expect((await members('engineeringhrbp')).body.data.members[0].scope_type).toBe('All');
  });

  it("refuses departments unknown or outside the range, and members whose old scope is outside it", async () => {
    const carol = person('carol@example.com');
    const call = (i: number, departments: string[], who = [carol.open_id]) => answer(sdk(i).contact.functionalRoleMember.scopes({ path: { role_id: 'attendanceadmin' }, params: { department_id_type: 'department_id' }, data: { members: who, departments } }));
    expect((await call(0, ['nowhere'])).body.code).toBe(40015);
    expect((await call(RANGED, ['engineering'])).body.code).toBe(40004);
    // Carol manages the whole organisation, which the ranged app does not see: reason 6.
    expect((await call(RANGED, ['product'])).body.data.results).toEqual([{ user_id: carol.open_id, reason: 6 }]);
    await call(0, ['product']);
    expect((await call(RANGED, ['product'])).body.data.results).toEqual([{ user_id: carol.open_id, reason: 1 }]);
    expect((await call(RANGED, ['product'], [person('dave@example.com').open_id])).body.data.results[0].reason).toBe(3);
  });
});
