import { describe, expect, it } from 'vitest';
import { deliveriesSettled } from '../../src/emulator/delivery.js';
import { loadDefaultSeed, type SeedFile } from '../../src/emulator/seed.js';
import { answer, sdkForFile } from '../helpers/sdk.js';

/**
 * The contact directory as one whole: a user's workforce type, job level and family, job title,
 * city and custom fields are checked against the tenant's lists and kept; the user views show
 * them behind their field scopes; and deleting a user, a department, a job level or family or a
 * workforce type leaves groups, units, roles, leaders, ranges and users consistent, with the
 * contact.user.updated_v3 events the changes cause.
 */
const NARROW_APP = 'cli_narrow00000000c1';
const RANGED_APP = 'cli_ranged00000000c2';

function seed(): SeedFile {
  const s = loadDefaultSeed();
  // Reads base profiles only: none of the employment fields, job level or family.
  s.apps.push({ app_id: NARROW_APP, app_secret: 'emu-narrow-secret-not-real', name: 'Narrow Bot', scopes: ['contact:contact', 'contact:user.base:readonly'] });
  // Sees Sales and Product only.
  s.apps.push({ app_id: RANGED_APP, app_secret: 'emu-ranged-secret-not-real', name: 'Ranged Bot', contact_range: { departments: ['sales', 'product'] } });
  // Sales (empty, so it can be deleted) is bound to a unit, named by a user group and managed by a role member.
  s.units!.find((u) => u.unit_id === 'BU_US')!.departments!.push('sales');
  s.groups!.push({ group_id: 'gSales', name: 'Sales floor', departments: ['sales'] });
  s.functional_roles!.push({ role_id: 'saleslead', role_name: 'Sales Lead', members: [{ user: 'carol@example.com', departments: ['sales', 'product'] }] });
  return s;
}

const { t, sdk } = sdkForFile({ seed: seed() });
const NARROW = 2;
const RANGED = 3;
const BY_ID = { department_id_type: 'department_id' } as const;
const NEWCOMER = { name: 'Erin Wu', mobile: '+8613800000011', email: 'erin@example.com', department_ids: ['platform'], employee_type: 1 };

const store = () => t.emu.core.store;
const person = (email: string) => store().users.find((u) => u.email === email)!;

function create(data: Record<string, unknown>) {
  return answer(sdk().contact.user.create({ data: { ...NEWCOMER, ...data } as any, params: BY_ID }));
}

function patch(openId: string, data: Record<string, unknown>) {
  return answer(sdk().contact.user.patch({ path: { user_id: openId }, data: data as any, params: BY_ID }));
}

async function read(openId: string, app = 0) {
  return (await answer(sdk(app).contact.user.get({ path: { user_id: openId }, params: { ...BY_ID, user_id_type: 'open_id' } }))).body.data.user;
}

/** The contact.user.updated_v3 events sent to the seed's first app since the last call, as sent. */
let seen = 0;
async function updates(): Promise<any[]> {
  await deliveriesSettled(t.emu.core);
  const items = store().deliveryLog.items.slice(seen);
  seen = store().deliveryLog.items.length;
  return items.filter((d) => d.kind === 'contact.user.updated_v3' && d.app_id === t.emu.state().apps[0]!.app_id && d.attempt === 1).map((d) => (d.payload as any).event);
}

async function drain() {
  await updates();
}

describe('POST /open-apis/contact/v3/users', () => {
  it('keeps a job level and family the tenant has, and refuses unknown or disabled ones with 44044 and 44045', async () => {
    const made = await create({ job_level_id: 'jl-p3', job_family_id: 'jf-backend' });
    expect(made.body.code).toBe(0);
    expect(await read(made.body.data.user.open_id)).toMatchObject({ job_level_id: 'jl-p3', job_family_id: 'jf-backend' });

    expect((await create({ mobile: '+8613800000021', email: 'x1@example.com', job_level_id: 'jl-nope' })).body).toMatchObject({ code: 44044, msg: expect.stringMatching(/^invalid job level id/) });
    expect((await create({ mobile: '+8613800000022', email: 'x2@example.com', job_family_id: 'jf-nope' })).body).toMatchObject({ code: 44045, msg: expect.stringMatching(/^invalid job family id/) });
    await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'jl-m4' }, data: { status: false } as any }));
    expect((await create({ mobile: '+8613800000023', email: 'x3@example.com', job_level_id: 'jl-m4' })).body.code).toBe(44044);
    await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-sales' }, data: { status: false } as any }));
    expect((await create({ mobile: '+8613800000024', email: 'x4@example.com', job_family_id: 'jf-sales' })).body.code).toBe(44045);
  });

  it("checks employee_type against the tenant's workforce types: unknown is 41059, inactive 41060", async () => {
    expect((await create({ employee_type: 6 })).body.code).toBe(0);
    expect((await create({ mobile: '+8613800000031', email: 'y1@example.com', employee_type: 42 })).body).toMatchObject({ code: 41059, msg: expect.stringMatching(/^invalid employee type error/) });
    // 7 (rehired retiree) is seeded inactive.
    expect((await create({ mobile: '+8613800000032', email: 'y2@example.com', employee_type: 7 })).body).toMatchObject({ code: 41060, msg: expect.stringMatching(/^inactive employee type error/) });
  });

  it('adds a job title or city the tenant lacks to its lists; a disabled one leaves the user without it, answered 44054/44055', async () => {
    expect((await create({ job_title: 'Staff Engineer', city: 'Hangzhou' })).body.code).toBe(0);
    const titles = await answer(sdk().contact.jobTitle.list({ params: { page_size: 50 } }));
    expect(titles.body.data.items.map((e: any) => e.name)).toContain('Staff Engineer');
    const cities = await answer(sdk().contact.workCity.list({ params: { page_size: 50 } }));
    expect(cities.body.data.items.map((e: any) => e.name)).toContain('Hangzhou');

    store().jobTitles.get('jt-ceo')!.status = false;
    const r = await create({ mobile: '+8613800000041', email: 'z1@example.com', job_title: 'Chief Executive Officer' });
    expect(r.body).toMatchObject({ code: 44055, msg: expect.stringMatching(/^create user success and create job title fail/) });
    // The user was made, without the title.
    expect(person('z1@example.com').job_title).toBe('');
    store().workCities.get('wc-beijing')!.status = false;
    expect((await create({ mobile: '+8613800000042', email: 'z2@example.com', city: 'Beijing' })).body.code).toBe(44054);
    expect((await create({ mobile: '+8613800000043', email: 'z3@example.com', city: 'Beijing', job_title: 'Chief Executive Officer' })).body.code).toBe(44056);
  });

  it("checks custom field values against the tenant's fields and shows them as the field defines", async () => {
    expect((await create({ custom_attrs: [{ id: 'C-nope', value: { text: 'x' } }] })).body).toMatchObject({ code: 41045, msg: expect.stringMatching(/^Custom attribute id is not exist error/) });
    expect((await create({ custom_attrs: [{ id: 'C-homepage', value: { text: 'Home' } }] })).body.code).toBe(41048);
    expect((await create({ custom_attrs: [{ id: 'C-homepage', value: { url: 'https://example.com' } }] })).body.code).toBe(41047);
    expect((await create({ custom_attrs: [{ id: 'C-desk-phone', type: 'HREF', value: { text: '8102', url: 'https://example.com' } }] })).body.code).toBe(41044);
    expect((await create({ custom_attrs: [{ id: 'C-shirt-size', value: { option_id: 'XXL' } }] })).body.code).toBe(41046);

    const made = await create({ custom_attrs: [{ id: 'C-shirt-size', value: { option_id: 'L' } }] });
    expect(made.body.code).toBe(0);
    expect((await read(made.body.data.user.open_id)).custom_attrs).toEqual([{ id: 'C-shirt-size', type: 'ENUMERATION', value: { option_id: 'L', option_value: 'L' } }]);
  });
});

describe('GET /open-apis/contact/v3/users/:user_id', () => {
  it('shows the employment fields, job level and family only to an app with their field scopes', async () => {
    const alice = person('alice@example.com').open_id;
    const full = await read(alice);
    expect(full).toMatchObject({ job_title: 'Senior Engineer', employee_type: 1, city: 'Shanghai', job_level_id: 'jl-p5', job_family_id: 'jf-backend', custom_attrs: [{ id: 'C-desk-phone' }] });
    const narrow = await read(alice, NARROW);
    expect(narrow.name).toBe('Alice Zhang');
    for (const field of ['job_title', 'employee_type', 'city', 'custom_attrs', 'join_time', 'job_level_id', 'job_family_id']) expect(narrow).not.toHaveProperty(field);
  });

  it('leaves out a custom field value whose type no longer matches its field', async () => {
    const alice = person('alice@example.com').open_id;
    expect((await read(alice)).custom_attrs).toHaveLength(1);
    // The admin made the desk phone a link: Alice's text value no longer fits it.
    store().customAttrDefinitions.find((d) => d.id === 'C-desk-phone')!.type = 'HREF';
    expect((await read(alice)).custom_attrs).toEqual([]);
  });
});

describe('PATCH /open-apis/contact/v3/users/:user_id', () => {
  it('changes the job level, keeps it, and puts the old one in the event', async () => {
    const alice = person('alice@example.com').open_id;
    await drain();
    const r = await patch(alice, { job_level_id: 'jl-m2', employee_type: 6 });
    expect(r.body.code).toBe(0);
    expect(await read(alice)).toMatchObject({ job_level_id: 'jl-m2', employee_type: 6 });
    const [event] = await updates();
    expect(event.object).toMatchObject({ open_id: alice, job_level_id: 'jl-m2', employee_type: 6 });
    expect(event.old_object).toEqual({ job_level_id: 'jl-p5', employee_type: 1 });
    expect((await patch(alice, { job_family_id: 'jf-nope' })).body.code).toBe(44045);
    expect((await patch(alice, { employee_type: 7 })).body.code).toBe(41060);
  });

  it('gives a first job level with "" as its old value, and clears it with ""', async () => {
    const made = await create({});
    const erin = made.body.data.user.open_id;
    await drain();
    await patch(erin, { job_level_id: 'jl-p3' });
    expect((await updates())[0].old_object).toEqual({ job_level_id: '' });
    await patch(erin, { job_level_id: '' });
    expect(await read(erin)).not.toHaveProperty('job_level_id');
    expect((await updates())[0].old_object).toEqual({ job_level_id: 'jl-p3' });
  });
});

describe('DELETE /open-apis/contact/v3/users/:user_id', () => {
  it('takes the user out of user groups and functional roles, and leaves those they led without a leader', async () => {
    const bob = person('bob@example.com');
    const alice = person('alice@example.com');
    expect(alice.leader_open_id).toBe(bob.open_id);
    await drain();
    expect((await answer(sdk().contact.user.delete({ path: { user_id: bob.open_id }, data: {} }))).body.code).toBe(0);

    const members = await answer(sdk().contact.groupMember.simplelist({ path: { group_id: 'gOncall' } }));
    expect(members.body.data.memberlist.map((m: any) => m.member_id)).toEqual([alice.open_id]);
    const group = await answer(sdk().contact.group.get({ path: { group_id: 'gLeadership' } }));
    expect(group.body.data.group.member_user_count).toBe(1);
    const role = await answer(sdk().contact.functionalRoleMember.list({ path: { role_id: 'engineeringhrbp' } }));
    expect(role.body.data.members).toEqual([]);

    expect(await read(alice.open_id)).not.toHaveProperty('leader_user_id');
    const events = await updates();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ object: { open_id: alice.open_id }, old_object: { leader_user_id: bob.open_id } });

    // Nor can they be given a role or a group again while deleted.
    const again = await answer(sdk().contact.functionalRoleMember.batchCreate({ path: { role_id: 'engineeringhrbp' }, data: { members: [bob.open_id] } }));
    expect(again.body.data.results).toEqual([{ user_id: bob.open_id, reason: 2 }]);
    const rejoin = await answer(sdk().contact.groupMember.add({ path: { group_id: 'gOncall' }, data: { member_type: 'user', member_id_type: 'open_id', member_id: bob.open_id } }));
    expect(rejoin.body.code).toBe(42006);
  });
});

describe('DELETE /open-apis/contact/v3/departments/:department_id', () => {
  it("takes a deleted department out of its unit, user groups, role members' scopes and contact ranges", async () => {
    const sales = store().department('department_id', 'sales')!.open_department_id;
    expect((await answer(sdk().contact.department.delete({ path: { department_id: 'sales' }, params: BY_ID }))).body.code).toBe(0);

    const unitDepartments = await answer(sdk().contact.unit.listDepartment({ params: { unit_id: 'BU_US', department_id_type: 'department_id' } }));
    expect(unitDepartments.body.data.departmentlist.map((d: any) => d.department_id)).toEqual(['product']);
    expect(store().units.get('BU_US')!.departments).not.toContain(sales);

    const group = await answer(sdk().contact.group.get({ path: { group_id: 'gSales' } }));
    expect(group.body.data.group.member_department_count).toBe(0);

    const member = await answer(sdk().contact.functionalRoleMember.get({ path: { role_id: 'saleslead', member_id: person('carol@example.com').open_id }, params: BY_ID }));
    expect(member.body.data.member).toMatchObject({ scope_type: 'Part', department_ids: ['product'] });

    const scopes = await answer(sdk(RANGED).contact.scope.list({ params: { department_id_type: 'department_id' } }));
    expect(scopes.body.data.department_ids).toEqual(['product']);
  });
});

describe('DELETE /open-apis/contact/v3/job_levels/:job_level_id', () => {
  it('goes while users hold it: they hold none, and apps are told', async () => {
    const alice = person('alice@example.com');
    await drain();
    expect((await answer(sdk().contact.jobLevel.delete({ path: { job_level_id: 'jl-p5' } }))).body.code).toBe(0);
    expect(await read(alice.open_id)).not.toHaveProperty('job_level_id');
    const events = await updates();
    expect(events).toMatchObject([{ object: { open_id: alice.open_id }, old_object: { job_level_id: 'jl-p5' } }]);
  });
});

describe('DELETE /open-apis/contact/v3/job_families/:job_family_id', () => {
  it('goes while users hold it: they hold none, and apps are told', async () => {
    const carol = person('carol@example.com');
    await drain();
    expect((await answer(sdk().contact.jobFamily.delete({ path: { job_family_id: 'jf-management' } }))).body.code).toBe(0);
    expect(await read(carol.open_id)).not.toHaveProperty('job_family_id');
    expect(await updates()).toMatchObject([{ object: { open_id: carol.open_id }, old_object: { job_family_id: 'jf-management' } }]);
  });
});

describe('DELETE /open-apis/contact/v3/employee_type_enums/:enum_id', () => {
  it('goes while users have it, as the job levels and families do: they become regular (1), and apps are told', async () => {
    const expert = [...store().employeeTypes.values()].find((e) => e.enum_value === 6)!;
    const alice = person('alice@example.com');
    expect((await patch(alice.open_id, { employee_type: 6 })).body.code).toBe(0);
    await drain();
    expect((await answer(sdk().contact.employeeTypeEnum.delete({ path: { enum_id: expert.enum_id } }))).body.code).toBe(0);
    expect((await read(alice.open_id)).employee_type).toBe(1);
    expect(await updates()).toMatchObject([{ object: { open_id: alice.open_id, employee_type: 1 }, old_object: { employee_type: 6 } }]);
    // Its value is no workforce type any more.
    expect((await patch(alice.open_id, { employee_type: 6 })).body.code).toBe(41059);
  });

  it("takes a deleted type out of the department chats' employee types", async () => {
    const expert = [...store().employeeTypes.values()].find((e) => e.enum_value === 6)!;
    await answer(sdk().contact.department.patch({ path: { department_id: 'product' }, params: BY_ID, data: { group_chat_employee_types: [1, 6] } }));
    expect((await answer(sdk().contact.employeeTypeEnum.delete({ path: { enum_id: expert.enum_id } }))).body.code).toBe(0);
    const product = await answer(sdk().contact.department.get({ path: { department_id: 'product' }, params: BY_ID }));
    expect(product.body.data.department.group_chat_employee_types).toEqual([1]);
  });
});

describe('PATCH /open-apis/contact/v3/departments/:department_id', () => {
  it("takes only the tenant's workforce types for the department chat (43026)", async () => {
    const ok = await answer(sdk().contact.department.patch({ path: { department_id: 'product' }, params: BY_ID, data: { group_chat_employee_types: [1, 6] } }));
    expect(ok.body.code).toBe(0);
    const bad = await answer(sdk().contact.department.patch({ path: { department_id: 'product' }, params: BY_ID, data: { group_chat_employee_types: [1, 42] } }));
    expect(bad.body).toMatchObject({ code: 43026, msg: expect.stringMatching(/^employee type is not valid/) });
  });
});
