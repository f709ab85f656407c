import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A small client for poking the emulator directly, the way a raw HTTP caller would. */
export class EmulatorClient {
  constructor(readonly emu: RunningEmulator) {}

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

export async function withEmulator(options: EmulatorOptions = {}): Promise<EmulatorClient> {
  return new EmulatorClient(await startEmulator({ port: 0, ...options }));
}

export const sharedCard = (text = 'hello') => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: text }] } });
export const legacyCard = (text = 'hello', shared = false) => ({
  config: { update_multi: shared },
  header: { title: { tag: 'plain_text', content: 'Legacy' }, template: 'blue' },
  elements: [{ tag: 'div', text: { tag: 'lark_md', content: text } }],
});
