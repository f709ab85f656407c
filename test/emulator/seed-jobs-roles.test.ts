import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, validateSeed, SeedError } from '../../src/emulator/seed.js';
import { Store } from '../../src/emulator/store.js';

const app = { app_id: 'cli_seed00000000002', app_secret: 'not-a-real-secret' };
const users = [
  { name: 'Ann', email: 'ann@example.com', job_level_id: 'l1', job_family_id: 'f2', job_title_id: 't1', work_city_id: 'c1', custom_attrs: [{ id: 'C-room', value: { text: '4F' } }] },
  { name: 'Ben', email: 'ben@example.com', custom_attrs: [{ id: 'C-site', type: 'HREF', value: { url: 'https://example.com' } }] },
];
const base = {
  apps: [app],
  users,
  departments: [{ department_id: 'ops', name: 'Operations' }],
  job_levels: [{ job_level_id: 'l1', name: 'L1', order: 100 }, { job_level_id: 'l2', name: 'L2' }],
  job_families: [{ job_family_id: 'f1', name: 'Ops' }, { job_family_id: 'f2', name: 'SRE', parent_job_family_id: 'f1' }],
  job_titles: [{ job_title_id: 't1', name: 'Site Reliability Engineer' }],
  work_cities: [{ work_city_id: 'c1', name: 'Hangzhou', i18n_name: { zh_cn: '杭州' } }],
  functional_roles: [{ role_name: 'On-call lead', members: [{ user: 'ann@example.com', departments: ['ops'] }, { user: 'ben@example.com' }] }],
};

function error(seed: unknown): string {
  try {
    validateSeed(seed);
  } catch (e) {
    if (e instanceof SeedError) return e.message;
    throw e;
  }
  return 'no error';
}

const withChange = (change: (seed: any) => void) => {
  const seed = structuredClone(base) as any;
  change(seed);
  return seed;
};

describe('seed: job levels, families, titles, work cities, roles and custom fields', () => {
  it('loads them into the store, with the users naming them and the fields derived from the values users carry', () => {
    const store = new Store(validateSeed(structuredClone(base)), 0);
    const ann = store.findUser('email', 'ann@example.com')!;
    expect([ann.job_level_id, ann.job_family_id, ann.job_title, ann.city]).toEqual(['l1', 'f2', 'Site Reliability Engineer', 'Hangzhou']);
    expect(store.jobLevels.get('l2')!.order).toBe(200);
    expect(store.jobFamilies.get('f2')!.parent_job_family_id).toBe('f1');
    expect(store.workCities.get('c1')!.i18n_name).toEqual([{ locale: 'zh_cn', value: '杭州' }]);
    const role = [...store.functionalRoles.values()][0]!;
    expect(role.role_name).toBe('On-call lead');
    expect(role.members.get(ann.open_id)).toEqual([store.department('department_id', 'ops')!.open_department_id]);
    expect(role.members.get(store.findUser('email', 'ben@example.com')!.open_id)).toBeNull();
    expect(store.customAttrDefinitions.map((d) => [d.id, d.type])).toEqual([['C-room', 'TEXT'], ['C-site', 'HREF']]);
  });

  it('gives the built-in company levels, families, titles and cities its people hold, and fields their values agree with', () => {
    const seed = loadDefaultSeed();
    const store = new Store(seed, 0);
    for (const u of store.users) {
      expect(store.jobLevels.has(u.job_level_id!)).toBe(true);
      expect(store.jobFamilies.has(u.job_family_id!)).toBe(true);
      expect([...store.jobTitles.values()].map((t) => t.name)).toContain(u.job_title);
      expect([...store.workCities.values()].map((c) => c.name)).toContain(u.city);
      for (const a of u.custom_attrs) expect(store.customAttrDefinitions.find((d) => d.id === a.id)?.type).toBe(a.type);
    }
    expect(store.functionalRoles.size).toBeGreaterThan(0);
  });

  it('names the JSON path of what is wrong', () => {
    expect(error(withChange((s) => (s.users[0].job_level_id = 'nope')))).toMatch(/\$\.users\[0\]\.job_level_id names no seeded job level \("nope"\)/);
    expect(error(withChange((s) => (s.users[0].work_city_id = 'nope')))).toMatch(/\$\.users\[0\]\.work_city_id names no seeded work city/);
    expect(error(withChange((s) => s.job_levels.push({ job_level_id: 'l1', name: 'again' })))).toMatch(/\$\.job_levels\[2\]\.job_level_id repeats "l1"/);
    expect(error(withChange((s) => (s.job_levels[1].order = 100)))).toMatch(/\$\.job_levels\[1\]\.order repeats 100/);
    expect(error(withChange((s) => (s.job_levels[0].order = 5)))).toMatch(/\$\.job_levels\[0\]\.order must be an integer from 100 to 100000/);
    expect(error(withChange((s) => (s.job_families[0].parent_job_family_id = 'f2')))).toMatch(/\$\.job_families\[\d\]\.parent_job_family_id makes a cycle/);
    expect(error(withChange((s) => (s.job_families[1].parent_job_family_id = 'f9')))).toMatch(/\$\.job_families\[1\]\.parent_job_family_id names no seeded job family/);
    expect(error(withChange((s) => (s.job_titles[0].name = '')))).toMatch(/\$\.job_titles\[0\]\.name must be a non-empty string/);
    expect(error(withChange((s) => (s.work_cities = { c1: 'Hangzhou' })))).toMatch(/\$\.work_cities must be an array/);
    expect(error(withChange((s) => (s.functional_roles[0].members[0].user = 'who@example.com')))).toMatch(/\$\.functional_roles\[0\]\.members\[0\]\.user names no seeded user/);
    expect(error(withChange((s) => (s.functional_roles[0].members[0].departments = ['nowhere'])))).toMatch(/\$\.functional_roles\[0\]\.members\[0\]\.departments\[0\] names no seeded department/);
    expect(error(withChange((s) => s.functional_roles.push({ role_name: 'On-call lead' })))).toMatch(/\$\.functional_roles\[1\]\.role_name repeats "On-call lead"/);
    expect(error(withChange((s) => (s.functional_roles[0].role_name = 'x'.repeat(51))))).toMatch(/\$\.functional_roles\[0\]\.role_name must be a string of 1 to 50/);
  });

  it('holds the users\' custom values to the field definitions when the seed has them', () => {
    const defs = (s: any) => (s.custom_attrs = [{ id: 'C-room', type: 'TEXT' }, { id: 'C-site', type: 'HREF' }]);
    expect(error(withChange(defs))).toBe('no error');
    expect(error(withChange((s) => (defs(s), (s.custom_attrs[1].type = 'TEXT'))))).toMatch(/\$\.users\[1\]\.custom_attrs\[0\]\.type is "HREF" but the field "C-site" is TEXT/);
    expect(error(withChange((s) => (defs(s), s.custom_attrs.pop())))).toMatch(/\$\.users\[1\]\.custom_attrs\[0\]\.id names no field of \$\.custom_attrs \("C-site"\)/);
    expect(error(withChange((s) => (s.custom_attrs = [{ id: 'C-size', type: 'ENUMERATION' }])))).toMatch(/\$\.custom_attrs\[0\]\.options is needed for an ENUMERATION field/);
    expect(error(withChange((s) => (s.custom_attrs = [{ id: 'C-size', type: 'ENUMERATION', options: { option_type: 'TEXT', default_option_id: 'XL', options: [{ id: 'M', value: 'M' }] } }])))).toMatch(/\$\.custom_attrs\[0\]\.options\.default_option_id names none of the field's choices/);
    expect(error(withChange((s) => (s.custom_attrs = [{ id: 'C-x', type: 'COLOUR' }])))).toMatch(/\$\.custom_attrs\[0\]\.type must be one of TEXT/);
  });

  it('bounds the lists', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ job_title_id: `t${i}`, name: `T${i}` }));
    expect(error(withChange((s) => (s.job_titles = many)))).toMatch(/\$\.job_titles holds 1001 entries; at most 1000/);
    const members = Array.from({ length: 1001 }, () => ({ user: 'ann@example.com' }));
    expect(error(withChange((s) => (s.functional_roles[0].members = members)))).toMatch(/\$\.functional_roles\[0\]\.members must be an array of at most 1000/);
  });
});
