import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail, failVariant } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';
import { userCreatedEvents, userDeletedEvents, userSnapshot, userUpdatedEvents } from '../contact-events.js';
import { ROOT_DEPARTMENT, type AppRecord, type Store, type UserRecord } from '../store.js';
import { DEPARTMENT_ID_TYPE, departmentByType, USER_ID_TYPE, userView, type DepartmentIdType, type UserIdType } from './contact-views.js';

/**
 * Writing people into the directory (contact/v3 users): create, change, delete (resign), bring
 * back, and change a user_id. A tenant token writes within the app's contact range
 * (通讯录权限范围): every department a user is put in, or taken out of, must be in it.
 */

/** The platform's cap on a user's departments (41033). */
const MAX_USER_DEPARTMENTS = 50;
/** How many people the emulator's tenant holds at most (the platform's seat limit is 41008). */
export const MAX_DIRECTORY_USERS = 20_000;
/** A deleted user can be brought back within 30 days ("仅支持恢复离职 30 天内的成员"). */
const RESURRECT_WINDOW_MS = 30 * 24 * 3600 * 1000;

const WRITE_SCOPES = ['contact:contact'] as const;
const text = (max: number) => s.optional(s.string({ maxLength: max }));

/** Every field a user write takes; create and the full update require some (below). */
const USER_FIELDS = {
  name: text(1000),
  en_name: text(1000),
  nickname: text(1000),
  email: text(320),
  mobile: text(64),
  mobile_visible: s.optional(s.boolean()),
  gender: s.optional(s.integer()),
  avatar_key: text(256),
  department_ids: s.optional(s.array(s.string({ maxLength: 64 }), { maxItems: 200 })),
  leader_user_id: text(128),
  city: text(100),
  country: text(64),
  work_station: text(255),
  join_time: s.optional(s.integer({ minimum: 0 })),
  employee_no: text(255),
  employee_type: s.optional(s.integer()),
  orders: s.optional(
    s.array(s.object({ department_id: text(64), user_order: s.optional(s.integer()), department_order: s.optional(s.integer()), is_primary_dept: s.optional(s.boolean()) }), { maxItems: 200 }),
  ),
  custom_attrs: s.optional(s.array(s.object({ type: text(32), id: text(128), value: s.optional(s.record(s.any())) }), { maxItems: 100 })),
  job_title: text(1000),
  is_frozen: s.optional(s.boolean()),
  // ── h24-contact-integrate: the job level and family, by id ('' for none) ──
  job_level_id: text(64),
  job_family_id: text(64),
};
const PATCH_BODY = s.object(USER_FIELDS);
type UserInput = Infer<typeof PATCH_BODY>;
const CREATE_BODY = s.object({ ...USER_FIELDS, user_id: text(256), name: s.string({ maxLength: 1000 }), employee_type: s.integer() });
const UPDATE_BODY = s.object({ ...USER_FIELDS, name: s.string({ maxLength: 1000 }), employee_type: s.integer() });
const ID_TYPES = { user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE };
const USER_PATH = s.object({ user_id: s.string({ minLength: 1, maxLength: 128 }) });

const MOBILE = /^\+?[0-9][0-9 -]{4,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const chars = (v: string) => [...v].length;

interface WriteContext {
  store: Store;
  app: AppRecord;
  idType: UserIdType;
  deptType: DepartmentIdType;
  now: number;
  /** A job title or work city the write named that could not be made or used (disabled, or the list full). */
  unmade: { job_title: boolean; city: boolean };
}

/** Once a write is stored, the job title and work city it named join the tenant's lists if they are new. */
function keepNamedEntries(w: WriteContext, u: UserRecord): void {
  if (u.job_title) w.store.namedEntryFor(w.store.jobTitles, u.job_title);
  if (u.city) w.store.namedEntryFor(w.store.workCities, u.city);
}

/**
 * The platform writes the user and then answers that the job title or work city could not be made
 * ("创建用户成功，创建职务字段失败"): 44054 the city, 44055 the title, 44056 both.
 */
function unmadeFailure(w: WriteContext): void {
  const { job_title, city } = w.unmade;
  if (job_title && city) throw fail(44056);
  if (city) throw fail(44054);
  if (job_title) throw fail(44055);
}

/** The parts a custom field value has on the platform; other keys are dropped, not kept on the person. */
const ATTR_TEXT_KEYS = ['text', 'url', 'pc_url', 'option_id', 'option_value', 'name', 'picture_url'] as const;
const ATTR_URL_KEYS = new Set(['url', 'pc_url', 'picture_url']);
const MAX_ATTR_TEXT = 2048;

/**
 * A write's custom field value, kept as the platform's parts only: strings of a bounded length,
 * links http(s) (a profile shows them as links), and generic_user as given, checked below. A body
 * could otherwise park up to its whole size of arbitrary JSON on each of 20,000 people.
 */
function attrValue(given: Record<string, unknown>, at: string): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const k of ATTR_TEXT_KEYS) {
    const v = given[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > MAX_ATTR_TEXT) throw fail(41046, `${at}.value.${k} must be a string of at most ${MAX_ATTR_TEXT} characters`);
    if (ATTR_URL_KEYS.has(k) && v !== '' && !/^https?:\/\/\S+$/i.test(v)) throw fail(k === 'url' ? 41048 : 41046, `${at}.value.${k} must be an http(s) URL`);
    value[k] = v;
  }
  if (given.generic_user !== undefined) value.generic_user = given.generic_user;
  return value;
}

/** The custom field values of a write, each of a field the tenant has and of its type, with the value its type needs. */
function customAttrValues(w: WriteContext, attrs: NonNullable<UserInput['custom_attrs']>): UserRecord['custom_attrs'] {
  return attrs.map((a, i) => {
    const at = `custom_attrs[${i}]`;
    if (!a.id) throw fail(41044, `${at} names no id`);
    const field = w.store.customAttrDefinition(a.id);
    if (!field) throw fail(41045, `${at}: the tenant has no custom field ${a.id}`);
    if (a.type !== undefined && a.type !== field.type) throw fail(41044, `${at} is given as ${a.type}, but the field ${a.id} is ${field.type}`);
    if (!a.value) throw fail(41046, `${at} has no value`);
    const value = attrValue(a.value, at);
    const str = (k: string) => (typeof value[k] === 'string' && value[k] !== '' ? (value[k] as string) : undefined);
    switch (field.type) {
      case 'TEXT':
        if (!str('text')) throw fail(41046, `${at} is a TEXT field: value.text is required`);
        break;
      case 'HREF':
        if (!str('text')) throw fail(41047, `${at}.value.text`);
        if (!str('url')) throw fail(41048, `${at}.value.url`);
        break;
      case 'ENUMERATION':
      case 'PICTURE_ENUM':
        if (!field.options?.options.some((o) => o.id === value.option_id)) throw fail(41046, `${at}.value.option_id names none of the field's choices`);
        break;
      case 'GENERIC_USER': {
        const ref = value.generic_user as { id?: unknown; type?: unknown } | undefined;
        const person = typeof ref?.id === 'string' ? w.store.findUser(w.idType, ref.id) : undefined;
        if (!person) throw fail(41046, `${at}.value.generic_user.id names no user (${w.idType})`);
        // Kept by open_id, shown in the id type each read asks for.
        value.generic_user = { id: person.open_id, type: 1 };
        break;
      }
    }
    return { id: a.id, type: field.type, value };
  });
}

/**
 * Applies a create, patch or full update to `draft` (a copy), checking each field as the platform
 * does; nothing is stored until every check passed. A full write (create, update) resets what it
 * leaves out; a patch keeps it. `self` is the user being changed (none for a create).
 */
function applyUser(w: WriteContext, draft: UserRecord, input: UserInput, mode: 'create' | 'patch' | 'update', self: UserRecord | null): void {
  const { store, app } = w;
  const full = mode !== 'patch';
  const given = (k: keyof UserInput) => input[k] !== undefined || full;
  if (given('name')) {
    const name = input.name ?? '';
    if (!name.trim()) throw fail(41040);
    if (chars(name) > 255) throw fail(41070);
    draft.name = name;
  }
  if (given('en_name')) {
    if (chars(input.en_name ?? '') > 255) throw failVariant(41071, 'en_name_length');
    draft.en_name = input.en_name ?? '';
  }
  if (given('nickname')) {
    if (chars(input.nickname ?? '') > 255) throw failVariant(41072, 'nickname_length');
    draft.nickname = input.nickname ?? '';
  }
  if (given('job_title')) {
    const title = input.job_title ?? '';
    if (chars(title) > 100) throw fail(41063);
    // An unknown title is made; one that cannot be used leaves the user without one (answered after the write).
    const usable = title === '' || store.namedEntryUsable(store.jobTitles, title);
    if (!usable) w.unmade.job_title = true;
    draft.job_title = usable ? title : '';
  }
  if (given('city')) {
    const city = input.city ?? '';
    const usable = city === '' || (chars(city) <= 100 && store.namedEntryUsable(store.workCities, city));
    if (!usable) w.unmade.city = true;
    draft.city = usable ? city : '';
  }
  for (const k of ['country', 'work_station'] as const) if (given(k)) draft[k] = input[k] ?? '';
  if (given('job_level_id')) {
    const id = input.job_level_id ?? '';
    const level = id ? store.jobLevels.get(id) : undefined;
    // Only an enabled level may be set ("只有启用了的职级可以设置为用户属性").
    if (id && !level?.status) throw fail(44044, level ? `job level ${id} is disabled` : `no job level has the id ${id}`);
    draft.job_level_id = id;
  }
  if (given('job_family_id')) {
    const id = input.job_family_id ?? '';
    const family = id ? store.jobFamilies.get(id) : undefined;
    if (id && !family?.status) throw fail(44045, family ? `job family ${id} is disabled` : `no job family has the id ${id}`);
    draft.job_family_id = id;
  }
  if (given('gender')) {
    const g = input.gender ?? 0;
    if (![0, 1, 2, 3].includes(g)) throw fail(41038, 'gender is 0 (unknown), 1 (male), 2 (female) or 3 (other)');
    draft.gender = g;
  }
  if (input.employee_type !== undefined) {
    // 1-5 are the platform's own types; a tenant's own types are numbered above them (employee_type_enums).
    const type = store.employeeTypeByValue(input.employee_type);
    if (!type) throw fail(41059, `employee_type ${input.employee_type} is none of the tenant's workforce types (1 regular, 2 intern, 3 outsourcing, 4 contractor, 5 consultant, or a custom type)`);
    if (type.enum_status !== 1) throw fail(41060, `workforce type ${input.employee_type} (${type.content}) is inactive`);
    draft.employee_type = input.employee_type;
  }
  if (input.join_time !== undefined) draft.join_time = input.join_time;
  else if (mode === 'create') draft.join_time = Math.floor(w.now / 1000);
  if (given('mobile')) {
    const mobile = input.mobile || null;
    if (mobile !== null) {
      if (!MOBILE.test(mobile)) throw fail(41004, `mobile ${mobile}`);
      if (store.contactHolder('mobile', mobile, self)) throw fail(41001, `another user has the mobile ${mobile}`);
    }
    draft.mobile = mobile;
  }
  if (given('email')) {
    const email = input.email || null;
    if (email !== null) {
      if (!EMAIL.test(email)) throw fail(41005, `email ${email}`);
      if (store.contactHolder('email', email, self)) throw fail(41002, `another user has the email ${email}`);
    }
    draft.email = email;
  }
  if (draft.mobile === null && draft.email === null) throw fail(41009);
  if (given('employee_no')) {
    const no = input.employee_no ?? '';
    if (no && store.contactHolder('employee_no', no, self)) throw fail(44051, `another user has the employee_no ${no}`);
    draft.employee_no = no;
  }
  if (given('department_ids')) {
    draft.department_ids = userDepartments(w, input);
  } else if (input.orders !== undefined) {
    throw fail(44002);
  }
  if (given('leader_user_id')) {
    const id = input.leader_user_id;
    if (!id) draft.leader_open_id = null;
    else {
      const leader = store.findUser(w.idType, id);
      if (!leader) throw fail(44022, `no user has the ${w.idType} ${id}`);
      if (leader.resigned) throw fail(44021, `${id} has resigned`);
      if (self && leader.open_id === self.open_id) throw fail(41030);
      draft.leader_open_id = leader.open_id;
    }
  }
  if (given('custom_attrs')) draft.custom_attrs = customAttrValues(w, input.custom_attrs ?? []);
  if (input.avatar_key !== undefined) {
    if (!store.media.usableImage(input.avatar_key, app.app_id)) throw fail(41036, `no image uploaded by this app has the key ${input.avatar_key}`);
    draft.avatar_url = `https://avatar.emulator.invalid/${encodeURIComponent(input.avatar_key)}.png`;
  }
  if (input.is_frozen !== undefined && mode !== 'create') draft.frozen = input.is_frozen;
}

/** The departments a write puts a user in, each inside the range, the primary (by `orders`) first. */
function userDepartments(w: WriteContext, input: UserInput): string[] {
  const ids = input.department_ids ?? [];
  if (!ids.length) throw fail(41017);
  if (ids.length > MAX_USER_DEPARTMENTS) throw fail(41033, `${ids.length} departments; at most ${MAX_USER_DEPARTMENTS}`);
  const opens = [
    ...new Set(
      ids.map((id) => {
        const d = departmentByType(w.store, w.deptType, id);
        if (d === undefined || !w.store.departmentInRange(w.app, d)) throw fail(40004, `department ${id} is unknown or outside the app's contact range`);
        return d;
      }),
    ),
  ];
  const openOf = (id: string) => departmentByType(w.store, w.deptType, id);
  for (const o of input.orders ?? []) {
    if (o.department_id === undefined || !opens.includes(openOf(o.department_id) ?? '')) throw fail(41025, `orders names ${o.department_id ?? 'no department'}, which is not one of department_ids`);
  }
  const primary = (input.orders ?? []).find((o) => o.is_primary_dept === true);
  const first = primary ? openOf(primary.department_id!)! : undefined;
  return first ? [first, ...opens.filter((d) => d !== first)] : opens;
}

/** A user the app may change: in its range (else 41050), and with every department in it (else 40004). */
function writableUser(w: WriteContext, id: string): UserRecord {
  const u = w.store.findUser(w.idType, id);
  if (!u || !w.store.userInRange(w.app, u)) throw fail(41050, `${w.idType} ${id} is unknown or outside the app's contact range`);
  if (!w.store.userWritable(w.app, u)) throw fail(40004, `${id} also belongs to departments outside the app's contact range`);
  return u;
}

function context(store: Store, app: AppRecord, now: number, query: { user_id_type?: UserIdType; department_id_type?: DepartmentIdType }): WriteContext {
  return { store, app, now, idType: query.user_id_type ?? 'open_id', deptType: query.department_id_type ?? 'open_department_id', unmade: { job_title: false, city: false } };
}

/** Ids a new user gets: random open and union ids, and a user_id of 8 hex digits unless the caller chose one. */
function newUserIds(store: Store, userId: string | undefined): { open_id: string; union_id: string; user_id: string } {
  let user_id = userId ?? '';
  // A chosen user_id was checked free by the caller; a made one is drawn again in the rare clash.
  while (!user_id || (userId === undefined && store.findUser('user_id', user_id))) user_id = randomBytes(4).toString('hex');
  return { open_id: `ou_${randomBytes(16).toString('hex')}`, union_id: `on_${randomBytes(16).toString('hex')}`, user_id };
}

function blankUser(ids: { open_id: string; union_id: string; user_id: string }, order: number): UserRecord {
  return {
    name: '', ...ids, mobile: null, email: null, resigned: false, frozen: false, en_name: '', nickname: '', i18n_name: {}, avatar_url: null, gender: 0, employee_type: 1,
    employee_no: '', job_title: '', city: '', country: '', work_station: '', department_ids: [], leader_open_id: null, join_time: 0, is_tenant_manager: false, custom_attrs: [], user_order: order,
  };
}

/** The create answer leaves the mobile out ("返回数据中不返回手机号"). */
function createdView(w: WriteContext, u: UserRecord): Record<string, unknown> {
  const { mobile: _mobile, mobile_visible: _visible, ...view } = userView(w.store, w.app, u, w.idType, w.deptType);
  return view;
}

/** Patch and update share everything but which fields are required and what a left-out field means. */
function changeUser(w: WriteContext, id: string, input: UserInput, mode: 'patch' | 'update', core: Parameters<typeof userUpdatedEvents>[0]) {
  const u = writableUser(w, id);
  if (u.resigned) throw fail(42006, `${id} has resigned; resurrect them first`);
  const before = userSnapshot(u);
  const draft = userSnapshot(u);
  applyUser(w, draft, input, mode, u);
  Object.assign(u, draft);
  keepNamedEntries(w, u);
  userUpdatedEvents(core, before, u);
  unmadeFailure(w);
  return ok({ user: userView(w.store, w.app, u, w.idType, w.deptType) });
}

const ACCEPTOR = text(128);

export const contactUserWriteRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/users',
    title: '创建用户',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    query: s.object({ ...ID_TYPES, client_token: text(64) }),
    body: CREATE_BODY,
    errors: [40004, 40021, 41001, 41002, 41004, 41005, 41008, 41009, 41011, 41017, 41025, 41033, 41036, 41038, 41040, 41043, 41059, 41063, 41070, 41071, 41072, 44002, 44021, 44022, 44051, 41044, 41045, 41046, 41047, 41048, 41060, 44044, 44045, 44054, 44055, 44056],
    coverage: {
      partial:
        "positions, dotted_line_leader_user_ids, enterprise_email, idp_type, geo, subscriptions and notifications are accepted and not kept; `orders` only chooses the primary department; mobile_visible is not kept; a custom field value given with another type than its field's is refused with 41044, and an unknown choice or person with 41046, codes the docs give for neither; a client_token is remembered for an hour (the docs give no window)",
    },
    notes: "A new member in departments inside the app's contact range (the root needs the whole organisation). Mobile, email, user_id and employee_no are unique among active users (41001, 41002, 41011, 44051); `employee_type` is one of the tenant's workforce types (41059) and active (41060); `job_level_id` and `job_family_id` name an enabled level and family (44044, 44045); custom field values name a field of the tenant (41045) and carry what its type needs (41046-41048). A `job_title` or `city` the tenant lacks is added to its job titles or work cities; one that is disabled (or past 10,000) leaves the user without it, answered 44054/44055/44056 after the write. A repeated `client_token` with the same request returns the same user, with another request 40021. Sends `contact.user.created_v3`.",
    handle({ query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const fingerprint = JSON.stringify(body);
      if (query.client_token) {
        const earlier = store.clientTokenResult(app.app_id, 'user', query.client_token, fingerprint, w.now);
        const made = earlier === undefined ? undefined : store.findUser('open_id', earlier);
        if (made) return ok({ user: createdView(w, made) });
      }
      if (store.users.length >= MAX_DIRECTORY_USERS) throw fail(41008, `the emulator's tenant holds at most ${MAX_DIRECTORY_USERS} users`);
      if (body.user_id !== undefined) {
        if (!body.user_id || chars(body.user_id) > 64) throw fail(41043, 'user_id is 1 to 64 characters');
        if (store.findUser('user_id', body.user_id)) throw fail(41011, `user_id ${body.user_id}`);
      }
      const order = store.users.reduce((max, u) => Math.max(max, u.user_order), -1) + 1;
      const user = blankUser(newUserIds(store, body.user_id), order);
      applyUser(w, user, body, 'create', null);
      store.users.push(user);
      keepNamedEntries(w, user);
      if (query.client_token) store.rememberClientToken(app.app_id, 'user', query.client_token, fingerprint, user.open_id, w.now);
      userCreatedEvents(core, user);
      unmadeFailure(w);
      return ok({ user: createdView(w, user) });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/users/:user_id',
    title: '修改用户部分信息',
    tokens: ['tenant', 'user'],
    scopes: ['contact:contact', 'contact:user.base'],
    params: USER_PATH,
    query: s.object(ID_TYPES),
    body: PATCH_BODY,
    errors: [40004, 41001, 41002, 41004, 41005, 41009, 41017, 41025, 41030, 41033, 41036, 41038, 41040, 41050, 41059, 41063, 41070, 41071, 41072, 42006, 44002, 44021, 44022, 44051, 41044, 41045, 41046, 41047, 41048, 41060, 44044, 44045, 44054, 44055, 44056],
    coverage: { partial: 'as create: positions, dotted-line leaders, enterprise_email and geo are not kept, and `orders` only chooses the primary department' },
    notes: "Changes only the fields given, with create's rules for each (workforce type, job level and family, custom fields, job title and city; `job_level_id: \"\"` clears the level). The user and every department they leave or join must be in the app's contact range (41050, 40004); a resigned user is 42006. Sends `contact.user.updated_v3` with the old values in `old_object` (a changed mobile or email in an event of its own).",
    handle({ params, query, body, app, core }) {
      return changeUser(context(core.store, app, core.now(), query), params.user_id, body, 'patch', core);
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/users/:user_id',
    title: '更新用户所有信息',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: USER_PATH,
    query: s.object(ID_TYPES),
    body: UPDATE_BODY,
    errors: [40004, 41001, 41002, 41004, 41005, 41009, 41017, 41025, 41030, 41033, 41036, 41038, 41040, 41050, 41059, 41063, 41070, 41071, 41072, 42006, 44002, 44021, 44022, 44051, 41044, 41045, 41046, 41047, 41048, 41060, 44044, 44045, 44054, 44055, 44056],
    coverage: { partial: 'fields left out are cleared, except join_time, the avatar and is_frozen, which the docs do not say; otherwise as patch' },
    notes: 'Replaces the user: `name`, `employee_type` and `department_ids` are required and a mobile or an email must remain. Sends `contact.user.updated_v3`.',
    handle({ params, query, body, app, core }) {
      return changeUser(context(core.store, app, core.now(), query), params.user_id, body, 'update', core);
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/users/:user_id',
    title: '删除用户',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: USER_PATH,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      department_chat_acceptor_user_id: ACCEPTOR,
      external_chat_acceptor_user_id: ACCEPTOR,
      docs_acceptor_user_id: ACCEPTOR,
      calendar_acceptor_user_id: ACCEPTOR,
      application_acceptor_user_id: ACCEPTOR,
      minutes_acceptor_user_id: ACCEPTOR,
      survey_acceptor_user_id: ACCEPTOR,
      email_acceptor: s.optional(s.object({ processing_type: s.enum(['1', '2', '3']), acceptor_user_id: ACCEPTOR })),
      anycross_acceptor_user_id: ACCEPTOR,
    }),
    errors: [40001, 40004, 41050, 41052, 44037],
    coverage: {
      partial:
        'leaving user groups and roles, and their reports losing their leader, are what the platform plausibly does: the docs do not say; department group chats the user owns pass to department_chat_acceptor_user_id (else their first other member); the emulator has no external chats, documents, calendars, apps, minutes, surveys, mail or integrations, so those acceptors are only checked; deleting a user already deleted is 40001 (the docs do not say)',
    },
    notes: "The user resigns: out of every department, leader post, user group and functional role, still readable with `status.is_resigned`; the people they led are left without a leader (each a `contact.user.updated_v3`). Every department they belong to must be in the app's contact range (40004). Acceptors must be other active users (41052); a tenant manager cannot be deleted (44037). Sends `contact.user.deleted_v3`.",
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const u = writableUser(w, params.user_id);
      if (u.resigned) throw fail(40001, `${params.user_id} has already been deleted`);
      if (u.is_tenant_manager) throw fail(44037);
      const acceptor = (field: string, id: string | undefined) => {
        if (id === undefined) return undefined;
        const a = store.findUser(w.idType, id);
        if (!a || a.resigned || a === u) throw fail(41052, `${field} ${id} is not another active user`);
        return a;
      };
      const { email_acceptor, ...acceptors } = body;
      for (const [field, id] of Object.entries(acceptors)) acceptor(field, id as string | undefined);
      acceptor('email_acceptor.acceptor_user_id', email_acceptor?.acceptor_user_id);
      const chatHeir = acceptor('department_chat_acceptor_user_id', body.department_chat_acceptor_user_id);
      const before = userSnapshot(u);
      for (const d of store.departments.values()) {
        const chat = d.chat_id ? store.chats.get(d.chat_id) : undefined;
        if (chat && chat.owner_open_id === u.open_id) {
          const heir = chatHeir?.open_id ?? [...chat.members].find((m) => m !== u.open_id) ?? null;
          chat.owner_open_id = heir;
          if (heir) chat.members.add(heir);
        }
      }
      u.resigned = true;
      u.department_ids = [];
      store.resignedAt.set(u.open_id, w.now);
      userDeletedEvents(core, before, u);
      // Told first, so apps that saw them through a user group hear of it; then they leave it.
      const reports = store.leaveOrganisation(u);
      // Those they led are left without a leader, and apps are told of each.
      for (const r of reports) {
        const was = userSnapshot(r);
        r.leader_open_id = null;
        userUpdatedEvents(core, was, r);
      }
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/users/:user_id/resurrect',
    title: '恢复已删除用户',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: USER_PATH,
    query: s.object(ID_TYPES),
    body: s.object({
      departments: s.optional(s.array(s.object({ department_id: s.string({ maxLength: 64 }), user_order: s.optional(s.integer()), department_order: s.optional(s.integer()) }), { maxItems: 50 })),
      subscription_ids: s.optional(s.array(s.string({ maxLength: 64 }), { maxItems: 50 })),
    }),
    errors: [40004, 41050, 44028, 44030, 44031, 44032, 44033],
    coverage: {
      partial:
        "a user the seed made resigned has no resignation time and can always be brought back; seats (subscription_ids) are not modelled; the platform's event for a resurrection is not documented: here it is `contact.user.updated_v3` with the old status and departments",
    },
    notes: "Brings a deleted user back within 30 days (44028) into the departments given (the root when none, which needs the whole organisation in range). Their mobile, email and user_id must still be free (44030, 44031, 44032); an active user is 44033. Departments and leader posts they held are not restored, as on the platform, nor their user groups and functional roles.",
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const u = store.findUser(w.idType, params.user_id);
      if (!u) throw fail(41050, `no user has the ${w.idType} ${params.user_id}`);
      if (!u.resigned) throw fail(44033);
      const left = store.resignedAt.get(u.open_id);
      if (left !== undefined && w.now - left > RESURRECT_WINDOW_MS) throw fail(44028, `${params.user_id} was deleted more than 30 days ago`);
      const departments = body.departments?.length
        ? [
            ...new Set(
              body.departments.map((d) => {
                const open = departmentByType(store, w.deptType, d.department_id);
                if (open === undefined || !store.departmentInRange(app, open)) throw fail(40004, `department ${d.department_id} is unknown or outside the app's contact range`);
                return open;
              }),
            ),
          ]
        : [ROOT_DEPARTMENT];
      if (!departments.every((d) => store.departmentInRange(app, d))) throw fail(40004, "without `departments` the user returns to the root, which needs the whole organisation in the app's contact range");
      if (u.mobile && store.contactHolder('mobile', u.mobile, u)) throw fail(44030);
      if (u.email && store.contactHolder('email', u.email, u)) throw fail(44031);
      if (store.contactHolder('user_id', u.user_id, u)) throw fail(44032);
      const before = userSnapshot(u);
      u.resigned = false;
      u.department_ids = departments;
      store.resignedAt.delete(u.open_id);
      userUpdatedEvents(core, before, u);
      return ok({});
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/users/:user_id/update_user_id',
    title: '更新用户ID',
    tokens: ['tenant'],
    scopes: ['contact:contact:update_user_id'],
    params: USER_PATH,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({ new_user_id: s.string({ maxLength: 256 }) }),
    errors: [41011, 41050, 41054],
    coverage: { partial: 'the platform limits how often a user_id may change (41013) without saying how often: the emulator does not limit it' },
    notes: "Gives a user in the app's contact range a new user_id (1 to 64 characters), free in the whole tenant (41011). Sends `contact.user.updated_v3` with the old user_id.",
    handle({ params, query, body, app, core }) {
      const store = core.store;
      const w = context(store, app, core.now(), query);
      const u = store.findUser(w.idType, params.user_id);
      if (!u || !store.userInRange(app, u)) throw fail(41050, `${w.idType} ${params.user_id} is unknown or outside the app's contact range`);
      const next = body.new_user_id;
      if (!next || chars(next) > 64) throw fail(41054, 'new_user_id is 1 to 64 characters');
      if (next === u.user_id) return ok({});
      if (store.findUser('user_id', next)) throw fail(41011, `user_id ${next}`);
      const before = userSnapshot(u);
      u.user_id = next;
      userUpdatedEvents(core, before, u);
      return ok({});
    },
  }),
];
