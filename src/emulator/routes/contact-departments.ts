import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { ROOT_DEPARTMENT, type AppRecord, type DepartmentRecord, type Store } from '../store.js';
import { contactPage, DEPARTMENT_ID, DEPARTMENT_ID_TYPE, DEPARTMENT_READ_SCOPES, departmentByType, departmentView, rootView, USER_ID_TYPE, type DepartmentIdType, type UserIdType } from './contact-views.js';

/**
 * Reading the organisation's tree (contact/v3 departments). A tenant token sees the departments in
 * the app's contact range and everything below them; the root ("0") only with a range of the whole
 * organisation. Outside the range is 40004, as the platform answers.
 */

const ID_TYPES = { user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE };
const PAGE = { page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })), page_token: s.optional(s.string({ maxLength: 200 })) };

/** A department (or the root) the range covers; unknown is `unknown`'s code, outside the range 40004. */
function rangeDepartment(store: Store, app: AppRecord, deptType: DepartmentIdType | undefined, id: string, unknown: 40015 | 40004): string {
  const dept = departmentByType(store, deptType, id);
  if (dept === undefined) throw fail(unknown, `no department has the ${deptType ?? 'open_department_id'} ${id}`);
  if (!store.departmentInRange(app, dept)) throw fail(40004, `department ${id} is outside the app's contact range`);
  return dept;
}

function views(store: Store, list: DepartmentRecord[], query: { user_id_type?: UserIdType; department_id_type?: DepartmentIdType }) {
  return list.map((d) => departmentView(store, d, query.user_id_type ?? 'open_id', query.department_id_type ?? 'open_department_id'));
}

function paged(store: Store, list: DepartmentRecord[], name: string, query: { user_id_type?: UserIdType; department_id_type?: DepartmentIdType; page_size?: number; page_token?: string }) {
  const page = contactPage(list, name, query.page_size ?? 10, query.page_token);
  return ok({ has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}), items: views(store, page.items, query) });
}

/** The topmost departments of a partial range, each under none of the others, in tree order. */
function rangeTops(store: Store, app: AppRecord): DepartmentRecord[] {
  const range = app.contact_range!;
  return store.subDepartments(ROOT_DEPARTMENT, true).filter((d) => range.departments.has(d.open_department_id) && !store.parentDepartments(d).some((p) => range.departments.has(p.open_department_id)));
}

export const contactDepartmentRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/departments/:department_id',
    title: '获取单个部门信息',
    tokens: ['tenant', 'user'],
    scopes: DEPARTMENT_READ_SCOPES,
    params: s.object({ department_id: DEPARTMENT_ID }),
    query: s.object(ID_TYPES),
    errors: [40004, 40015],
    coverage: { partial: 'the root ("0") has no name here: the seed does not name the tenant' },
    notes: 'Name in every language, parent, leaders (main and deputies), order, member_count (everyone below it). Unknown is 40015; outside the range 40004; the root needs a range of the whole organisation.',
    handle({ params, query, app, core }) {
      const dept = rangeDepartment(core.store, app, query.department_id_type, params.department_id, 40015);
      if (dept === ROOT_DEPARTMENT) return ok({ department: rootView(core.store) });
      return ok({ department: views(core.store, [core.store.departments.get(dept)!], query)[0] });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/departments/batch',
    title: '批量获取部门信息',
    tokens: ['tenant', 'user'],
    scopes: DEPARTMENT_READ_SCOPES,
    query: s.object({ department_ids: s.array(DEPARTMENT_ID, { minItems: 1, maxItems: 50 }), ...ID_TYPES }),
    errors: [40004, 40015],
    coverage: { partial: 'one unknown or out-of-range id among many fails the whole call, as a single department would; the docs do not say' },
    notes: '1 to 50 `department_ids` (repeat the key), in the order asked.',
    handle({ query, app, core }) {
      const ids = query.department_ids.map((id) => rangeDepartment(core.store, app, query.department_id_type, id, 40015));
      return ok({ items: ids.map((id) => (id === ROOT_DEPARTMENT ? rootView(core.store) : views(core.store, [core.store.departments.get(id)!], query)[0])) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/departments/:department_id/children',
    title: '获取子部门列表',
    tokens: ['tenant', 'user'],
    scopes: DEPARTMENT_READ_SCOPES,
    params: s.object({ department_id: DEPARTMENT_ID }),
    query: s.object({ ...ID_TYPES, fetch_child: s.optional(s.boolean()), ...PAGE }),
    errors: [40004, 40012],
    coverage: 'full',
    notes: 'Direct children, or with `fetch_child` everything below (depth first, each level by `order`), 10 a page (at most 50). Root `0` needs a range of the whole organisation; otherwise, or for an unknown department, 40004.',
    handle({ params, query, app, core }) {
      const dept = rangeDepartment(core.store, app, query.department_id_type, params.department_id, 40004);
      return paged(core.store, core.store.subDepartments(dept, query.fetch_child === true), 'children', query);
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/departments/parent',
    title: '获取父部门信息',
    tokens: ['tenant', 'user'],
    scopes: DEPARTMENT_READ_SCOPES,
    query: s.object({ ...ID_TYPES, department_id: DEPARTMENT_ID, ...PAGE }),
    errors: [40004, 40012],
    coverage: { partial: "parents above the app's contact range are left out rather than refused; the docs do not say which" },
    notes: 'The departments above one, nearest first, without the root.',
    handle({ query, app, core }) {
      const dept = rangeDepartment(core.store, app, query.department_id_type, query.department_id, 40004);
      const parents = dept === ROOT_DEPARTMENT ? [] : core.store.parentDepartments(core.store.departments.get(dept)!).filter((p) => core.store.departmentInRange(app, p.open_department_id));
      return paged(core.store, parents, 'parent', query);
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/departments',
    title: '获取部门信息列表',
    tokens: ['tenant', 'user'],
    scopes: DEPARTMENT_READ_SCOPES,
    query: s.object({ ...ID_TYPES, parent_department_id: s.optional(DEPARTMENT_ID), fetch_child: s.optional(s.boolean()), ...PAGE }),
    errors: [40004, 40012],
    coverage: { partial: 'the older list: under the root, an app with a partial range gets the topmost departments of its range (and, with fetch_child, all below them)' },
    notes: 'The older form of children: `parent_department_id` defaults to the root `0`.',
    handle({ query, app, core }) {
      const store = core.store;
      const parent = query.parent_department_id ?? ROOT_DEPARTMENT;
      const recursive = query.fetch_child === true;
      if (parent === ROOT_DEPARTMENT && !store.departmentInRange(app, ROOT_DEPARTMENT)) {
        const tops = rangeTops(store, app);
        return paged(store, recursive ? tops.flatMap((d) => [d, ...store.subDepartments(d.open_department_id, true)]) : tops, 'departments', query);
      }
      const dept = rangeDepartment(store, app, query.department_id_type, parent, 40004);
      return paged(store, store.subDepartments(dept, recursive), 'departments', query);
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/departments/search',
    title: '搜索部门',
    tokens: ['user'],
    scopes: DEPARTMENT_READ_SCOPES,
    query: s.object({ ...ID_TYPES, ...PAGE }),
    body: s.object({ query: s.string({ minLength: 1, maxLength: 100 }) }),
    errors: [40012],
    coverage: { partial: 'takes a user_access_token only, which the emulator does not issue: every call is answered 99991663 as the platform answers a tenant token' },
    notes: 'Departments whose name (in any language) holds the query, within what the user may see.',
    handle({ query, body, app, core }) {
      const needle = body.query.toLowerCase();
      const found = core.store
        .subDepartments(ROOT_DEPARTMENT, true)
        .filter((d) => core.store.departmentInRange(app, d.open_department_id))
        .filter((d) => [d.name, ...Object.values(d.i18n_name)].some((n) => n?.toLowerCase().includes(needle)));
      return paged(core.store, found, 'search', query);
    },
  }),
];
