import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { ROOT_DEPARTMENT, type AppRecord, type DepartmentRecord, type Store, type UserRecord } from '../store.js';

/**
 * How contact/v3 shows the directory: a user and a department as its routes return them, in the
 * id types asked for and with the fields the app's scopes let it read, and its pages.
 */

export { USER_ID_TYPE } from './contact.js';
export const DEPARTMENT_ID_TYPE = s.optional(s.enum(['department_id', 'open_department_id']));
/** The docs' rule for a department id in a path or query. */
export const DEPARTMENT_ID = s.string({ maxLength: 64, pattern: '^[a-zA-Z0-9][a-zA-Z0-9_\\-@.]{0,63}$' });

export type UserIdType = 'open_id' | 'union_id' | 'user_id';
export type DepartmentIdType = 'department_id' | 'open_department_id';

/** Any one of these lets an app read users (the users pages' lists, with the narrower base-profile scope). */
export const USER_READ_SCOPES = ['contact:contact.base:readonly', 'contact:contact:readonly_as_app', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:user.base:readonly'] as const;
/** Any one of these lets an app read departments. */
export const DEPARTMENT_READ_SCOPES = ['contact:contact:readonly_as_app', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:department.base:readonly', 'contact:department.organize:readonly'] as const;

/** Whether the app holds a field scope (an app seeded without a scope list holds all). */
function holds(app: AppRecord, scope: string): boolean {
  return !app.scopes || app.scopes.has(scope);
}

/** The department an id of `idType` names: "0" is the root; undefined when there is none. */
export function departmentByType(store: Store, idType: DepartmentIdType | undefined, id: string): string | undefined {
  if (id === ROOT_DEPARTMENT) return ROOT_DEPARTMENT;
  return store.department(idType ?? 'open_department_id', id)?.open_department_id;
}

/** The platform's avatar sizes, from the seed's picture or a stable address on a reserved domain. */
function avatar(u: UserRecord) {
  const base = u.avatar_url ?? `https://avatar.emulator.invalid/${u.open_id}.png`;
  const sized = (n: number) => `${base}${base.includes('?') ? '&' : '?'}image_size=${n}x${n}`;
  return { avatar_72: sized(72), avatar_240: sized(240), avatar_640: sized(640), avatar_origin: base };
}

/** Any one of these lets an app read a user's employment fields (city, job title, workforce type, custom fields …). */
const EMPLOYMENT_SCOPES = ['contact:user.employee:readonly', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:contact:readonly_as_app'] as const;

/**
 * A user's custom field values as the routes show them: only values of a field the tenant has, of
 * that field's type (a value written under another type no longer matches and is left out); an
 * enumeration's choice with its text, a referenced person in the id type asked for.
 */
function customAttrsView(store: Store, u: UserRecord, idType: UserIdType): Record<string, unknown>[] {
  return u.custom_attrs.flatMap((a) => {
    const field = store.customAttrDefinition(a.id);
    if (!field || field.type !== a.type) return [];
    const value: Record<string, unknown> = { ...a.value };
    const choice = field.options?.options.find((o) => o.id === value.option_id);
    if (choice) Object.assign(value, field.type === 'PICTURE_ENUM' ? { name: choice.name ?? choice.value, picture_url: choice.value } : { option_value: choice.value });
    const ref = value.generic_user as { id?: unknown; type?: unknown } | undefined;
    if (ref && typeof ref.id === 'string') {
      const person = store.findUser('open_id', ref.id);
      if (person) value.generic_user = { id: store.userIdOf(person, idType), type: ref.type ?? 1 };
    }
    return [{ type: a.type, id: a.id, value }];
  });
}

/**
 * A user as contact/v3 returns one. user_id, email and mobile need their field scopes, as on the
 * platform; so do the employment fields (any of EMPLOYMENT_SCOPES) and the job level and family.
 */
export function userView(store: Store, app: AppRecord, u: UserRecord, idType: UserIdType, deptType: DepartmentIdType): Record<string, unknown> {
  const leader = u.leader_open_id ? store.findUser('open_id', u.leader_open_id) : undefined;
  const employment = EMPLOYMENT_SCOPES.some((scope) => holds(app, scope));
  const view: Record<string, unknown> = {
    union_id: u.union_id,
    open_id: u.open_id,
    name: u.name,
    ...(u.en_name ? { en_name: u.en_name } : {}),
    ...(u.nickname ? { nickname: u.nickname } : {}),
    ...(Object.keys(u.i18n_name).length ? { i18n_name: u.i18n_name } : {}),
    gender: u.gender,
    avatar: avatar(u),
    status: { is_frozen: u.frozen, is_resigned: u.resigned, is_activated: !u.resigned, is_exited: false, is_unjoin: false },
    department_ids: u.department_ids.map((d) => store.departmentIdOf(d, deptType)),
    ...(leader ? { leader_user_id: store.userIdOf(leader, idType) } : {}),
    ...(employment ? { city: u.city, country: u.country, work_station: u.work_station, join_time: u.join_time, is_tenant_manager: u.is_tenant_manager } : {}),
    ...(employment || holds(app, 'contact:user.employee_number:read') ? { employee_no: u.employee_no } : {}),
    ...(employment ? { employee_type: u.employee_type } : {}),
    orders: u.department_ids.map((d, i) => ({
      department_id: store.departmentIdOf(d, deptType),
      user_order: u.user_order,
      department_order: store.departments.get(d)?.order ?? 0,
      is_primary_dept: i === 0,
    })),
    ...(employment ? { job_title: u.job_title, custom_attrs: customAttrsView(store, u, idType) } : {}),
  };
  if (holds(app, 'contact:user.employee_id:readonly')) view.user_id = u.user_id;
  // ── h24-contact-roles: the job level and family, each behind its field scope ──
  if (u.job_level_id && holds(app, 'contact:user.job_level:readonly')) view.job_level_id = u.job_level_id;
  if (u.job_family_id && holds(app, 'contact:user.job_family:readonly')) view.job_family_id = u.job_family_id;
  if (u.email !== null && holds(app, 'contact:user.email:readonly')) view.email = u.email;
  if (u.mobile !== null && holds(app, 'contact:user.phone:readonly')) {
    view.mobile = u.mobile;
    view.mobile_visible = true;
  }
  return view;
}

/** A department as contact/v3 returns one, leaders in the user id type asked for. */
export function departmentView(store: Store, d: DepartmentRecord, idType: UserIdType, deptType: DepartmentIdType): Record<string, unknown> {
  const userId = (openId: string) => {
    const u = store.findUser('open_id', openId);
    return u ? store.userIdOf(u, idType) : openId;
  };
  const main = d.leaders.find((l) => l.type === 1);
  const inside = store.departmentSubtree(d.open_department_id);
  const members = store.users.filter((u) => !u.resigned && u.department_ids.some((id) => inside.has(id)));
  return {
    name: d.name,
    ...(Object.keys(d.i18n_name).length ? { i18n_name: d.i18n_name } : {}),
    parent_department_id: store.departmentIdOf(d.parent, deptType),
    department_id: d.department_id,
    open_department_id: d.open_department_id,
    ...(main ? { leader_user_id: userId(main.open_id) } : {}),
    ...(d.chat_id ? { chat_id: d.chat_id } : {}),
    order: String(d.order),
    unit_ids: d.unit_ids,
    member_count: members.length,
    primary_member_count: members.filter((u) => inside.has(u.department_ids[0]!)).length,
    status: { is_deleted: d.deleted },
    leaders: d.leaders.map((l) => ({ leaderType: l.type, leaderID: userId(l.open_id) })),
    group_chat_employee_types: d.group_chat_employee_types,
  };
}

/** The root as the department routes show it to an app whose range is the whole organisation. */
export function rootView(store: Store): Record<string, unknown> {
  const all = store.departmentMembers(ROOT_DEPARTMENT, true);
  return {
    name: '',
    parent_department_id: '',
    department_id: ROOT_DEPARTMENT,
    open_department_id: ROOT_DEPARTMENT,
    order: '0',
    unit_ids: [],
    member_count: all.length,
    primary_member_count: all.length,
    status: { is_deleted: false },
    leaders: [],
    group_chat_employee_types: [],
  };
}

/**
 * One page of a list. The token is opaque to callers and names the route's list and where the
 * next page starts; one that is not a token of this list is 40012, as the platform answers.
 */
export function contactPage<T>(items: readonly T[], list: string, size: number, token: string | undefined): { items: T[]; has_more: boolean; page_token?: string } {
  let start = 0;
  if (token !== undefined) {
    const m = /^([a-z_]+):(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m || m[1] !== list || Number(m[2]) > items.length) throw fail(40012);
    start = Number(m[2]);
  }
  const end = start + size;
  const has_more = end < items.length;
  return { items: items.slice(start, end), has_more, ...(has_more ? { page_token: Buffer.from(`${list}:${end}`).toString('base64url') } : {}) };
}
