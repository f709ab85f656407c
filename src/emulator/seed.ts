import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

export function loadSeedFile(path: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedError(`cannot read seed file ${path}: ${(err as Error).message}`);
  }
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
  if (!isObject(value)) return fail('$', 'must be an object');
  if (!Array.isArray(value.apps) || value.apps.length === 0) fail('$.apps', 'must be a non-empty array');
  (value.apps as unknown[]).forEach((app, i) => {
    if (!isObject(app)) return fail(`$.apps[${i}]`, 'must be an object');
    if (typeof app.app_id !== 'string' || !app.app_id) fail(`$.apps[${i}].app_id`, 'must be a non-empty string');
    if (typeof app.app_secret !== 'string' || !app.app_secret) fail(`$.apps[${i}].app_secret`, 'must be a non-empty string');
    if (app.scopes !== undefined && !isStringArray(app.scopes)) fail(`$.apps[${i}].scopes`, 'must be an array of strings');
  });
  for (const key of ['users', 'chats', 'templates', 'wps_apps'] as const) {
    if (value[key] !== undefined && !Array.isArray(value[key])) fail(`$.${key}`, 'must be an array');
  }
  ((value.users as unknown[]) ?? []).forEach((u, i) => {
    if (!isObject(u) || typeof u.name !== 'string') fail(`$.users[${i}].name`, 'must be a string');
    const user = u as Record<string, unknown>;
    if (user.mobile === undefined && user.email === undefined && user.open_id === undefined) {
      fail(`$.users[${i}]`, 'needs a mobile, an email or an open_id');
    }
  });
  ((value.chats as unknown[]) ?? []).forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string') fail(`$.chats[${i}].name`, 'must be a string');
  });
  ((value.templates as unknown[]) ?? []).forEach((t, i) => {
    if (!isObject(t) || typeof t.template_id !== 'string') return fail(`$.templates[${i}].template_id`, 'must be a string');
    if (!Array.isArray(t.versions) || t.versions.length === 0) fail(`$.templates[${i}].versions`, 'must be a non-empty array');
    (t.versions as unknown[]).forEach((v, j) => {
      if (!isObject(v) || typeof v.version_name !== 'string') fail(`$.templates[${i}].versions[${j}].version_name`, 'must be a string');
      if (!isObject((v as Record<string, unknown>).card)) fail(`$.templates[${i}].versions[${j}].card`, 'must be an object');
    });
  });
  if (value.image_keys !== undefined && !(isStringArray(value.image_keys) && value.image_keys.every((k) => /^img_[A-Za-z0-9_-]+$/.test(k)))) {
    fail('$.image_keys', 'must be an array of image keys (img_…)');
  }
  ((value.wps_apps as unknown[]) ?? []).forEach((a, i) => {
    if (!isObject(a)) return fail(`$.wps_apps[${i}]`, 'must be an object');
    for (const k of ['app_key', 'secret', 'company_id']) if (typeof a[k] !== 'string' || !a[k]) fail(`$.wps_apps[${i}].${k}`, 'must be a non-empty string');
  });
  return value as unknown as SeedFile;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
