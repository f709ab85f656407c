import { CliError } from '../output/errors.js';
import { readUserFileSync } from '../input/user-file.js';
import { fileURLToPath } from 'node:url';
import { jsonTooDeep } from './http.js';
import { seededUserIds, type SeededPerson } from '../callback/seeded-ids.js';
import { checkDirectory, checkDirectoryUser, checkGroupsUnitsTypes, checkJobsAndRoles, type SeedCustomAttrDefinition, type SeedFunctionalRole, type SeedJobFamily, type SeedJobLevel, type SeedNamedEntry } from './seed-directory.js';
import { checkMenuLinks, type SeedBotMenuItem, type SeedUrlPreviewRule } from './seed-menu-links.js';

/** What a seed file may hold. Everything but `apps` is optional. */
export interface SeedFile {
  tenant_key?: string;
  apps: SeedApp[];
  users?: SeedUser[];
  chats?: SeedChat[];
  templates?: SeedTemplate[];
  /** WPS 协作 apps, for the WPS endpoints. */
  wps_apps?: SeedWpsApp[];
  /** Image keys every app may use in cards, as if uploaded earlier (no bytes). */
  image_keys?: string[];
  /** The organisation's departments under its root (department id "0"), parents before or after children. */
  departments?: SeedDepartment[];
  // ── h24-contact-groups ──
  /** User groups (用户组) and their members. */
  groups?: SeedGroup[];
  /** Units (单位) and the departments bound to them. */
  units?: SeedUnit[];
  /** The tenant's own workforce types (人员类型), beside the built-in 1-5. */
  employee_type_enums?: SeedEmployeeType[];
  // ── h24-contact-roles: the tenant's job levels, families, titles, work cities, roles, custom fields ──
  job_levels?: SeedJobLevel[];
  job_families?: SeedJobFamily[];
  job_titles?: (SeedNamedEntry & { job_title_id: string })[];
  work_cities?: (SeedNamedEntry & { work_city_id: string })[];
  functional_roles?: SeedFunctionalRole[];
  /** The custom user fields; absent, they are the fields the users' values name. */
  custom_attrs?: SeedCustomAttrDefinition[];
}

/** Names in the languages the platform returns. */
export interface SeedI18nName {
  zh_cn?: string;
  ja_jp?: string;
  en_us?: string;
}

export interface SeedDepartment {
  /** The tenant's own id for it (`department_id`); not "0" and not starting with `od-`. */
  department_id: string;
  name: string;
  i18n_name?: SeedI18nName;
  /** The parent's department_id; absent or "0" puts it under the root. */
  parent_department_id?: string;
  /** Its leaders by email, mobile, open_id, union_id or user_id: the first is the main one, the rest deputies. */
  leaders?: string[];
  /** Where it sorts among its siblings (smaller first). */
  order?: number;
  open_department_id?: string;
  /** The department's group chat, if it has one. */
  chat_id?: string;
}

/** What an app sees of the directory (通讯录权限范围): departments (with everything under them) and single users. */
export interface SeedContactRange {
  /** department_ids; "0" is the whole organisation. */
  departments?: string[];
  /** Users by email, mobile, open_id, union_id or user_id. */
  users?: string[];
  /** User groups by group_id: their members are in the range too. */
  groups?: string[];
}

// ── h24-contact-groups ──
export interface SeedGroup {
  /** Letters and digits, at most 64. */
  group_id: string;
  name: string;
  description?: string;
  /** 1 an ordinary group (default), 2 a dynamic one (its members as its rule picked them). */
  type?: 1 | 2;
  /** Members by email, mobile, open_id, union_id or user_id. */
  users?: string[];
  /** Member departments by department_id ("0" is everyone). */
  departments?: string[];
}

export interface SeedUnit {
  unit_id: string;
  name: string;
  unit_type: string;
  /** Departments bound to it by department_id; a department is bound to one unit at most. */
  departments?: string[];
}

export interface SeedEmployeeType {
  /** What users' employee_type holds: 6 to 100 (1-5 are the built-in types). */
  enum_value: number;
  content: string;
  enum_id?: string;
  /** 1 active (default), 2 inactive. */
  enum_status?: 1 | 2;
  i18n_content?: { locale: string; value: string }[];
}

export interface SeedWpsApp {
  /** The AK. */
  app_key: string;
  /** The SK. */
  secret: string;
  name?: string;
  company_id: string;
  /** Users and departments of the company, by id; absent means any id is accepted. */
  company_uids?: string[];
  dept_ids?: string[];
  callback_url?: string;
}

export interface SeedApp {
  app_id: string;
  app_secret: string;
  name?: string;
  /** Scopes the app was granted; absent means every scope the emulator checks. */
  scopes?: string[];
  encrypt_key?: string;
  verification_token?: string;
  callback_url?: string;
  /** The callback the app subscribed to (default: the new card.action.trigger). */
  callback_format?: 'card.action.trigger' | 'card.action.trigger_v1';
  /** Open ids of the users inside the app's availability range; absent means everyone. */
  availability?: string[];
  /** Callbacks over the callback URL (http) or the long connection (ws); default: http when callback_url is set. */
  callback_mode?: 'http' | 'ws';
  /** Where events are POSTed in the webhook mode. */
  event_url?: string;
  /** Events over event_url (http) or the long connection (ws); default: http when event_url is set. */
  event_mode?: 'http' | 'ws';
  /** Send callbacks as type=card frames over the long connection (the SDKs drop them). */
  ws_card_frames?: boolean;
  /** The directory the app's tenant token sees; absent means the whole organisation. */
  contact_range?: SeedContactRange;
  // ── h24-menu-links ──
  /** The bot's menu in its one-to-one chat: up to 3 items, each an event_key or up to 5 children. */
  bot_menu?: SeedBotMenuItem[];
  /** Link previews: a person's link matching one of these rules makes the platform ask the app for a preview (url.preview.get). */
  url_previews?: SeedUrlPreviewRule[];
}

export interface SeedUser {
  name: string;
  mobile?: string;
  email?: string;
  open_id?: string;
  union_id?: string;
  user_id?: string;
  resigned?: boolean;
  frozen?: boolean;
  // The directory's fields (contact/v3); every one is optional.
  en_name?: string;
  nickname?: string;
  i18n_name?: SeedI18nName;
  /** 0 unknown, 1 male, 2 female, 3 other. */
  gender?: 0 | 1 | 2 | 3;
  /** 1 regular, 2 intern, 3 outsourcing, 4 contractor, 5 consultant. */
  employee_type?: number;
  employee_no?: string;
  job_title?: string;
  city?: string;
  country?: string;
  work_station?: string;
  /** The departments they belong to by department_id, the primary first; absent puts them under the root. */
  department_ids?: string[];
  /** Their leader by email, mobile, open_id, union_id or user_id. */
  leader?: string;
  /** When they joined, in seconds since the epoch. */
  join_time?: number;
  is_tenant_manager?: boolean;
  /** Their picture; the platform's sizes are this URL with a size asked for. */
  avatar_url?: string;
  /** Values of the tenant's custom fields, by the field's id. */
  custom_attrs?: SeedCustomAttr[];
  // ── h24-contact-roles ──
  /** Their job level, family, title (its name fills `job_title` when that is absent) and work city (likewise `city`), by id. */
  job_level_id?: string;
  job_family_id?: string;
  job_title_id?: string;
  work_city_id?: string;
}

export interface SeedCustomAttr {
  id: string;
  /** TEXT (default), HREF, ENUMERATION, PICTURE_ENUM or GENERIC_USER. */
  type?: string;
  value: { text?: string; url?: string; pc_url?: string; option_id?: string; [k: string]: unknown };
}

export interface SeedChat {
  name: string;
  chat_id?: string;
  description?: string;
  /** Members by email, mobile or open_id. */
  members?: string[];
  /** App ids of bots in the chat. */
  bots?: string[];
}

export interface SeedTemplate {
  template_id: string;
  /** Apps that may use it; absent means all seeded apps. */
  apps?: string[];
  versions: SeedTemplateVersion[];
}

export interface SeedTemplateVersion {
  version_name: string;
  /** The card JSON, with `${name}` where a variable goes. */
  card: Record<string, unknown>;
  variables?: Record<string, { type: TemplateVariableType; default?: unknown }>;
}

export type TemplateVariableType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export const DEFAULT_SEED_PATH = fileURLToPath(new URL('../../fixtures/emulator/default-seed.json', import.meta.url));

export class SeedError extends Error {}

/** A seed is someone's file: it is bounded like any other input. */
export const SEED_LIMITS = { bytes: 8 * 1024 * 1024, depth: 64, apps: 100, users: 10_000, chats: 1000, templates: 1000, wps_apps: 100, departments: 5000, members: 5000, image_keys: 10_000, string: 4096 } as const;

/** A relative `path` starts from `cwd` (the process's working directory without one) and is named as written. */
export function loadSeedFile(path: string, cwd?: string): SeedFile {
  let text: string;
  try {
    text = readUserFileSync(path, { what: 'seed file', maxBytes: SEED_LIMITS.bytes, cwd, tooLarge: () => new CliError('usage', `it is larger than ${SEED_LIMITS.bytes} bytes`) }).toString('utf8');
  } catch (err) {
    throw new SeedError(`cannot read seed file ${path}: ${(err as Error).message.replace(`seed file ${path} `, 'it ')}`);
  }
  if (jsonTooDeep(text, SEED_LIMITS.depth)) throw new SeedError(`seed file ${path} nests deeper than ${SEED_LIMITS.depth} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`seed file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateSeed(parsed, path);
}

export function loadDefaultSeed(): SeedFile {
  return loadSeedFile(DEFAULT_SEED_PATH);
}

/** Checks the shape of a seed, naming the JSON path of the first thing wrong. */
export function validateSeed(value: unknown, source = 'seed'): SeedFile {
  const fail = (path: string, what: string): never => {
    throw new SeedError(`${source}: ${path} ${what}`);
  };
  // Optional text fields: a string when present, of a sane length, and of the id's shape where it has one.
  const text = (obj: Record<string, unknown>, path: string, key: string, shape?: RegExp, what?: string) => {
    const v = obj[key];
    if (v === undefined) return;
    if (typeof v !== 'string' || v.length > SEED_LIMITS.string) fail(`${path}.${key}`, `must be a string of at most ${SEED_LIMITS.string} characters`);
    if (shape && !shape.test(v as string)) fail(`${path}.${key}`, `must be ${what}, not ${JSON.stringify(v)}`);
  };
  const list = (key: 'apps' | 'users' | 'chats' | 'templates' | 'wps_apps' | 'departments') => {
    const root = value as Record<string, unknown>;
    if (root[key] !== undefined && !Array.isArray(root[key])) fail(`$.${key}`, 'must be an array');
    const items = (root[key] as unknown[] | undefined) ?? [];
    if (items.length > SEED_LIMITS[key]) fail(`$.${key}`, `holds ${items.length} entries; at most ${SEED_LIMITS[key]}`);
    return items;
  };
  if (!isObject(value)) return fail('$', 'must be an object');
  text(value, '$', 'tenant_key', ID, 'letters, digits, _ and -');
  if (!Array.isArray(value.apps) || value.apps.length === 0) fail('$.apps', 'must be a non-empty array');
  const appIds = new Set<string>();
  list('apps').forEach((app, i) => {
    if (!isObject(app)) return fail(`$.apps[${i}]`, 'must be an object');
    if (typeof app.app_id !== 'string' || !app.app_id) fail(`$.apps[${i}].app_id`, 'must be a non-empty string');
    text(app, `$.apps[${i}]`, 'app_id', ID, 'letters, digits, _ and -');
    if (appIds.has(app.app_id as string)) fail(`$.apps[${i}].app_id`, `repeats ${JSON.stringify(app.app_id)}`);
    appIds.add(app.app_id as string);
    if (typeof app.app_secret !== 'string' || !app.app_secret) fail(`$.apps[${i}].app_secret`, 'must be a non-empty string');
    for (const k of ['app_secret', 'name', 'encrypt_key', 'verification_token']) text(app, `$.apps[${i}]`, k);
    text(app, `$.apps[${i}]`, 'callback_url', HTTP_URL, 'an http(s) URL');
    if (app.callback_format !== undefined && app.callback_format !== 'card.action.trigger' && app.callback_format !== 'card.action.trigger_v1') {
      fail(`$.apps[${i}].callback_format`, 'must be "card.action.trigger" or "card.action.trigger_v1"');
    }
    if (app.scopes !== undefined && !isStringArray(app.scopes)) fail(`$.apps[${i}].scopes`, 'must be an array of strings');
    if (app.availability !== undefined && !isStringArray(app.availability)) fail(`$.apps[${i}].availability`, 'must be an array of open_ids');
    text(app, `$.apps[${i}]`, 'event_url', HTTP_URL, 'an http(s) URL');
    for (const k of ['callback_mode', 'event_mode']) {
      if (app[k] !== undefined && app[k] !== 'http' && app[k] !== 'ws') fail(`$.apps[${i}].${k}`, 'must be "http" or "ws"');
    }
    if (app.ws_card_frames !== undefined && typeof app.ws_card_frames !== 'boolean') fail(`$.apps[${i}].ws_card_frames`, 'must be true or false');
  });
  list('users').forEach((u, i) => {
    if (!isObject(u) || typeof u.name !== 'string') return fail(`$.users[${i}].name`, 'must be a string');
    const user = u as Record<string, unknown>;
    text(user, `$.users[${i}]`, 'name');
    text(user, `$.users[${i}]`, 'mobile');
    text(user, `$.users[${i}]`, 'email', /^[^\s@]+@[^\s@]+$/, 'an email address');
    text(user, `$.users[${i}]`, 'open_id', /^ou_[0-9A-Za-z_-]+$/, 'an open_id (ou_…)');
    text(user, `$.users[${i}]`, 'union_id', /^on_[0-9A-Za-z_-]+$/, 'a union_id (on_…)');
    text(user, `$.users[${i}]`, 'user_id', ID, 'letters, digits, _ and -');
    if (user.mobile === undefined && user.email === undefined && user.open_id === undefined) {
      fail(`$.users[${i}]`, 'needs a mobile, an email or an open_id');
    }
    checkDirectoryUser(user, `$.users[${i}]`, text, fail);
  });
  // Every way a chat member may name a user, with the ids the store derives for users given none.
  const userKeys = new Set<string>();
  for (const u of list('users') as unknown as SeededPerson[]) {
    const ids = seededUserIds(u);
    for (const k of [u.email, u.mobile, ids.open_id, ids.union_id, ids.user_id]) if (k) userKeys.add(k);
  }
  list('chats').forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string') return fail(`$.chats[${i}].name`, 'must be a string');
    text(c, `$.chats[${i}]`, 'name');
    text(c, `$.chats[${i}]`, 'description');
    text(c, `$.chats[${i}]`, 'chat_id', /^oc_[0-9A-Za-z_-]+$/, 'a chat_id (oc_…)');
    for (const k of ['members', 'bots']) {
      if (c[k] !== undefined && (!isStringArray(c[k]) || (c[k] as string[]).length > SEED_LIMITS.members)) fail(`$.chats[${i}].${k}`, `must be an array of at most ${SEED_LIMITS.members} strings`);
    }
    ((c.members as string[] | undefined) ?? []).forEach((m, j) => {
      if (!userKeys.has(m)) fail(`$.chats[${i}].members[${j}]`, `names no seeded user (${JSON.stringify(m)}): use a user's email, mobile, open_id, union_id or user_id`);
    });
    ((c.bots as string[] | undefined) ?? []).forEach((b, j) => {
      if (!appIds.has(b)) fail(`$.chats[${i}].bots[${j}]`, `names no seeded app (${JSON.stringify(b)})`);
    });
  });
  list('templates');
  list('wps_apps');
  checkDirectory(list('departments'), list('users'), list('apps'), userKeys, text, fail);
  checkGroupsUnitsTypes(value, userKeys, text, fail);
  checkJobsAndRoles(value, list('users'), userKeys, text, fail);
  checkMenuLinks(list('apps'), fail);
  ((value.templates as unknown[]) ?? []).forEach((t, i) => {
    if (!isObject(t) || typeof t.template_id !== 'string') return fail(`$.templates[${i}].template_id`, 'must be a string');
    if (!Array.isArray(t.versions) || t.versions.length === 0) fail(`$.templates[${i}].versions`, 'must be a non-empty array');
    (t.versions as unknown[]).forEach((v, j) => {
      if (!isObject(v) || typeof v.version_name !== 'string') fail(`$.templates[${i}].versions[${j}].version_name`, 'must be a string');
      if (!isObject((v as Record<string, unknown>).card)) fail(`$.templates[${i}].versions[${j}].card`, 'must be an object');
    });
  });
  if (value.image_keys !== undefined) {
    if (!Array.isArray(value.image_keys)) fail('$.image_keys', 'must be an array of image keys (img_…)');
    const keys = value.image_keys as unknown[];
    if (keys.length > SEED_LIMITS.image_keys) fail('$.image_keys', `holds ${keys.length} entries; at most ${SEED_LIMITS.image_keys}`);
    keys.forEach((k, i) => {
      if (typeof k !== 'string' || k.length > SEED_LIMITS.string || !/^img_[A-Za-z0-9_-]+$/.test(k)) fail(`$.image_keys[${i}]`, 'must be an image key (img_…)');
    });
  }
  ((value.wps_apps as unknown[]) ?? []).forEach((a, i) => {
    if (!isObject(a)) return fail(`$.wps_apps[${i}]`, 'must be an object');
    for (const k of ['app_key', 'secret', 'company_id']) if (typeof a[k] !== 'string' || !a[k]) fail(`$.wps_apps[${i}].${k}`, 'must be a non-empty string');
  });
  return value as unknown as SeedFile;
}

const ID = /^[0-9A-Za-z_-]{1,128}$/;
const HTTP_URL = /^https?:\/\/[^\s]+$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * What `card emulator` flags set for every app whose seed does not say: where inbox clicks and
 * events go, and the console setting "receive over the long connection".
 */
export function withAppDefaults(seed: SeedFile, flags: { callbackUrl?: string; eventUrl?: string; ws?: boolean; wsCardFrames?: boolean }): SeedFile {
  for (const app of seed.apps) {
    if (flags.callbackUrl) app.callback_url ??= flags.callbackUrl;
    if (flags.eventUrl) app.event_url ??= flags.eventUrl;
    if (flags.ws) {
      app.callback_mode ??= 'ws';
      app.event_mode ??= 'ws';
    }
    if (flags.wsCardFrames) app.ws_card_frames ??= true;
  }
  return seed;
}
