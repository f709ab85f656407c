import type { EmulatorCore, Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { userSnapshot, userUpdatedEvents } from '../contact-events.js';
import { JOB_LIMITS, type I18nContent, type JobFamilyRecord, type JobLevelRecord, type NamedEntryRecord, type Store } from '../store.js';
import { contactPage } from './contact-views.js';

/**
 * The tenant's job levels (职级) and job families (序列), which apps with the write scopes create,
 * change and delete, and its job titles (职务), which only the admin console makes. Names are unique
 * among levels and among families; a family with families below it cannot be deleted.
 */

const LEVEL_READ = ['contact:contact:readonly_as_app', 'contact:job_level', 'contact:job_level:readonly'] as const;
const LEVEL_WRITE = ['contact:contact', 'contact:job_level'] as const;
const FAMILY_READ = ['contact:contact:readonly_as_app', 'contact:job_family', 'contact:job_family:readonly'] as const;
const FAMILY_WRITE = ['contact:contact', 'contact:job_family'] as const;
const TITLE_READ = ['contact:job_title:readonly', 'contact:contact:access_as_user', 'contact:contact:readonly_as_app'] as const;

/** Names in other languages: the platform's three locales, bounded. */
const I18N = s.optional(s.array(s.object({ locale: s.optional(s.enum(['zh_cn', 'en_us', 'ja_jp'])), value: s.optional(s.string({ maxLength: 5000 })) }), { maxItems: 3 }));
/** Long enough for the platform's own checks (and their codes) to answer a name or description too long. */
const TEXT = s.string({ maxLength: 10_000 });
const ID = s.string({ minLength: 1, maxLength: 64 });
const PAGE = { page_size: s.optional(s.integer({ minimum: 1, maximum: 50 })), page_token: s.optional(s.string({ maxLength: 200 })) };

const i18nOf = (list: { locale?: string; value?: string }[] | undefined): I18nContent[] =>
  (list ?? []).filter((e) => e.locale !== undefined && e.value !== undefined).map((e) => ({ locale: e.locale!, value: e.value! }));

function levelView(l: JobLevelRecord) {
  return { name: l.name, description: l.description, order: l.order, status: l.status, job_level_id: l.job_level_id, i18n_name: l.i18n_name, i18n_description: l.i18n_description };
}

function familyView(f: JobFamilyRecord) {
  return { name: f.name, description: f.description, parent_job_family_id: f.parent_job_family_id, status: f.status, i18n_name: f.i18n_name, i18n_description: f.i18n_description, job_family_id: f.job_family_id };
}

export function namedView(e: NamedEntryRecord, idKey: string) {
  return { [idKey]: e.id, name: e.name, i18n_name: e.i18n_name, status: e.status };
}

function level(store: Store, id: string): JobLevelRecord {
  const l = store.jobLevels.get(id);
  if (!l) throw fail(42301, `no job level has the id ${id}`);
  return l;
}

function family(store: Store, id: string): JobFamilyRecord {
  const f = store.jobFamilies.get(id);
  if (!f) throw fail(42402, `no job family has the id ${id}`);
  return f;
}

/** The level rules its docs give codes for: name 1-255, description up to 5,000, order 100-100000, both unique. */
function checkLevel(store: Store, self: string | null, body: { name?: string; description?: string; order?: number }): void {
  if (body.name !== undefined && (body.name.length < 1 || body.name.length > 255)) throw fail(42303, 'a name is 1 to 255 characters');
  if (body.description !== undefined && body.description.length > 5000) throw fail(42304, 'a description is at most 5,000 characters');
  if (body.order !== undefined && (body.order < 100 || body.order > 100000)) throw fail(42308, 'order is 100 to 100000');
  for (const other of store.jobLevels.values()) {
    if (other.job_level_id === self) continue;
    if (body.name !== undefined && other.name === body.name) throw fail(42305, `the job level ${other.job_level_id} is named ${JSON.stringify(body.name)}`);
    if (body.order !== undefined && other.order === body.order) throw fail(42306, `the job level ${other.job_level_id} has order ${body.order}`);
  }
}

/** Without an order a new level sorts last: one past the largest, or the first free value when that is taken. */
function lastOrder(store: Store): number {
  const taken = new Set([...store.jobLevels.values()].map((l) => l.order));
  const max = Math.max(99, ...taken);
  if (max < 100000) return max + 1;
  for (let o = 100; o <= 100000; o++) if (!taken.has(o)) return o;
  throw fail(42300);
}

/** The family rules its docs give codes for: name 1-100 and unique, description up to 5,000, a live enabled parent, no loop. */
function checkFamily(store: Store, self: string | null, body: { name?: string; description?: string; parent_job_family_id?: string }): void {
  if (body.name !== undefined && (body.name.length < 1 || body.name.length > 100)) throw fail(42404, 'a name is 1 to 100 characters');
  if (body.description !== undefined && body.description.length > 5000) throw fail(42405, 'a description is at most 5,000 characters');
  if (body.name !== undefined) {
    for (const other of store.jobFamilies.values()) if (other.job_family_id !== self && other.name === body.name) throw fail(42406, `the job family ${other.job_family_id} is named ${JSON.stringify(body.name)}`);
  }
  const parent = body.parent_job_family_id;
  if (parent) {
    const p = store.jobFamilies.get(parent);
    if (!p) throw fail(42408, `no job family has the id ${parent}`);
    if (!p.status) throw fail(42409, `the job family ${parent} is disabled`);
    if (self !== null && store.jobFamilyCycle(self, parent)) throw fail(42407, `${parent} is ${self} or below it`);
  }
}

const LEVEL_BODY = { name: TEXT, description: s.optional(TEXT), order: s.optional(s.integer()), status: s.boolean(), i18n_name: I18N, i18n_description: I18N };
const FAMILY_BODY = { name: TEXT, description: s.optional(TEXT), parent_job_family_id: s.optional(s.string({ maxLength: 64 })), status: s.boolean(), i18n_name: I18N, i18n_description: I18N };

/**
 * Users holding a deleted level or family are left without one, and the apps that see them are
 * told (contact.user.updated_v3). The docs give deleting one in use no code of refusal.
 */
function clearHolders(core: EmulatorCore, field: 'job_level_id' | 'job_family_id', id: string): void {
  for (const u of core.store.holders(field, id)) {
    const before = userSnapshot(u);
    u[field] = '';
    userUpdatedEvents(core, before, u);
  }
}

function paged<T>(items: readonly T[], list: string, query: { page_size?: number; page_token?: string }, view: (x: T) => unknown) {
  const page = contactPage(items, list, query.page_size ?? 10, query.page_token);
  return ok({ items: page.items.map(view), ...(page.page_token ? { page_token: page.page_token } : {}), has_more: page.has_more });
}

export const contactJobRoutes: Route[] = [
  // ── job levels ──
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/job_levels',
    title: '创建职级',
    tokens: ['tenant'],
    scopes: LEVEL_WRITE,
    body: s.object(LEVEL_BODY),
    errors: [42300, 42303, 42304, 42305, 42306, 42308],
    coverage: { partial: 'without `order` a level sorts last (one past the largest order); the docs say "last" without the number' },
    notes: 'Name 1-255 characters and unique (42305), order 100-100000 and unique (42306), at most 10,000 levels (42300).',
    handle({ body, core }) {
      const store = core.store;
      checkLevel(store, null, body);
      if (store.jobLevels.size >= JOB_LIMITS.levels) throw fail(42300, `a tenant holds at most ${JOB_LIMITS.levels} job levels`);
      const id = store.newEntryId(store.jobLevels);
      const l: JobLevelRecord = { job_level_id: id, name: body.name, description: body.description ?? '', order: body.order ?? lastOrder(store), status: body.status, i18n_name: i18nOf(body.i18n_name), i18n_description: i18nOf(body.i18n_description) };
      store.jobLevels.set(id, l);
      return ok({ job_level: levelView(l) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_levels',
    title: '获取租户职级列表',
    tokens: ['tenant'],
    scopes: LEVEL_READ,
    query: s.object({ ...PAGE, name: s.optional(s.string({ maxLength: 255 })) }),
    errors: [40012],
    coverage: { partial: '`name` matches a whole name here; the docs do not say whether it matches part of one' },
    notes: 'Levels by `order` (smallest first), 10 a page (at most 50); `name` keeps the level of that name.',
    handle({ query, core }) {
      const all = [...core.store.jobLevels.values()].filter((l) => query.name === undefined || l.name === query.name).sort((a, b) => a.order - b.order);
      return paged(all, 'job_levels', query, levelView);
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_levels/:job_level_id',
    title: '获取单个职级信息',
    tokens: ['tenant'],
    scopes: LEVEL_READ,
    params: s.object({ job_level_id: ID }),
    errors: [42301],
    coverage: 'full',
    handle({ params, core }) {
      return ok({ job_level: levelView(level(core.store, params.job_level_id)) });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/job_levels/:job_level_id',
    title: '更新职级',
    tokens: ['tenant'],
    scopes: LEVEL_WRITE,
    params: s.object({ job_level_id: ID }),
    body: s.object({ ...LEVEL_BODY, name: s.optional(TEXT), status: s.optional(s.boolean()) }),
    errors: [42301, 42303, 42304, 42305, 42306, 42308],
    coverage: 'full',
    notes: 'Fields left out keep their value; the name and order stay unique.',
    handle({ params, body, core }) {
      const l = level(core.store, params.job_level_id);
      checkLevel(core.store, l.job_level_id, body);
      if (body.name !== undefined) l.name = body.name;
      if (body.description !== undefined) l.description = body.description;
      if (body.order !== undefined) l.order = body.order;
      if (body.status !== undefined) l.status = body.status;
      if (body.i18n_name !== undefined) l.i18n_name = i18nOf(body.i18n_name);
      if (body.i18n_description !== undefined) l.i18n_description = i18nOf(body.i18n_description);
      return ok({ job_level: levelView(l) });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/job_levels/:job_level_id',
    title: '删除职级',
    tokens: ['tenant'],
    scopes: LEVEL_WRITE,
    params: s.object({ job_level_id: ID }),
    errors: [42301],
    coverage: { partial: 'the docs give no refusal for a level users hold, nor say what becomes of them: here it goes, they hold none, and apps that see them get contact.user.updated_v3' },
    notes: 'A level users hold is deleted too: they are left without one.',
    handle({ params, core }) {
      level(core.store, params.job_level_id);
      core.store.jobLevels.delete(params.job_level_id);
      clearHolders(core, 'job_level_id', params.job_level_id);
      return ok({});
    },
  }),
  // ── job families ──
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/job_families',
    title: '创建序列',
    tokens: ['tenant'],
    scopes: FAMILY_WRITE,
    body: s.object(FAMILY_BODY),
    errors: [42400, 42404, 42405, 42406, 42408, 42409],
    coverage: { partial: "the cap of 10,000 families is answered 42400, a code the docs we read do not list; the families' depth limit (42413) is not enforced" },
    notes: 'Name 1-100 characters and unique (42406); a parent must exist (42408) and be enabled (42409).',
    handle({ body, core }) {
      const store = core.store;
      checkFamily(store, null, body);
      if (store.jobFamilies.size >= JOB_LIMITS.families) throw fail(42400, `a tenant holds at most ${JOB_LIMITS.families} job families`);
      const id = store.newEntryId(store.jobFamilies);
      const f: JobFamilyRecord = { job_family_id: id, name: body.name, description: body.description ?? '', parent_job_family_id: body.parent_job_family_id ?? '', status: body.status, i18n_name: i18nOf(body.i18n_name), i18n_description: i18nOf(body.i18n_description) };
      store.jobFamilies.set(id, f);
      return ok({ job_family: familyView(f) });
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_families',
    title: '获取租户序列列表',
    tokens: ['tenant'],
    scopes: FAMILY_READ,
    query: s.object({ ...PAGE, name: s.optional(s.string({ maxLength: 100 })) }),
    errors: [40012],
    coverage: { partial: '`name` matches a whole name here; the docs do not say whether it matches part of one' },
    notes: 'Families in creation order, 10 a page (at most 50); `name` keeps the family of that name.',
    handle({ query, core }) {
      const all = [...core.store.jobFamilies.values()].filter((f) => query.name === undefined || f.name === query.name);
      return paged(all, 'job_families', query, familyView);
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_families/:job_family_id',
    title: '获取单个序列信息',
    tokens: ['tenant'],
    scopes: FAMILY_READ,
    params: s.object({ job_family_id: ID }),
    errors: [42402],
    coverage: 'full',
    handle({ params, core }) {
      return ok({ job_family: familyView(family(core.store, params.job_family_id)) });
    },
  }),
  openApi({
    method: 'PUT',
    path: '/open-apis/contact/v3/job_families/:job_family_id',
    title: '更新序列',
    tokens: ['tenant'],
    scopes: FAMILY_WRITE,
    params: s.object({ job_family_id: ID }),
    body: s.object({ ...FAMILY_BODY, name: s.optional(TEXT), status: s.optional(s.boolean()) }),
    errors: [42402, 42404, 42405, 42406, 42407, 42408, 42409],
    coverage: 'full',
    notes: 'Fields left out keep their value; a parent that is the family itself or below it is 42407.',
    handle({ params, body, core }) {
      const f = family(core.store, params.job_family_id);
      checkFamily(core.store, f.job_family_id, body);
      if (body.name !== undefined) f.name = body.name;
      if (body.description !== undefined) f.description = body.description;
      if (body.parent_job_family_id) f.parent_job_family_id = body.parent_job_family_id;
      if (body.status !== undefined) f.status = body.status;
      if (body.i18n_name !== undefined) f.i18n_name = i18nOf(body.i18n_name);
      if (body.i18n_description !== undefined) f.i18n_description = i18nOf(body.i18n_description);
      return ok({ job_family: familyView(f) });
    },
  }),
  openApi({
    method: 'DELETE',
    path: '/open-apis/contact/v3/job_families/:job_family_id',
    title: '删除序列',
    tokens: ['tenant'],
    scopes: FAMILY_WRITE,
    params: s.object({ job_family_id: ID }),
    errors: [42402, 42411],
    coverage: { partial: 'the docs give no refusal for a family users hold, nor say what becomes of them: here it goes, they hold none, and apps that see them get contact.user.updated_v3' },
    notes: 'Only a family with no families below it (42411); users holding it are left without one.',
    handle({ params, core }) {
      const f = family(core.store, params.job_family_id);
      const child = [...core.store.jobFamilies.values()].find((c) => c.parent_job_family_id === f.job_family_id);
      if (child) throw fail(42411, `the job family ${child.job_family_id} is below it`);
      core.store.jobFamilies.delete(f.job_family_id);
      clearHolders(core, 'job_family_id', f.job_family_id);
      return ok({});
    },
  }),
  // ── job titles (read-only) ──
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_titles',
    title: '获取租户职务列表',
    tokens: ['tenant', 'user'],
    scopes: TITLE_READ,
    query: s.object(PAGE),
    errors: [40012],
    coverage: 'full',
    notes: "The seed's job titles and those user writes named (a title the tenant lacks is added), 10 a page (at most 50).",
    handle({ query, core }) {
      return paged([...core.store.jobTitles.values()], 'job_titles', query, (e) => namedView(e, 'job_title_id'));
    },
  }),
  openApi({
    method: 'GET',
    path: '/open-apis/contact/v3/job_titles/:job_title_id',
    title: '获取单个职务信息',
    tokens: ['tenant', 'user'],
    scopes: TITLE_READ,
    params: s.object({ job_title_id: ID }),
    errors: [],
    coverage: { partial: 'the docs list no code for an unknown id: here 99992402 names job_title_id' },
    handle({ params, core }) {
      const e = core.store.jobTitles.get(params.job_title_id);
      if (!e) throw fail(99992402, undefined, { field_violations: [{ field: 'job_title_id', value: params.job_title_id, description: 'no job title has this id' }] });
      return ok({ job_title: namedView(e, 'job_title_id') });
    },
  }),
];
