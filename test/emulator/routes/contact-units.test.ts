import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company (units BU_CN: Engineering, BU_US: Product) and an app that sees only Sales. */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', contact_range: { departments: ['sales'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const NARROW = 1;
const RANGED = 2;
const openDept = (id: string) => t.emu.core.store.department('department_id', id)!.open_department_id;

async function bound(unitId: string): Promise<string[]> {
  const r = await answer(sdk().contact.unit.listDepartment({ params: { unit_id: unitId, department_id_type: 'department_id' } }));
  expect(r.body.code).toBe(0);
  return r.body.data.departmentlist.map((d: { department_id: string }) => d.department_id);
}

describe('POST /open-apis/contact/v3/unit', () => {
  it('creates a unit, read back through get and the list', async () => {
    const r = await answer(sdk().contact.unit.create({ data: { unit_id: 'BU_EU', name: 'Europe', unit_type: 'region' } }));
    expect(r.body).toMatchObject({ code: 0, data: { unit_id: 'BU_EU' } });
    const got = await answer(sdk().contact.unit.get({ path: { unit_id: 'BU_EU' } }));
    expect(got.body.data.unit).toEqual({ unit_id: 'BU_EU', name: 'Europe', unit_type: 'region' });
    const made = await answer(sdk().contact.unit.create({ data: { name: 'Europe', unit_type: 'legal entity' } }));
    expect(made.body.data.unit_id).toMatch(/^BU[0-9a-f]{8}$/);
    const list = await answer(sdk().contact.unit.list({ params: { page_size: 2 } }));
    expect(list.body.data).toMatchObject({ unitlist: [{ unit_id: 'BU_CN' }, { unit_id: 'BU_US' }], has_more: true });
    const rest = await answer(sdk().contact.unit.list({ params: { page_size: 2, page_token: list.body.data.page_token } }));
    expect(rest.body.data.unitlist.map((u: { unit_id: string }) => u.unit_id)).toEqual(['BU_EU', made.body.data.unit_id]);
  });

  it('refuses a taken id, a bad name or type, and a name and type both taken', async () => {
    const create = async (data: Record<string, string>) => (await answer(sdk().contact.unit.create({ data: data as any }))).body;
    expect(await create({ unit_id: 'BU_CN', name: 'Other', unit_type: 'region' })).toMatchObject({ code: 43056, msg: expect.stringMatching(/^duplicate unit id error/) });
    expect((await create({ unit_id: 'bad id', name: 'Other', unit_type: 'region' })).code).toBe(43051);
    expect((await create({ name: '', unit_type: 'region' })).code).toBe(43052);
    expect((await create({ name: 'Other', unit_type: 'x'.repeat(101) })).code).toBe(43053);
    expect((await create({ name: 'China Mainland', unit_type: 'region' })).code).toBe(43055);
    expect((await answer(sdk(NARROW).contact.unit.create({ data: { name: 'Other', unit_type: 'region' } }))).body.code).toBe(99991672);
    expect(t.emu.core.store.units.size).toBe(2);
  });
});

describe('GET /open-apis/contact/v3/unit', () => {
  it('lists the seeded units and needs the unit scope', async () => {
    const r = await answer(sdk().contact.unit.list({}));
    expect(r.body.data).toMatchObject({ unitlist: [{ unit_id: 'BU_CN', name: 'China Mainland', unit_type: 'region' }, { unit_id: 'BU_US' }], has_more: false });
    expect((await answer(sdk(NARROW).contact.unit.list({}))).body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/unit/:unit_id', () => {
  it('answers 43051 for an unknown unit', async () => {
    const r = await answer(sdk().contact.unit.get({ path: { unit_id: 'BU_NOWHERE' } }));
    expect([r.status, r.body.code, r.body.msg]).toEqual([400, 43051, expect.stringMatching(/^unit_id invalid/)]);
  });
});

describe('PATCH /open-apis/contact/v3/unit/:unit_id', () => {
  it('renames a unit, and refuses the name of another unit of its type', async () => {
    expect((await answer(sdk().contact.unit.patch({ path: { unit_id: 'BU_CN' }, data: { name: 'Greater China' } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.unit.get({ path: { unit_id: 'BU_CN' } }))).body.data.unit.name).toBe('Greater China');
    expect((await answer(sdk().contact.unit.patch({ path: { unit_id: 'BU_CN' }, data: { name: 'North America' } }))).body.code).toBe(43055);
    expect((await answer(sdk().contact.unit.patch({ path: { unit_id: 'BU_CN' }, data: { name: ' ' } }))).body.code).toBe(43052);
  });
});

describe('DELETE /open-apis/contact/v3/unit/:unit_id', () => {
  it('deletes a unit and leaves its departments without one', async () => {
    const before = await answer(sdk().contact.department.get({ path: { department_id: 'engineering' }, params: { department_id_type: 'department_id' } }));
    expect(before.body.data.department.unit_ids).toEqual(['BU_CN']);
    expect((await answer(sdk().contact.unit.delete({ path: { unit_id: 'BU_CN' } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.unit.get({ path: { unit_id: 'BU_CN' } }))).body.code).toBe(43051);
    const eng = await answer(sdk().contact.department.get({ path: { department_id: 'engineering' }, params: { department_id_type: 'department_id' } }));
    expect(eng.body.data.department.unit_ids).toEqual([]);
    expect((await answer(sdk().contact.unit.delete({ path: { unit_id: 'BU_CN' } }))).body.code).toBe(43051);
  });
});

describe('POST /open-apis/contact/v3/unit/bind_department', () => {
  it('binds a department, read back in the unit and in the department', async () => {
    const r = await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: openDept('sales') } }));
    expect(r.body.code).toBe(0);
    expect(await bound('BU_US')).toEqual(['product', 'sales']);
    const sales = await answer(sdk().contact.department.get({ path: { department_id: openDept('sales') } }));
    expect(sales.body.data.department.unit_ids).toEqual(['BU_US']);
    expect((await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'sales', department_id_type: 'department_id' } }))).body.code).toBe(0);
    expect(await bound('BU_US')).toEqual(['product', 'sales']);
  });

  it('refuses a department bound to another unit, one outside the range, an unknown unit or department', async () => {
    const other = await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'engineering', department_id_type: 'department_id' } }));
    expect(other.body).toMatchObject({ code: 40001, msg: expect.stringContaining('bound to unit BU_CN') });
    const out = await answer(sdk(RANGED).contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'platform', department_id_type: 'department_id' } }));
    expect([out.status, out.body.code]).toEqual([403, 40004]);
    const inside = await answer(sdk(RANGED).contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'sales', department_id_type: 'department_id' } }));
    expect(inside.body.code).toBe(0);
    expect((await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_NOWHERE', department_id: 'sales', department_id_type: 'department_id' } }))).body.code).toBe(43051);
    expect((await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'ghost', department_id_type: 'department_id' } }))).body.code).toBe(40015);
  });
});

describe('POST /open-apis/contact/v3/unit/unbind_department', () => {
  it('unbinds a department, and refuses one not bound to the unit', async () => {
    const r = await answer(sdk().contact.unit.unbindDepartment({ data: { unit_id: 'BU_CN', department_id: 'engineering', department_id_type: 'department_id' } }));
    expect(r.body.code).toBe(0);
    expect(await bound('BU_CN')).toEqual([]);
    const again = await answer(sdk().contact.unit.unbindDepartment({ data: { unit_id: 'BU_CN', department_id: 'engineering', department_id_type: 'department_id' } }));
    expect(again.body.code).toBe(40001);
    const out = await answer(sdk(RANGED).contact.unit.unbindDepartment({ data: { unit_id: 'BU_US', department_id: 'product', department_id_type: 'department_id' } }));
    expect(out.body.code).toBe(40004);
  });
});

describe('GET /open-apis/contact/v3/unit/list_department', () => {
  it('lists bound departments in the id type asked for, page by page', async () => {
    await answer(sdk().contact.unit.bindDepartment({ data: { unit_id: 'BU_US', department_id: 'sales', department_id_type: 'department_id' } }));
    const first = await answer(sdk().contact.unit.listDepartment({ params: { unit_id: 'BU_US', page_size: 1 } }));
    expect(first.body.data).toMatchObject({ departmentlist: [{ unit_id: 'BU_US', department_id: openDept('product') }], has_more: true });
    const rest = await answer(sdk().contact.unit.listDepartment({ params: { unit_id: 'BU_US', page_size: 1, page_token: first.body.data.page_token } }));
    expect(rest.body.data).toMatchObject({ departmentlist: [{ department_id: openDept('sales') }], has_more: false });
    expect((await answer(sdk().contact.unit.listDepartment({ params: { unit_id: 'BU_NOWHERE' } }))).body.code).toBe(43051);
  });
});
