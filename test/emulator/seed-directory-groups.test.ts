import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, SeedError, validateSeed } from '../../src/emulator/seed.js';
import { Store } from '../../src/emulator/store.js';

const app = { app_id: 'cli_seed00000000001', app_secret: 'not-a-real-secret' };
const users = [
  { name: 'Ann', email: 'ann@example.com', department_ids: ['ops'] },
  { name: 'Ben', email: 'ben@example.com', employee_type: 6 },
];
const departments = [
  { department_id: 'ops', name: 'Operations' },
  { department_id: 'hr', name: 'People' },
];
const base = { apps: [app], users, departments, employee_type_enums: [{ enum_value: 6, content: 'Expert' }] };

function error(extra: Record<string, unknown>): string {
  try {
    validateSeed({ ...base, ...extra });
  } catch (e) {
    if (e instanceof SeedError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('seed: user groups, units and workforce types', () => {
  it('loads groups with members, units with departments, custom types and a range naming a group', () => {
    const seed = validateSeed({
      ...base,
      apps: [{ ...app, contact_range: { departments: ['hr'], groups: ['gOps'] } }],
      groups: [{ group_id: 'gOps', name: 'Ops crew', users: ['ben@example.com'], departments: ['ops'] }],
      units: [{ unit_id: 'BU_1', name: 'North', unit_type: 'region', departments: ['ops'] }],
    });
    const store = new Store(seed, 0);
    const ann = store.findUser('email', 'ann@example.com')!;
    const ben = store.findUser('email', 'ben@example.com')!;
    const g = store.userGroups.get('gOps')!;
    expect([...g.users]).toEqual([ben.open_id]);
    expect([...g.departments]).toEqual([store.department('department_id', 'ops')!.open_department_id]);
    expect(store.inGroup(g, ann)).toBe(true);
    const a = store.apps.get(app.app_id)!;
    expect([...a.contact_range!.groups]).toEqual(['gOps']);
    expect(store.userInRange(a, ben)).toBe(true);
    expect(store.units.get('BU_1')!.departments).toEqual([store.department('department_id', 'ops')!.open_department_id]);
    expect(store.department('department_id', 'ops')!.unit_ids).toEqual(['BU_1']);
    expect(store.employeeTypeByValue(6)).toMatchObject({ content: 'Expert', enum_type: 2, enum_status: 1 });
    expect(store.employeeTypeByValue(1)).toMatchObject({ content: '正式', enum_type: 1 });
    expect(store.nextEmployeeTypeValue()).toBe(7);
  });

  it('the built-in seed holds groups, units and workforce types its users name', () => {
    const store = new Store(loadDefaultSeed(), 0);
    expect(store.userGroups.size).toBeGreaterThan(0);
    expect(store.units.size).toBeGreaterThan(0);
    for (const u of store.users) expect(store.employeeTypeByValue(u.employee_type)).toBeDefined();
  });

  it('names the JSON path of what is wrong', () => {
    expect(error({ users: [{ name: 'Cy', email: 'cy@example.com', employee_type: 9 }] })).toContain('$.users[0].employee_type names no workforce type (9)');
    expect(error({ employee_type_enums: [{ enum_value: 3, content: 'X' }] })).toContain('$.employee_type_enums[0].enum_value must be an integer from 6 to 100');
    expect(error({ employee_type_enums: [{ enum_value: 6, content: 'X' }, { enum_value: 7, content: 'X' }] })).toContain('$.employee_type_enums[1].content repeats "X"');
    expect(error({ employee_type_enums: [{ enum_value: 6, content: 'X', i18n_content: [{ locale: 'fr_fr', value: 'X' }] }] })).toContain('$.employee_type_enums[0].i18n_content[0].locale must be');
    expect(error({ groups: [{ group_id: 'g-1', name: 'A' }] })).toContain('$.groups[0].group_id must be 1-64 letters and digits');
    expect(error({ groups: [{ group_id: 'g1', name: 'A' }, { group_id: 'g2', name: 'A' }] })).toContain('$.groups[1].name repeats "A"');
    expect(error({ groups: [{ group_id: 'g1', name: 'A', users: ['zed@example.com'] }] })).toContain('$.groups[0].users[0] names no seeded user');
    expect(error({ groups: [{ group_id: 'g1', name: 'A', departments: ['ghost'] }] })).toContain('$.groups[0].departments[0] names no seeded department');
    expect(error({ groups: [{ group_id: 'g1', name: 'A', type: 3 }] })).toContain('$.groups[0].type must be 1');
    expect(error({ units: [{ unit_id: 'u1', name: 'N', unit_type: 't', departments: ['ops'] }, { unit_id: 'u2', name: 'S', unit_type: 't', departments: ['ops'] }] })).toContain(
      '$.units[1].departments[0] is already bound to unit "u1"',
    );
    expect(error({ units: [{ unit_id: 'u1', name: 'N', unit_type: '' }] })).toContain('$.units[0].unit_type must be a non-empty string');
    expect(error({ apps: [{ ...app, contact_range: { groups: ['gNone'] } }] })).toContain('$.apps[0].contact_range.groups[0] names no seeded group ("gNone")');
    expect(error({ apps: [{ ...app, contact_range: { teams: [] } }] })).toContain('$.apps[0].contact_range.teams is not a part of a contact range');
  });

  it('bounds how many it holds', () => {
    const groups = Array.from({ length: 501 }, (_, i) => ({ group_id: `g${i}`, name: `G${i}` }));
    expect(error({ groups })).toContain('$.groups holds 501 entries; at most 500');
    const members = Array.from({ length: 5001 }, () => 'ann@example.com');
    expect(error({ groups: [{ group_id: 'g1', name: 'A', users: members }] })).toContain('$.groups[0].users must be an array of at most 5000 strings');
    const units = Array.from({ length: 1001 }, (_, i) => ({ unit_id: `u${i}`, name: `U${i}`, unit_type: 't' }));
    expect(error({ units })).toContain('$.units holds 1001 entries; at most 1000');
  });
});
