import { changedFields, departmentCreated, departmentDeleted, departmentUpdated, userCreated, userDeleted, userUpdated } from '../callback/contact-events.js';
import type { EmulatorCore } from './core.js';
import { deliverEvent } from './delivery.js';
import { inBackground } from './message-events.js';
import { userView } from './routes/contact-views.js';
import type { AppRecord, DepartmentRecord, Store, UserRecord } from './store.js';

/**
 * The directory events a write causes (contact.user.*_v3, contact.department.*_v3), sent to every
 * app whose contact range covers the user or department and that may read the directory, the app
 * that wrote included ("用户必须在应用的通讯录权限范围内，应用才可以发送该用户的信息变更事件").
 * They go out behind the API's answer, as on the platform; the delivery log keeps each outcome.
 */

/** Any one of these lets an app receive the user events (the events' pages). */
const USER_EVENT_SCOPES = [
  'contact:contact.base:readonly', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:contact:readonly_as_app', 'contact:user.base:readonly',
  'contact:user.department:readonly', 'contact:user.employee:readonly', 'contact:user.employee_id:readonly', 'contact:user.email:readonly', 'contact:user.phone:readonly',
  'contact:user.gender:readonly', 'contact:user.employee_number:read', 'contact:user.job_level:readonly', 'contact:user.job_family:readonly', 'contact:user.dotted_line_leader_info.read',
];
/** Any one of these lets an app receive the department events. */
const DEPARTMENT_EVENT_SCOPES = [
  'contact:contact.base:readonly', 'contact:contact:access_as_app', 'contact:contact:readonly', 'contact:contact:readonly_as_app',
  'contact:department.base:readonly', 'contact:department.hrbp:readonly', 'contact:department.organize:readonly',
];
/** A change to these alone goes out as an event of its own ("用户手机号和邮箱的变更会发送一条独立的事件"). */
const CONTACT_FIELDS = new Set(['mobile', 'mobile_visible', 'email']);

const mayReceive = (app: AppRecord, scopes: readonly string[]) => !app.scopes || scopes.some((s) => app.scopes!.has(s));

/** A copy of a user to compare a change against. */
export function userSnapshot(u: UserRecord): UserRecord {
  return { ...u, i18n_name: { ...u.i18n_name }, department_ids: [...u.department_ids], custom_attrs: u.custom_attrs.map((a) => ({ ...a, value: { ...a.value } })) };
}

export function departmentSnapshot(d: DepartmentRecord): DepartmentRecord {
  return { ...d, i18n_name: { ...d.i18n_name }, leaders: d.leaders.map((l) => ({ ...l })), unit_ids: [...d.unit_ids], group_chat_employee_types: [...d.group_chat_employee_types] };
}

/** A user as the events carry one: open ids, and only the fields the app's scopes let it read. */
function userObject(store: Store, app: AppRecord, u: UserRecord): Record<string, unknown> {
  return userView(store, app, u, 'open_id', 'open_department_id');
}

/** A department as the events carry one: open ids, `order` a number. */
export function departmentObject(d: DepartmentRecord): Record<string, unknown> {
  const main = d.leaders.find((l) => l.type === 1);
  return {
    name: d.name,
    ...(Object.keys(d.i18n_name).length ? { i18n_name: d.i18n_name } : {}),
    parent_department_id: d.parent,
    department_id: d.department_id,
    open_department_id: d.open_department_id,
    ...(main ? { leader_user_id: main.open_id } : {}),
    ...(d.chat_id ? { chat_id: d.chat_id } : {}),
    order: d.order,
    unit_ids: d.unit_ids,
    status: { is_deleted: d.deleted },
    leaders: d.leaders.map((l) => ({ leaderType: l.type, leaderID: l.open_id })),
  };
}

function send(core: EmulatorCore, what: string, apps: AppRecord[], build: (app: AppRecord, parts: { app_id: string; tenant_key: string; now: number }) => Record<string, unknown>[]): void {
  if (!apps.length) return;
  // Built now, while the state is the one the write made; sent behind the answer.
  const payloads = apps.flatMap((app) => build(app, { app_id: app.app_id, tenant_key: core.store.tenantKey, now: core.now() }).map((payload) => ({ app, payload })));
  inBackground(core, what, async () => {
    for (const { app, payload } of payloads) await deliverEvent(core, app, payload);
  });
}

export function userCreatedEvents(core: EmulatorCore, u: UserRecord): void {
  const store = core.store;
  const apps = store.appsSeeingUser(u).filter((a) => mayReceive(a, USER_EVENT_SCOPES));
  send(core, 'contact.user.created_v3', apps, (app, parts) => [userCreated(parts, userObject(store, app, u))]);
}

/**
 * A change to a user: one event with the old value of each field that changed, and a separate one
 * for a changed mobile or email. Apps that saw the user before or see them now are told.
 */
export function userUpdatedEvents(core: EmulatorCore, before: UserRecord, u: UserRecord): void {
  const store = core.store;
  const apps = store.appsSeeingUser(before, u).filter((a) => mayReceive(a, USER_EVENT_SCOPES));
  send(core, 'contact.user.updated_v3', apps, (app, parts) => {
    const now = userObject(store, app, u);
    const { keys, old } = changedFields(userObject(store, app, before), now);
    // A text field that was empty before (a job level or family newly given) is old as "".
    for (const k of keys) if (!(k in old) && typeof now[k] === 'string') old[k] = '';
    const part = (contact: boolean) => {
      const names = keys.filter((k) => CONTACT_FIELDS.has(k) === contact);
      return names.length ? [userUpdated(parts, now, Object.fromEntries(names.filter((k) => k in old).map((k) => [k, old[k]])))] : [];
    };
    return [...part(false), ...part(true)];
  });
}

export function userDeletedEvents(core: EmulatorCore, before: UserRecord, u: UserRecord): void {
  const store = core.store;
  const apps = store.appsSeeingUser(before).filter((a) => mayReceive(a, USER_EVENT_SCOPES));
  send(core, 'contact.user.deleted_v3', apps, (app, parts) => [userDeleted(parts, userObject(store, app, u), before.department_ids)]);
}

export function departmentCreatedEvents(core: EmulatorCore, d: DepartmentRecord): void {
  const apps = core.store.appsSeeingDepartment(d.open_department_id).filter((a) => mayReceive(a, DEPARTMENT_EVENT_SCOPES));
  send(core, 'contact.department.created_v3', apps, (_app, parts) => [departmentCreated(parts, departmentObject(d))]);
}

/** A change to a department: apps that saw it before (under its old parent) or see it now are told. */
export function departmentUpdatedEvents(core: EmulatorCore, before: DepartmentRecord, d: DepartmentRecord, seenBefore: AppRecord[]): void {
  const { keys, old } = changedFields(departmentObject(before), departmentObject(d));
  if (!keys.length) return;
  const seeing = new Set([...seenBefore, ...core.store.appsSeeingDepartment(d.open_department_id)]);
  const apps = [...core.store.apps.values()].filter((a) => seeing.has(a) && mayReceive(a, DEPARTMENT_EVENT_SCOPES));
  send(core, 'contact.department.updated_v3', apps, (_app, parts) => [departmentUpdated(parts, departmentObject(d), old)]);
}

export function departmentDeletedEvents(core: EmulatorCore, d: DepartmentRecord): void {
  const apps = core.store.appsSeeingDepartment(d.open_department_id).filter((a) => mayReceive(a, DEPARTMENT_EVENT_SCOPES));
  send(core, 'contact.department.deleted_v3', apps, (_app, parts) => [departmentDeleted(parts, departmentObject(d))]);
}
