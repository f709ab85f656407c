import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';
import { departmentCreatedEvents, departmentDeletedEvents, departmentSnapshot, departmentUpdatedEvents } from '../contact-events.js';
import { ROOT_DEPARTMENT, type AppRecord, type DepartmentRecord, type Store } from '../store.js';
import { DEPARTMENT_ID, DEPARTMENT_ID_TYPE, departmentByType, departmentView, USER_ID_TYPE, type DepartmentIdType, type UserIdType } from './contact-views.js';

/**
 * Writing the organisation's tree (contact/v3 departments): create, change, delete, give a new
 * department_id, and turn a department's group chat into an ordinary one. A tenant token writes
 * within the app's contact range: the department, and a parent it goes under, must be in it.
 */

/** The platform's limits ("部门层级上限为 25 层", "直属子部门数量上限为 1,000", "部门总数上限为 30,000"). */
const MAX_DEPTH = 25;
const MAX_CHILDREN = 1000;
const MAX_DEPARTMENTS = 30_000;

const WRITE_SCOPES = ['contact:contact'] as const;
const ID_TYPES = { user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE };
const I18N = s.optional(s.object({ zh_cn: s.optional(s.string({ maxLength: 1000 })), ja_jp: s.optional(s.string({ maxLength: 1000 })), en_us: s.optional(s.string({ maxLength: 1000 })) }));
const FIELDS = {
  name: s.optional(s.string({ maxLength: 1000 })),
  i18n_name: I18N,
  parent_department_id: s.optional(s.string({ maxLength: 64 })),
  leader_user_id: s.optional(s.string({ maxLength: 128 })),
  order: s.optional(s.string({ maxLength: 20 })),
  create_group_chat: s.optional(s.boolean()),
  leaders: s.optional(s.array(s.object({ leaderType: s.integer(), leaderID: s.string({ maxLength: 128 }) }), { maxItems: 20 })),
  group_chat_employee_types: s.optional(s.array(s.integer(), { maxItems: 100 })),
  department_hrbps: s.optional(s.array(s.string({ maxLength: 128 }), { maxItems: 100 })),
};
const PATCH_BODY = s.object(FIELDS);
type DepartmentInput = Infer<typeof PATCH_BODY>;
const CREATE_BODY = s.object({ ...FIELDS, name: s.string({ maxLength: 1000 }), parent_department_id: s.string({ maxLength: 64 }), department_id: s.optional(s.string({ maxLength: 200 })) });
const UPDATE_BODY = s.object({ ...FIELDS, name: s.string({ maxLength: 1000 }), parent_department_id: s.string({ maxLength: 64 }) });
const DEPARTMENT_PATH = s.object({ department_id: DEPARTMENT_ID });
/** A custom department_id: not "0", not `od-…`, at most 64 characters of the docs' pattern. */
const CUSTOM_ID = /^[a-zA-Z0-9][a-zA-Z0-9_\-@.]{0,63}$/;
const WRITE_ERRORS = [40002, 40004, 40014, 40016, 40018, 41012, 42006, 43005, 43013, 43016, 43019, 43022, 43026, 43029] as const;

interface WriteContext {
  store: Store;
  app: AppRecord;
  idType: UserIdType;
  deptType: DepartmentIdType;
  now: number;
}

function context(store: Store, app: AppRecord, now: number, query: { user_id_type?: UserIdType; department_id_type?: DepartmentIdType }): WriteContext {
  return { store, app, now, idType: query.user_id_type ?? 'open_id', deptType: query.department_id_type ?? 'open_department_id' };
}

/** A live department (not the root) the app's range covers; the root is 40002, else 40004. */
function writableDepartment(w: WriteContext, id: string): DepartmentRecord {
  const open = departmentByType(w.store, w.deptType, id);
  if (open === ROOT_DEPARTMENT) throw fail(40002);
  if (open === undefined || !w.store.departmentInRange(w.app, open)) throw fail(40004, `department ${id} is unknown or outside the app's contact range`);
  return w.store.departments.get(open)!;
}

/** A parent the app may put departments under (the root needs the whole organisation); else 40014. */
function parentOf(w: WriteContext, id: string): string {
  const open = departmentByType(w.store, w.deptType, id);
  if (open === undefined || !w.store.departmentInRange(w.app, open)) throw fail(40014, `parent department ${id} is unknown or outside the app's contact range`);
  return open;
}

/**
 * Applies a create, patch or full update to `draft` (a copy); nothing is stored until every check
 * passed. A full write clears the leaders and languages it leaves out; a patch keeps them.
 */
function applyDepartment(w: WriteContext, draft: DepartmentRecord, input: DepartmentInput, mode: 'create' | 'patch' | 'update'): void {
  const { store } = w;
  const full = mode !== 'patch';
  if (input.parent_department_id !== undefined) {
    const parent = parentOf(w, input.parent_department_id);
    if (parent !== ROOT_DEPARTMENT && mode !== 'create' && store.departmentSubtree(draft.open_department_id).has(parent)) {
      throw fail(40018, 'a department cannot move under itself or a department below it');
    }
    if (parent !== draft.parent || mode === 'create') {
      if (store.subDepartments(parent, false).length >= MAX_CHILDREN) throw fail(43013, `a department holds at most ${MAX_CHILDREN} departments`);
      const below = mode === 'create' ? 0 : Math.max(0, ...store.subDepartments(draft.open_department_id, true).map((d) => store.departmentDepth(d.open_department_id) - store.departmentDepth(draft.open_department_id)));
      if (store.departmentDepth(parent) + 1 + below > MAX_DEPTH) throw fail(43019, `departments nest at most ${MAX_DEPTH} levels deep`);
    }
    draft.parent = parent;
  }
  if (input.name !== undefined) {
    if (!input.name.trim()) throw fail(40016);
    if (input.name.includes('/')) throw fail(43029);
    draft.name = input.name;
  }
  const siblings = store.subDepartments(draft.parent, false).filter((d) => d.open_department_id !== draft.open_department_id);
  if (siblings.some((d) => d.name === draft.name)) throw fail(43022, `another department under the same parent is named ${JSON.stringify(draft.name)}`);
  if (input.i18n_name !== undefined || full) draft.i18n_name = { ...input.i18n_name };
  if (input.order !== undefined) {
    if (!/^\d{1,9}$/.test(input.order)) throw fail(40018, 'order is a non-negative whole number, as a string');
    const order = Number(input.order);
    if (siblings.some((d) => d.order === order)) throw fail(43005, `another department under the same parent has the order ${order}`);
    draft.order = order;
  } else if (mode === 'create' || (input.parent_department_id !== undefined && siblings.some((d) => d.order === draft.order))) {
    // After the last of its new siblings.
    draft.order = siblings.reduce((max, d) => Math.max(max, d.order), -1) + 1;
  }
  if (input.leaders !== undefined || input.leader_user_id !== undefined || full) {
    // leader_user_id alone names the main leader; a patch keeps the deputies.
    const deputies = full ? [] : draft.leaders.filter((l) => l.type === 2).map((l) => ({ leaderType: 2, leaderID: w.store.userIdOf(w.store.findUser('open_id', l.open_id)!, w.idType) }));
    const main = input.leader_user_id ? [{ leaderType: 1, leaderID: input.leader_user_id }] : [];
    const leaders = input.leaders ?? [...main, ...deputies.filter((l) => !main.some((m) => m.leaderID === l.leaderID))];
    const seen = new Set<string>();
    const resolved = leaders.map((l) => {
      const u = store.findUser(w.idType, l.leaderID);
      if (!u) throw fail(41012, `no user has the ${w.idType} ${l.leaderID}`);
      if (u.resigned) throw fail(42006, `${l.leaderID} has resigned`);
      if (seen.has(u.open_id)) throw fail(43016, `${l.leaderID} is named twice`);
      if (l.leaderType !== 1 && l.leaderType !== 2) throw fail(40018, 'leaderType is 1 (main) or 2 (deputy)');
      seen.add(u.open_id);
      return { type: l.leaderType as 1 | 2, open_id: u.open_id };
    });
    if (resolved.filter((l) => l.type === 1).length > 1) throw fail(40018, 'a department has one main leader (leaderType 1)');
    // The main leader first, as the platform lists them.
    draft.leaders = [...resolved.filter((l) => l.type === 1), ...resolved.filter((l) => l.type === 2)];
  }
  if (input.group_chat_employee_types !== undefined || full) {
    const types = input.group_chat_employee_types ?? [];
    // Each must be one of the tenant's workforce types (employee_type_enums), as users' employee_type is.
    const unknown = types.find((t) => !store.employeeTypeByValue(t));
    if (unknown !== undefined) throw fail(43026, `${unknown} is none of the tenant's workforce types`);
    draft.group_chat_employee_types = [...new Set(types)];
  }
}

/** A department's group chat, made when asked for: its leaders and direct members, owned by its main leader. */
function groupChatFor(w: WriteContext, d: DepartmentRecord): string {
  const main = d.leaders.find((l) => l.type === 1);
  const members = new Set([...d.leaders.map((l) => l.open_id), ...w.store.departmentMembers(d.open_department_id, false).map((u) => u.open_id)]);
  const chat = w.store.newChat({ name: d.name, description: '', members, bots: new Set(), now: w.now, owner_open_id: main?.open_id ?? null });
  w.store.chats.set(chat.chat_id, chat);
  return chat.chat_id;
}

function view(w: WriteContext, d: DepartmentRecord) {
  return departmentView(w.store, d, w.idType, w.deptType);
}

function changeDepartment(w: WriteContext, id: string, input: DepartmentInput, mode: 'patch' | 'update', core: Parameters<typeof departmentUpdatedEvents>[0]) {
  const d = writableDepartment(w, id);
  const seenBefore = w.store.appsSeeingDepartment(d.open_department_id);
  const before = departmentSnapshot(d);
  const draft = departmentSnapshot(d);
  applyDepartment(w, draft, input, mode);
  if (input.create_group_chat === true && !draft.chat_id) draft.chat_id = groupChatFor(w, draft);
  Object.assign(d, draft);
  departmentUpdatedEvents(core, before, d, seenBefore);
  return ok({ department: view(w, d) });
}

export const contactDepartmentWriteRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/departments',
    title: '创建部门',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    query: s.object({ ...ID_TYPES, client_token: s.optional(s.string({ maxLength: 64 })) }),
    body: CREATE_BODY,
    errors: [...WRITE_ERRORS, 40021, 43007, 43008],
    coverage: { partial: 'HRBPs are not kept (a department joins a unit through the unit routes: the body has no unit field); a group chat asked for is an ordinary emulator chat of the leaders; a client_token is remembered for an hour (the docs give no window)' },
    notes: "A department under a parent in the app's contact range (the root needs the whole organisation: else 40014). Names are unique among siblings (43022) and cannot hold `/` (43029); a custom department_id must be new (43007) and valid (43008); `order` is unique among siblings (43005) and defaults to after the last. At most 25 levels (43019) and 1,000 children (43013). Sends `contact.department.created_v3`.",
    handle({ query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const fingerprint = JSON.stringify(body);
      if (query.client_token) {
        const earlier = store.clientTokenResult(app.app_id, 'department', query.client_token, fingerprint, w.now);
        const made = earlier === undefined ? undefined : store.departments.get(earlier);
        if (made) return ok({ department: view(w, made) });
      }
      if (store.departments.size >= MAX_DEPARTMENTS) throw fail(43013, `a tenant holds at most ${MAX_DEPARTMENTS} departments`);
      let custom = body.department_id;
      if (custom !== undefined) {
        if (!CUSTOM_ID.test(custom) || custom === ROOT_DEPARTMENT || custom.startsWith('od-')) throw fail(43008, 'department_id is 1 to 64 letters, digits or _-@., neither "0" nor starting with "od-"');
        if (store.department('department_id', custom)) throw fail(43007, `department_id ${custom}`);
      }
      const open = `od-${randomBytes(16).toString('hex')}`;
      while (custom === undefined || store.department('department_id', custom)) custom = `D${randomBytes(4).toString('hex')}`;
      const draft: DepartmentRecord = { open_department_id: open, department_id: custom, parent: ROOT_DEPARTMENT, name: '', i18n_name: {}, leaders: [], order: 0, seq: -1, chat_id: null, unit_ids: [], deleted: false, group_chat_employee_types: [] };
      applyDepartment(w, draft, body, 'create');
      if (body.create_group_chat === true) draft.chat_id = groupChatFor(w, draft);
      const { seq: _seq, ...fields } = draft;
      const d = store.addDepartment(fields);
      if (query.client_token) store.rememberClientToken(app.app_id, 'department', query.client_token, fingerprint, d.open_department_id, w.now);
      departmentCreatedEvents(core, d);
      return ok({ department: view(w, d) });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/departments/:department_id',
    title: '修改部门部分信息',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: DEPARTMENT_PATH,
    query: s.object(ID_TYPES),
    body: PATCH_BODY,
    errors: [...WRITE_ERRORS],
    coverage: { partial: 'HRBPs are not kept (units are bound through the unit routes); a group chat asked for is an ordinary emulator chat of the leaders and direct members' },
    notes: "Changes only the fields given (`leaders: []` clears them). The department and a new parent must be in the app's contact range (40004, 40014); the root is 40002; a department cannot move below itself (40018). Sends `contact.department.updated_v3` with the old values in `old_object`.",
    handle({ params, query, body, app, core }) {
      return changeDepartment(context(core.store, app, core.now(), query), params.department_id, body, 'patch', core);
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/departments/:department_id',
    title: '更新部门所有信息',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: DEPARTMENT_PATH,
    query: s.object(ID_TYPES),
    body: UPDATE_BODY,
    errors: [...WRITE_ERRORS],
    coverage: { partial: 'leaders, names in other languages and chat employee types left out are cleared and the order kept, which the docs do not spell out; otherwise as patch' },
    notes: '`name` and `parent_department_id` are required. Sends `contact.department.updated_v3`.',
    handle({ params, query, body, app, core }) {
      return changeDepartment(context(core.store, app, core.now(), query), params.department_id, body, 'update', core);
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/departments/:department_id',
    title: '删除部门',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: DEPARTMENT_PATH,
    query: s.object({ department_id_type: DEPARTMENT_ID_TYPE }),
    errors: [40002, 40004, 40014, 43011, 43012],
    coverage: { partial: "the department's group chat stays as an ordinary chat, and it leaves its unit, user groups, role members' managed departments and contact ranges: the docs say none of this" },
    notes: "Refused while the department has active members (43011) or departments below it (43012). It leaves its unit, the user groups that name it, what role members manage and the apps' contact ranges. It and its parent must be in the app's contact range (40004, 40014; a top department's parent is the root). Sends `contact.department.deleted_v3`.",
    handle({ params, query, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const d = writableDepartment(w, params.department_id);
      if (!store.departmentInRange(app, d.parent)) throw fail(40014, "the department's parent is outside the app's contact range");
      if (store.departmentMembers(d.open_department_id, false).length) throw fail(43011, `${params.department_id} still has members`);
      if (store.subDepartments(d.open_department_id, false).length) throw fail(43012, `${params.department_id} still has departments below it`);
      d.deleted = true;
      // Apps whose range named it are told before it leaves their range.
      departmentDeletedEvents(core, d);
      store.forgetDepartment(d);
      return ok({});
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/departments/:department_id/update_department_id',
    title: '更新部门ID',
    tokens: ['tenant'],
    scopes: ['contact:contact:update_department_id'],
    params: DEPARTMENT_PATH,
    query: s.object({ department_id_type: DEPARTMENT_ID_TYPE }),
    body: s.object({ new_department_id: s.string({ maxLength: 200 }) }),
    errors: [40001, 40007],
    coverage: { partial: 'the platform limits how often a department_id may change (43009) without saying how often: the emulator does not limit it' },
    notes: "Gives a department in the app's contact range (else 40007) a new department_id, valid and unused (else 40001). Sends `contact.department.updated_v3` with the old department_id.",
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const open = departmentByType(store, w.deptType, params.department_id);
      if (open === undefined || open === ROOT_DEPARTMENT || !store.departmentInRange(app, open)) throw fail(40007, `department ${params.department_id} is unknown, the root, or outside the app's contact range`);
      const d = store.departments.get(open)!;
      const next = body.new_department_id;
      if (!CUSTOM_ID.test(next) || next === ROOT_DEPARTMENT || next.startsWith('od-')) throw fail(40001, 'new_department_id is 1 to 64 letters, digits or _-@., neither "0" nor starting with "od-"');
      if (next === d.department_id) return ok({});
      if (store.department('department_id', next)) throw fail(40001, `another department has the department_id ${next}`);
      const seenBefore = store.appsSeeingDepartment(open);
      const before = departmentSnapshot(d);
      d.department_id = next;
      departmentUpdatedEvents(core, before, d, seenBefore);
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/departments/unbind_department_chat',
    title: '部门群转为普通群',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    query: s.object({ department_id_type: DEPARTMENT_ID_TYPE }),
    body: s.object({ department_id: DEPARTMENT_ID }),
    errors: [40002, 40004, 40020],
    coverage: { partial: 'the platform does not document an event for this change: here it is `contact.department.updated_v3` with the old chat_id' },
    notes: "The department's group chat becomes an ordinary chat (it stays, with its members); the department no longer has one. The root is 40002; a department without a chat is 40020.",
    handle({ query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const d = writableDepartment(w, body.department_id);
      if (!d.chat_id) throw fail(40020, `${body.department_id} has no group chat`);
      const seenBefore = store.appsSeeingDepartment(d.open_department_id);
      const before = departmentSnapshot(d);
      d.chat_id = null;
      departmentUpdatedEvents(core, before, d, seenBefore);
      return ok({});
    },
  }),
];
