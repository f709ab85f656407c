import type { Context } from '../context.js';
import type { CredentialFlags, Credentials } from '../config/credentials.js';
import type { ClientOptions, FeishuClient } from './client.js';

/**
 * What a command gets beside its context (gh's Factory): the credentials and the platform client,
 * each made on first use and once per run. The runner closes the client, so no command writes its
 * own try/finally, and a command that never calls the platform (a dry run, a usage error) never
 * loads the HTTP layer or opens the token cache.
 */
export interface ClientFactory {
  /** Resolved on the first call; the flags of that call (a command's own key flags) are the ones used. */
  credentials(flags?: CredentialFlags): Promise<Credentials>;
  /**
   * Built on the first call, with the credentials above; `extra` applies to that build: a bulk
   * send's pacer, or `app`, an app of the command's own (the demo's embedded emulator) whose
   * tokens are kept in memory only.
   */
  client(extra?: ClientExtra): Promise<FeishuClient>;
}

export interface ClientExtra extends Pick<ClientOptions, 'pacer'> {
  app?: Pick<ClientOptions, 'baseUrl' | 'appId' | 'appSecret'>;
}

export interface RunnerClients extends ClientFactory {
  /** Closes the client if one was built. */
  close(): Promise<void>;
}

export function clientFactory(ctx: Context): RunnerClients {
  let credentials: Promise<Credentials> | null = null;
  let client: Promise<FeishuClient> | null = null;
  const factory: RunnerClients = {
    credentials: (flags = {}) => (credentials ??= import('../config/credentials.js').then((m) => m.resolveCredentials(ctx, flags))),
    client: (extra = {}) =>
      (client ??= (async () => {
        const { clientForApp, clientFromContext } = await import('./client.js');
        const { app, ...options } = extra;
        return app ? clientForApp(ctx, app) : clientFromContext(ctx, {}, await factory.credentials(), options);
      })()),
    async close() {
      // A client that failed to build holds nothing to close; its error is the command's to report.
      const built = await client?.catch(() => null);
      await built?.close();
    },
  };
  return factory;
}
