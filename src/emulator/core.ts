import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Clock } from './clock.js';
import { PlatformError } from './http.js';
import { fail } from './catalogue/errors.js';
import { newId } from './ids.js';
import { NO_FAULTS, type FaultSettings } from './faults.js';
import { PLATFORM_RATE_LIMITS, WindowCounter, type RateLimitSettings } from './rate-limit.js';
import type { Interaction } from './interactions.js';
import { Ring } from './ring.js';
import { RequestLog, type LogEntry, type LoggedRequest, type RequestLogLimits } from './request-log.js';
import type { SeedFile } from './seed.js';
import type { MediaStore } from './media.js';
import { DEFAULT_MAX_MESSAGES } from './message-cap.js';
import { Store, type AppRecord, type MessageRecord } from './store.js';
import { WsHub } from './ws-hub.js';
import { DEFAULT_CARDKIT_BYTES, DEFAULT_INBOX_STREAM_BYTES } from './settings-limits.js';

export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The body as it arrived, for routes that check a signature over it. */
  raw: Buffer;
  /** The calling app, on routes that require a tenant token. */
  app: AppRecord;
  core: EmulatorCore;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** An HTML page instead of JSON. */
  html?: string;
  /** Bytes instead of JSON (image and file downloads). */
  bytes?: { data: Buffer; contentType: string };
}

export interface Route {
  method: string;
  /** Path with `:name` segments. */
  pattern: string;
  /** 'wps' routes check WPS signatures themselves and answer in WPS's envelope. */
  auth: 'none' | 'tenant' | 'wps';
  /** Any one of these scopes lets the call through. */
  scopes?: readonly string[];
  /** The access tokens the route takes (declared routes); tenant routes without it take tenant tokens. */
  tokens?: readonly ('tenant' | 'user' | 'app')[];
  /** `raw` leaves the body unparsed (multipart uploads); the default parses JSON. */
  body?: 'json' | 'raw';
  /** A larger body bound than the emulator's default, for uploads. */
  maxBodyBytes?: number;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

export type { LoggedRequest } from './request-log.js';

export interface EmulatorSettings {
  /** Lifetime of tenant tokens; the platform's is 7200 s. */
  tokenTtlSeconds: number;
  /** `false` turns rate limiting off. */
  rateLimits: RateLimitSettings | false;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** How many requests the log keeps. */
  requestLogSize: number;
  /** How many bytes the request log may hold in all (bodies, paths, queries); past it the oldest go. */
  requestLogBytes: number;
  /** How many bytes of each request's body the log keeps. */
  requestLogBodyBytes: number;
  /** How many messages are kept; past it the oldest are dropped. */
  maxMessages: number;
  /** How many bytes CardKit card entities may hold in all (their cards' JSON); past it the oldest go. */
  cardkitBytes: number;
  /** How many inbox clicks the interaction log keeps. */
  interactionLogSize: number;
  /** Bytes that may wait unsent to one inbox page's event stream; past it the stream is cut and the page reconnects. */
  inboxStreamBytes: number;
  faults: FaultSettings;
  /** `false` stores cards that break `card lint`'s rules instead of refusing them (for renderer tests). */
  cardRules: boolean;
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  tokenTtlSeconds: 7200,
  rateLimits: PLATFORM_RATE_LIMITS,
  maxBodyBytes: 2 * 1024 * 1024,
  requestLogSize: 5000,
  requestLogBytes: 64 * 1024 * 1024,
  requestLogBodyBytes: 64 * 1024,
  maxMessages: DEFAULT_MAX_MESSAGES,
  cardkitBytes: DEFAULT_CARDKIT_BYTES,
  interactionLogSize: 500,
  inboxStreamBytes: DEFAULT_INBOX_STREAM_BYTES,
  faults: NO_FAULTS,
  cardRules: true,
};

/** Events the emulator emits, for the inbox page and for tests that wait on arrivals. */
export interface EmulatorEvents {
  message: [MessageRecord];
  update: [MessageRecord];
  request: [LoggedRequest];
  interaction: [Interaction];
  /** A click is about to be sent: the card as the person saw it, and the action (recordings read it). */
  /** A recording of the inbox began (the recorder's control route). */
  recording: [{ id: string }];
  clicking: [{ message_id: string; open_id: string; action: Record<string, unknown>; card: import('../card/inspect.js').CardObject | null }];
  /** An ephemeral card sent or deleted: not a message, but the inbox shows it to one member. */
  ephemeral: [{ message_id: string; chat_id: string }];
  /** A chat changed in a way the inbox shows: its name, announcement or top notice. */
  chat: [{ chat_id: string }];
  /** A person's feed changed: an app feed card or a time-sensitive chat. */
  feed: [{ open_id: string }];
  /** An event or callback attempt was logged, or its re-send scheduled (the inbox's deliveries panel). */
  delivery: [{ id: number }];
  // ── h24-menu-links ──
  /** A person pressed an item of a bot's menu (recordings read it). */
  menu: [{ open_id: string; app_id: string; event_key: string }];
  /** The previews of a pasted link are in: each app's, and whether its answer was accepted. */
  linkPreviews: [{ message_id: string; previews: Array<{ app_id: string; ok: boolean; title: string | null }> }];
  // ── h24-recorder ──
  /** A person reacted, read, recalled or acted on a chat, before the bots are told (recordings read it). */
  act: [import('./person-acts.js').PersonAct];
}

/** The emulator's state and the rules every route shares; the HTTP server is a thin layer over it. */
export class EmulatorCore {
  readonly clock: Clock;
  store: Store;
  settings: EmulatorSettings;
  readonly events = new EventEmitter<EmulatorEvents>();
  /** The long connection: endpoint tickets, connected clients, delivery. */
  readonly ws: WsHub;
  /** The routes the server answers (set when it starts): the inbox offers the actions they serve. */
  routes: readonly Route[] = [];
  private log: RequestLog;
  private seq = 0;
  private interactions: Ring<Interaction>;
  private interactionSeq = 0;
  private perSecond = new WindowCounter(1000);
  private perMinute = new WindowCounter(60_000);
  /** Codes routes answered without declaring them: catalogue bugs, which the test suite reports. */
  private undeclared: string[] = [];

  constructor(
    private seed: SeedFile,
    settings: Partial<EmulatorSettings> = {},
    clock = new Clock(),
  ) {
    this.clock = clock;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.store = new Store(seed, clock.now(), this.storeOptions());
    this.ws = new WsHub(() => this.clock.now());
    this.log = new RequestLog(this.logLimits());
    this.interactions = new Ring(this.settings.interactionLogSize);
    // A message sent by card_id becomes its entity's, whichever route stored it.
    this.events.on('message', (m) => this.store.cardkit.bindSent(m));
  }

  private storeOptions() {
    return {
      maxMessages: this.settings.maxMessages,
      cardkitBytes: () => this.settings.cardkitBytes,
      now: () => this.clock.now(),
      onUpdate: (m: MessageRecord) => this.events.emit('update', m),
      onChatChange: (chatId: string) => this.events.emit('chat', { chat_id: chatId }),
      onFeedChange: (openId: string) => this.events.emit('feed', { open_id: openId }),
    };
  }

  /** Uploaded images and files, bounded by total size. */
  get media(): MediaStore {
    return this.store.media;
  }

  now(): number {
    return this.clock.now();
  }

  /** Back to the seeded state: data, tokens, request log, rate windows and clock. */
  reset(seed?: SeedFile): void {
    if (seed) this.seed = seed;
    this.clock.reset();
    // New objects, not emptied ones: nothing of the old state stays reachable.
    this.store = new Store(this.seed, this.clock.now(), this.storeOptions());
    this.log.clear(this.logLimits());
    this.interactions.clear(this.settings.interactionLogSize);
    this.perSecond.clear();
    this.perMinute.clear();
  }

  authenticate(req: IncomingMessage, tokens?: readonly string[]): AppRecord {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new PlatformError(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
    }
    const record = this.store.tenantTokens.get(match[1]!);
    if (!record || record.expires_at <= this.now()) {
      throw new PlatformError(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    }
    // The emulator issues tenant tokens only; a route for user tokens answers one as the platform does.
    if (tokens && !tokens.includes('tenant')) {
      throw fail(99991663, 'this API takes a user_access_token, and a tenant_access_token was sent');
    }
    return this.store.apps.get(record.app_id)!;
  }

  requireScope(app: AppRecord, scopes: readonly string[]): void {
    if (!app.scopes || scopes.some((s) => app.scopes!.has(s))) return;
    const list = scopes.join(',');
    const link = `https://open.feishu.cn/app/${app.app_id}/auth?q=${list}&op_from=openapi&token_type=tenant`;
    throw new PlatformError(
      400,
      99991672,
      `Access denied. One of the following scopes is required: [${scopes.join(', ')}].应用尚未开通所需的应用身份权限：[${scopes.join(', ')}]，点击链接申请并开通任一权限即可：${link}`,
      {
        permission_violations: scopes.map((s) => ({ type: 'action_scope_required', subject: s, description: 'The app has not been granted this scope' })),
        helps: [{ url: link, description: 'Grant the scope in the developer console, then publish a new app version' }],
      },
    );
  }

  /** The per-app limits every authenticated route counts against. */
  takeAppQuota(app: AppRecord): void {
    const limits = this.settings.rateLimits;
    if (!limits) return;
    const now = this.now();
    for (const [counter, limit] of [
      [this.perSecond, limits.appPerSecond],
      [this.perMinute, limits.appPerMinute],
    ] as const) {
      const v = counter.take(`app:${app.app_id}`, limit, now);
      if (!v.ok) {
        throw new PlatformError(429, 99991400, 'request trigger frequency limit', {}, {
          'X-Ogw-Ratelimit-Limit': String(v.limit),
          'X-Ogw-Ratelimit-Reset': String(v.resetSeconds),
        });
      }
    }
  }

  /** Per-receiver and per-message limits, answered with the im error code. */
  takeImQuota(key: string, limit: keyof RateLimitSettings): void {
    const limits = this.settings.rateLimits;
    if (!limits) return;
    const v = this.perSecond.take(key, limits[limit], this.now());
    if (!v.ok) {
      throw new PlatformError(400, 230020, 'This operation triggers the frequency limit.', {}, {
        'X-Ogw-Ratelimit-Limit': String(v.limit),
        'X-Ogw-Ratelimit-Reset': String(v.resetSeconds),
      });
    }
  }

  /** Issues a tenant token following the platform's rule: the same token while more than 30 min remain. */
  issueTenantToken(app: AppRecord): { token: string; expire: number } {
    const now = this.now();
    let best: { token: string; expires_at: number } | undefined;
    for (const t of this.store.tenantTokens.values()) {
      if (t.app_id === app.app_id && t.expires_at > now && (!best || t.expires_at > best.expires_at)) best = t;
    }
    if (best && best.expires_at - now > 30 * 60 * 1000) {
      return { token: best.token, expire: Math.floor((best.expires_at - now) / 1000) };
    }
    const token = newId.tenantToken();
    const ttl = this.settings.tokenTtlSeconds;
    this.store.tenantTokens.set(token, { token, app_id: app.app_id, expires_at: now + ttl * 1000 });
    return { token, expire: ttl };
  }

  private logLimits(): RequestLogLimits {
    return { entries: this.settings.requestLogSize, bytes: this.settings.requestLogBytes, bodyBytes: this.settings.requestLogBodyBytes };
  }

  /** Numbers an entry in place and keeps it. */
  record(entry: LogEntry): void {
    entry.seq = ++this.seq;
    this.log.push(entry);
    this.events.emit('request', entry);
  }

  requests(): LoggedRequest[] {
    return this.log.toArray();
  }

  /** The request log itself, for paging without copying it. */
  requestLog(): RequestLog {
    return this.log;
  }

  nextInteractionId(): number {
    return ++this.interactionSeq;
  }

  recordInteraction(i: Interaction): Interaction {
    this.interactions.push(i);
    this.events.emit('interaction', i);
    return i;
  }

  interactionLog(): Interaction[] {
    return this.interactions.toArray();
  }

  noteUndeclaredCode(what: string): void {
    if (this.undeclared.length < 100 && !this.undeclared.includes(what)) this.undeclared.push(what);
  }

  /** The undeclared codes noted since the last call. */
  takeUndeclaredCodes(): string[] {
    return this.undeclared.splice(0);
  }

  clearRequests(): void {
    this.log.clear(this.logLimits());
  }
}

