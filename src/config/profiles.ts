import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { usageError } from '../output/errors.js';

export interface Profile {
  app_id?: string;
  app_secret?: string;
  /** feishu, lark, or a base URL. */
  domain?: string;
  encrypt_key?: string;
  verification_token?: string;
  /** feishu (the default, also Lark) or wps. */
  platform?: 'feishu' | 'wps';
  /** WPS: the gateway prefix of a private deployment, e.g. /o/woa (not signed). */
  gateway_prefix?: string;
  /** WPS: where company_token is fetched, relative to the prefix. */
  company_token_path?: string;
  /** WPS: how requests are signed, wps-4 (private deployments) or wps-3 (public cloud). */
  wps_auth?: 'wps-4' | 'wps-3';
}

interface StoreShape {
  active?: string;
  profiles: Record<string, Profile>;
}

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Profiles in the conf store: one JSON file in the config dir, mode 0600. */
export class ProfileStore {
  private constructor(private readonly conf: Conf<StoreShape>) {}

  static configFile(configDir: string): string {
    return join(configDir, 'config.json');
  }

  /**
   * The profiles as stored, read straight from the file conf writes: every command resolves
   * credentials, and loading conf (with its schema and atomic-write machinery) would dominate a
   * short command's start. Writes go through conf.
   */
  static read(configDir: string): { active?: string; profiles: Record<string, Profile> } {
    try {
      const data = JSON.parse(readFileSync(ProfileStore.configFile(configDir), 'utf8')) as Partial<StoreShape>;
      return { active: data.active, profiles: data.profiles ?? {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
      throw usageError(`cannot read the profile store ${ProfileStore.configFile(configDir)}: ${(err as Error).message}`);
    }
  }

  static async open(configDir: string): Promise<ProfileStore> {
    const { default: ConfClass } = await import('conf');
    // conf would create the directory 0755: it holds app secrets, so only its owner may list it.
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    chmodSync(configDir, 0o700);
    const conf = new ConfClass<StoreShape>({
      cwd: configDir,
      configName: 'config',
      configFileMode: 0o600,
      defaults: { profiles: {} },
      projectName: 'card',
    });
    return new ProfileStore(conf);
  }

  get path(): string {
    return this.conf.path;
  }

  list(): Array<{ name: string; profile: Profile; active: boolean }> {
    const active = this.activeName();
    return Object.entries(this.conf.get('profiles')).map(([name, profile]) => ({ name, profile, active: name === active }));
  }

  get(name: string): Profile | undefined {
    return this.conf.get('profiles')[name];
  }

  activeName(): string | undefined {
    return this.conf.get('active');
  }

  save(name: string, profile: Profile): void {
    if (!PROFILE_NAME.test(name)) throw usageError(`profile name "${name}" is not valid: use letters, digits, ".", "_" and "-"`);
    const profiles = { ...this.conf.get('profiles'), [name]: profile };
    this.conf.set('profiles', profiles);
    if (!this.activeName()) this.conf.set('active', name);
  }

  use(name: string): void {
    if (!this.get(name)) throw usageError(`no profile named "${name}"`, { hint: this.namesHint() });
    this.conf.set('active', name);
  }

  remove(name: string): void {
    if (!this.get(name)) throw usageError(`no profile named "${name}"`, { hint: this.namesHint() });
    const { [name]: _removed, ...rest } = this.conf.get('profiles');
    this.conf.set('profiles', rest);
    if (this.activeName() === name) this.conf.delete('active');
  }

  namesHint(): string {
    return profileNamesHint(Object.keys(this.conf.get('profiles')));
  }
}

export function profileNamesHint(names: string[]): string {
  return names.length ? `Profiles: ${names.join(', ')}` : 'No profiles yet: card profile add <name> --app-id cli_…';
}
