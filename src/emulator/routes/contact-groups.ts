import { randomBytes } from 'node:crypto';
import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { MAX_USER_GROUPS, type AppRecord, type Store, type UserGroupRecord, type UserRecord } from '../store.js';
import { contactPage, DEPARTMENT_ID_TYPE, USER_ID_TYPE } from './contact-views.js';

/**
 * User groups (contact/v3 group) and their members. A tenant token sees every group with a contact
 * range of the whole organisation and otherwise the groups its range names (42009); creating one
 * needs the whole organisation (42010). Members are people; departments may be members too (the
 * seed can make them), but the member routes add and remove people only, as the platform's do.
 */

const READ_SCOPES = ['contact:group:readonly'] as const;
const WRITE_SCOPES = ['contact:group'] as const;
const GROUP_ID = /^[A-Za-z0-9]{1,64}$/;
const USER_ID_TYPES = new Set(['open_id', 'union_id', 'user_id']);
/** A group's users at most, and all ordinary groups' users together per person in the tenant. */
const MAX_GROUP_USERS = 100_000;
const TENANT_MEMBER_FACTOR = 10;

const GROUP_PARAM = s.object({ group_id: s.string({ minLength: 1, maxLength: 128 }) });
const ID_TYPES = { user_id_type: USER_ID_TYPE, department_id_type: DEPARTMENT_ID_TYPE };
const MEMBER = s.object({ member_id: s.string({ maxLength: 128 }), member_type: s.string({ maxLength: 32 }), member_id_type: s.optional(s.string({ maxLength: 32 })) });

/** A group the app's range covers: unknown is 42002, outside the range 42009. */
function rangeGroup(store: Store, app: AppRecord, id: string): UserGroupRecord {
  const g = store.userGroups.get(id);
  if (!g) throw fail(42002, `no user group has the id ${id}`);
  if (!store.groupInRange(app, g)) throw fail(42009, `user group ${id} is outside the app's contact range`);
  return g;
}

function groupView(g: UserGroupRecord): Record<string, unknown> {
  return { id: g.group_id, name: g.name, description: g.description, member_user_count: g.users.size, member_department_count: g.departments.size, type: g.type };
}

/** The name and description rules of create and patch. */
function checkText(store: Store, name: string | undefined, description: string | undefined, self?: UserGroupRecord): void {
  if (name !== undefined) {
    if (!name.trim()) throw fail(42001);
    if ([...name].length > 100) throw fail(42013, 'a group name has at most 100 characters');
    for (const g of store.userGroups.values()) if (g !== self && g.name === name) throw fail(47009, `user group ${g.group_id} is already named ${JSON.stringify(name)}`);
  }
  if (description !== undefined && [...description].length > 500) throw fail(42014, 'a description has at most 500 characters');
}

function pageSize(size: number | undefined, fallback: number, max: number): number {
  if (size === undefined) return fallback;
  if (size < 1 || size > max) throw fail(40011, `page_size is 1 to ${max}`);
  return size;
}

/** The member_type and member_id_type of a people-only member write (41074, 41071). */
function userMemberType(memberType: string, idType: string | undefined): 'open_id' | 'union_id' | 'user_id' {
  if (memberType !== 'user') throw fail(41074, 'member_type must be user: only people are added or removed');
  if (idType === undefined || !USER_ID_TYPES.has(idType)) throw fail(41071, 'member_id_type must be open_id, union_id or user_id');
  return idType as 'open_id' | 'union_id' | 'user_id';
}

/**
 * What a member write starts with, in the platform's order: the group (in range), 1 to 100 members,
 * each named as a user by a known id type, and the group ordinary (a dynamic one's rule picks its members).
 */
function memberWrite(store: Store, app: AppRecord, groupId: string, members: Array<{ member_type: string; member_id_type?: string }>) {
  const g = rangeGroup(store, app, groupId);
  if (!members.length) throw fail(40001, 'members holds 1 to 100 people');
  const idTypes = members.map((m) => userMemberType(m.member_type, m.member_id_type));
  ordinary(g);
  return { g, idTypes };
}

/** Why a person cannot join a group, as the code batch_add reports per member; 0 when they can. */
function joinCode(store: Store, app: AppRecord, g: UserGroupRecord, u: UserRecord | undefined): 0 | 41073 | 42006 | 41050 | 42005 {
  if (!u) return 41073;
  if (u.resigned) return 42006;
  if (!store.userInRange(app, u)) return 41050;
  if (g.users.has(u.open_id)) return 42005;
  return 0;
}

function ordinary(g: UserGroupRecord): void {
  if (g.type === 2) throw fail(40001, `user group ${g.group_id} is dynamic: its rule picks its members`);
}

/** The platform's member limits: 100,000 in a group, and all groups' members within ten per person in the tenant. */
function roomFor(store: Store, g: UserGroupRecord, adding: number): void {
  let total = 0;
  for (const other of store.userGroups.values()) if (other.type === 1) total += other.users.size;
  if (g.users.size + adding > MAX_GROUP_USERS || total + adding > TENANT_MEMBER_FACTOR * store.users.length) {
    throw fail(42012, `a group holds at most ${MAX_GROUP_USERS} people, and all groups together ${TENANT_MEMBER_FACTOR} per person in the tenant`);
  }
}

function memberUser(store: Store, app: AppRecord, idType: string, id: string): UserRecord {
  const u = store.findUser(idType, id);
  if (!u) throw fail(41073, `no user has the ${idType} ${id}`);
  if (!store.userInRange(app, u)) throw fail(41050, `user ${id} is outside the app's contact range`);
  return u;
}

export const contactGroupRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/group',
    title: '创建用户组',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    query: s.object(ID_TYPES),
    body: s.object({
      group_id: s.optional(s.string({ maxLength: 128 })),
      name: s.string({ maxLength: 1000 }),
      description: s.optional(s.string({ maxLength: 5000 })),
      type: s.optional(s.integer()),
      dynamic_group_rule: s.optional(s.any()),
      visible_scope: s.optional(s.any()),
      department_scope_list: s.optional(s.array(s.string(), { maxItems: 1000 })),
    }),
    errors: [42001, 42002, 42003, 42010, 42013, 42014, 42016, 42024, 47005, 47009],
    coverage: { partial: 'dynamic groups (type 2) are refused with 42024, as for a tenant without them; the seed can hold them. visible_scope and department_scope_list are accepted and not kept' },
    notes: 'Needs a contact range of the whole organisation (42010). Names are unique (47009), at most 100 characters; a custom `group_id` is letters and digits (42002) and unique (47005); at most 500 groups (42016).',
    handle({ body, app, core }) {
      const store = core.store;
      if (!store.wholeRange(app)) throw fail(42010, "creating a user group needs a contact range of the whole organisation");
      const type = body.type ?? 1;
      if (type !== 1 && type !== 2) throw fail(42003, 'type is 1 (ordinary) or 2 (dynamic)');
      if (type === 2) throw fail(42024);
      checkText(store, body.name, body.description);
      if (body.group_id !== undefined) {
        if (!GROUP_ID.test(body.group_id)) throw fail(42002, 'a custom group_id is 1-64 letters and digits');
        if (store.userGroups.has(body.group_id)) throw fail(47005, `user group ${body.group_id} exists`);
      }
      if (store.userGroups.size >= MAX_USER_GROUPS) throw fail(42016, `a tenant has at most ${MAX_USER_GROUPS} user groups`);
      let id = body.group_id;
      while (id === undefined || store.userGroups.has(id)) id = `g${randomBytes(4).toString('hex')}`;
      store.userGroups.set(id, { group_id: id, name: body.name, description: body.description ?? '', type: 1, users: new Set(), departments: new Set() });
      return ok({ group_id: id });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/group/:group_id',
    title: '删除用户组',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    errors: [42002, 42009, 42017],
    coverage: 'full',
    notes: 'Only an empty group goes (42017); apps whose contact range named it no longer see it.',
    handle({ params, app, core }) {
      const g = rangeGroup(core.store, app, params.group_id);
      if (g.users.size || g.departments.size) throw fail(42017, `user group ${g.group_id} has ${g.users.size + g.departments.size} members`);
      core.store.userGroups.delete(g.group_id);
      for (const a of core.store.apps.values()) a.contact_range?.groups.delete(g.group_id);
      return ok({});
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/group/:group_id',
    title: '查询指定用户组',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    params: GROUP_PARAM,
    query: s.object(ID_TYPES),
    errors: [42002, 42009],
    coverage: { partial: 'a dynamic group shows no dynamic_group_rule, and no group shows visible_scope: the emulator keeps neither' },
    notes: 'Name, description, type and how many people and departments are members.',
    handle({ params, app, core }) {
      return ok({ group: groupView(rangeGroup(core.store, app, params.group_id)) });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/contact/v3/group/:group_id',
    title: '更新用户组',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    query: s.object(ID_TYPES),
    body: s.object({
      name: s.optional(s.string({ maxLength: 1000 })),
      description: s.optional(s.string({ maxLength: 5000 })),
      dynamic_group_rule: s.optional(s.any()),
      visible_scope: s.optional(s.any()),
      department_scope_list: s.optional(s.array(s.string(), { maxItems: 1000 })),
    }),
    errors: [42001, 42002, 42009, 42013, 42014, 47009],
    coverage: { partial: 'name and description change; dynamic_group_rule, visible_scope and department_scope_list are accepted and not kept' },
    notes: 'The same name and description rules as create.',
    handle({ params, body, app, core }) {
      const g = rangeGroup(core.store, app, params.group_id);
      checkText(core.store, body.name, body.description, g);
      if (body.name !== undefined) g.name = body.name;
      if (body.description !== undefined) g.description = body.description;
      return ok({});
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/group/simplelist',
    title: '查询用户组列表',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object({ page_size: s.optional(s.integer()), page_token: s.optional(s.string({ maxLength: 200 })), type: s.optional(s.integer()) }),
    errors: [40011, 40012, 42003],
    coverage: { partial: 'the docs do not give the default page size: 50 here, at most 100' },
    notes: "The groups the app's contact range covers, oldest first, of one `type` (1 ordinary, the default, or 2 dynamic).",
    handle({ query, app, core }) {
      const type = query.type ?? 1;
      if (type !== 1 && type !== 2) throw fail(42003, 'type is 1 (ordinary) or 2 (dynamic)');
      const groups = [...core.store.userGroups.values()].filter((g) => g.type === type && core.store.groupInRange(app, g));
      const page = contactPage(groups, 'group_simplelist', pageSize(query.page_size, 50, 100), query.page_token);
      return ok({ grouplist: page.items.map(groupView), has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/group/member_belong',
    title: '查询用户所属用户组',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    query: s.object({
      member_id: s.string({ minLength: 1, maxLength: 128 }),
      member_id_type: s.optional(s.string({ maxLength: 32 })),
      group_type: s.optional(s.integer()),
      page_size: s.optional(s.integer()),
      page_token: s.optional(s.string({ maxLength: 200 })),
    }),
    errors: [40011, 40012, 41050, 41071, 41073, 41074],
    coverage: { partial: 'a person belongs to a group named directly or through a member department (or one above theirs); the docs do not say whether department membership counts' },
    notes: "The ids of the groups a person belongs to, within the app's contact range; both types unless `group_type` says; 500 a page by default (1 to 1000).",
    handle({ query, app, core }) {
      const store = core.store;
      const idType = query.member_id_type ?? 'open_id';
      if (!USER_ID_TYPES.has(idType)) throw fail(41071, 'member_id_type is open_id, union_id or user_id');
      if (query.group_type !== undefined && query.group_type !== 1 && query.group_type !== 2) throw fail(41074, 'group_type is 1 or 2');
      const size = pageSize(query.page_size, 500, 1000);
      const u = memberUser(store, app, idType, query.member_id);
      const ids = [...store.userGroups.values()].filter((g) => (query.group_type === undefined || g.type === query.group_type) && store.groupInRange(app, g) && store.inGroup(g, u)).map((g) => g.group_id);
      const page = contactPage(ids, 'member_belong', size, query.page_token);
      return ok({ group_list: page.items, has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/group/:group_id/member/simplelist',
    title: '查询用户组成员列表',
    tokens: ['tenant'],
    scopes: READ_SCOPES,
    params: GROUP_PARAM,
    query: s.object({ page_size: s.optional(s.integer()), page_token: s.optional(s.string({ maxLength: 200 })), member_id_type: s.optional(s.string({ maxLength: 32 })), member_type: s.optional(s.string({ maxLength: 32 })) }),
    errors: [40011, 40012, 41071, 41072, 41074, 42002, 42009],
    coverage: { partial: 'department members are listed by their department_id (the only department id type the route names); the default page size is not documented: 50 here, at most 100' },
    notes: 'One kind of member a call: people (`member_type=user`, the default, by open_id, union_id or user_id) or departments (`member_type=department`, `member_id_type=department_id`), in the order they joined.',
    handle({ params, query, app, core }) {
      const store = core.store;
      const g = rangeGroup(store, app, params.group_id);
      const memberType = query.member_type ?? 'user';
      if (memberType !== 'user' && memberType !== 'department') throw fail(41074, 'member_type is user or department');
      const idType = query.member_id_type ?? (memberType === 'user' ? 'open_id' : 'department_id');
      if (!USER_ID_TYPES.has(idType) && idType !== 'department_id') throw fail(41071, 'member_id_type is open_id, union_id, user_id or department_id');
      if ((memberType === 'user') !== USER_ID_TYPES.has(idType)) throw fail(41072, `member_type ${memberType} does not go with member_id_type ${idType}`);
      const size = pageSize(query.page_size, 50, 100);
      const ids =
        memberType === 'user'
          ? [...g.users].map((openId) => {
              const u = store.findUser('open_id', openId);
              return u ? store.userIdOf(u, idType) : openId;
            })
          : [...g.departments].map((d) => store.departmentIdOf(d, 'department_id'));
      const page = contactPage(ids, 'group_members', size, query.page_token);
      return ok({ memberlist: page.items.map((member_id) => ({ member_id, member_type: memberType, member_id_type: idType })), has_more: page.has_more, ...(page.page_token ? { page_token: page.page_token } : {}) });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/group/:group_id/member/add',
    title: '添加用户组成员',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    body: MEMBER,
    errors: [40001, 41050, 41071, 41073, 41074, 42002, 42005, 42006, 42009, 42012],
    coverage: { partial: "a dynamic group's members follow its rule: adding to one is refused with 40001, a code the docs do not give for it" },
    notes: 'One person to an ordinary group. Both must be in the contact range (42009, 41050); a resigned person is 42006; one already there is 42005 (HTTP 200).',
    handle({ params, body, app, core }) {
      const store = core.store;
      const { g, idTypes: [idType] } = memberWrite(store, app, params.group_id, [body]);
      const u = store.findUser(idType, body.member_id);
      const code = joinCode(store, app, g, u);
      if (code !== 0) throw fail(code, `${body.member_id} (${idType})`);
      roomFor(store, g, 1);
      g.users.add(u!.open_id);
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/group/:group_id/member/remove',
    title: '移除用户组成员',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    body: MEMBER,
    errors: [40001, 41050, 41071, 41073, 41074, 42002, 42009],
    coverage: { partial: 'removing a person who is not a member succeeds and changes nothing; the docs give no code for it' },
    notes: 'One person from an ordinary group; both in the contact range.',
    handle({ params, body, app, core }) {
      const store = core.store;
      const { g, idTypes: [idType] } = memberWrite(store, app, params.group_id, [body]);
      g.users.delete(memberUser(store, app, idType, body.member_id).open_id);
      return ok({});
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/group/:group_id/member/batch_add',
    title: '批量添加用户组成员',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    body: s.object({ members: s.optional(s.array(MEMBER, { minItems: 1, maxItems: 100 })) }),
    errors: [40001, 41071, 41074, 42002, 42009, 42012],
    coverage: { partial: 'the docs do not say which failures are per member: here an unknown (41073), resigned (42006), out-of-range (41050) or present (42005) person is a result code and the others join; a wrong member_type or member_id_type fails the call' },
    notes: '1 to 100 people; `results` gives each one\'s code (0 joined).',
    handle({ params, body, app, core }) {
      const store = core.store;
      const members = body.members ?? [];
      const { g, idTypes } = memberWrite(store, app, params.group_id, members);
      const users = members.map((m, i) => store.findUser(idTypes[i]!, m.member_id));
      const codes = users.map((u) => joinCode(store, app, g, u));
      roomFor(store, g, new Set(users.filter((u, i) => codes[i] === 0).map((u) => u!.open_id)).size);
      const results = members.map((m, i) => {
        const code = codes[i] === 0 && g.users.has(users[i]!.open_id) ? 42005 : codes[i]!;
        if (code === 0) g.users.add(users[i]!.open_id);
        return { member_id: m.member_id, code };
      });
      return ok({ results });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/group/:group_id/member/batch_remove',
    title: '批量移除用户组成员',
    tokens: ['tenant'],
    scopes: WRITE_SCOPES,
    params: GROUP_PARAM,
    body: s.object({ members: s.array(MEMBER, { minItems: 1, maxItems: 100 }) }),
    errors: [40001, 41050, 41071, 41073, 41074, 42002, 42009],
    coverage: { partial: 'one unknown or out-of-range person fails the whole call and removes no one; people who are not members are passed over. The docs say neither' },
    notes: '1 to 100 people from an ordinary group.',
    handle({ params, body, app, core }) {
      const store = core.store;
      const { g, idTypes } = memberWrite(store, app, params.group_id, body.members);
      const users = body.members.map((m, i) => memberUser(store, app, idTypes[i]!, m.member_id));
      for (const u of users) g.users.delete(u.open_id);
      return ok({});
    },
  }),
];
