/**
 * The seed's directory (contact/v3): departments, the users' directory fields and each app's
 * contact range, checked like the rest of the seed, naming the JSON path of the first thing wrong.
 */

type Fail = (path: string, what: string) => never;
type Text = (obj: Record<string, unknown>, path: string, key: string, shape?: RegExp, what?: string) => void;
type Obj = Record<string, unknown>;

/** The platform's rule for a department_id (its docs' pattern), which also keeps "0" and `od-` for the platform. */
const DEPARTMENT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_\-@.]{0,63}$/;
const OPEN_DEPARTMENT_ID = /^od-[0-9A-Za-z_-]+$/;
const CUSTOM_ATTR_TYPES = new Set(['TEXT', 'HREF', 'ENUMERATION', 'PICTURE_ENUM', 'GENERIC_USER']);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function i18n(obj: Obj, path: string, text: Text, fail: Fail): void {
  if (obj.i18n_name === undefined) return;
  if (!isObj(obj.i18n_name)) fail(`${path}.i18n_name`, 'must be an object of zh_cn, ja_jp and en_us names');
  const names = obj.i18n_name as Obj;
  for (const k of Object.keys(names)) {
    if (k !== 'zh_cn' && k !== 'ja_jp' && k !== 'en_us') fail(`${path}.i18n_name.${k}`, 'is not a language the platform names (zh_cn, ja_jp, en_us)');
    text(names, `${path}.i18n_name`, k);
  }
}

/** A user's directory fields. */
export function checkDirectoryUser(user: Obj, path: string, text: Text, fail: Fail): void {
  for (const k of ['en_name', 'nickname', 'employee_no', 'job_title', 'city', 'country', 'work_station']) text(user, path, k);
  text(user, path, 'avatar_url', /^https?:\/\/[^\s]+$/i, 'an http(s) URL');
  i18n(user, path, text, fail);
  if (user.gender !== undefined && ![0, 1, 2, 3].includes(user.gender as number)) fail(`${path}.gender`, 'must be 0 (unknown), 1 (male), 2 (female) or 3 (other)');
  if (user.employee_type !== undefined && !(Number.isInteger(user.employee_type) && (user.employee_type as number) >= 1 && (user.employee_type as number) <= 100)) {
    fail(`${path}.employee_type`, 'must be an integer: 1 regular, 2 intern, 3 outsourcing, 4 contractor, 5 consultant, or a custom type');
  }
  if (user.join_time !== undefined && !(Number.isInteger(user.join_time) && (user.join_time as number) >= 0)) fail(`${path}.join_time`, 'must be seconds since the epoch');
  if (user.is_tenant_manager !== undefined && typeof user.is_tenant_manager !== 'boolean') fail(`${path}.is_tenant_manager`, 'must be true or false');
  if (user.leader !== undefined && typeof user.leader !== 'string') fail(`${path}.leader`, 'must be a string naming a seeded user');
  if (user.department_ids !== undefined && !(Array.isArray(user.department_ids) && user.department_ids.every((d) => typeof d === 'string') && user.department_ids.length <= 50)) {
    fail(`${path}.department_ids`, 'must be an array of at most 50 department_ids');
  }
  if (user.custom_attrs !== undefined) {
    if (!Array.isArray(user.custom_attrs) || user.custom_attrs.length > 100) fail(`${path}.custom_attrs`, 'must be an array of at most 100 entries');
    (user.custom_attrs as unknown[]).forEach((a, j) => {
      const at = `${path}.custom_attrs[${j}]`;
      if (!isObj(a)) return fail(at, 'must be an object');
      if (typeof a.id !== 'string' || !a.id) fail(`${at}.id`, 'must be a non-empty string');
      text(a, at, 'id');
      if (a.type !== undefined && !CUSTOM_ATTR_TYPES.has(a.type as string)) fail(`${at}.type`, `must be one of ${[...CUSTOM_ATTR_TYPES].join(', ')}`);
      if (!isObj(a.value)) fail(`${at}.value`, 'must be an object (e.g. {"text": "…"})');
      // Shown on a profile, links as links: strings of a sane length, and http(s) where a link.
      for (const k of ['text', 'option_id', 'option_value', 'name']) text(a.value as Obj, `${at}.value`, k);
      for (const k of ['url', 'pc_url', 'picture_url']) text(a.value as Obj, `${at}.value`, k, /^https?:\/\/\S+$/i, 'an http(s) URL');
    });
  }
}

/**
 * Departments form a tree under the root ("0"), leaders and members name seeded people, and a
 * contact range names departments and users that exist.
 */
export function checkDirectory(departments: unknown[], users: unknown[], apps: unknown[], userKeys: ReadonlySet<string>, text: Text, fail: Fail): void {
  const ids = new Map<string, Obj>();
  const openIds = new Set<string>();
  departments.forEach((d, i) => {
    const at = `$.departments[${i}]`;
    if (!isObj(d)) return fail(at, 'must be an object');
    if (typeof d.department_id !== 'string' || !DEPARTMENT_ID.test(d.department_id) || d.department_id === '0' || d.department_id.startsWith('od-')) {
      fail(`${at}.department_id`, 'must be 1-64 letters, digits or _-@. (starting with a letter or digit), neither "0" nor starting with "od-"');
    }
    if (ids.has(d.department_id as string)) fail(`${at}.department_id`, `repeats ${JSON.stringify(d.department_id)}`);
    ids.set(d.department_id as string, d);
    if (typeof d.name !== 'string' || !d.name) fail(`${at}.name`, 'must be a non-empty string');
    text(d, at, 'name');
    i18n(d, at, text, fail);
    text(d, at, 'parent_department_id');
    text(d, at, 'open_department_id', OPEN_DEPARTMENT_ID, 'an open_department_id (od-…)');
    if (typeof d.open_department_id === 'string') {
      if (openIds.has(d.open_department_id)) fail(`${at}.open_department_id`, `repeats ${JSON.stringify(d.open_department_id)}`);
      openIds.add(d.open_department_id);
    }
    text(d, at, 'chat_id', /^oc_[0-9A-Za-z_-]+$/, 'a chat_id (oc_…)');
    if (d.order !== undefined && !(Number.isInteger(d.order) && (d.order as number) >= 0)) fail(`${at}.order`, 'must be a non-negative integer');
    if (d.leaders !== undefined && !(Array.isArray(d.leaders) && d.leaders.length <= 10 && d.leaders.every((l) => typeof l === 'string'))) fail(`${at}.leaders`, 'must be an array of at most 10 people');
    ((d.leaders as string[] | undefined) ?? []).forEach((l, j) => {
      if (!userKeys.has(l)) fail(`${at}.leaders[${j}]`, `names no seeded user (${JSON.stringify(l)})`);
    });
  });
  // Walking up from each department must reach the root: none may be its own ancestor. Departments
  // already known to reach it end a walk early, so a deep tree is checked in one pass.
  const rooted = new Set<string>();
  departments.forEach((d, i) => {
    const parent = (d as Obj).parent_department_id as string | undefined;
    if (parent !== undefined && parent !== '0' && !ids.has(parent)) fail(`$.departments[${i}].parent_department_id`, `names no seeded department (${JSON.stringify(parent)})`);
    const path = new Set<string>();
    let at: string | undefined = (d as Obj).department_id as string;
    while (at !== undefined && at !== '0' && !rooted.has(at)) {
      if (path.has(at)) fail(`$.departments[${i}].parent_department_id`, `makes a cycle through ${JSON.stringify(at)}`);
      path.add(at);
      at = ids.get(at)?.parent_department_id as string | undefined;
    }
    for (const p of path) rooted.add(p);
  });
  users.forEach((u, i) => {
    const user = u as Obj;
    ((user.department_ids as string[] | undefined) ?? []).forEach((d, j) => {
      if (d !== '0' && !ids.has(d)) fail(`$.users[${i}].department_ids[${j}]`, `names no seeded department (${JSON.stringify(d)})`);
    });
    if (typeof user.leader === 'string' && !userKeys.has(user.leader)) fail(`$.users[${i}].leader`, `names no seeded user (${JSON.stringify(user.leader)})`);
  });
  apps.forEach((a, i) => {
    const range = (a as Obj).contact_range;
    if (range === undefined) return;
    const at = `$.apps[${i}].contact_range`;
    if (!isObj(range)) return fail(at, 'must be an object of departments and users');
    for (const k of Object.keys(range)) if (k !== 'departments' && k !== 'users' && k !== 'groups') fail(`${at}.${k}`, 'is not a part of a contact range (departments, users, groups)');
    for (const k of ['departments', 'users', 'groups'] as const) {
      if (range[k] !== undefined && !(Array.isArray(range[k]) && (range[k] as unknown[]).every((x) => typeof x === 'string'))) fail(`${at}.${k}`, 'must be an array of strings');
    }
    ((range.departments as string[] | undefined) ?? []).forEach((d, j) => {
      if (d !== '0' && !ids.has(d)) fail(`${at}.departments[${j}]`, `names no seeded department (${JSON.stringify(d)}); "0" is the whole organisation`);
    });
    ((range.users as string[] | undefined) ?? []).forEach((u, j) => {
      if (!userKeys.has(u)) fail(`${at}.users[${j}]`, `names no seeded user (${JSON.stringify(u)})`);
    });
  });
}

// ── h24-contact-groups: user groups, units, workforce types ──

/** The seed's bounds for these, the platform's own where it has one. */
export const GROUP_SEED_LIMITS = { groups: 500, group_members: 5000, units: 1000, unit_departments: 1000, employee_types: 255, i18n: 10 } as const;
const GROUP_ID = /^[A-Za-z0-9]{1,64}$/;
const UNIT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ENUM_ID = /^[A-Za-z0-9_=-]{1,64}$/;
const LOCALES = new Set(['zh_cn', 'en_us', 'ja_jp']);

function array(root: Obj, key: string, max: number, fail: Fail): unknown[] {
  const v = root[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`$.${key}`, 'must be an array');
  if ((v as unknown[]).length > max) fail(`$.${key}`, `holds ${(v as unknown[]).length} entries; at most ${max}`);
  return v as unknown[];
}

function names(obj: Obj, at: string, key: string, max: number, fail: Fail): string[] {
  const v = obj[key];
  if (v === undefined) return [];
  if (!(Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length <= max)) fail(`${at}.${key}`, `must be an array of at most ${max} strings`);
  return v as string[];
}

function nonEmpty(obj: Obj, at: string, key: string, max: number, text: Text, fail: Fail): void {
  if (typeof obj[key] !== 'string' || !(obj[key] as string).trim() || (obj[key] as string).length > max) fail(`${at}.${key}`, `must be a non-empty string of at most ${max} characters`);
  text(obj, at, key);
}

/**
 * User groups name seeded people and departments, units bind seeded departments (each to one
 * unit), workforce types have values past the built-in 1-5, users' employee_type names one that
 * exists, and a contact range's groups are seeded groups.
 */
export function checkGroupsUnitsTypes(root: Obj, userKeys: ReadonlySet<string>, text: Text, fail: Fail): void {
  const departmentIds = new Set(((root.departments as Obj[] | undefined) ?? []).map((d) => d.department_id as string));
  const values = new Set([1, 2, 3, 4, 5]);
  const contents = new Set<string>();
  const enumIds = new Set<string>();
  array(root, 'employee_type_enums', GROUP_SEED_LIMITS.employee_types, fail).forEach((t, i) => {
    const at = `$.employee_type_enums[${i}]`;
    if (!isObj(t)) return fail(at, 'must be an object');
    if (!(Number.isInteger(t.enum_value) && (t.enum_value as number) >= 6 && (t.enum_value as number) <= 100)) fail(`${at}.enum_value`, 'must be an integer from 6 to 100 (1-5 are the built-in types)');
    if (values.has(t.enum_value as number)) fail(`${at}.enum_value`, `repeats ${String(t.enum_value)}`);
    values.add(t.enum_value as number);
    nonEmpty(t, at, 'content', 100, text, fail);
    if (contents.has(t.content as string)) fail(`${at}.content`, `repeats ${JSON.stringify(t.content)}`);
    contents.add(t.content as string);
    text(t, at, 'enum_id', ENUM_ID, '1-64 letters, digits, _, - or =');
    if (typeof t.enum_id === 'string') {
      if (enumIds.has(t.enum_id)) fail(`${at}.enum_id`, `repeats ${JSON.stringify(t.enum_id)}`);
      enumIds.add(t.enum_id);
    }
    if (t.enum_status !== undefined && t.enum_status !== 1 && t.enum_status !== 2) fail(`${at}.enum_status`, 'must be 1 (active) or 2 (inactive)');
    if (t.i18n_content !== undefined) {
      if (!Array.isArray(t.i18n_content) || t.i18n_content.length > GROUP_SEED_LIMITS.i18n) fail(`${at}.i18n_content`, `must be an array of at most ${GROUP_SEED_LIMITS.i18n} entries`);
      (t.i18n_content as unknown[]).forEach((c, j) => {
        const cat = `${at}.i18n_content[${j}]`;
        if (!isObj(c)) return fail(cat, 'must be an object of locale and value');
        if (!LOCALES.has(c.locale as string)) fail(`${cat}.locale`, 'must be zh_cn, en_us or ja_jp');
        nonEmpty(c, cat, 'value', 100, text, fail);
      });
    }
  });
  ((root.users as Obj[] | undefined) ?? []).forEach((u, i) => {
    if (u.employee_type !== undefined && !values.has(u.employee_type as number)) {
      fail(`$.users[${i}].employee_type`, `names no workforce type (${String(u.employee_type)}): 1-5 are built in, others come from $.employee_type_enums`);
    }
  });
  const groupIds = new Set<string>();
  const groupNames = new Set<string>();
  array(root, 'groups', GROUP_SEED_LIMITS.groups, fail).forEach((g, i) => {
    const at = `$.groups[${i}]`;
    if (!isObj(g)) return fail(at, 'must be an object');
    if (typeof g.group_id !== 'string' || !GROUP_ID.test(g.group_id)) fail(`${at}.group_id`, 'must be 1-64 letters and digits');
    if (groupIds.has(g.group_id as string)) fail(`${at}.group_id`, `repeats ${JSON.stringify(g.group_id)}`);
    groupIds.add(g.group_id as string);
    nonEmpty(g, at, 'name', 100, text, fail);
    if (groupNames.has(g.name as string)) fail(`${at}.name`, `repeats ${JSON.stringify(g.name)}: names are unique in the tenant`);
    groupNames.add(g.name as string);
    text(g, at, 'description');
    if (typeof g.description === 'string' && g.description.length > 500) fail(`${at}.description`, 'is longer than 500 characters');
    if (g.type !== undefined && g.type !== 1 && g.type !== 2) fail(`${at}.type`, 'must be 1 (ordinary) or 2 (dynamic)');
    names(g, at, 'users', GROUP_SEED_LIMITS.group_members, fail).forEach((k, j) => {
      if (!userKeys.has(k)) fail(`${at}.users[${j}]`, `names no seeded user (${JSON.stringify(k)})`);
    });
    names(g, at, 'departments', GROUP_SEED_LIMITS.group_members, fail).forEach((d, j) => {
      if (d !== '0' && !departmentIds.has(d)) fail(`${at}.departments[${j}]`, `names no seeded department (${JSON.stringify(d)})`);
    });
  });
  const unitIds = new Set<string>();
  const unitKinds = new Set<string>();
  const bound = new Map<string, string>();
  array(root, 'units', GROUP_SEED_LIMITS.units, fail).forEach((u, i) => {
    const at = `$.units[${i}]`;
    if (!isObj(u)) return fail(at, 'must be an object');
    if (typeof u.unit_id !== 'string' || !UNIT_ID.test(u.unit_id)) fail(`${at}.unit_id`, 'must be 1-64 letters, digits, _ or -');
    if (unitIds.has(u.unit_id as string)) fail(`${at}.unit_id`, `repeats ${JSON.stringify(u.unit_id)}`);
    unitIds.add(u.unit_id as string);
    nonEmpty(u, at, 'name', 100, text, fail);
    nonEmpty(u, at, 'unit_type', 100, text, fail);
    const kind = `${u.name as string}\0${u.unit_type as string}`;
    if (unitKinds.has(kind)) fail(`${at}.name`, 'repeats another unit\'s name and unit_type: together they are unique');
    unitKinds.add(kind);
    names(u, at, 'departments', GROUP_SEED_LIMITS.unit_departments, fail).forEach((d, j) => {
      if (!departmentIds.has(d)) fail(`${at}.departments[${j}]`, `names no seeded department (${JSON.stringify(d)})`);
      if (bound.has(d)) fail(`${at}.departments[${j}]`, `is already bound to unit ${JSON.stringify(bound.get(d))}: a department has one unit`);
      bound.set(d, u.unit_id as string);
    });
  });
  ((root.apps as Obj[] | undefined) ?? []).forEach((a, i) => {
    const range = isObj(a) ? a.contact_range : undefined;
    if (!isObj(range)) return;
    ((range.groups as string[] | undefined) ?? []).forEach((g, j) => {
      if (!groupIds.has(g)) fail(`$.apps[${i}].contact_range.groups[${j}]`, `names no seeded group (${JSON.stringify(g)})`);
    });
  });
}

// ── h24-contact-roles: job levels, job families, job titles, work cities, functional roles, custom fields ──

export interface SeedJobLevel {
  job_level_id: string;
  name: string;
  description?: string;
  /** Where it sorts (smaller first), 100 to 100000. */
  order?: number;
  /** Enabled (default true); only an enabled level may be set on a user. */
  status?: boolean;
  i18n_name?: { zh_cn?: string; ja_jp?: string; en_us?: string };
}

export interface SeedJobFamily {
  job_family_id: string;
  name: string;
  description?: string;
  /** The family above it, by job_family_id. */
  parent_job_family_id?: string;
  status?: boolean;
  i18n_name?: { zh_cn?: string; ja_jp?: string; en_us?: string };
}

/** A job title (职务) or a work city: read-only on the platform, so only the seed makes them. */
export interface SeedNamedEntry {
  name: string;
  status?: boolean;
  i18n_name?: { zh_cn?: string; ja_jp?: string; en_us?: string };
}

export interface SeedFunctionalRole {
  role_id?: string;
  role_name: string;
  /** Its members: a user (email, mobile, open_id, union_id or user_id) and what they manage. */
  members?: { user: string; /** department_ids they manage; absent is the whole organisation, [] nothing. */ departments?: string[] }[];
}

/** One of the tenant's custom user fields (the values are on each user's `custom_attrs`). */
export interface SeedCustomAttrDefinition {
  id: string;
  /** TEXT, HREF, ENUMERATION, PICTURE_ENUM or GENERIC_USER. */
  type: string;
  i18n_name?: { zh_cn?: string; ja_jp?: string; en_us?: string };
  /** The choices of an ENUMERATION or PICTURE_ENUM field. */
  options?: { default_option_id?: string; option_type: 'TEXT' | 'PICTURE'; options: { id: string; value: string; name?: string }[] };
}

/** How many of each a seed may hold (the platform's own caps where it states one). */
export const JOB_SEED_LIMITS = { job_levels: 1000, job_families: 1000, job_titles: 1000, work_cities: 1000, functional_roles: 500, role_members: 1000, custom_attrs: 100, options: 200 } as const;
/** The platform's shape for these ids: letters, digits, _ and -. */
const ENTRY_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * Job levels, families (a forest without cycles), titles, work cities, functional roles whose
 * members and managed departments exist, and custom field definitions the users' values agree with.
 */
export function checkJobsAndRoles(root: Obj, users: unknown[], userKeys: ReadonlySet<string>, text: Text, fail: Fail): void {
  const list = (key: keyof typeof JOB_SEED_LIMITS) => {
    if (root[key] === undefined) return [] as unknown[];
    if (!Array.isArray(root[key])) return fail(`$.${key}`, 'must be an array');
    const items = root[key] as unknown[];
    if (items.length > JOB_SEED_LIMITS[key]) fail(`$.${key}`, `holds ${items.length} entries; at most ${JOB_SEED_LIMITS[key]}`);
    return items;
  };
  /** Entries with an id of their own, a non-empty name and the optional common fields; returns the ids. */
  const entries = (key: 'job_levels' | 'job_families' | 'job_titles' | 'work_cities', idKey: string): Set<string> => {
    const ids = new Set<string>();
    list(key).forEach((e, i) => {
      const at = `$.${key}[${i}]`;
      if (!isObj(e)) return fail(at, 'must be an object');
      if (typeof e[idKey] !== 'string' || !ENTRY_ID.test(e[idKey] as string)) fail(`${at}.${idKey}`, 'must be 1-64 letters, digits, _ or -');
      if (ids.has(e[idKey] as string)) fail(`${at}.${idKey}`, `repeats ${JSON.stringify(e[idKey])}`);
      ids.add(e[idKey] as string);
      if (typeof e.name !== 'string' || !e.name) fail(`${at}.name`, 'must be a non-empty string');
      text(e, at, 'name');
      text(e, at, 'description');
      i18n(e, at, text, fail);
      if (e.status !== undefined && typeof e.status !== 'boolean') fail(`${at}.status`, 'must be true (enabled) or false');
    });
    return ids;
  };
  const levels = entries('job_levels', 'job_level_id');
  const orders = new Set<number>();
  list('job_levels').forEach((l, i) => {
    const order = (l as Obj).order;
    if (order === undefined) return;
    if (!(Number.isInteger(order) && (order as number) >= 100 && (order as number) <= 100000)) fail(`$.job_levels[${i}].order`, 'must be an integer from 100 to 100000');
    if (orders.has(order as number)) fail(`$.job_levels[${i}].order`, `repeats ${order as number}: two levels may not sort the same`);
    orders.add(order as number);
  });
  const families = entries('job_families', 'job_family_id');
  const parentOf = new Map<string, string>();
  list('job_families').forEach((f, i) => {
    const parent = (f as Obj).parent_job_family_id;
    if (parent === undefined) return;
    if (typeof parent !== 'string' || !families.has(parent)) fail(`$.job_families[${i}].parent_job_family_id`, `names no seeded job family (${JSON.stringify(parent)})`);
    parentOf.set((f as Obj).job_family_id as string, parent as string);
  });
  list('job_families').forEach((f, i) => {
    const seen = new Set<string>();
    for (let at: string | undefined = (f as Obj).job_family_id as string; at !== undefined; at = parentOf.get(at)) {
      if (seen.has(at)) fail(`$.job_families[${i}].parent_job_family_id`, `makes a cycle through ${JSON.stringify(at)}`);
      seen.add(at);
    }
  });
  const titles = entries('job_titles', 'job_title_id');
  const cities = entries('work_cities', 'work_city_id');
  const departments = new Set(((root.departments as Obj[] | undefined) ?? []).map((d) => d.department_id as string));
  const roleIds = new Set<string>();
  const roleNames = new Set<string>();
  list('functional_roles').forEach((r, i) => {
    const at = `$.functional_roles[${i}]`;
    if (!isObj(r)) return fail(at, 'must be an object');
    if (typeof r.role_name !== 'string' || !r.role_name || r.role_name.length > 50) fail(`${at}.role_name`, 'must be a string of 1 to 50 characters');
    if (roleNames.has(r.role_name as string)) fail(`${at}.role_name`, `repeats ${JSON.stringify(r.role_name)}: role names are unique in a tenant`);
    roleNames.add(r.role_name as string);
    text(r, at, 'role_id', ENTRY_ID, '1-64 letters, digits, _ or -');
    if (typeof r.role_id === 'string') {
      if (roleIds.has(r.role_id)) fail(`${at}.role_id`, `repeats ${JSON.stringify(r.role_id)}`);
      roleIds.add(r.role_id);
    }
    if (r.members === undefined) return;
    if (!Array.isArray(r.members) || r.members.length > JOB_SEED_LIMITS.role_members) return fail(`${at}.members`, `must be an array of at most ${JOB_SEED_LIMITS.role_members} members`);
    (r.members as unknown[]).forEach((m, j) => {
      const mat = `${at}.members[${j}]`;
      if (!isObj(m)) return fail(mat, 'must be an object with a user and, optionally, departments');
      if (typeof m.user !== 'string' || !userKeys.has(m.user)) fail(`${mat}.user`, `names no seeded user (${JSON.stringify(m.user)})`);
      if (m.departments === undefined) return;
      if (!Array.isArray(m.departments) || m.departments.length > 100) return fail(`${mat}.departments`, 'must be an array of at most 100 department_ids');
      (m.departments as unknown[]).forEach((d, k) => {
        if (typeof d !== 'string' || (d !== '0' && !departments.has(d))) fail(`${mat}.departments[${k}]`, `names no seeded department (${JSON.stringify(d)}); "0" is the whole organisation`);
      });
    });
  });
  const attrs = new Map<string, string>();
  list('custom_attrs').forEach((a, i) => {
    const at = `$.custom_attrs[${i}]`;
    if (!isObj(a)) return fail(at, 'must be an object');
    if (typeof a.id !== 'string' || !a.id) fail(`${at}.id`, 'must be a non-empty string');
    text(a, at, 'id');
    if (attrs.has(a.id as string)) fail(`${at}.id`, `repeats ${JSON.stringify(a.id)}`);
    if (!CUSTOM_ATTR_TYPES.has(a.type as string)) fail(`${at}.type`, `must be one of ${[...CUSTOM_ATTR_TYPES].join(', ')}`);
    attrs.set(a.id as string, a.type as string);
    i18n(a, at, text, fail);
    const enumerated = a.type === 'ENUMERATION' || a.type === 'PICTURE_ENUM';
    if (a.options === undefined) {
      if (enumerated) fail(`${at}.options`, `is needed for an ${a.type as string} field: its choices`);
      return;
    }
    if (!enumerated) fail(`${at}.options`, 'belongs to ENUMERATION and PICTURE_ENUM fields only');
    const o = a.options;
    if (!isObj(o)) return fail(`${at}.options`, 'must be an object');
    if (o.option_type !== 'TEXT' && o.option_type !== 'PICTURE') fail(`${at}.options.option_type`, 'must be "TEXT" or "PICTURE"');
    if (!Array.isArray(o.options) || o.options.length === 0 || o.options.length > JOB_SEED_LIMITS.options) return fail(`${at}.options.options`, `must be an array of 1 to ${JOB_SEED_LIMITS.options} choices`);
    const optionIds = new Set<string>();
    (o.options as unknown[]).forEach((c, j) => {
      const cat = `${at}.options.options[${j}]`;
      if (!isObj(c) || typeof c.id !== 'string' || !c.id || typeof c.value !== 'string') return fail(cat, 'must be an object with a string id and value');
      text(c, cat, 'id');
      text(c, cat, 'value');
      text(c, cat, 'name');
      optionIds.add(c.id);
    });
    if (o.default_option_id !== undefined && !optionIds.has(o.default_option_id as string)) fail(`${at}.options.default_option_id`, `names none of the field's choices (${JSON.stringify(o.default_option_id)})`);
  });
  users.forEach((u, i) => {
    const user = u as Obj;
    const named: [string, Set<string>, string][] = [
      ['job_level_id', levels, 'job level'],
      ['job_family_id', families, 'job family'],
      ['job_title_id', titles, 'job title'],
      ['work_city_id', cities, 'work city'],
    ];
    for (const [key, ids, what] of named) {
      if (user[key] !== undefined && (typeof user[key] !== 'string' || !ids.has(user[key] as string))) fail(`$.users[${i}].${key}`, `names no seeded ${what} (${JSON.stringify(user[key])})`);
    }
    // With field definitions in the seed, every value a user carries is of a field that exists, of its type.
    if (attrs.size === 0) return;
    ((user.custom_attrs as Obj[] | undefined) ?? []).forEach((a, j) => {
      const type = attrs.get(a.id as string);
      if (type === undefined) fail(`$.users[${i}].custom_attrs[${j}].id`, `names no field of $.custom_attrs (${JSON.stringify(a.id)})`);
      if (a.type !== undefined && a.type !== type) fail(`$.users[${i}].custom_attrs[${j}].type`, `is ${JSON.stringify(a.type)} but the field ${JSON.stringify(a.id)} is ${type}`);
    });
  });
}
