import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { s } from '../catalogue/schema.js';
import { ROOT_DEPARTMENT } from '../store.js';
import { contactPage, DEPARTMENT_ID_TYPE, USER_ID_TYPE } from './contact-views.js';

/** The app's contact range (通讯录权限范围) as the platform lists it: departments, single users, user groups. */
export const contactScopeRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/scopes',
    title: '获取通讯录授权范围',
    tokens: ['tenant'],
    scopes: ['contact:contact:readonly_as_app', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:contact.base:readonly'],
    query: s.object({ user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE, page_token: s.optional(s.string({ maxLength: 200 })), page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })) }),
    errors: [40012],
    coverage: 'full',
    notes: 'A range of the whole organisation is `department_ids: ["0"]`; otherwise the departments, single users and user groups the range names (not everyone inside those departments or groups), 50 entries a page by default (at most 100).',
    handle({ query, app, core }) {
      const store = core.store;
      const range = app.contact_range;
      const idType = query.user_id_type ?? 'open_id';
      const deptType = query.department_id_type ?? 'open_department_id';
      const departments = range ? [...range.departments] : [ROOT_DEPARTMENT];
      const users = range ? [...range.users] : [];
      const groups = range ? [...range.groups] : [];
      // One list, departments, then users, then groups, so a page may hold every kind.
      const entries = [
        ...departments.map((d) => ({ kind: 'department' as const, id: d })),
        ...users.map((u) => ({ kind: 'user' as const, id: u })),
        ...groups.map((g) => ({ kind: 'group' as const, id: g })),
      ];
      const page = contactPage(entries, 'scopes', query.page_size ?? 50, query.page_token);
      return ok({
        department_ids: page.items.filter((e) => e.kind === 'department').map((e) => store.departmentIdOf(e.id, deptType)),
        user_ids: page.items.filter((e) => e.kind === 'user').map((e) => {
          const u = store.findUser('open_id', e.id);
          return u ? store.userIdOf(u, idType) : e.id;
        }),
        group_ids: page.items.filter((e) => e.kind === 'group').map((e) => e.id),
        has_more: page.has_more,
        ...(page.page_token ? { page_token: page.page_token } : {}),
      });
    },
  }),
];
