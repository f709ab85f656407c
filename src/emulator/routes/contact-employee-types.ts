import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail, failVariant } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { departmentSnapshot, departmentUpdatedEvents, userSnapshot, userUpdatedEvents } from '../contact-events.js';
import { MAX_CUSTOM_EMPLOYEE_TYPES, type EmployeeTypeRecord, type Store } from '../store.js';

/**
 * Workforce types (contact/v3 employee_type_enums, 人员类型): the five built-in ones (regular,
 * intern, outsourcing, contractor, consultant: enum_type 1, fixed) and the tenant's own (enum_type
 * 2). Users' `employee_type` holds a type's `enum_value`.
 */

const READ_SCOPES = ['contact:contact.base:readonly', 'contact:contact:readonly_as_app', 'contact:contact:access_as_app'] as const;
const WRITE_SCOPES = ['contact:contact'] as const;
const ENUM_PARAM = s.object({ enum_id: s.string({ minLength: 1, maxLength: 128 }) });
const BODY = s.object({
  content: s.string({ minLength: 1, maxLength: 100 }),
  enum_type: s.integer(),
  enum_status: s.integer(),
  i18n_content: s.optional(s.array(s.object({ locale: s.optional(s.string({ maxLength: 16 })), value: s.optional(s.string({ maxLength: 100 })) }), { maxItems: 10 })),
});
type Body = { content: string; enum_type: number; enum_status: number; i18n_content?: { locale?: string; value?: string }[] };

export function employeeTypeView(t: EmployeeTypeRecord): Record<string, unknown> {
  return { enum_id: t.enum_id, enum_value: String(t.enum_value), content: t.content, enum_type: t.enum_type, enum_status: t.enum_status, i18n_content: t.i18n_content.map((c) => ({ ...c })) };
}

/**
 * A create or update's fields: a custom type (enum_type 2) that is active (1) or not (2); its
 * content unique among all types (42301), its translations one per language and no other type's
 * (42302).
 */
function checked(store: Store, body: Body, self?: EmployeeTypeRecord): { enum_status: 1 | 2; i18n_content: { locale: string; value: string }[] } {
  if (body.enum_type !== 2) throw fail(40001, 'enum_type must be 2: only custom workforce types are made or changed');
  if (body.enum_status !== 1 && body.enum_status !== 2) throw fail(40001, 'enum_status is 1 (active) or 2 (inactive)');
  for (const t of store.employeeTypes.values()) if (t !== self && t.content === body.content) throw failVariant(42301, 'employee_type_content', `workforce type ${t.enum_value} is already ${JSON.stringify(body.content)}`);
  const i18n = (body.i18n_content ?? []).filter((c) => c.locale !== undefined && c.value !== undefined).map((c) => ({ locale: c.locale!, value: c.value! }));
  const locales = new Set<string>();
  for (const c of i18n) {
    if (locales.has(c.locale)) throw fail(42302, `${c.locale} is given twice`);
    locales.add(c.locale);
    for (const t of store.employeeTypes.values()) {
      if (t !== self && t.i18n_content.some((o) => o.locale === c.locale && o.value === c.value)) throw fail(42302, `workforce type ${t.enum_value} is already ${JSON.stringify(c.value)} in ${c.locale}`);
    }
  }
  return { enum_status: body.enum_status, i18n_content: i18n };
}

/** A custom type by enum_id; an unknown or built-in one is refused (40001: the docs give no code). */
function customType(store: Store, id: string): EmployeeTypeRecord {
  const t = store.employeeTypes.get(id);
  if (!t) throw fail(40001, `no workforce type has the enum_id ${id}`);
  if (t.enum_type === 1) throw fail(40001, `workforce type ${t.enum_value} (${t.content}) is built in: it cannot be changed or deleted`);
  return t;
}

export const contactEmployeeTypeRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/employee_type_enums',
    title: '新增人员类型',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    body: BODY,
    errors: [40001, 42301, 42302],
    coverage: { partial: 'a wrong enum_type or enum_status and the 255-type limit are refused with 40001: the docs give no code for them' },
    notes: 'A custom type (enum_type 2) gets the next `enum_value` (values are not given again after a delete); at most 255 are ever made, deleted ones included.',
    handle({ body, core }) {
      const store = core.store;
      const fields = checked(store, body);
      if (store.customEmployeeTypesMade >= MAX_CUSTOM_EMPLOYEE_TYPES) throw fail(40001, `a tenant makes at most ${MAX_CUSTOM_EMPLOYEE_TYPES} custom workforce types, deleted ones included`);
      let id: string;
      do id = randomBytes(16).toString('base64url');
      while (store.employeeTypes.has(id));
      const t = store.addEmployeeType({ enum_id: id, enum_value: store.nextEmployeeTypeValue(), content: body.content, enum_type: 2, ...fields });
      store.customEmployeeTypesMade++;
      return ok({ employee_type_enum: employeeTypeView(t) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/employee_type_enums',
    title: '查询人员类型',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object({ page_token: s.optional(s.string({ maxLength: 200 })), page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })) }),
    errors: [40012],
    coverage: { partial: 'the docs do not give the default page size: 20 here (at most 100)' },
    notes: 'The built-in types 1-5, then the custom ones in the order they were made, active or not.',
    handle({ query, core }) {
      const all = [...core.store.employeeTypes.values()].sort((a, b) => a.enum_type - b.enum_type || a.enum_value - b.enum_value);
      const size = query.page_size ?? 20;
      let start = 0;
      if (query.page_token !== undefined) {
        // The platform's tokens here are plain offsets ("3" in its example).
        if (!/^\d{1,6}$/.test(query.page_token) || Number(query.page_token) > all.length) throw fail(40012);
        start = Number(query.page_token);
      }
      const end = start + size;
      const has_more = end < all.length;
      return ok({ items: all.slice(start, end).map(employeeTypeView), has_more, ...(has_more ? { page_token: String(end) } : {}) });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/employee_type_enums/:enum_id',
    title: '更新人员类型',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: ENUM_PARAM,
    body: BODY,
    errors: [40001, 42301, 42302],
    coverage: { partial: 'an unknown or built-in enum_id is refused with 40001: the docs give no code for it' },
    notes: 'Replaces a custom type\'s content, status and translations; its enum_value stays. The built-in types 1-5 cannot be changed.',
    handle({ params, body, core }) {
      const t = customType(core.store, params.enum_id);
      const fields = checked(core.store, body, t);
      t.content = body.content;
      t.enum_status = fields.enum_status;
      t.i18n_content = fields.i18n_content;
      return ok({ employee_type_enum: employeeTypeView(t) });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/employee_type_enums/:enum_id',
    title: '删除人员类型',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: ENUM_PARAM,
    errors: [40001],
    coverage: {
      partial:
        "an unknown or built-in type is refused with 40001: the docs give no code for it. The docs give no refusal for a type users have either, and a user must have one: here they go back to 1 (regular), which the docs do not say, and apps that see them get contact.user.updated_v3",
    },
    notes: 'Deletes a custom type; the built-in types 1-5 cannot be deleted. Users who had it become regular (1), and department chats that admitted it no longer name it.',
    handle({ params, core }) {
      const store = core.store;
      const t = customType(store, params.enum_id);
      store.employeeTypes.delete(t.enum_id);
      for (const u of store.holders('employee_type', t.enum_value)) {
        const before = userSnapshot(u);
        u.employee_type = 1;
        userUpdatedEvents(core, before, u);
      }
      // Department chats that admitted the type no longer name it.
      for (const d of store.departments.values()) {
        if (d.deleted || !d.group_chat_employee_types.includes(t.enum_value)) continue;
        const before = departmentSnapshot(d);
        d.group_chat_employee_types = d.group_chat_employee_types.filter((v) => v !== t.enum_value);
        departmentUpdatedEvents(core, before, d, store.appsSeeingDepartment(d.open_department_id));
      }
      return ok({});
    },
  }),
];
