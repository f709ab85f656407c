import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { JOB_LIMITS, ROOT_DEPARTMENT, type AppRecord, type FunctionalRoleRecord, type Store, type UserRecord } from '../store.js';
import { contactPage, DEPARTMENT_ID, DEPARTMENT_ID_TYPE, departmentByType, USER_ID_TYPE, type DepartmentIdType, type UserIdType } from './contact-views.js';

/**
 * Functional roles (角色) and their members, each with the departments they manage. Members and
 * departments an app works on must be in its contact range; batch calls answer per member with the
 * platform's reasons.
 */

const ROLE_WRITE = ['contact:functional_role'] as const;
const ROLE_READ = ['contact:functional_role', 'contact:functional_role:readonly'] as const;
const ROLE_ID = s.object({ role_id: s.string({ minLength: 1, maxLength: 64 }) });
const MEMBER_IDS = s.array(s.string({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 100 });

/** Per member: 1 done, 2 no such user, 3 outside the app's contact range, 4 already a member, 5 not a member, 6 their old scope is outside the range. */
const REASON = { done: 1, invalid: 2, no_authority: 3, already: 4, absent: 5, old_scope: 6 } as const;

function role(store: Store, id: string): FunctionalRoleRecord {
  const r = store.functionalRoles.get(id);
  if (!r) throw fail(41202, `no role has the id ${id}`);
  return r;
}

/** Whether a member's managed departments (null: all of them) lie inside the app's contact range. */
function scopeInRange(store: Store, app: AppRecord, scope: string[] | null): boolean {
  return scope === null ? store.departmentInRange(app, ROOT_DEPARTMENT) : scope.every((d) => store.departmentInRange(app, d));
}

function memberView(store: Store, openId: string, scope: string[] | null, idType: UserIdType, deptType: DepartmentIdType) {
  const u = store.findUser('open_id', openId);
  const scope_type = scope === null ? 'All' : scope.length ? 'Part' : 'None';
  return { user_id: u ? store.userIdOf(u, idType) : openId, scope_type, ...(scope_type === 'Part' ? { department_ids: scope!.map((d) => store.departmentIdOf(d, deptType)) } : {}) };
}

/** Runs `act` on each listed member the app may touch; the rest get their reason. */
function perMember(store: Store, app: AppRecord, idType: UserIdType, ids: string[], act: (u: UserRecord) => number) {
  return ids.map((id) => {
    const u = store.findUser(idType, id);
    if (!u) return { user_id: id, reason: REASON.invalid };
    if (!store.userInRange(app, u)) return { user_id: id, reason: REASON.no_authority };
    return { user_id: id, reason: act(u) };
  });
}

export const contactRoleRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/functional_roles',
    title: '创建角色',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    body: s.object({ role_name: s.string({ minLength: 1, maxLength: 50 }) }),
    errors: [41201, 41208],
    coverage: 'full',
    notes: 'Role names are unique in a tenant (41201); at most 500 roles (41208).',
    handle({ body, core }) {
      const store = core.store;
      for (const r of store.functionalRoles.values()) if (r.role_name === body.role_name) throw fail(41201, `the role ${r.role_id} is named ${JSON.stringify(body.role_name)}`);
      if (store.functionalRoles.size >= JOB_LIMITS.roles) throw fail(41208);
      const role_id = store.newEntryId(store.functionalRoles);
      store.functionalRoles.set(role_id, { role_id, role_name: body.role_name, members: new Map() });
      return ok({ role_id });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/functional_roles/:role_id',
    title: '修改角色名称',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    params: ROLE_ID,
    body: s.object({ role_name: s.string({ minLength: 1, maxLength: 50 }) }),
    errors: [41201, 41202],
    coverage: 'full',
    handle({ params, body, core }) {
      const r = role(core.store, params.role_id);
      for (const other of core.store.functionalRoles.values()) if (other !== r && other.role_name === body.role_name) throw fail(41201, `the role ${other.role_id} is named ${JSON.stringify(body.role_name)}`);
      r.role_name = body.role_name;
      return ok({});
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/functional_roles/:role_id',
    title: '删除角色',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    params: ROLE_ID,
    errors: [41202, 41209],
    coverage: { partial: 'a role with members is refused as its docs say, with 41209, a code we could not confirm in them' },
    notes: 'Only a role without members: remove them first (batch_delete).',
    handle({ params, core }) {
      const r = role(core.store, params.role_id);
      if (r.members.size > 0) throw fail(41209, `the role has ${r.members.size} members`);
      core.store.functionalRoles.delete(r.role_id);
      return ok({});
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/functional_roles/:role_id/members',
    title: '查询角色下的所有成员信息',
    tokens: ['tenant'],
    scopes: ROLE_READ,
    params: ROLE_ID,
    query: s.object({ page_size: s.optional(s.integer({ minimum: 0, maximum: 100 })), page_token: s.optional(s.string({ maxLength: 200 })), user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE }),
    errors: [40012, 41202],
    coverage: { partial: "members outside the app's contact range are listed too; the docs do not say they are hidden" },
    notes: 'Members in the order they joined, 20 a page (at most 100), each with scope_type All, Part (with department_ids) or None.',
    handle({ params, query, core }) {
      const store = core.store;
      const r = role(store, params.role_id);
      const page = contactPage([...r.members], 'role_members', query.page_size || 20, query.page_token);
      const members = page.items.map(([openId, scope]) => memberView(store, openId, scope, query.user_id_type ?? 'open_id', query.department_id_type ?? 'open_department_id'));
      return ok({ members, ...(page.page_token ? { page_token: page.page_token } : {}), has_more: page.has_more });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/functional_roles/:role_id/members/:member_id',
    title: '查询角色下某个成员的管理范围',
    tokens: ['tenant'],
    scopes: ROLE_READ,
    params: s.object({ role_id: s.string({ minLength: 1, maxLength: 64 }), member_id: s.string({ minLength: 1, maxLength: 128 }) }),
    query: s.object({ user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE }),
    errors: [41202, 41203],
    coverage: 'full',
    handle({ params, query, core }) {
      const store = core.store;
      const r = role(store, params.role_id);
      const idType = query.user_id_type ?? 'open_id';
      const u = store.findUser(idType, params.member_id);
      if (!u || !r.members.has(u.open_id)) throw fail(41203, `${idType} ${params.member_id} is not a member of the role`);
      return ok({ member: memberView(store, u.open_id, r.members.get(u.open_id)!, idType, query.department_id_type ?? 'open_department_id') });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/functional_roles/:role_id/members/batch_create',
    title: '批量添加角色成员',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    params: ROLE_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ members: MEMBER_IDS }),
    errors: [41202],
    coverage: { partial: 'a new member manages the whole organisation (scope_type All) until scopes sets departments, members past the cap of 1,000 are answered reason 3, and a deleted user reason 2: the docs say none of this' },
    notes: 'Per member `reason`: 1 added, 2 unknown or deleted user, 3 outside the contact range, 4 already a member.',
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const r = role(store, params.role_id);
      const results = perMember(store, app, query.user_id_type ?? 'open_id', body.members, (u) => {
        // A deleted (resigned) user left every role and cannot be given one, as they cannot join a user group.
        if (u.resigned) return REASON.invalid;
        if (r.members.has(u.open_id)) return REASON.already;
        if (r.members.size >= JOB_LIMITS.role_members) return REASON.no_authority;
        r.members.set(u.open_id, null);
        return REASON.done;
      });
      return ok({ results });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/functional_roles/:role_id/members/batch_delete',
    title: '删除角色下的成员',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    params: ROLE_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ members: s.optional(MEMBER_IDS) }),
    errors: [41202],
    coverage: 'full',
    notes: 'Per member `reason` (in `result`, as the platform names it): 1 removed, 2 unknown user, 3 outside the contact range, 5 not a member.',
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const r = role(store, params.role_id);
      const result = perMember(store, app, query.user_id_type ?? 'open_id', body.members ?? [], (u) => (r.members.delete(u.open_id) ? REASON.done : REASON.absent));
      return ok({ result });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/functional_roles/:role_id/members/scopes',
    title: '批量设置角色成员管理范围',
    tokens: ['tenant'],
    scopes: ROLE_WRITE,
    params: ROLE_ID,
    query: s.object({ user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE }),
    body: s.object({ members: MEMBER_IDS, departments: s.array(DEPARTMENT_ID, { maxItems: 100 }) }),
    errors: [41202, 40004, 40015],
    coverage: { partial: 'an unknown department fails the whole call with 40015 and one outside the range with 40004, as the department routes answer; the docs only say the call fails' },
    notes: 'Sets what each member manages: the departments given ("0" is the whole organisation, [] nothing). Per member `reason`: 1 set, 2 unknown user, 3 outside the contact range, 5 not a member, 6 their old scope is outside the range.',
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const r = role(store, params.role_id);
      const depts = body.departments.map((id) => {
        const d = departmentByType(store, query.department_id_type, id);
        if (d === undefined) throw fail(40015, `no department has the ${query.department_id_type ?? 'open_department_id'} ${id}`);
        if (!store.departmentInRange(app, d)) throw fail(40004, `department ${id} is outside the app's contact range`);
        return d;
      });
      const scope = depts.includes(ROOT_DEPARTMENT) ? null : [...new Set(depts)];
      const results = perMember(store, app, query.user_id_type ?? 'open_id', body.members, (u) => {
        if (!r.members.has(u.open_id)) return REASON.absent;
        if (!scopeInRange(store, app, r.members.get(u.open_id)!)) return REASON.old_scope;
        r.members.set(u.open_id, scope);
        return REASON.done;
      });
      return ok({ results });
    },
  }),
];
