import { mask, resolveCredentials, secretsFromStdin, type Sourced } from '../../config/credentials.js';
import { ProfileStore, type Profile } from '../../config/profiles.js';
import type { Context } from '../../context.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';
import { promptHidden } from '../../output/prompt.js';
import { stripControls } from '../../output/sanitize.js';

interface AddOptions {
  appId?: string;
  appSecret?: string;
  appSecretStdin?: boolean;
  encryptKeyStdin?: boolean;
  verificationTokenStdin?: boolean;
  domain?: string;
  encryptKey?: string;
  verificationToken?: string;
  use?: boolean;
  platform?: 'feishu' | 'wps';
  gatewayPrefix?: string;
  companyTokenPath?: string;
  wpsAuth?: 'wps-4' | 'wps-3';
}

export async function add(ctx: Context, name: string, opts: AddOptions): Promise<void> {
  const store = await ProfileStore.open(ctx.configDir);
  const existing = store.get(name) ?? {};
  if (opts.domain) resolveBaseUrl(opts.domain, '--domain');
  const piped = await secretsFromStdin(ctx, opts);
  let secret = piped.appSecret ?? opts.appSecret;
  if (!opts.appSecretStdin && !secret && !existing.app_secret && (ctx.stdin as NodeJS.ReadStream).isTTY && !ctx.out.json) {
    // readline draws the prompt with cursor controls of its own: it gets the raw stream, and the
    // text is cleaned here instead.
    secret = await promptHidden(stripControls(`App secret for ${opts.appId ?? existing.app_id ?? name}: `), ctx.stdin, ctx.out.rawStderr);
  }
  const profile: Profile = { ...existing };
  if (opts.appId) profile.app_id = opts.appId;
  if (secret) profile.app_secret = secret;
  if (opts.domain) profile.domain = opts.domain;
  const encryptKey = piped.encryptKey ?? opts.encryptKey;
  const verificationToken = piped.verificationToken ?? opts.verificationToken;
  if (encryptKey) profile.encrypt_key = encryptKey;
  if (verificationToken) profile.verification_token = verificationToken;
  if (opts.platform !== undefined) profile.platform = opts.platform;
  if (opts.wpsAuth !== undefined) profile.wps_auth = opts.wpsAuth;
  if (opts.gatewayPrefix !== undefined) profile.gateway_prefix = opts.gatewayPrefix;
  if (opts.companyTokenPath !== undefined) profile.company_token_path = opts.companyTokenPath;
  if (!profile.app_id) throw usageError('a profile needs an app id: --app-id cli_…');
  store.save(name, profile);
  if (opts.use) store.use(name);
  ctx.out.success(`Saved profile ${name}${store.activeName() === name ? ' (active)' : ''} in ${store.path}`);
  if (!profile.app_secret) ctx.out.warn('no app secret stored: set CARD_APP_SECRET, or add it with --app-secret-stdin');
  ctx.out.result({ name, active: store.activeName() === name, path: store.path, app_id: profile.app_id, domain: profile.domain ?? 'feishu' });
}

export async function list(ctx: Context): Promise<void> {
  const store = await ProfileStore.open(ctx.configDir);
  const profiles = store.list();
  if (!profiles.length) ctx.out.info('No profiles yet: card profile add <name> --app-id cli_…');
  else {
    const rows = profiles.map((p) => [p.active ? '*' : ' ', p.name, p.profile.app_id ?? '', p.profile.domain ?? 'feishu']);
    ctx.out.print(table(rows, !!ctx.out.stdout.isTTY));
  }
  ctx.out.result({
    active: store.activeName() ?? null,
    profiles: profiles.map((p) => ({ name: p.name, active: p.active, app_id: p.profile.app_id ?? null, domain: p.profile.domain ?? 'feishu' })),
  });
}

export async function use(ctx: Context, name: string): Promise<void> {
  const store = await ProfileStore.open(ctx.configDir);
  store.use(name);
  ctx.out.success(`Profile ${name} is now active`);
  ctx.out.result({ active: name });
}

export async function remove(ctx: Context, name: string): Promise<void> {
  const store = await ProfileStore.open(ctx.configDir);
  store.remove(name);
  ctx.out.success(`Removed profile ${name}`);
  ctx.out.result({ removed: name, active: store.activeName() ?? null });
}

/** Every value card would use now, and where each came from; secrets masked. */
export async function show(ctx: Context, name: string | undefined): Promise<void> {
  const creds = await resolveCredentials(name ? { ...ctx, globals: { ...ctx.globals, profile: name } } : ctx);
  const secret = (s: Sourced | null) => (s ? { value: mask(s.value), source: s.source } : null);
  const plain = (s: Sourced | null) => (s ? { value: s.value, source: s.source } : null);
  let baseUrl: string | null = null;
  try {
    baseUrl = resolveBaseUrl(creds.domain.value);
  } catch {
    baseUrl = null;
  }
  const values = {
    app_id: plain(creds.appId),
    app_secret: secret(creds.appSecret),
    domain: { value: creds.domain.value, source: creds.domain.source },
    base_url: baseUrl,
    encrypt_key: secret(creds.encryptKey),
    verification_token: secret(creds.verificationToken),
  };
  const row = (label: string, v: { value: string; source: string } | null) => [label, v?.value ?? '(not set)', v ? `from ${v.source}` : ''];
  ctx.out.print(
    table(
      [
        ['profile', creds.profile ?? '(none)', ''],
        row('app_id', values.app_id),
        row('app_secret', values.app_secret),
        row('domain', values.domain),
        ['base_url', baseUrl ?? '(invalid)', ''],
        row('encrypt_key', values.encrypt_key),
        row('verification_token', values.verification_token),
      ],
      true,
    ),
  );
  ctx.out.info(ctx.out.style.dim(`config: ${ProfileStore.configFile(ctx.configDir)}  ·  order: flags, --profile, environment, active profile`));
  ctx.out.result({ profile: creds.profile, config_file: ProfileStore.configFile(ctx.configDir), ...values });
}
