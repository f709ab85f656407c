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

/** Resolves each value on its own: flags, then environment, then the profile (DESIGN.md). */
export async function resolveCredentials(ctx: Context, flags: CredentialFlags = {}): Promise<Credentials> {
  const fromFlag: Record<keyof typeof ENV_NAMES, string | undefined> = {
    appId: flags.appId ?? ctx.globals.appId,
    appSecret: flags.appSecret ?? ctx.globals.appSecret,
    domain: flags.baseUrl ?? ctx.globals.baseUrl,
    encryptKey: flags.encryptKey,
    verificationToken: flags.verificationToken,
  };
  const requested = ctx.globals.profile ?? ctx.env.CARD_PROFILE;
  let profileName: string | null = null;
  let profile: Profile | undefined;
  const stored = ProfileStore.read(ctx.configDir);
  profileName = requested ?? stored.active ?? null;
  if (profileName) {
    profile = stored.profiles[profileName];
    if (!profile) {
      const via = ctx.globals.profile ? '--profile' : 'CARD_PROFILE';
      throw usageError(`no profile named "${profileName}" (from ${via})`, { hint: profileNamesHint(Object.keys(stored.profiles)) });
    }
  }
  const pick = (key: keyof typeof ENV_NAMES): Sourced | null => {
    const flag = fromFlag[key];
    if (flag) return { value: flag, source: 'flag' };
    for (const name of ENV_NAMES[key]) {
      const v = ctx.env[name];
      if (v) return { value: v, source: `env ${name}` };
    }
    const p = profile?.[PROFILE_KEYS[key]];
    if (p) return { value: p, source: `profile ${profileName}` };
    return null;
  };
  return {
    profile: profileName,
    appId: pick('appId'),
    appSecret: pick('appSecret'),
    domain: pick('domain') ?? { value: 'feishu', source: 'default' },
    encryptKey: pick('encryptKey'),
    verificationToken: pick('verificationToken'),
    platform: (ctx.env.CARD_PLATFORM ?? profile?.platform) === 'wps' ? 'wps' : 'feishu',
    profileData: profile ?? null,
  };
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

/** Shows enough of a secret to recognise it and no more. */
export function mask(value: string): string {
  if (value.length <= 8) return '•'.repeat(value.length);
  return `${value.slice(0, 4)}${'•'.repeat(Math.min(8, value.length - 8))}${value.slice(-4)}`;
}
