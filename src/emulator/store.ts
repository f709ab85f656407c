import { MessageTable } from './message-table.js';
import type { SeedFile, SeedTemplateVersion, SeedWpsApp } from './seed.js';
import { seededUserIds, stableId } from '../callback/seeded-ids.js';
import { newId } from './ids.js';
import { MediaStore } from './media.js';
import type { CardObject } from '../card/inspect.js';
import { DEFAULT_MAX_MESSAGES } from './message-cap.js';
import { WindowCounter } from './rate-limit.js';
import { CardkitStore } from './cardkit-entities.js';
import { fail } from './catalogue/errors.js';
import { DEFAULT_CARDKIT_BYTES } from './settings-limits.js';

/** How long a message uuid (create or reply) makes a resend answer the first message. */
export const MESSAGE_UUID_WINDOW_MS = 3600 * 1000;
const MAX_MESSAGE_UUIDS = 10_000;
const MAX_EPHEMERAL = 5000;
const MAX_BATCHES = 1000;

/** What the store needs from the core that owns it. */
export interface StoreOptions {
  maxMessages?: number;
  cardkitBytes?: () => number;
  now?: () => number;
  /** Told of every change to a stored message that an open inbox must show (recall). */
  onUpdate?: (m: MessageRecord) => void;
}

export interface AppRecord {
  app_id: string;
  app_secret: string;
  name: string;
  bot_open_id: string;
  scopes: Set<string> | null;
  encrypt_key: string | null;
  verification_token: string | null;
  callback_url: string | null;
  /** Which callback the app subscribed to: the new card.action.trigger or the legacy one. */
  callback_format: 'card.action.trigger' | 'card.action.trigger_v1';
  availability: Set<string> | null;
  /** Where callbacks go: its callback URL, or its long connection; null picks by whether a URL is set. */
  callback_mode: 'http' | 'ws' | null;
  /** Where events go (a setting of its own on the platform); the URL for the webhook mode. */
  event_url: string | null;
  event_mode: 'http' | 'ws' | null;
  /** Send callbacks as `type=card` frames, which the SDKs drop (reproduces a reported failure). */
  ws_card_frames: boolean;
}

export interface UserRecord {
  name: string;
  open_id: string;
  union_id: string;
  user_id: string;
  mobile: string | null;
  email: string | null;
  resigned: boolean;
  frozen: boolean;
}

export interface ChatRecord {
  chat_id: string;
  name: string;
  description: string;
  chat_mode: 'group' | 'p2p';
  chat_type: 'private' | 'public';
  /** open_id of the owning user, or null when a bot owns it. */
  owner_open_id: string | null;
  /** app_id of the bot that owns it, when a bot does. */
  owner_app_id: string | null;
  creator_app_id: string | null;
  members: Set<string>;
  bots: Set<string>;
  managers: Set<string>;
  bot_managers: Set<string>;
  create_time: number;
  dissolved: boolean;
  extra: Record<string, unknown>;
  // ── chat state of the chat APIs (announcement, moderation, link) ──
  // ── chat state of tabs, menus and top notices ──
}

export interface MessageVersion {
  content: string;
  /** The card as it renders, for interactive messages (templates resolved). */
  card: CardObject | null;
  at: number;
  via: 'create' | 'patch' | 'card_update' | 'callback' | 'cardkit';
}

/**
 * A stored version. An inline card is its content parsed, so only the text is kept and the card
 * is parsed again when first read: fewer long-lived objects for the collector to trace.
 */
export function storedVersion(content: string, card: CardObject | null, at: number, via: MessageVersion['via'], inline: boolean): MessageVersion {
  return !inline || card === null ? { content, card, at, via } : new TextVersion(content, at, via);
}

/** A version kept as text; `card` is parsed on first read (a prototype getter: one shape for all). */
class TextVersion implements MessageVersion {
  private parsed: CardObject | null = null;

  constructor(
    readonly content: string,
    readonly at: number,
    readonly via: MessageVersion['via'],
  ) {}

  get card(): CardObject {
    return (this.parsed ??= JSON.parse(this.content) as CardObject);
  }

  toJSON(): MessageVersion {
    return { content: this.content, card: this.card, at: this.at, via: this.via };
  }
}

/** The user_views of a message no delayed update has touched: one shared map, so it refuses writes. */
class NoUserViews extends Map<string, MessageVersion> {
  override set(): this {
    throw new Error('bug: the shared empty user_views was written; use userViewsOf(message)');
  }
}

/**
 * What a new message starts with: most messages never get a per-user view, and a Map for each of
 * them is memory the garbage collector walks for as long as the message is kept.
 */
export const NO_USER_VIEWS: Map<string, MessageVersion> = new NoUserViews();

/** A message's per-user views, ready to be written. */
export function userViewsOf(m: MessageRecord): Map<string, MessageVersion> {
  if (m.user_views === NO_USER_VIEWS) m.user_views = new Map();
  return m.user_views;
}

export interface MessageRecord {
  message_id: string;
  app_id: string;
  chat_id: string;
  msg_type: string;
  receive_id: string;
  receive_id_type: string;
  uuid: string | null;
  create_time: number;
  update_time: number;
  updated: boolean;
  deleted: boolean;
  /** Oldest first; the last one is what users see. */
  versions: MessageVersion[];
  /** Per-user views left by delayed updates of non-shared 1.0 cards. */
  user_views: Map<string, MessageVersion>;
  /** Set when a user sent it (the inbox message box); otherwise the app's bot did. */
  sender_open_id?: string;
  /** Who was @mentioned, in the order of the `@_user_N` keys in the text. */
  mentions?: Array<{ key: string; id: string; id_type: 'open_id' | 'app_id'; name: string }>;
  /** Thread, batch and edit bookkeeping, for the messages that have any (message-extras.ts). */
  extra?: MessageExtra;
}

/** What the message APIs beyond create and PATCH remember of a message (most messages have none). */
export interface MessageExtra {
  parent_id: string;
  root_id: string;
  thread_id: string;
  /** The bm- id, for a message batch_send made: it cannot be updated, replied to, recalled singly, or clicked. */
  batch_id: string | null;
  /** PUT edits so far (text and post; at most 20). */
  edits: number;
  /** Who has read it: open_id -> when first read (ms). Bounded by the chat's members. */
  reads?: Map<string, number>;
  /** The follow-up bubbles push_follow_up put under it. */
  follow_ups?: FollowUpRecord[];
}

export interface EphemeralRecord {
  message_id: string;
  app_id: string;
  chat_id: string;
  /** The one user who sees it. */
  open_id: string;
  card: CardObject;
  content: string;
  create_time: number;
  deleted: boolean;
}

export interface BatchRecord {
  batch_id: string;
  app_id: string;
  message_ids: string[];
  create_time: number;
  recalled: boolean;
}

/** An event the emulator sent an app, for the control API and the inbox. */
export interface EventDelivery {
  id: number;
  time: string;
  app_id: string;
  event_type: string;
  channel: 'http' | 'ws';
  target: string | null;
  ok: boolean;
  status: number | null;
  ms: number | null;
  error: string | null;
  problems: Array<{ path: string; message: string }>;
  device_id: string | null;
  payload: Record<string, unknown>;
}

// ── records of the message state (reactions, pins, reads) ──

/** A follow-up bubble under a bot's latest p2p message; a tap sends its text as the user. */
export interface FollowUpRecord {
  content: string;
  i18n_contents: Array<{ language: string; content: string }>;
  at: number;
}
// ── records of the chat state (tabs, menus, top notices, announcements) ──
// ── records of the im/v2 state (feed cards, url previews, tags) ──

export interface TenantTokenRecord {
  token: string;
  app_id: string;
  expires_at: number;
}

export interface CardTokenRecord {
  token: string;
  app_id: string;
  message_id: string;
  open_id: string;
  issued_at: number;
  uses: number;
}

export interface TemplateRecord {
  template_id: string;
  apps: Set<string> | null;
  versions: SeedTemplateVersion[];
}

export interface WpsMessageRecord {
  message_id: string;
  app_key: string;
  ctx_id: string | null;
  biz_type: string | null;
  utype: number;
  targets: { to_users?: unknown; to_depts?: unknown; to_companies?: unknown; to_chats?: unknown };
  /** Newest last. */
  versions: Array<{ card: Record<string, unknown>; at: number; via: 'create' | 'update' }>;
  create_time: number;
}


/** The words of a text message as it stands now; null for other message types. */
export function currentText(m: MessageRecord): string | null {
  if (m.msg_type !== 'text') return null;
  const content = m.versions[m.versions.length - 1]!.content;
  try {
    return String((JSON.parse(content) as { text?: unknown }).text ?? '');
  } catch {
    return content;
  }
}

/**
 * The emulator's whole state: every record a route reads or writes lives here, and a reset makes
 * a new Store, so nothing survives it. Routes change it through its methods where a rule is shared
 * (recall, uuid windows, a bot's chat) so each rule is written once.
 */
export class Store {
  tenantKey = 'emu_tenant';
  apps = new Map<string, AppRecord>();
  users: UserRecord[] = [];
  chats = new Map<string, ChatRecord>();
  /** Past the cap the oldest go, with their uuid entries. */
  messages = new MessageTable<MessageRecord>(
    () => this.maxMessages,
    (dropped) => this.forget(dropped),
  );
  tenantTokens = new Map<string, TenantTokenRecord>();
  cardTokens = new Map<string, CardTokenRecord>();
  templates = new Map<string, TemplateRecord>();
  /** kind + '\0' + app_id + '\0' + uuid -> the message a create or reply with that uuid made. */
  readonly messageUuids = new Map<string, { message_id: string; at: number }>();
  /** app_id + '\0' + owner + '\0' + uuid -> chat_id */
  chatUuids = new Map<string, { chat_id: string; at: number }>();
  /** app_id + '\0' + open_id -> p2p chat_id */
  p2pChats = new Map<string, string>();
  wpsApps = new Map<string, SeedWpsApp>();
  /** Uploaded images and files (media.ts), bounded by total size. */
  media = new MediaStore();
  wpsTokens = new Map<string, { app_key: string; expires_at: number }>();
  wpsMessages = new Map<string, WpsMessageRecord>();
  /** The cap on stored messages: past it, the oldest are dropped. */
  maxMessages: number;
  /** Ephemeral cards: not messages, each seen by one member of a chat. */
  ephemeral = new Map<string, EphemeralRecord>();
  batches = new Map<string, BatchRecord>();
  /** Unread urgent messages per user, for the 200 cap. */
  urgentUnread = new Map<string, number>();
  /** Ephemeral sends per chat per second. */
  ephemeralRate = new WindowCounter(1000);
  /** CardKit card entities. */
  readonly cardkit: CardkitStore;
  /** Events sent to apps, and the webhook URLs that passed the url_verification challenge. */
  readonly eventLog = { seq: 0, items: [] as EventDelivery[], verified: new Set<string>() };
  private readonly onUpdate: (m: MessageRecord) => void;
  // ── message state: reactions, pins, reads, follow-ups ──
  // ── im/v2 state: feed cards, url previews, tags ──
  /** How many messages the cap has dropped since the last reset. */
  droppedMessages = 0;
  /** The newest message dropped, to tell "dropped" from "never existed" (ids carry a counter). */
  private lastDropped: string | null = null;

  constructor(seed: SeedFile, now: number, options: StoreOptions = {}) {
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.cardkit = new CardkitStore(options.now ?? (() => now), options.cardkitBytes ?? (() => DEFAULT_CARDKIT_BYTES));
    this.onUpdate = options.onUpdate ?? (() => {});
    this.load(seed, now);
    for (const key of seed.image_keys ?? []) this.media.seed(key, 'image', now);
  }

  /** Stores a new message; past the cap the oldest go. */
  addMessage(m: MessageRecord): void {
    this.messages.add(m);
  }

  /** Recalls a message: it stays stored, shown as recalled, and an open inbox is told. */
  recall(m: MessageRecord, now: number): void {
    m.deleted = true;
    m.update_time = now;
    this.onUpdate(m);
  }

  /** The message an earlier create or reply with this uuid made within the window, if it is still here. */
  uuidMessage(kind: 'create' | 'reply', appId: string, uuid: string, now: number): MessageRecord | undefined {
    const seen = this.messageUuids.get(`${kind}\0${appId}\0${uuid}`);
    return seen && now - seen.at < MESSAGE_UUID_WINDOW_MS ? this.messages.get(seen.message_id) : undefined;
  }

  rememberUuid(kind: 'create' | 'reply', appId: string, uuid: string, messageId: string, now: number): void {
    this.messageUuids.set(`${kind}\0${appId}\0${uuid}`, { message_id: messageId, at: now });
    if (this.messageUuids.size > MAX_MESSAGE_UUIDS) this.messageUuids.delete(this.messageUuids.keys().next().value!);
  }

  /**
   * A chat the app's bot acts in, or undefined when there is no such chat (routes answer that in
   * their own words). Dissolved is 232009; a bot outside it is 230002 for the message APIs and
   * 232011 for the chat APIs, as the platform answers.
   */
  botChat(app: AppRecord, chatId: string, family: 'message' | 'chat'): ChatRecord | undefined {
    const chat = this.chats.get(chatId);
    if (!chat) return undefined;
    if (chat.dissolved) throw fail(232009);
    if (!chat.bots.has(app.app_id)) throw fail(family === 'message' ? 230002 : 232011);
    return chat;
  }

  /** Whether the app's bot may manage the chat: it owns or created it, or is one of its managers. */
  canManage(app: AppRecord, chat: ChatRecord): boolean {
    return chat.owner_app_id === app.app_id || chat.creator_app_id === app.app_id || chat.bot_managers.has(app.app_id);
  }

  // ── methods of the message state ──

  /**
   * A member of the message's chat has read it (the first read counts). False when the user
   * cannot read it: not in the chat, or the sender of the message.
   */
  markRead(m: MessageRecord, openId: string, now: number): boolean {
    const chat = this.chats.get(m.chat_id);
    if (!chat || !chat.members.has(openId) || m.sender_open_id === openId) return false;
    const reads = ((m.extra ??= { parent_id: '', root_id: '', thread_id: '', batch_id: null, edits: 0 }).reads ??= new Map());
    if (!reads.has(openId)) reads.set(openId, now);
    return true;
  }

  /** Whether no later message has arrived in the message's chat. */
  isLatestInChat(m: MessageRecord): boolean {
    for (const later of this.messages.valuesAfter(m.message_id)) if (later.chat_id === m.chat_id && later.message_id !== m.message_id) return false;
    return true;
  }
  // ── methods of the chat state ──
  // ── methods of the im/v2 state ──

  addEphemeral(rec: EphemeralRecord): void {
    this.ephemeral.set(rec.message_id, rec);
    capMap(this.ephemeral, MAX_EPHEMERAL);
  }

  addBatch(rec: BatchRecord): void {
    this.batches.set(rec.batch_id, rec);
    capMap(this.batches, MAX_BATCHES);
  }

  private forget(dropped: MessageRecord): void {
    if (dropped.uuid) {
      const key = `${dropped.receive_id_type === 'reply' ? 'reply' : 'create'}\0${dropped.app_id}\0${dropped.uuid}`;
      if (this.messageUuids.get(key)?.message_id === dropped.message_id) this.messageUuids.delete(key);
    }
    this.droppedMessages++;
    this.lastDropped = dropped.message_id;
  }

  /**
   * For an unknown message id: a sentence saying the cap dropped it, or '' when it never existed
   * here. Emulator ids end in a counter of the same width, so they compare as strings.
   */
  droppedNote(messageId: string): string {
    const last = this.lastDropped;
    if (!last || messageId.length !== last.length || messageId.slice(0, -12) !== last.slice(0, -12) || messageId > last) return '';
    return ` The emulator dropped this message: it keeps the newest ${this.maxMessages} (--max-messages, or settings.maxMessages).`;
  }

  load(seed: SeedFile, now: number): void {
    this.tenantKey = seed.tenant_key ?? 'emu_tenant';
    for (const a of seed.apps) {
      this.apps.set(a.app_id, {
        app_id: a.app_id,
        app_secret: a.app_secret,
        name: a.name ?? a.app_id,
        bot_open_id: stableId('ou_', `bot:${a.app_id}`),
        scopes: a.scopes ? new Set(a.scopes) : null,
        encrypt_key: a.encrypt_key ?? null,
        verification_token: a.verification_token ?? null,
        callback_url: a.callback_url ?? null,
        callback_format: a.callback_format === 'card.action.trigger_v1' ? 'card.action.trigger_v1' : 'card.action.trigger',
        availability: a.availability ? new Set(a.availability) : null,
        callback_mode: a.callback_mode ?? null,
        event_url: a.event_url ?? null,
        event_mode: a.event_mode ?? null,
        ws_card_frames: a.ws_card_frames === true,
      });
    }
    for (const u of seed.users ?? []) {
      this.users.push({
        name: u.name,
        ...seededUserIds(u),
        mobile: u.mobile ?? null,
        email: u.email ?? null,
        resigned: u.resigned === true,
        frozen: u.frozen === true,
      });
    }
    for (const c of seed.chats ?? []) {
      const members = new Set<string>();
      for (const m of c.members ?? []) {
        const user = this.findUserByAny(m);
        if (!user) throw new Error(`seed chat "${c.name}": member ${m} is not a seeded user`);
        members.add(user.open_id);
      }
      const chat = this.newChat({
        chat_id: c.chat_id ?? stableId('oc_', `chat:${c.name}`),
        name: c.name,
        description: c.description ?? '',
        members,
        bots: new Set(c.bots ?? []),
        now,
      });
      this.chats.set(chat.chat_id, chat);
    }
    for (const a of seed.wps_apps ?? []) this.wpsApps.set(a.app_key, a);
    for (const t of seed.templates ?? []) {
      this.templates.set(t.template_id, {
        template_id: t.template_id,
        apps: t.apps ? new Set(t.apps) : null,
        versions: t.versions,
      });
    }
  }

  newChat(init: {
    chat_id?: string;
    name: string;
    description: string;
    members: Set<string>;
    bots: Set<string>;
    now: number;
    chat_mode?: 'group' | 'p2p';
    owner_open_id?: string | null;
    owner_app_id?: string | null;
    creator_app_id?: string | null;
  }): ChatRecord {
    return {
      chat_id: init.chat_id ?? newId.chat(),
      name: init.name,
      description: init.description,
      chat_mode: init.chat_mode ?? 'group',
      chat_type: 'private',
      owner_open_id: init.owner_open_id ?? null,
      owner_app_id: init.owner_app_id ?? null,
      creator_app_id: init.creator_app_id ?? null,
      members: init.members,
      bots: init.bots,
      managers: new Set(),
      bot_managers: new Set(),
      create_time: init.now,
      dissolved: false,
      extra: {},
    };
  }

  findUser(idType: string, id: string): UserRecord | undefined {
    switch (idType) {
      case 'open_id':
        return this.users.find((u) => u.open_id === id);
      case 'union_id':
        return this.users.find((u) => u.union_id === id);
      case 'user_id':
        return this.users.find((u) => u.user_id === id);
      case 'email':
        return this.users.find((u) => u.email !== null && u.email.toLowerCase() === id.toLowerCase());
      case 'mobile':
        return this.users.find((u) => u.mobile !== null && sameMobile(u.mobile, id));
      default:
        return undefined;
    }
  }

  findUserByAny(key: string): UserRecord | undefined {
    if (key.includes('@')) return this.findUser('email', key);
    if (key.startsWith('ou_')) return this.findUser('open_id', key);
    if (key.startsWith('on_')) return this.findUser('union_id', key);
    return this.findUser('mobile', key) ?? this.findUser('user_id', key);
  }

  userIdOf(user: UserRecord, idType: string): string {
    if (idType === 'union_id') return user.union_id;
    if (idType === 'user_id') return user.user_id;
    return user.open_id;
  }

  /** The one-to-one chat between an app's bot and a user, made on first message as the platform does. */
  p2pChatFor(app: AppRecord, user: UserRecord, now: number): ChatRecord {
    const key = `${app.app_id}\0${user.open_id}`;
    const existing = this.p2pChats.get(key);
    if (existing) return this.chats.get(existing)!;
    const chat = this.newChat({
      name: '',
      description: '',
      members: new Set([user.open_id]),
      bots: new Set([app.app_id]),
      now,
      chat_mode: 'p2p',
    });
    this.chats.set(chat.chat_id, chat);
    this.p2pChats.set(key, chat.chat_id);
    return chat;
  }
}

/** Mainland numbers may be given with or without +86; others need their country code. */
export function sameMobile(stored: string, given: string): boolean {
  const norm = (m: string) => {
    const digits = m.replace(/[\s-]/g, '');
    return digits.startsWith('+86') ? digits.slice(3) : digits;
  };
  return norm(stored) === norm(given);
}

/** Keeps a map within its cap by dropping the oldest entries (Maps iterate in insertion order). */
export function capMap<K, V>(map: Map<K, V>, cap: number): void {
  while (map.size > cap) map.delete(map.keys().next().value as K);
}
