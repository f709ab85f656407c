import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { MAX_UNIT_DEPARTMENTS, MAX_UNITS, ROOT_DEPARTMENT, type AppRecord, type DepartmentRecord, type Store, type UnitRecord } from '../store.js';
import { contactPage, DEPARTMENT_ID, DEPARTMENT_ID_TYPE, departmentByType, type DepartmentIdType } from './contact-views.js';

/**
 * Units (contact/v3 unit, 单位): named, typed parts of the tenant that departments are bound to,
 * a department to one unit at most. Units are the tenant's, not bounded by the contact range;
 * binding and unbinding a department need the department in the range, as the docs say.
 */

const READ_SCOPES = ['contact:unit:readonly'] as const;
const WRITE_SCOPES = ['contact:unit'] as const;
const UNIT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PAGE = { page_size: s.optional(s.integer({ minimum: 1, maximum: 100 })), page_token: s.optional(s.string({ maxLength: 200 })) };
const UNIT_PARAM = s.object({ unit_id: s.string({ minLength: 1, maxLength: 128 }) });
const BINDING = s.object({ unit_id: s.string({ minLength: 1, maxLength: 128 }), department_id: DEPARTMENT_ID, department_id_type: DEPARTMENT_ID_TYPE });

function unitOf(store: Store, id: string): UnitRecord {
  const unit = store.units.get(id);
  if (!unit) throw fail(43051, `no unit has the id ${id}`);
  return unit;
}

function unitView(u: UnitRecord) {
  return { unit_id: u.unit_id, name: u.name, unit_type: u.unit_type };
}

/** A name or unit_type: 1 to 100 characters. */
function validText(v: string): boolean {
  const n = [...v].length;
  return v.trim() !== '' && n <= 100;
}

function checkUnique(store: Store, name: string, type: string, self?: UnitRecord): void {
  for (const u of store.units.values()) if (u !== self && u.name === name && u.unit_type === type) throw fail(43055, `unit ${u.unit_id} has the same name and unit_type`);
}

/** A department the range covers, for a binding (the root is no department to bind). */
function bindingDepartment(store: Store, app: AppRecord, idType: DepartmentIdType | undefined, id: string): DepartmentRecord {
  const openId = departmentByType(store, idType, id);
  if (openId === undefined) throw fail(40015, `no department has the ${idType ?? 'open_department_id'} ${id}`);
  if (openId === ROOT_DEPARTMENT) throw fail(40001, 'the root department ("0") is bound to no unit');
  if (!store.departmentInRange(app, openId)) throw fail(40004, `department ${id} is outside the app's contact range`);
  return store.departments.get(openId)!;
}

/** The unit and the department a bind or unbind names. */
function binding(store: Store, app: AppRecord, body: { unit_id: string; department_id: string; department_id_type?: DepartmentIdType }) {
  return { unit: unitOf(store, body.unit_id), dept: bindingDepartment(store, app, body.department_id_type, body.department_id) };
}

export const contactUnitRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/unit',
    title: '创建单位',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    body: s.object({ unit_id: s.optional(s.string({ maxLength: 128 })), name: s.string({ maxLength: 1000 }), unit_type: s.string({ maxLength: 1000 }) }),
    errors: [43051, 43052, 43053, 43055, 43056, 43059],
    coverage: { partial: 'the docs do not give the shape of a custom unit_id: 1-64 letters, digits, _ or - here; units are a paid feature (43050), always on here' },
    notes: 'Name and unit_type 1 to 100 characters each (43052, 43053), together unique (43055); a custom unit_id is unique (43056); at most 1,000 units (43059).',
    handle({ body, core }) {
      const store = core.store;
      if (body.unit_id !== undefined) {
        if (!UNIT_ID.test(body.unit_id)) throw fail(43051, 'a custom unit_id is 1-64 letters, digits, _ or -');
        if (store.units.has(body.unit_id)) throw fail(43056, `unit ${body.unit_id} exists`);
      }
      if (!validText(body.name)) throw fail(43052, 'a unit name is 1 to 100 characters');
      if (!validText(body.unit_type)) throw fail(43053, 'a unit_type is 1 to 100 characters');
      checkUnique(store, body.name, body.unit_type);
      if (store.units.size >= MAX_UNITS) throw fail(43059, `a tenant has at most ${MAX_UNITS} units`);
      let id = body.unit_id;
      while (id === undefined || store.units.has(id)) id = `BU${randomBytes(4).toString('hex')}`;
      store.units.set(id, { unit_id: id, name: body.name, unit_type: body.unit_type, departments: [] });
      return ok({ unit_id: id });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/unit',
    title: '获取单位列表',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object(PAGE),
    errors: [40012],
    coverage: { partial: 'the docs do not give the page sizes: 50 by default here, at most 100' },
    notes: "The tenant's units, oldest first.",
    handle({ query, core }) {
      const page = contactPage([...core.store.units.values()], 'unit_list', query.page_size ?? 50, query.page_token);
      return ok({ unitlist: page.items.map(unitView), has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/unit/list_department',
    title: '获取单位绑定的部门列表',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object({ unit_id: s.string({ minLength: 1, maxLength: 128 }), department_id_type: DEPARTMENT_ID_TYPE, ...PAGE }),
    errors: [40012, 43051],
    coverage: { partial: 'the docs do not give the page sizes (50 by default here, at most 100) nor whether the contact range hides departments (it does not here)' },
    notes: 'The departments bound to a unit, in the order they were bound, in the id type asked for.',
    handle({ query, core }) {
      const store = core.store;
      const unit = unitOf(store, query.unit_id);
      const live = unit.departments.filter((d) => store.department('open_department_id', d));
      const page = contactPage(live, 'unit_departments', query.page_size ?? 50, query.page_token);
      return ok({
        departmentlist: page.items.map((d) => ({ unit_id: unit.unit_id, department_id: store.departmentIdOf(d, query.department_id_type ?? 'open_department_id') })),
        has_more: page.has_more,
        ...(page.page_token ? { page_token: page.page_token } : {}),
      });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/unit/:unit_id',
    title: '获取单位信息',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    params: UNIT_PARAM,
    errors: [43051],
    coverage: 'full',
    notes: 'Its id, name and unit_type.',
    handle({ params, core }) {
      return ok({ unit: unitView(unitOf(core.store, params.unit_id)) });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/unit/:unit_id',
    title: '修改单位信息',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: UNIT_PARAM,
    body: s.object({ name: s.optional(s.string({ maxLength: 1000 })) }),
    errors: [43051, 43052, 43055],
    coverage: 'full',
    notes: 'Renames a unit: 1 to 100 characters, not the name of another unit of its type.',
    handle({ params, body, core }) {
      const unit = unitOf(core.store, params.unit_id);
      if (body.name !== undefined) {
        if (!validText(body.name)) throw fail(43052, 'a unit name is 1 to 100 characters');
        checkUnique(core.store, body.name, unit.unit_type, unit);
        unit.name = body.name;
      }
      return ok({});
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/unit/:unit_id',
    title: '删除单位',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: UNIT_PARAM,
    errors: [43051],
    coverage: { partial: "the platform refuses a unit whose type another feature uses (visibility rules); nothing uses one here, so a delete always goes and leaves its departments without a unit" },
    notes: 'Its departments are left bound to no unit.',
    handle({ params, core }) {
      core.store.deleteUnit(unitOf(core.store, params.unit_id));
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/unit/bind_department',
    title: '建立部门与单位的绑定关系',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    body: BINDING,
    errors: [40001, 40004, 40015, 43051],
    coverage: { partial: 'a department already bound to another unit, and a unit at its 1,000 departments, are refused with 40001: the docs state the rules, not their codes' },
    notes: 'A department in the contact range (40004) joins a unit; a department has one unit. Binding it again to the same unit changes nothing.',
    handle({ body, app, core }) {
      const store = core.store;
      const { unit, dept } = binding(store, app, body);
      const other = dept.unit_ids.find((u) => u !== unit.unit_id);
      if (other !== undefined) throw fail(40001, `department ${body.department_id} is bound to unit ${other}: a department has one unit`);
      if (!unit.departments.includes(dept.open_department_id) && unit.departments.length >= MAX_UNIT_DEPARTMENTS) throw fail(40001, `a unit has at most ${MAX_UNIT_DEPARTMENTS} departments`);
      store.bindUnit(unit, dept);
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/unit/unbind_department',
    title: '解除部门与单位的绑定关系',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    body: BINDING,
    errors: [40001, 40004, 40015, 43051],
    coverage: { partial: 'a department not bound to the unit is refused with 40001, a code the docs do not give for it' },
    notes: 'A department in the contact range (40004) leaves its unit.',
    handle({ body, app, core }) {
      const store = core.store;
      const { unit, dept } = binding(store, app, body);
      if (!dept.unit_ids.includes(unit.unit_id)) throw fail(40001, `department ${body.department_id} is not bound to unit ${unit.unit_id}`);
      store.unbindUnit(unit, dept);
      return ok({});
    },
  }),
];
