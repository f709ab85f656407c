import type { Context } from '../context.js';
import { usageError } from '../output/errors.js';
import { ProfileStore, profileNamesHint, type Profile } from './profiles.js';

/** A value and where it came from, so `card profile show` can explain it. */
export interface Sourced {
  value: string;
  source: string;
}

export interface Credentials {
  profile: string | null;
  appId: Sourced | null;
  appSecret: Sourced | null;
  /** feishu, lark or a URL, as given; turned into a URL by the client. */
  domain: Sourced;
  encryptKey: Sourced | null;
  verificationToken: Sourced | null;
  /** feishu or wps: from CARD_PLATFORM, else the profile, else feishu. */
  platform: 'feishu' | 'wps';
  /** The profile's own fields, for platform settings beyond the credentials. */
  profileData: Profile | null;
}

const ENV_NAMES = {
  appId: ['CARD_APP_ID', 'FEISHU_APP_ID', 'LARK_APP_ID'],
  appSecret: ['CARD_APP_SECRET', 'FEISHU_APP_SECRET', 'LARK_APP_SECRET'],
  domain: ['CARD_BASE_URL', 'FEISHU_BASE_URL', 'LARK_BASE_URL'],
  encryptKey: ['CARD_ENCRYPT_KEY', 'FEISHU_ENCRYPT_KEY', 'LARK_ENCRYPT_KEY'],
  verificationToken: ['CARD_VERIFICATION_TOKEN', 'FEISHU_VERIFICATION_TOKEN', 'LARK_VERIFICATION_TOKEN'],
} as const;

const PROFILE_KEYS: Record<keyof typeof ENV_NAMES, keyof Profile> = {
  appId: 'app_id',
  appSecret: 'app_secret',
  domain: 'domain',
  encryptKey: 'encrypt_key',
  verificationToken: 'verification_token',
};

export interface CredentialFlags {
  appId?: string;
  appSecret?: string;
  baseUrl?: string;
  encryptKey?: string;
  verificationToken?: string;
}

/** The `--…-stdin` flags a command may declare; read from the command's own options. */
interface StdinFlags {
  appSecretStdin?: boolean;
  encryptKeyStdin?: boolean;
  verificationTokenStdin?: boolean;
}

const STDIN_FLAGS = [
  ['appSecretStdin', 'appSecret', '--app-secret-stdin'],
  ['encryptKeyStdin', 'encryptKey', '--encrypt-key-stdin'],
  ['verificationTokenStdin', 'verificationToken', '--verification-token-stdin'],
] as const;

/**
 * Secrets a command was told to read from stdin (kept out of `ps`): one per line, in the order
 * app secret, Encrypt Key, Verification Token when more than one is asked for.
 */
type PipedSecrets = Partial<Record<'appSecret' | 'encryptKey' | 'verificationToken', string>>;

/** stdin can be read once: every resolution in one run shares what it held. */
const piped = new WeakMap<Context, Promise<PipedSecrets>>();

export function secretsFromStdin(ctx: Context, flags: StdinFlags): Promise<PipedSecrets> {
  let read = piped.get(ctx);
  if (!read) piped.set(ctx, (read = readSecrets(ctx, flags)));
  return read;
}

async function readSecrets(ctx: Context, flags: StdinFlags): Promise<PipedSecrets> {
  const wanted = STDIN_FLAGS.filter(([flag]) => flags[flag]);
  if (!wanted.length) return {};
  const { readAll } = await import('../output/prompt.js');
  const lines = (await readAll(ctx.stdin)).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const names = wanted.map(([, , name]) => name).join(', ');
  if (lines.length !== wanted.length) {
    throw usageError(`${names}: expected ${wanted.length} non-empty line${wanted.length === 1 ? '' : 's'} on stdin, got ${lines.length}`, {
      hint: [
        wanted.length > 1 ? 'One secret per line, in this order: app secret, Encrypt Key, Verification Token.' : 'Pipe the secret in, e.g. from your secret manager.',
        lines.length === 0 ? 'stdin can be read once: a card or fixture read from stdin (-) leaves nothing for the keys.' : '',
      ].filter(Boolean).join('\n'),
    });
  }
  return Object.fromEntries(wanted.map(([, key], i) => [key, lines[i]!]));
}

/**
 * Resolves each value (DESIGN.md): flags, then a profile named with --profile (or CARD_PROFILE),
 * then the environment, then the active profile. A profile named on the command line is
 * never mixed with the environment for the fields it stores: `CARD_BASE_URL=http://x card
 * --profile prod token` must not send prod's secret to http://x. Its domain counts as stored
 * (feishu when unset), since a secret is only ever meant for its own platform.
 */
export async function resolveCredentials(ctx: Context, flags: CredentialFlags = {}): Promise<Credentials> {
  const fromStdin = await secretsFromStdin(ctx, ctx.globals as StdinFlags);
  const fromFlag: Record<keyof typeof ENV_NAMES, string | undefined> = {
    appId: flags.appId ?? ctx.globals.appId,
    appSecret: flags.appSecret ?? fromStdin.appSecret ?? ctx.globals.appSecret,
    domain: flags.baseUrl ?? ctx.globals.baseUrl,
    encryptKey: flags.encryptKey ?? fromStdin.encryptKey,
    verificationToken: flags.verificationToken ?? fromStdin.verificationToken,
  };
  // CARD_PROFILE names a profile as deliberately as --profile does: the same rule holds for it.
  const explicit = !!(ctx.globals.profile ?? ctx.env.CARD_PROFILE);
  const requested = ctx.globals.profile ?? ctx.env.CARD_PROFILE;
  let profile: Profile | undefined;
  const stored = ProfileStore.read(ctx.configDir);
  const profileName = requested ?? stored.active ?? null;
  if (profileName) {
    profile = stored.profiles[profileName];
    if (!profile) {
      const via = ctx.globals.profile ? '--profile' : 'CARD_PROFILE';
      throw usageError(`no profile named "${profileName}" (from ${via})`, { hint: profileNamesHint(Object.keys(stored.profiles)) });
    }
  }
  const fromProfile = (key: keyof typeof ENV_NAMES): Sourced | null => {
    const p = profile?.[PROFILE_KEYS[key]];
    if (p) return { value: p, source: `profile ${profileName}` };
    if (explicit && key === 'domain' && profile?.platform !== 'wps') return { value: 'feishu', source: `profile ${profileName} (no domain stored: feishu)` };
    return null;
  };
  const fromEnv = (key: keyof typeof ENV_NAMES): Sourced | null => {
    for (const name of ENV_NAMES[key]) {
      const v = ctx.env[name];
      if (v) return { value: v, source: `env ${name}` };
    }
    return null;
  };
  const pick = (key: keyof typeof ENV_NAMES): Sourced | null => {
    const flag = fromFlag[key];
    if (flag) return { value: flag, source: 'flag' };
    return explicit ? (fromProfile(key) ?? fromEnv(key)) : (fromEnv(key) ?? fromProfile(key));
  };
  const platform = explicit ? profile?.platform : (ctx.env.CARD_PLATFORM ?? profile?.platform);
  const creds: Credentials = {
    profile: profileName,
    appId: pick('appId'),
    appSecret: pick('appSecret'),
    domain: pick('domain') ?? { value: 'feishu', source: 'default' },
    encryptKey: pick('encryptKey'),
    verificationToken: pick('verificationToken'),
    platform: platform === 'wps' ? 'wps' : 'feishu',
    profileData: profile ?? null,
  };
  // Every command that resolves credentials says, with --verbose, where each value came from.
  ctx.out.debug(`credentials: ${describeSources(creds)}`);
  return creds;
}

/** One line for --verbose: every value's source, secrets masked. */
export function describeSources(creds: Credentials): string {
  const part = (label: string, v: Sourced | null, secret = false) => `${label} ${v ? `${secret ? mask(v.value) : v.value} (${v.source})` : '(not set)'}`;
  return [
    `profile ${creds.profile ?? '(none)'}`,
    part('app_id', creds.appId),
    part('app_secret', creds.appSecret, true),
    part('domain', creds.domain),
    ...(creds.encryptKey ? [part('encrypt_key', creds.encryptKey, true)] : []),
    ...(creds.verificationToken ? [part('verification_token', creds.verificationToken, true)] : []),
  ].join(' · ');
}

/** The app id and secret, or a usage error that says every way to provide them. */
export function requireAppCredentials(creds: Credentials): { appId: string; appSecret: string } {
  const missing = [!creds.appId && 'app id', !creds.appSecret && 'app secret'].filter(Boolean);
  if (missing.length) {
    throw usageError(`no ${missing.join(' or ')} to authenticate with`, {
      hint: 'Set CARD_APP_ID and CARD_APP_SECRET, or store them: card profile add <name> --app-id cli_… (the secret is asked for).',
    });
  }
  return { appId: creds.appId!.value, appSecret: creds.appSecret!.value };
}

/**
 * The one way a secret is shown: at most 4 characters of it, and never its length. Short values
 * show nothing; longer ones their first and last 2 characters, enough to tell two apart.
 */
export function mask(value: string): string {
  if (value.length < 8) return '••••';
  if (value.length < 16) return `••••${value.slice(-2)}`;
  return `${value.slice(0, 2)}••••${value.slice(-2)}`;
}
