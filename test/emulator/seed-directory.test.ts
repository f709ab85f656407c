import { describe, expect, it } from 'vitest';
import { validateSeed, SeedError } from '../../src/emulator/seed.js';
import { Store } from '../../src/emulator/store.js';

const app = { app_id: 'cli_seed00000000001', app_secret: 'not-a-real-secret' };
const users = [
  { name: 'Ann', email: 'ann@example.com', department_ids: ['ops'], leader: 'ben@example.com' },
  { name: 'Ben', email: 'ben@example.com' },
];

function error(seed: unknown): string {
  try {
    validateSeed(seed);
  } catch (e) {
    if (e instanceof SeedError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('seed: the directory', () => {
  it('loads departments, places and leaders, and a contact range, into the store', () => {
    const seed = validateSeed({
      apps: [{ ...app, contact_range: { departments: ['ops'], users: ['ben@example.com'] } }],
      users,
      departments: [{ department_id: 'ops', name: 'Operations', leaders: ['ben@example.com'], order: 5 }],
    });
    const store = new Store(seed, 0);
    const ops = store.department('department_id', 'ops')!;
    expect(ops.open_department_id).toMatch(/^od-/);
    expect(ops.leaders).toEqual([{ type: 1, open_id: store.findUser('email', 'ben@example.com')!.open_id }]);
    const ann = store.findUser('email', 'ann@example.com')!;
    expect(ann.department_ids).toEqual([ops.open_department_id]);
    expect(ann.leader_open_id).toBe(store.findUser('email', 'ben@example.com')!.open_id);
    expect(store.findUser('email', 'ben@example.com')!.department_ids).toEqual(['0']);
    const a = store.apps.get(app.app_id)!;
    expect(store.userInRange(a, ann)).toBe(true);
    expect(store.departmentInRange(a, '0')).toBe(false);
  });

  it('names the JSON path of what is wrong', () => {
    expect(error({ apps: [app], users, departments: [{ department_id: 'ops', name: 'Ops', parent_department_id: 'nowhere' }] })).toContain('$.departments[0].parent_department_id names no seeded department ("nowhere")');
    expect(error({ apps: [app], users, departments: [{ department_id: 'od-x', name: 'Ops' }] })).toContain('$.departments[0].department_id must be');
    expect(error({ apps: [app], users: [{ ...users[0], department_ids: ['ghost'] }, users[1]], departments: [{ department_id: 'ops', name: 'Ops' }] })).toContain('$.users[0].department_ids[0] names no seeded department');
    expect(error({ apps: [app], users, departments: [{ department_id: 'ops', name: 'Ops', leaders: ['zed@example.com'] }] })).toContain('$.departments[0].leaders[0] names no seeded user');
    expect(
      error({
        apps: [app],
        users,
        departments: [
          { department_id: 'ops', name: 'Ops', parent_department_id: 'b' },
          { department_id: 'b', name: 'B', parent_department_id: 'ops' },
        ],
      }),
    ).toContain('makes a cycle');
    expect(error({ apps: [{ ...app, contact_range: { departments: ['nowhere'] } }], users, departments: [{ department_id: 'ops', name: 'Ops' }] })).toContain('$.apps[0].contact_range.departments[0] names no seeded department');
    expect(error({ apps: [app], users: [{ name: 'Cy', email: 'cy@example.com', gender: 7 }] })).toContain('$.users[0].gender must be');
  });

  it('walks a deep tree: every department below the root in order, and each one\'s parents', () => {
    const depth = 2000;
    const departments = Array.from({ length: depth }, (_, i) => ({ department_id: `d${i}`, name: `D${i}`, ...(i ? { parent_department_id: `d${i - 1}` } : {}) }));
    const store = new Store(validateSeed({ apps: [app], users: [{ name: 'Deep', email: 'deep@example.com', department_ids: [`d${depth - 1}`] }], departments }), 0);
    const all = store.subDepartments('0', true);
    expect(all.map((d) => d.department_id)).toEqual(departments.map((d) => d.department_id));
    const bottom = store.department('department_id', `d${depth - 1}`)!;
    expect(store.parentDepartments(bottom)).toHaveLength(depth - 1);
    expect(store.departmentMembers(store.department('department_id', 'd0')!.open_department_id, true).map((u) => u.name)).toEqual(['Deep']);
  });
});
