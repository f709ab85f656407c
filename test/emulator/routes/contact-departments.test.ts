import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company, and a third app that sees only Engineering (and the Platform team under it). */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', name: 'Engineering Bot', contact_range: { departments: ['engineering'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const RANGED = 2;

const person = (email: string) => t.users.find((u) => u.email === email)!;
const openDept = (id: string) => [...t.emu.core.store.departments.values()].find((d) => d.department_id === id)!.open_department_id;
const names = (items: Array<{ name: string }>) => items.map((d) => d.name);

describe('GET /open-apis/contact/v3/departments/:department_id', () => {
  it('returns a department with its names, parent, leaders and member count', async () => {
    const r = await answer(sdk().contact.department.get({ path: { department_id: 'platform' }, params: { department_id_type: 'department_id', user_id_type: 'union_id' } }));
    expect(r.status).toBe(200);
    expect(r.body.data.department).toMatchObject({
      name: 'Platform',
      i18n_name: { zh_cn: '平台组', en_us: 'Platform' },
      department_id: 'platform',
      open_department_id: openDept('platform'),
      parent_department_id: 'engineering',
      leader_user_id: person('bob@example.com').union_id,
      leaders: [
        { leaderType: 1, leaderID: person('bob@example.com').union_id },
        { leaderType: 2, leaderID: person('alice@example.com').union_id },
      ],
      member_count: 2,
      status: { is_deleted: false },
    });
    const eng = await answer(sdk().contact.department.get({ path: { department_id: openDept('engineering') } }));
    expect(eng.body.data.department).toMatchObject({ parent_department_id: '0', member_count: 2 });
    const root = await answer(sdk().contact.department.get({ path: { department_id: '0' } }));
    expect(root.body.data.department).toMatchObject({ open_department_id: '0', member_count: 3 });
  });

  it('answers 40015 for an unknown department and 40004 (HTTP 403) outside the range or for the root', async () => {
    const unknown = await answer(sdk().contact.department.get({ path: { department_id: 'od-nowhere' } }));
    expect([unknown.status, unknown.body.code, unknown.body.msg]).toEqual([400, 40015, expect.stringMatching(/^department not exist/)]);
    const out = await answer(sdk(RANGED).contact.department.get({ path: { department_id: openDept('product') } }));
    expect([out.status, out.body.code]).toEqual([403, 40004]);
    const root = await answer(sdk(RANGED).contact.department.get({ path: { department_id: '0' } }));
    expect(root.body.code).toBe(40004);
    const below = await answer(sdk(RANGED).contact.department.get({ path: { department_id: openDept('platform') } }));
    expect(below.body.data.department.name).toBe('Platform');
  });

  it('refuses a department id of the wrong shape', async () => {
    const r = await t.call('GET', '/open-apis/contact/v3/departments/-bad', undefined, await t.token());
    expect(r.body.code).toBe(99992402);
    expect(r.body.error.field_violations[0].field).toBe('department_id');
  });
});

describe('GET /open-apis/contact/v3/departments/batch', () => {
  it('returns departments in the order asked, and refuses one outside the range', async () => {
    const r = await answer(sdk().contact.department.batch({ params: { department_ids: ['sales', 'engineering'], department_id_type: 'department_id' } }));
    expect(names(r.body.data.items)).toEqual(['Sales', 'Engineering']);
    const out = await answer(sdk(RANGED).contact.department.batch({ params: { department_ids: [openDept('engineering'), openDept('sales')] } }));
    expect(out.body.code).toBe(40004);
  });
});

describe('GET /open-apis/contact/v3/departments/:department_id/children', () => {
  it('lists direct children by order, everything below with fetch_child, page by page', async () => {
    const top = await answer(sdk().contact.department.children({ path: { department_id: '0' } }));
    expect(names(top.body.data.items)).toEqual(['Engineering', 'Product', 'Sales']);
    const all = await answer(sdk().contact.department.children({ path: { department_id: '0' }, params: { fetch_child: true, page_size: 2 } }));
    expect(names(all.body.data.items)).toEqual(['Engineering', 'Platform']);
    expect(all.body.data.has_more).toBe(true);
    const rest = await answer(sdk().contact.department.children({ path: { department_id: '0' }, params: { fetch_child: true, page_size: 2, page_token: all.body.data.page_token } }));
    expect(names(rest.body.data.items)).toEqual(['Product', 'Sales']);
    expect(rest.body.data.has_more).toBe(false);
  });

  it("refuses the root to an app whose range is not the whole organisation, and a page token of another list", async () => {
    const root = await answer(sdk(RANGED).contact.department.children({ path: { department_id: '0' } }));
    expect(root.body.code).toBe(40004);
    const eng = await answer(sdk(RANGED).contact.department.children({ path: { department_id: openDept('engineering') } }));
    expect(names(eng.body.data.items)).toEqual(['Platform']);
    const parents = await answer(sdk().contact.department.parent({ params: { department_id: openDept('platform'), page_size: 1 } }));
    expect(parents.body.data.has_more).toBe(false);
    const users = await answer(sdk().contact.user.findByDepartment({ params: { department_id: openDept('platform'), page_size: 1 } }));
    const wrong = await answer(sdk().contact.department.children({ path: { department_id: '0' }, params: { page_token: users.body.data.page_token } }));
    expect(wrong.body.code).toBe(40012);
  });
});

describe('GET /open-apis/contact/v3/departments/parent', () => {
  it('lists the departments above one, nearest first, within the range', async () => {
    const r = await answer(sdk().contact.department.parent({ params: { department_id: 'platform', department_id_type: 'department_id' } }));
    expect(r.body.data.items.map((d: { department_id: string }) => d.department_id)).toEqual(['engineering']);
    const top = await answer(sdk().contact.department.parent({ params: { department_id: openDept('engineering') } }));
    expect(top.body.data.items).toEqual([]);
    const out = await answer(sdk(RANGED).contact.department.parent({ params: { department_id: openDept('sales') } }));
    expect(out.body.code).toBe(40004);
  });
});

describe('GET /open-apis/contact/v3/departments', () => {
  it('lists under the root by default; a partial range gets its topmost departments', async () => {
    const r = await answer(sdk().contact.department.list({}));
    expect(names(r.body.data.items)).toEqual(['Engineering', 'Product', 'Sales']);
    const ranged = await answer(sdk(RANGED).contact.department.list({ params: { fetch_child: true } }));
    expect(names(ranged.body.data.items)).toEqual(['Engineering', 'Platform']);
    const under = await answer(sdk().contact.department.list({ params: { parent_department_id: 'engineering', department_id_type: 'department_id' } }));
    expect(names(under.body.data.items)).toEqual(['Platform']);
    const out = await answer(sdk(RANGED).contact.department.list({ params: { parent_department_id: openDept('product') } }));
    expect(out.body.code).toBe(40004);
  });
});

describe('POST /open-apis/contact/v3/departments/search', () => {
  it('takes a user_access_token only: a tenant token is refused as on the platform', async () => {
    const r = await answer(sdk().contact.department.search({ data: { query: 'Eng' } }));
    expect([r.status, r.body.code]).toEqual([400, 99991663]);
  });
});
