import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from './cli.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A small client for poking the emulator directly, the way a raw HTTP caller would. */
export class EmulatorClient {
  protected current: RunningEmulator | null;

  constructor(emu: RunningEmulator | null) {
    this.current = emu;
  }

  get emu(): RunningEmulator {
    if (!this.current) throw new Error('the emulator is not running: use it inside a test or hook');
    return this.current;
  }

  get app() {
    return this.emu.state().apps[0]!;
  }

  get users() {
    return this.emu.state().users;
  }

  async call(method: string, path: string, body?: unknown, token?: string | null, rawBody?: string): Promise<ApiAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(this.emu.url + path, {
      method,
      headers,
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }

  async token(appIndex = 0): Promise<string> {
    const app = this.emu.state().apps[appIndex]!;
    const r = await this.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: app.app_id, app_secret: app.app_secret });
    if (r.body.code !== 0) throw new Error(`token failed: ${JSON.stringify(r.body)}`);
    return r.body.tenant_access_token;
  }

  async send(token: string, receiveIdType: string, receiveId: string, card: unknown, extra: Record<string, unknown> = {}) {
    return this.call(
      'POST',
      `/open-apis/im/v1/messages?receive_id_type=${receiveIdType}`,
      { receive_id: receiveId, msg_type: 'interactive', content: typeof card === 'string' ? card : JSON.stringify(card), ...extra },
      token,
    );
  }
}

/**
 * The one way a test file gets an emulator. Started before the file's first test, reset to its seed
 * before each test, stopped after the last. Use it as a client (`t.call`, `t.token`, `t.send`), as
 * the emulator (`t.emu`), or through the CLI: `t.sb` is a fresh sandbox (its own home and config)
 * for each test, pointed at the emulator's first app.
 *
 * A test that needs other options (a seed, settings, a clock) calls `await t.restart(options)`:
 * for the rest of that test `t` is an emulator started with them; the next test gets the file's.
 */
export function emulatorForFile(options: EmulatorOptions = {}): FileEmulator {
  const t = new FileEmulator(options);
  beforeAll(() => t.start());
  beforeEach(() => t.emu.reset());
  afterEach(() => t.endTest());
  afterAll(() => t.stop());
  return t;
}

export class FileEmulator extends EmulatorClient {
  private fileEmulator: RunningEmulator | null = null;
  private testEmulator: RunningEmulator | null = null;
  private sandbox: Sandbox | null = null;

  constructor(private readonly options: EmulatorOptions) {
    super(null);
  }

  /** Its base URL. */
  get url(): string {
    return this.emu.url;
  }

  /** This test's sandbox, pointed at the emulator's first app. */
  get sb(): Sandbox {
    return (this.sandbox ??= new Sandbox(emulatorEnv(this.emu.url, this.app)));
  }

  /** For the rest of this test: an emulator started with `options` (port 0 unless given). */
  async restart(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    await this.testEmulator?.close();
    this.sandbox?.cleanup();
    this.sandbox = null;
    this.testEmulator = await startEmulator({ port: 0, ...options });
    this.current = this.testEmulator;
    return this.testEmulator;
  }

  async start(): Promise<void> {
    this.fileEmulator = await startEmulator({ port: 0, ...this.options });
    this.current = this.fileEmulator;
  }

  async endTest(): Promise<void> {
    // A route that answered a code it does not declare is a catalogue bug, whichever test saw it.
    const slips = [...(this.testEmulator?.core.takeUndeclaredCodes() ?? []), ...(this.fileEmulator?.core.takeUndeclaredCodes() ?? [])];
    this.sandbox?.cleanup();
    this.sandbox = null;
    await this.testEmulator?.close();
    this.testEmulator = null;
    this.current = this.fileEmulator;
    if (slips.length) throw new Error(`undeclared error codes:\n${slips.join('\n')}`);
  }

  async stop(): Promise<void> {
    await this.endTest();
    await this.fileEmulator?.close();
    this.fileEmulator = null;
    this.current = null;
  }
}

export async function withEmulator(options: EmulatorOptions = {}): Promise<EmulatorClient> {
  return new EmulatorClient(await startEmulator({ port: 0, ...options }));
}

export const sharedCard = (text = 'hello') => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: text }] } });
export const legacyCard = (text = 'hello', shared = false) => ({
  config: { update_multi: shared },
  header: { title: { tag: 'plain_text', content: 'Legacy' }, template: 'blue' },
  elements: [{ tag: 'div', text: { tag: 'lark_md', content: text } }],
});
