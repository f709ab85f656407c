import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company, and a third app that sees only the Product department and Alice. */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', name: 'Platform Bot', contact_range: { departments: ['product'], users: ['alice@example.com'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const RANGED = 2;
const NARROW = 1;

const person = (email: string) => t.users.find((u) => u.email === email)!;
const openDept = (id: string) => [...t.emu.core.store.departments.values()].find((d) => d.department_id === id)!.open_department_id;

describe('GET /open-apis/contact/v3/users/:user_id', () => {
  it("returns a user's directory fields in the id types asked for", async () => {
    const alice = person('alice@example.com');
    const bob = person('bob@example.com');
    const r = await answer(sdk().contact.user.get({ path: { user_id: alice.user_id }, params: { user_id_type: 'user_id', department_id_type: 'department_id' } }));
    expect(r.status).toBe(200);
    const u = r.body.data.user;
    expect(u).toMatchObject({
      open_id: alice.open_id,
      union_id: alice.union_id,
      user_id: alice.user_id,
      name: 'Alice Zhang',
      en_name: 'Alice Zhang',
      nickname: 'Ally',
      i18n_name: { zh_cn: '张爱丽', en_us: 'Alice Zhang' },
      email: 'alice@example.com',
      mobile: '+8613800000001',
      gender: 2,
      employee_type: 1,
      job_title: 'Senior Engineer',
      city: 'Shanghai',
      department_ids: ['platform'],
      leader_user_id: bob.user_id,
      status: { is_resigned: false, is_frozen: false, is_activated: true },
      custom_attrs: [{ id: 'C-desk-phone', type: 'TEXT', value: { text: '8101' } }],
    });
    expect(u.orders[0]).toMatchObject({ department_id: 'platform', is_primary_dept: true });
    expect(u.avatar.avatar_72).toMatch(/^https:\/\/.+72x72/);
    const byOpen = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(byOpen.body.data.user.department_ids).toEqual([openDept('platform')]);
    expect(byOpen.body.data.user.leader_user_id).toBe(bob.open_id);
  });

  it('returns a resigned user with the status that says so and no departments', async () => {
    const dave = person('dave@example.com');
    const r = await answer(sdk().contact.user.get({ path: { user_id: dave.open_id } }));
    expect(r.body.data.user.status).toMatchObject({ is_resigned: true, is_activated: false });
    expect(r.body.data.user.department_ids).toEqual([]);
  });

  it("refuses a user outside the app's contact range, and an unknown one, with 41050", async () => {
    const bob = person('bob@example.com');
    const out = await answer(sdk(RANGED).contact.user.get({ path: { user_id: bob.open_id } }));
    expect([out.status, out.body.code]).toEqual([400, 41050]);
    expect(out.body.msg).toMatch(/^no user authority error/);
    // Inside: Carol in Product, and Alice who is named on her own.
    for (const email of ['alice@example.com', 'carol@example.com']) {
      const seen = await answer(sdk(RANGED).contact.user.get({ path: { user_id: person(email).open_id } }));
      expect(seen.body.code).toBe(0);
    }
    const unknown = await answer(sdk().contact.user.get({ path: { user_id: 'ou_nobody' } }));
    expect(unknown.body.code).toBe(41050);
  });

  it('leaves out user_id, email and mobile without their field scopes, and refuses an app without a contact scope', async () => {
    const narrow = await answer(sdk(NARROW).contact.user.get({ path: { user_id: person('alice@example.com').open_id } }));
    expect(narrow.body.code).toBe(99991672);
    const seed = seedWithRange();
    seed.apps[0]!.scopes = ['contact:user.base:readonly'];
    await t.restart({ seed });
    const r = await answer(sdk().contact.user.get({ path: { user_id: person('alice@example.com').open_id } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.user).not.toHaveProperty('user_id');
    expect(r.body.data.user).not.toHaveProperty('email');
    expect(r.body.data.user).not.toHaveProperty('mobile');
    expect(r.body.data.user.name).toBe('Alice Zhang');
  });
});

describe('GET /open-apis/contact/v3/users/batch', () => {
  it('returns users in the order asked', async () => {
    const [alice, bob] = [person('alice@example.com'), person('bob@example.com')];
    const r = await answer(sdk().contact.user.batch({ params: { user_ids: [bob.open_id, alice.open_id] } }));
    expect(r.body.data.items.map((u: { name: string }) => u.name)).toEqual(['Bob Li', 'Alice Zhang']);
  });

  it('answers 41050 naming the id outside the range, and refuses more than 50 ids', async () => {
    const r = await answer(sdk(RANGED).contact.user.batch({ params: { user_ids: [person('alice@example.com').open_id, person('bob@example.com').open_id] } }));
    expect(r.body.code).toBe(41050);
    expect(r.body.msg).toContain(person('bob@example.com').open_id);
    const many = await answer(sdk().contact.user.batch({ params: { user_ids: Array.from({ length: 51 }, (_, i) => `ou_${i}`) } }));
    expect(many.body.code).toBe(99992402);
    expect(many.body.error.field_violations[0].field).toBe('user_ids');
  });
});

describe('GET /open-apis/contact/v3/users/find_by_department', () => {
  it("pages a department's direct members, and the root's", async () => {
    const first = await answer(sdk().contact.user.findByDepartment({ params: { department_id: 'platform', department_id_type: 'department_id', page_size: 1 } }));
    expect(first.body.data.has_more).toBe(true);
    expect(first.body.data.items.map((u: { name: string }) => u.name)).toEqual(['Alice Zhang']);
    const second = await answer(sdk().contact.user.findByDepartment({ params: { department_id: 'platform', department_id_type: 'department_id', page_size: 1, page_token: first.body.data.page_token } }));
    expect(second.body.data).toMatchObject({ has_more: false });
    expect(second.body.data.items.map((u: { name: string }) => u.name)).toEqual(['Bob Li']);
    expect(second.body.data).not.toHaveProperty('page_token');
    // Nobody sits directly under the root in the default company; the resigned are nowhere.
    const root = await answer(sdk().contact.user.findByDepartment({ params: { department_id: '0' } }));
    expect(root.body.data.items).toEqual([]);
  });

  it('refuses a department outside the range (40004, HTTP 403), the root for a partial range, and a forged page token (40012)', async () => {
    const out = await answer(sdk(RANGED).contact.user.findByDepartment({ params: { department_id: openDept('platform') } }));
    expect([out.status, out.body.code, out.body.msg]).toEqual([403, 40004, expect.stringMatching(/^no dept authority error/)]);
    const root = await answer(sdk(RANGED).contact.user.findByDepartment({ params: { department_id: '0' } }));
    expect(root.body.code).toBe(40004);
    const inside = await answer(sdk(RANGED).contact.user.findByDepartment({ params: { department_id: openDept('product') } }));
    expect(inside.body.data.items.map((u: { name: string }) => u.name)).toEqual(['Carol Wang']);
    const forged = await answer(sdk().contact.user.findByDepartment({ params: { department_id: openDept('platform'), page_token: 'bm90LWEtdG9rZW4' } }));
    expect([forged.status, forged.body.code, forged.body.msg]).toEqual([400, 40012, 'page token is invalid error']);
    const big = await answer(sdk().contact.user.findByDepartment({ params: { department_id: '0', page_size: 51 } }));
    expect(big.body.code).toBe(99992402);
  });
});

describe('GET /open-apis/contact/v3/users', () => {
  it('lists a department as find_by_department does, the root by default', async () => {
    const r = await answer(sdk().contact.user.list({ params: { department_id: openDept('product') } }));
    expect(r.body.data.items.map((u: { name: string }) => u.name)).toEqual(['Carol Wang']);
    const root = await answer(sdk().contact.user.list({}));
    expect(root.body).toMatchObject({ code: 0, data: { has_more: false, items: [] } });
    const refused = await answer(sdk(RANGED).contact.user.list({}));
    expect(refused.body.code).toBe(40004);
  });
});

describe('POST /open-apis/contact/v3/users/basic_batch', () => {
  it('returns names for the ids it knows, whatever the contact range, and leaves out the rest', async () => {
    const bob = person('bob@example.com');
    const r = await answer(sdk(RANGED).contact.user.basicBatch({ data: { user_ids: [bob.open_id, 'ou_nobody'] } }));
    expect(r.body.data.users).toEqual([{ user_id: bob.open_id, name: 'Bob Li', i18n_name: { zh_cn: '李博', en_us: 'Bob Li' } }]);
  });

  it('takes at most 10 ids and needs its own scope', async () => {
    const many = await answer(sdk().contact.user.basicBatch({ data: { user_ids: Array.from({ length: 11 }, (_, i) => `ou_${i}`) } }));
    expect(many.body.code).toBe(99992402);
    const narrow = await answer(sdk(NARROW).contact.user.basicBatch({ data: { user_ids: ['ou_x'] } }));
    expect(narrow.body.code).toBe(99991672);
    expect(narrow.body.msg).toContain('contact:user.basic_profile:readonly');
  });
});

describe('contact range and batch_get_id', () => {
  it('finds no user_id for a person outside the range', async () => {
    const r = await answer(sdk(RANGED).contact.user.batchGetId({ data: { emails: ['alice@example.com', 'bob@example.com'] } }));
    const list = r.body.data.user_list as Array<{ email: string; user_id?: string }>;
    expect(list.find((e) => e.email === 'alice@example.com')?.user_id).toBe(person('alice@example.com').open_id);
    expect(list.find((e) => e.email === 'bob@example.com')).toEqual({ email: 'bob@example.com' });
  });
});
