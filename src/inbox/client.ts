import type { CardObject } from '../card/inspect.js';
import type { Interaction } from '../emulator/interactions.js';
import type { DeliveryRecord, RecordingRecord } from '../emulator/store.js';
import type { SeedBotMenuItem } from '../emulator/seed-menu-links.js';
import { send, type HttpLogger } from '../http/request.js';
import { CliError } from '../output/errors.js';

/** The emulator `card inbox` drives when neither --base-url nor CARD_BASE_URL names one. */
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:3001';

/** A message as the emulator's control API shows it (`/_emulator/messages`). */
export interface StoredMessage {
  message_id: string;
  app_id: string;
  chat_id: string;
  msg_type: string;
  create_time: number;
  update_time: number;
  updated: boolean;
  deleted: boolean;
  content: string;
  card: CardObject | null;
  versions: Array<{ content: string; card: CardObject | null; at: number; via: string }>;
  user_views: Record<string, { content: string; card: CardObject | null; at: number; via: string }>;
  sender: { type: 'user'; open_id: string } | { type: 'app'; app_id: string };
  mentions: Array<{ key: string; id: string; name: string }>;
}

export interface EmulatorUser {
  open_id: string;
  name: string;
  email: string | null;
  mobile: string | null;
}

export interface EmulatorState {
  apps: Array<{ app_id: string; name: string; bot_open_id: string; callback_mode: string; event_mode: string }>;
  users: EmulatorUser[];
  chats: Array<{ chat_id: string; name: string; chat_mode: string; members: string[]; bots: string[]; dissolved: boolean }>;
}

export interface EntityView {
  card_id: string;
  message_id: string | null;
  streaming_mode: boolean;
  streaming_since: number | null;
}

/** A message as the inbox page shows it; only what `card inbox` reads of it. */
export interface InboxPageMessage {
  message_id: string;
  /** One chip per emoji: who reacted, by name and by id with their reaction's id. */
  reactions?: Array<{ emoji_type: string; count: number; names: string[]; by: Array<{ operator_type: string; operator_id: string; reaction_id: string }> }>;
}

/** The fields a control route refused, as `: field: why` after its message. */
function fieldsOf(error: { field_violations?: Array<{ field?: string; description?: string }> } | undefined): string {
  return (error?.field_violations ?? []).map((v) => `: ${v.field ?? '?'}: ${v.description ?? 'refused'}`).join('');
}

/** What the emulator answered with a non-zero code: its HTTP status, code and message. */
export class EmulatorRefusal extends CliError {
  constructor(
    readonly status: number,
    code: number,
    message: string,
  ) {
    super('api', message, { code });
  }
}

/**
 * The emulator's control API, as `card inbox` uses it: read messages and state, click as a person,
 * write as a person. Every request goes through the one HTTP layer, to loopback only.
 */
export class InboxClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly log: HttpLogger | null = null,
  ) {}

  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const res = await send({
      method,
      url: `${this.baseUrl}${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
      log: this.log,
      // A person's action must not happen twice: only reads are sent again.
      idempotent: method === 'GET',
    });
    let parsed: { code?: number; msg?: string; data?: T; error?: { field_violations?: Array<{ field?: string; description?: string }> } };
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
    } catch {
      throw new CliError('api', `${this.baseUrl} answered ${method} ${path} with HTTP ${res.status} and no JSON: is it a card emulator?`, { code: res.status });
    }
    if (parsed.code !== 0) throw new EmulatorRefusal(res.status, parsed.code ?? res.status, `${method} ${path}: ${parsed.msg ?? 'refused'}${fieldsOf(parsed.error)} (code ${parsed.code})`);
    return parsed.data as T;
  }

  /**
   * A person's action through the control API: answered once the bots it told answered. The
   * emulator bounds each bot's answer itself; this only backstops a hung emulator. A refusal
   * names what was being done.
   */
  async act<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, doing: string): Promise<T> {
    try {
      return await this.call<T>(method, path, body, Math.max(this.timeoutMs, 30_000));
    } catch (err) {
      if (err instanceof EmulatorRefusal) throw new EmulatorRefusal(err.status, Number(err.code), `the emulator refused: ${doing}: ${err.message.replace(/^\S+ \S+: /, '')}`);
      throw err;
    }
  }

  /** An app's bot menu, as the seed gives it. */
  menu(appId: string): Promise<{ app_id: string; menu: SeedBotMenuItem[] }> {
    return this.call('GET', `/_emulator/apps/${encodeURIComponent(appId)}/menu`);
  }

  /** The inbox page's view of a chat's newest messages (reactions with who gave them), newest page first. */
  inboxPage(chatId: string, pageToken: string | null): Promise<{ messages: InboxPageMessage[]; has_more: boolean; page_token: string | null }> {
    const q = new URLSearchParams({ chat_id: chatId, page_size: '200' });
    if (pageToken) q.set('page_token', pageToken);
    return this.call('GET', `/_emulator/inbox/messages?${q}`);
  }

  state(): Promise<EmulatorState> {
    return this.call('GET', '/_emulator/state');
  }

  /** Every message held, oldest first (paged through; the store keeps a bounded number). */
  async messages(chatId?: string): Promise<StoredMessage[]> {
    const all: StoredMessage[] = [];
    let token: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const q = new URLSearchParams({ page_size: '1000' });
      if (chatId) q.set('chat_id', chatId);
      if (token) q.set('page_token', token);
      const data: { messages: StoredMessage[]; has_more: boolean; page_token: string | null } = await this.call('GET', `/_emulator/messages?${q}`);
      all.push(...data.messages);
      if (!data.has_more || !data.page_token) break;
      token = data.page_token;
    }
    return all;
  }

  /** One message, or null when the emulator holds none by that id. */
  async message(id: string): Promise<StoredMessage | null> {
    try {
      return await this.call<StoredMessage>('GET', `/_emulator/messages/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof EmulatorRefusal && err.status === 404) return null;
      throw err;
    }
  }

  /** The CardKit card entity a message shows, if any (its streaming state). */
  async entityOf(messageId: string): Promise<EntityView | null> {
    let token: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const q = new URLSearchParams({ page_size: '1000' });
      if (token) q.set('page_token', token);
      const data: { cards: EntityView[]; has_more: boolean; page_token: string | null } = await this.call('GET', `/_emulator/cardkit/cards?${q}`);
      const hit = data.cards.find((c) => c.message_id === messageId);
      if (hit) return hit;
      if (!data.has_more || !data.page_token) return null;
      token = data.page_token;
    }
    return null;
  }

  /** The clicks on one message, oldest first. */
  async interactions(messageId: string): Promise<Interaction[]> {
    const found: Interaction[] = [];
    let token: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const q = new URLSearchParams({ page_size: '1000' });
      if (token) q.set('page_token', token);
      const data: { interactions: Interaction[]; has_more: boolean; page_token: string | null } = await this.call('GET', `/_emulator/inbox/interactions?${q}`);
      found.push(...data.interactions.filter((i) => i.message_id === messageId));
      if (!data.has_more || !data.page_token) break;
      token = data.page_token;
    }
    return found;
  }

  /** A click as `openId`: the emulator sends the callback and judges and applies the answer. */
  async click(messageId: string, openId: string, action: Record<string, unknown>): Promise<{ interaction: Interaction; delivery: DeliveryRecord | null }> {
    // The emulator bounds the bot's answer itself; this only backstops a hung emulator.
    const data: { interaction: Interaction; delivery?: DeliveryRecord | null } = await this.call('POST', '/_emulator/inbox/click', { message_id: messageId, open_id: openId, action }, Math.max(this.timeoutMs, 30_000));
    return { interaction: data.interaction, delivery: data.delivery ?? null };
  }

  /** Starts recording what people do and what the bot answers ("Record a test"). */
  startRecording(): Promise<RecordingRecord> {
    return this.call('POST', '/_emulator/recordings', {});
  }

  /** Stops a recording and returns its steps. */
  stopRecording(id: string): Promise<RecordingRecord> {
    return this.call('POST', `/_emulator/recordings/${encodeURIComponent(id)}/stop`, {});
  }

  /** Writes as a person; the bot gets `im.message.receive_v1`. */
  async say(openId: string, body: { chat_id?: string; app_id?: string; text: string; mention_bot: boolean }): Promise<{ message_id: string; message: StoredMessage; deliveries: DeliveryRecord[] }> {
    return this.call('POST', `/_emulator/users/${encodeURIComponent(openId)}/messages`, body, Math.max(this.timeoutMs, 30_000));
  }
}
