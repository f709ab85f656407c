import type { CommandContext } from '../commands/declare.js';
import type { FeishuClient } from '../feishu/client.js';
import { resolveSeed, startEmulator, type RunningEmulator } from '../emulator/server.js';
import { CliError } from '../output/errors.js';
import { TestEmulator, type TestEmulatorOptions } from '../testing/emulator.js';
import { SessionBrowser } from './browser.js';
import { testingInbox, type InboxActions } from './inbox-actions.js';
import { SecretList } from './tool-kit.js';

/** The emulator this server started, in its own process. */
export interface EmbeddedEmulator {
  running: RunningEmulator;
  emulator: TestEmulator;
  inbox: InboxActions;
}

/**
 * What the tools share for the life of the server: the run's context, the secrets to hide, one
 * browser, the embedded emulator, and the platform clients made so far. `close()` stops them all.
 */
export class McpSession {
  readonly secrets = new SecretList();
  readonly browser: SessionBrowser;
  embedded: EmbeddedEmulator | null = null;
  private readonly clients = new Map<string, FeishuClient>();

  constructor(
    readonly ctx: CommandContext,
    /** Sending to the real platform: only with a profile and --allow-real-sends. */
    readonly realSends: boolean,
  ) {
    this.browser = new SessionBrowser(ctx.env, (m) => ctx.out.warn(m));
  }

  async startEmulator(options: Pick<TestEmulatorOptions, 'callbackUrl' | 'eventUrl' | 'longConnection'>): Promise<EmbeddedEmulator> {
    if (this.embedded) return this.embedded;
    const running = await startEmulator({ port: 0, host: '127.0.0.1', seed: resolveSeed(undefined) });
    // Wrapped as the testing library wraps the emulator it starts, so the inbox acts with its verbs.
    const emulator = new TestEmulator(running, options);
    emulator.applyOptions();
    this.embedded = { running, emulator, inbox: testingInbox(running, emulator) };
    return this.embedded;
  }

  async stopEmulator(): Promise<boolean> {
    const e = this.embedded;
    if (!e) return false;
    this.embedded = null;
    for (const [key, client] of this.clients) {
      if (key.startsWith(`${e.running.url} `)) {
        this.clients.delete(key);
        await client.close();
      }
    }
    await e.running.close();
    return true;
  }

  inbox(): InboxActions {
    if (!this.embedded) throw new CliError('usage', 'no emulator is running in this server: call start_emulator first');
    return this.embedded.inbox;
  }

  /** A client for an emulator's app (tokens in memory only), made once per emulator and app. */
  async emulatorClient(baseUrl: string, app: { app_id: string; app_secret: string }): Promise<FeishuClient> {
    const key = `${baseUrl} ${app.app_id}`;
    let client = this.clients.get(key);
    if (!client) {
      const { clientForApp } = await import('../feishu/client.js');
      client = clientForApp(this.ctx, { baseUrl, appId: app.app_id, appSecret: app.app_secret });
      this.clients.set(key, client);
    }
    return client;
  }

  /** The profile's client, for the real platform: refused unless this server was started to allow it. */
  async platformClient(): Promise<FeishuClient> {
    if (!this.realSends) {
      throw new CliError('usage', 'sending to the real platform is off in this server', {
        hint: 'Start it with a profile and --allow-real-sends (card --profile NAME mcp --allow-real-sends), or send to the emulator.',
      });
    }
    const creds = await this.ctx.credentials();
    this.secrets.add(creds.appSecret?.value, creds.encryptKey?.value, creds.verificationToken?.value);
    const client = await this.ctx.client();
    return client;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.stopEmulator();
    for (const client of this.clients.values()) await client.close();
    this.clients.clear();
  }
}
