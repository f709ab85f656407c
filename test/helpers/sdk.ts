import * as lark from '@larksuiteoapi/node-sdk';
import { emulatorForFile, type FileEmulator } from './emulator.js';
import type { EmulatorOptions } from '../../src/index.js';

/** What a route answered through the SDK: the body whether the status was 200 or not (the SDK throws on 4xx). */
export interface SdkAnswer {
  status: number;
  body: any;
}

const SILENT = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** The official Node SDK's client for an app of the emulator, with a token cache of its own. */
export function sdkClient(url: string, app: { app_id: string; app_secret: string }, stillValid: (token: unknown) => boolean = () => true): lark.Client {
  // The SDK's default cache is shared by every client in the process; each emulator issues its own tokens.
  const store = new Map<string | symbol, { value: unknown; expire?: number }>();
  const cache = {
    set: async (key: string | symbol, value: unknown, expire?: number) => (store.set(key, { value, expire }), true),
    get: async (key: string | symbol) => {
      const value = store.get(key)?.value;
      return stillValid(value) ? value : undefined;
    },
  };
  return new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: url, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.fatal, logger: SILENT, cache: cache as any });
}

/** Settles an SDK call into its status and the platform's body, success or not. */
export function answer(p: Promise<unknown>): Promise<SdkAnswer> {
  return p.then(
    (body) => ({ status: 200, body }),
    (e: any) => {
      if (!e?.response) throw e;
      return { status: e.response.status, body: e.response.data };
    },
  );
}

export interface SdkFileEmulator {
  t: FileEmulator;
  /** This test's SDK client for app `i` of the seed (a new one after `t.restart`). */
  sdk(i?: number): lark.Client;
}

/** One emulator for the file (emulatorForFile) and SDK clients for its apps. */
export function sdkForFile(options: EmulatorOptions = {}): SdkFileEmulator {
  const t = emulatorForFile(options);
  // One client per app for the emulator's current state, as a bot keeps one: the SDK's client is
  // costly to build, and a new one asks for a token before every call. A reset (each test starts
  // with one) or a restart makes a new state, so no test sees another's clients or tokens.
  const clients = new WeakMap<object, Map<number, lark.Client>>();
  return {
    t,
    sdk(i = 0) {
      const state = t.emu.core.store;
      let byApp = clients.get(state);
      if (!byApp) clients.set(state, (byApp = new Map()));
      let client = byApp.get(i);
      if (!client) byApp.set(i, (client = sdkClient(t.url, t.emu.state().apps[i]!, (token) => liveIn(t, token))));
      return client;
    },
  };
}

/** Whether the emulator still takes `token`: its clock, not the real one, says when a token ends. */
function liveIn(t: FileEmulator, token: unknown): boolean {
  const record = typeof token === 'string' ? t.emu.core.store.tenantTokens.get(token) : undefined;
  return record !== undefined && record.expires_at > t.emu.core.now();
}
