import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { AppRecord, Store, UserRecord } from '../store.js';
import { contactPage, DEPARTMENT_ID, DEPARTMENT_ID_TYPE, departmentByType, USER_ID_TYPE, USER_READ_SCOPES, userView, type DepartmentIdType } from './contact-views.js';

/**
 * Reading people from the directory (contact/v3 users). A tenant token sees the users in the app's
 * contact range (通讯录权限范围); anyone else, and an id that names no one, is 41050 as the platform
 * answers: it does not tell an unknown user from one the app may not see.
 */

/** The user an id names when the app's range covers them; else 41050 naming the id. */
function rangeUser(store: Store, app: AppRecord, idType: string, id: string): UserRecord {
  const u = store.findUser(idType, id);
  if (!u || !store.userInRange(app, u)) throw fail(41050, `${idType} ${id} is unknown or outside the app's contact range`);
  return u;
}

/** The direct members of a department the app's range covers; an unknown or unseen one is 40004. */
function membersOf(store: Store, app: AppRecord, deptType: DepartmentIdType | undefined, id: string): UserRecord[] {
  const dept = departmentByType(store, deptType, id);
  if (dept === undefined || !store.departmentInRange(app, dept)) throw fail(40004, `department ${id} is unknown or outside the app's contact range`);
  return store.departmentMembers(dept, false);
}

const PAGED_BY_DEPARTMENT = {
  user_id_type: USER_ID_TYPE,
  department_id_type: DEPARTMENT_ID_TYPE,
  page_token: s.optional(s.string({ maxLength: 200 })),
};

export const contactUserRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/users/:user_id',
    title: '获取单个用户信息',
    tokens: ['tenant', 'user'],
    scopes: USER_READ_SCOPES,
    params: s.object({ user_id: s.string({ minLength: 1, maxLength: 128 }) }),
    query: s.object({ user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE }),
    errors: [41050],
    coverage: 'full',
    notes: "Names in every language, avatars, departments, leader, orders and custom fields; `user_id`, `email`, `mobile`, `job_level_id` and `job_family_id` only with their field scopes, and the employment fields (city, country, work station, join time, employee_no, workforce type, job title, custom fields) with `contact:user.employee:readonly` or a whole-directory read scope. Custom field values show only while they fit their field's type. A user outside the app's contact range, or unknown, is 41050; a resigned one is returned with `status.is_resigned` and no departments.",
    handle({ params, query, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const u = rangeUser(core.store, app, idType, params.user_id);
      return ok({ user: userView(core.store, app, u, idType, query.department_id_type ?? 'open_department_id') });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/users/batch',
    title: '批量获取用户信息',
    tokens: ['tenant', 'user'],
    scopes: USER_READ_SCOPES,
    query: s.object({ user_ids: s.array(s.string({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 50 }), user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE }),
    errors: [41050],
    coverage: { partial: 'the docs do not say how one unknown or out-of-range id among many is answered: here the whole call is 41050 naming it, as for a single user' },
    notes: '1 to 50 `user_ids` (repeat the key), returned in the order asked.',
    handle({ query, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const deptType = query.department_id_type ?? 'open_department_id';
      const users = query.user_ids.map((id) => rangeUser(core.store, app, idType, id));
      return ok({ items: users.map((u) => userView(core.store, app, u, idType, deptType)) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/users/find_by_department',
    title: '获取部门直属用户列表',
    tokens: ['tenant', 'user'],
    scopes: USER_READ_SCOPES,
    query: s.object({ ...PAGED_BY_DEPARTMENT, department_id: DEPARTMENT_ID, page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })) }),
    errors: [40004, 40012],
    coverage: 'full',
    notes: "The department's direct, active members in order, 10 a page by default (at most 50). Department `0` is the root and needs a range of the whole organisation; a department outside the range (or unknown) is 40004.",
    handle({ query, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const deptType = query.department_id_type ?? 'open_department_id';
      const page = contactPage(membersOf(core.store, app, query.department_id_type, query.department_id), 'find_by_department', query.page_size ?? 10, query.page_token);
      return ok({ has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}), items: page.items.map((u) => userView(core.store, app, u, idType, deptType)) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/users',
    title: '获取用户列表',
    tokens: ['tenant', 'user'],
    scopes: USER_READ_SCOPES,
    query: s.object({ ...PAGED_BY_DEPARTMENT, department_id: s.optional(DEPARTMENT_ID), page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })) }),
    errors: [40004, 40012],
    coverage: { partial: 'the older list: without `department_id` it lists the root, which is what its docs imply but do not state' },
    notes: 'The older form of find_by_department: `department_id` defaults to the root `0`, 20 a page by default (at most 100).',
    handle({ query, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const deptType = query.department_id_type ?? 'open_department_id';
      const page = contactPage(membersOf(core.store, app, query.department_id_type, query.department_id ?? '0'), 'users', query.page_size ?? 20, query.page_token);
      return ok({ has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}), items: page.items.map((u) => userView(core.store, app, u, idType, deptType)) });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/users/basic_batch',
    title: '获取用户姓名',
    tokens: ['tenant', 'user'],
    scopes: ['contact:user.basic_profile:readonly'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ user_ids: s.array(s.string({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 10 }) }),
    errors: [],
    coverage: 'full',
    notes: 'Names only, for 1 to 10 ids; as its docs warn, the contact range is not checked. Ids that name no one are left out.',
    handle({ query, body, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const users = body.user_ids.flatMap((id) => {
        const u = core.store.findUser(idType, id);
        return u ? [{ user_id: id, name: u.name, ...(Object.keys(u.i18n_name).length ? { i18n_name: u.i18n_name } : {}) }] : [];
      });
      return ok({ users });
    },
  }),
];
