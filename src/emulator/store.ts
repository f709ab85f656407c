import { MessageTable } from './message-table.js';
import type { SeedFile, SeedTemplateVersion, SeedWpsApp } from './seed.js';
import type { SeedBotMenuItem, SeedUrlPreviewRule } from './seed-menu-links.js';
import { seededUserIds, stableId } from '../callback/seeded-ids.js';
import { newId } from './ids.js';
import { MediaStore } from './media.js';
import type { CardObject } from '../card/inspect.js';
import { DEFAULT_MAX_MESSAGES } from './message-cap.js';
import { WindowCounter } from './rate-limit.js';
import { CardkitStore } from './cardkit-entities.js';
import { fail } from './catalogue/errors.js';
import { DEFAULT_CARDKIT_BYTES } from './settings-limits.js';
import { EMOJI_TYPES } from './emoji-types.js';
import { randomBytes } from 'node:crypto';

/** How long a message uuid (create or reply) makes a resend answer the first message. */
export const MESSAGE_UUID_WINDOW_MS = 3600 * 1000;
const MAX_MESSAGE_UUIDS = 10_000;
const MAX_EPHEMERAL = 5000;
const MAX_BATCHES = 1000;
const MAX_APP_FEED_CARDS = 10_000;
const MAX_CHAT_FEEDS = 10_000;
const MAX_URL_PREVIEWS = 10_000;
const MAX_TAGS = 5000;
const MAX_TAGGED_CHATS = 5000;

/** What the store needs from the core that owns it. */
export interface StoreOptions {
  maxMessages?: number;
  cardkitBytes?: () => number;
  now?: () => number;
  /** Told of every change to a stored message that an open inbox must show (recall, reactions, pins). */
  onUpdate?: (m: MessageRecord) => void;
  /** Told of a change to a chat that an open inbox must show (its name, announcement, top notice). */
  onChatChange?: (chatId: string) => void;
  /** Told of a change to a person's feed (app feed cards, time-sensitive chats). */
  onFeedChange?: (openId: string) => void;
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
  // ── contact directory ──
  /** What its tenant token sees of the directory (通讯录权限范围); null is the whole organisation. */
  contact_range: ContactRange | null;
  // ── h24-menu-links ──
  /** The bot's menu (seeded), and the URL rules its link previews answer. */
  bot_menu: SeedBotMenuItem[];
  url_previews: SeedUrlPreviewRule[];
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
  // ── contact directory ──
  en_name: string;
  nickname: string;
  i18n_name: I18nName;
  avatar_url: string | null;
  /** 0 unknown, 1 male, 2 female, 3 other. */
  gender: number;
  /** 1 regular, 2 intern, 3 outsourcing, 4 contractor, 5 consultant, or a tenant's own type. */
  employee_type: number;
  employee_no: string;
  job_title: string;
  city: string;
  country: string;
  work_station: string;
  /** open_department_ids, the primary first; "0" is the root. A resigned user belongs to none. */
  department_ids: string[];
  /** open_id of their leader. */
  leader_open_id: string | null;
  /** Seconds since the epoch. */
  join_time: number;
  is_tenant_manager: boolean;
  custom_attrs: CustomAttrValue[];
  /** Where they sort among a department's members (smaller first); ties go in seed order. */
  user_order: number;
  // ── h24-contact-roles: the user's job level and family, by id ('' or absent for none) ──
  job_level_id?: string;
  job_family_id?: string;
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
  /** Who may speak: everyone, the owner and managers, or the listed moderators. */
  moderation: 'all_members' | 'only_owner' | 'moderator_list';
  /** open_ids of the members who may speak under `moderator_list`. */
  moderators: Set<string>;
  /** The announcement (a legacy doc); null until the first edit, when a group's starts empty. */
  announcement: ChatAnnouncement | null;
  // ── chat state of tabs, menus and top notices ──
  /** Its tabs, left to right, the built-in message tab first; made on first use (chatTabs). */
  tabs?: ChatTab[];
  /** Its menu's top-level items, left to right (group chats only). */
  menu?: ChatMenuTopLevel[];
  /** What is pinned on top of the chat, if anything. */
  top_notice?: TopNotice | null;
  /**
   * Who may manage tabs, menus and widgets. The platform keeps this as a client setting no API
   * sets; unset means every member may.
   */
  tool_permission?: 'all_members' | 'only_owner_and_managers';
  // ── h24-chat-life: invitations a person may withdraw ──
  /** open_id -> the person who added them and when; made on first use, entries go when they leave. */
  invited?: Map<string, { by: string; at: number }>;
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

/**
 * One attempt at delivering an event or a callback to an app (webhook or long connection), for
 * the control API, the inbox and tests: where it went, what came back, and the verdict.
 */
export interface DeliveryRecord {
  id: number;
  /** Emulator time the attempt began. */
  time: string;
  app_id: string;
  /** Events are re-sent when they fail; callbacks are answered once (the client shows the failure). */
  category: 'event' | 'callback';
  /** The event type or the callback's: im.message.receive_v1, card.action.trigger, url.preview.get … */
  kind: string;
  /** The same on every attempt of one event (bots de-duplicate by it); null for the legacy callback. */
  event_id: string | null;
  transport: 'webhook' | 'long_connection';
  /** The URL, or `ws:<app_id>` for the long connection (device_id says which client took it). */
  target: string | null;
  device_id: string | null;
  /** 1 for the first send; a re-send of a failed event counts up to max_attempts. */
  attempt: number;
  max_attempts: number;
  /** From sending to the answer, or to giving up on one. */
  duration_ms: number;
  /**
   * The HTTP status or the long-connection ack's code, the start of the body (its first
   * MAX_ANSWER_EXCERPT_BYTES bytes, whole characters), the body's size in bytes, and whether the
   * start is all of it; null when nothing came back.
   */
  answer: { status: number; body: string; bytes: number; truncated: boolean } | null;
  verdict: 'ok' | 'failed';
  /** Why it failed, in one sentence ("HTTP 500: <first line>", "no answer in 3 s" …); null when ok. */
  reason: string | null;
  /** The error the client shows for a failed callback (200671 …); null otherwise. */
  client_code: number | null;
  /** When the next attempt is due (emulator time); null when none follows. */
  retry_at: string | null;
  problems: Array<{ path: string; message: string }>;
  /** The inbox click a callback answered. */
  interaction_id: number | null;
  /** What was sent (tokens hidden); null when it was too big to keep. */
  payload: Record<string, unknown> | null;
  // The names the event log used before, for older readers of `/_emulator/events`:
  event_type: string;
  channel: 'http' | 'ws';
  ok: boolean;
  status: number | null;
  ms: number | null;
  error: string | null;
}

/** @deprecated the delivery log holds events and callbacks alike: {@link DeliveryRecord}. */
export type EventDelivery = DeliveryRecord;

/** Attempts the delivery log keeps; past it the oldest go. */
export const MAX_DELIVERY_RECORDS = 1000;

// ── h24-contact-people: directory writes ──
/** How long a create's client_token is remembered (the docs give no window). */
export const CONTACT_CLIENT_TOKEN_WINDOW_MS = 3600 * 1000;
const MAX_CONTACT_CLIENT_TOKENS = 5000;

// ── records of the message state (reactions, pins, reads) ──
/** Who did something to a message: a person (open_id) or an app's bot (app_id). */
export interface Operator {
  type: 'user' | 'app';
  id: string;
}

export interface ReactionRecord {
  reaction_id: string;
  message_id: string;
  emoji_type: string;
  operator: Operator;
  action_time: number;
}

export interface PinRecord {
  message_id: string;
  chat_id: string;
  operator: Operator;
  create_time: number;
}

/**
 * A message merge_forward (or a thread forward) made: the copies it carries, each with an id of its
 * own, which GET of the merged message lists after it (with `upper_message_id` pointing at it).
 */
export interface MergedRecord {
  message_id: string;
  children: MessageRecord[];
}

/** What a forward's uuid is remembered under, besides create and reply. */
export type UuidKind = 'create' | 'reply' | 'forward' | 'merge_forward' | 'thread_forward';
const MAX_REACTIONS = 50_000;
const MAX_PINS = 10_000;
const MAX_MERGED = 5000;

/** A follow-up bubble under a bot's latest p2p message; a tap sends its text as the user. */
export interface FollowUpRecord {
  content: string;
  i18n_contents: Array<{ language: string; content: string }>;
  at: number;
}
// ── records of the chat state (tabs, menus, top notices, announcements) ──

/** A chat's announcement as the legacy doc API keeps it: a title, blocks, and a revision per edit. */
export interface ChatAnnouncement {
  title: unknown[];
  blocks: unknown[];
  revision: number;
  create_time: number;
  update_time: number;
  /** Who wrote it first and last: a user's open_id or an app_id. */
  owner: { type: 'open_id' | 'app_id'; id: string };
  modifier: { type: 'open_id' | 'app_id'; id: string };
}

/** A share link a bot made for a chat. */
export interface ChatLinkRecord {
  chat_id: string;
  app_id: string;
  /** Unix seconds; null for a permanent link. */
  expire_time: number | null;
}

/** The settings chat update may change, as the route reads them (owner_id already resolved). */
export interface ChatChange {
  avatar?: string;
  name?: string;
  description?: string;
  i18n_names?: Record<string, string>;
  chat_type?: string;
  owner?: UserRecord;
  /** Every other setting (permissions, visibility, restricted mode …), kept as given. */
  settings: Record<string, unknown>;
}

/** The fields any member may change when the chat lets all members edit it. */
const MEMBER_EDITABLE = new Set(['avatar', 'name', 'description', 'i18n_names']);
/** A group's managers at most (20 for super-large groups, which the emulator does not make). */
export const MAX_CHAT_MANAGERS = 10;
/** Bots a chat holds at most. */
export const MAX_BOTS_PER_CHAT = 15;
/**
 * Chats the emulator holds before it refuses to make a group (a bot's create, or a person's):
 * chats are kept whole (their messages and events name them, disbanded ones included), so past
 * this a new one is refused rather than an old one forgotten. One-to-one chats are not counted
 * against it: there is one per app and person, both bounded.
 */
export const MAX_CHATS = 10_000;
const MAX_CHAT_LINKS = 1000;
/** How far behind the newest revision an announcement edit may be. */
export const ANNOUNCEMENT_REVISION_LAG = 100;

/** The tab types a chat shows; the API adds, updates and deletes only `doc` and `url` tabs. */
export const CHAT_TAB_TYPES = ['message', 'doc_list', 'doc', 'pin', 'meeting_minute', 'chat_announcement', 'url', 'file', 'files_resources', 'images_videos', 'task'] as const;
export type ChatTabType = (typeof CHAT_TAB_TYPES)[number];

export interface ChatTab {
  tab_id: string;
  tab_type: ChatTabType;
  tab_name?: string;
  tab_content?: { url?: string; doc?: string };
  tab_config?: { icon_key?: string; is_built_in?: boolean };
}

export interface ChatMenuItem {
  action_type: 'NONE' | 'REDIRECT_LINK';
  name: string;
  redirect_link?: { common_url?: string; ios_url?: string; android_url?: string; pc_url?: string; web_url?: string };
  image_key?: string;
  i18n_names?: { zh_cn?: string; en_us?: string; ja_jp?: string };
}

export interface ChatMenuTopLevel {
  chat_menu_top_level_id: string;
  chat_menu_item: ChatMenuItem;
  children: Array<{ chat_menu_second_level_id: string; chat_menu_item: ChatMenuItem }>;
}

/** A pinned message (action_type "1") or the pinned announcement ("2"). */
export interface TopNotice {
  action_type: '1' | '2';
  message_id: string | null;
  /** The app whose bot pinned it. */
  operator_app_id: string;
  create_time: number;
}
// ── records of the im/v2 state (feed cards, url previews, tags) ──

/** A quick button on a feed card (app feed cards and a chat's feed card share the shape). */
export interface FeedCardButton {
  action_type: 'url_page' | 'webhook';
  text: { text: string };
  button_type?: 'default' | 'primary' | 'success';
  multi_url?: { url?: string; android_url?: string; ios_url?: string; pc_url?: string };
  action_map?: Record<string, string>;
}

/** What an app feed card shows, as create and update take it. */
export interface AppFeedCardFields {
  title?: string;
  avatar_key?: string;
  preview?: string;
  status_label?: { text: string; type: 'primary' | 'secondary' | 'success' | 'danger' };
  buttons?: { buttons: FeedCardButton[] };
  link?: { link?: string };
  time_sensitive?: boolean;
  notify?: { close_notify?: boolean; custom_sound_text?: string; with_custom_sound?: boolean };
}

/** One app feed card in one user's feed: an app's card is addressed by its biz_id and the user. */
export interface AppFeedCardRecord {
  app_id: string;
  biz_id: string;
  open_id: string;
  card: AppFeedCardFields;
  create_time: number;
  update_time: number;
  /** The time the feed shows on the card (update field 101 sets it to now). */
  display_time: number;
  /** Where the card sorts in the feed (update field 102 moves it to now). */
  sort_time: number;
  /** Times the user was notified of it: its creation unless notify.close_notify, and each update field 103. */
  notifications: number;
}

/** A link preview the platform made for a URL in a message (the url.preview.get callback carries its token). */
export interface UrlPreviewRecord {
  token: string;
  app_id: string;
  message_id: string;
  chat_id: string;
  url: string;
  create_time: number;
  /** batch_update calls that refreshed it, the last one's time and the users it asked for (null: every member). */
  refreshes: number;
  last_refresh: number | null;
  last_open_ids: string[] | null;
  // ── h24-menu-links ──
  /** What the app last answered to url.preview.get that the client accepted; absent until then. */
  content?: LinkPreviewContent | null;
  /** url.preview.get callbacks sent for it, and the problems of the last answer (empty when it was accepted). */
  pulls?: number;
  problems?: Array<{ path: string; message: string }>;
}

// ── h24-menu-links: link previews the apps answered ──
/** An accepted answer to url.preview.get: the inline preview, and the card the client shows under the link. */
export interface LinkPreviewContent {
  inline: { title: string; i18n_title?: Record<string, string>; image_key?: string; url?: Record<string, string> | string };
  card: { type: 'card_json' | 'template'; data: Record<string, unknown> } | null;
  /** The card as the client shows it (a template filled in), or null. */
  shown_card: CardObject | null;
  at: number;
}

export interface TagRecord {
  id: string;
  tag_type: 'tenant';
  name: string;
  i18n_names: Array<{ locale: string; name?: string }>;
  create_time: number;
  update_time: number;
}

/** The feed card of a chat for one user: pinned as time-sensitive, and the quick buttons it shows. */
export interface ChatFeedRecord {
  chat_id: string;
  open_id: string;
  /** When it was pinned as time-sensitive; null when it is not. */
  time_sensitive_since: number | null;
  buttons: FeedCardButton[];
  update_time: number;
}

// ── records of the contact directory ──
export interface I18nName {
  zh_cn?: string;
  ja_jp?: string;
  en_us?: string;
}

export interface DepartmentRecord {
  open_department_id: string;
  /** The tenant's own id for it. */
  department_id: string;
  /** The parent's open_department_id; "0" under the root. */
  parent: string;
  name: string;
  i18n_name: I18nName;
  /** The main leader (type 1) first, then deputies (type 2), by open_id. */
  leaders: { type: 1 | 2; open_id: string }[];
  /** Where it sorts among its siblings (smaller first); ties go in creation order. */
  order: number;
  seq: number;
  chat_id: string | null;
  unit_ids: string[];
  deleted: boolean;
  /** Employee types its group chat admits ([] for every type). */
  group_chat_employee_types: number[];
}

/** An app's contact range: departments (and all below them), single users, and user groups. */
export interface ContactRange {
  /** open_department_ids; "0" is the whole organisation. */
  departments: Set<string>;
  users: Set<string>;
  groups: Set<string>;
}

export interface CustomAttrValue {
  id: string;
  type: string;
  value: Record<string, unknown>;
}

// ── h24-contact-roles: records of job levels, families, titles, work cities, functional roles, custom fields ──
/** A name or description in one language, as these routes carry them (`zh_cn`, `en_us`, `ja_jp`). */
export interface I18nContent {
  locale: string;
  value: string;
}

export interface JobLevelRecord {
  job_level_id: string;
  name: string;
  description: string;
  /** Where it sorts (smaller first); unique among levels. */
  order: number;
  status: boolean;
  i18n_name: I18nContent[];
  i18n_description: I18nContent[];
}

export interface JobFamilyRecord {
  job_family_id: string;
  name: string;
  description: string;
  /** '' at the top. */
  parent_job_family_id: string;
  status: boolean;
  i18n_name: I18nContent[];
  i18n_description: I18nContent[];
}

/** A job title (职务) or a work city: the tenant's read-only lists. */
export interface NamedEntryRecord {
  id: string;
  name: string;
  i18n_name: I18nContent[];
  status: boolean;
}

export interface FunctionalRoleRecord {
  role_id: string;
  role_name: string;
  /** open_id -> the open_department_ids the member manages: null is the whole organisation, [] none. Oldest first. */
  members: Map<string, string[] | null>;
}

export interface CustomAttrDefinitionRecord {
  id: string;
  type: string;
  i18n_name: I18nContent[];
  options: { default_option_id?: string; option_type: 'TEXT' | 'PICTURE'; options: { id: string; value: string; name?: string }[] } | null;
}

/** The platform's caps: 10,000 levels and families, 500 roles, 1,000 members a role. */
export const JOB_LIMITS = { levels: 10_000, families: 10_000, roles: 500, role_members: 1000 } as const;

/** The root department's open and own id, as the platform names it. */
export const ROOT_DEPARTMENT = '0';

// ── h24-contact-groups: records of user groups, units and employee types ──
/** A user group (用户组): type 1 is an ordinary group, 2 a dynamic one whose members a rule picks. */
export interface UserGroupRecord {
  group_id: string;
  name: string;
  description: string;
  type: 1 | 2;
  /** open_ids, in the order they joined. */
  users: Set<string>;
  /** open_department_ids, in the order they joined. */
  departments: Set<string>;
}

/** A unit (单位) and the departments bound to it, in the order they were bound. */
export interface UnitRecord {
  unit_id: string;
  name: string;
  unit_type: string;
  departments: string[];
}

/** A workforce type (人员类型): the five built-in ones (enum_type 1) and the tenant's own (2). */
export interface EmployeeTypeRecord {
  enum_id: string;
  /** What users' `employee_type` holds. */
  enum_value: number;
  content: string;
  enum_type: 1 | 2;
  /** 1 active, 2 inactive. */
  enum_status: 1 | 2;
  i18n_content: { locale: string; value: string }[];
}

/** The platform's limits: user groups and units per tenant, custom workforce types ever made, departments per unit. */
export const MAX_USER_GROUPS = 500;
export const MAX_UNITS = 1000;
export const MAX_CUSTOM_EMPLOYEE_TYPES = 255;
export const MAX_UNIT_DEPARTMENTS = 1000;

/** The built-in workforce types, which cannot be changed or deleted. */
const BUILT_IN_EMPLOYEE_TYPES: readonly [number, string, string][] = [
  [1, '正式', 'Regular'],
  [2, '实习', 'Intern'],
  [3, '外包', 'Outsourcing'],
  [4, '劳务', 'Contractor'],
  [5, '顾问', 'Consultant'],
];

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


// ── recordings ──
/** How many recordings a store keeps, and how many steps one holds (past it, `truncated`). */
export const RECORDINGS_KEPT = 8;
export const RECORDING_STEPS = 300;

/** One thing seen while recording: what a person did, or what the bot sent or changed (src/emulator/recordings.ts). */
export type RecordedStep = import('./recording-steps.js').RecordedStep;

export interface RecordingRecord {
  id: string;
  started_at: number;
  stopped_at: number | null;
  /** How the bot was reached when the recording started: its callback transport and URL. */
  transport: { app_id: string; mode: 'http' | 'ws'; url: string | null };
  steps: RecordedStep[];
  /** Steps past RECORDING_STEPS were not kept. */
  truncated: boolean;
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
  /**
   * Every attempt at delivering an event or a callback (bounded), the webhook URLs that passed the
   * url_verification challenge, the re-sends waiting on the clock, and the attempts under way.
   */
  readonly deliveryLog = { seq: 0, items: [] as DeliveryRecord[], verified: new Set<string>(), waiting: 0, inFlight: new Set<Promise<unknown>>() };
  private readonly onUpdate: (m: MessageRecord) => void;
  private readonly onChatChange: (chatId: string) => void;
  private readonly onFeedChange: (openId: string) => void;
  // ── message state: reactions, pins, reads, follow-ups ──
  /** message_id -> its reactions by reaction_id, oldest first. */
  readonly reactions = new Map<string, Map<string, ReactionRecord>>();
  /** reaction_id -> message_id, oldest first: the bound on all reactions, and lookup by id. */
  readonly reactionIndex = new Map<string, string>();
  /** message_id -> its pin (a message is pinned once), oldest first. */
  readonly pins = new Map<string, PinRecord>();
  /** Pin and unpin calls per message per second (the platform allows 5). */
  readonly pinRate = new WindowCounter(1000);
  /** merge_forward message_id -> the copies it carries. */
  readonly merged = new Map<string, MergedRecord>();
  // ── im/v2 state: feed cards, url previews, tags ──
  /** app_id + '\0' + open_id + '\0' + biz_id -> the app feed card in that user's feed. */
  readonly appFeedCards = new Map<string, AppFeedCardRecord>();
  /** chat_id + '\0' + open_id -> that user's feed card of the chat (time-sensitive pin, buttons). */
  readonly chatFeeds = new Map<string, ChatFeedRecord>();
  /** preview token -> the link preview it names. */
  readonly urlPreviews = new Map<string, UrlPreviewRecord>();
  /** batch_update calls per app per second (the route's own 5/s). */
  readonly urlPreviewRate = new WindowCounter(1000);
  /** The tenant's tags, by id. */
  readonly tags = new Map<string, TagRecord>();
  /** chat_id -> tag_id -> when it was bound (the bind_version). */
  readonly tagBindings = new Map<string, Map<string, number>>();
  private v2Seq = 0;
  // ── chat state: share links ──
  /** link_token -> the share link; past the cap the oldest go. */
  chatLinks = new Map<string, ChatLinkRecord>();
  // ── contact directory ──
  /** open_department_id -> the department, in creation order. */
  readonly departments = new Map<string, DepartmentRecord>();
  private departmentSeq = 0;
  // ── h24-contact-groups: user groups, units, employee types ──
  /** group_id -> the user group, in creation order. */
  readonly userGroups = new Map<string, UserGroupRecord>();
  /** unit_id -> the unit, in creation order. */
  readonly units = new Map<string, UnitRecord>();
  /** enum_id -> the workforce type, built-in ones first. */
  readonly employeeTypes = new Map<string, EmployeeTypeRecord>();
  /** Custom workforce types made so far, deleted ones included (the platform's 255 counts them). */
  customEmployeeTypesMade = 0;
  /** The highest workforce type value given so far: a deleted type's value is not given again. */
  private employeeTypeHigh = 0;
  // ── h24-contact-roles: job levels, families, titles, work cities, functional roles, custom fields ──
  /** By id, in creation order (bounded by JOB_LIMITS, which the create routes enforce). */
  readonly jobLevels = new Map<string, JobLevelRecord>();
  readonly jobFamilies = new Map<string, JobFamilyRecord>();
  readonly jobTitles = new Map<string, NamedEntryRecord>();
  readonly workCities = new Map<string, NamedEntryRecord>();
  readonly functionalRoles = new Map<string, FunctionalRoleRecord>();
  /** The tenant's custom user fields, in seed order. */
  customAttrDefinitions: CustomAttrDefinitionRecord[] = [];
  // ── h24-contact-people: directory writes ──
  /** open_id -> when a user was deleted (resigned) through the API, for resurrect's 30-day window. */
  readonly resignedAt = new Map<string, number>();
  /** app_id + '\0' + kind + '\0' + client_token -> what the first create with that token made; oldest dropped past the cap. */
  readonly contactClientTokens = new Map<string, { fingerprint: string; id: string; at: number }>();
  // ── h24-menu-links: links people pasted ──
  /** message_id -> the link a person pasted in it (the recorder tells a pasted link from a message by it). */
  readonly pastedLinks = new Map<string, string>();
  // ── recordings ──
  /** Recorded sessions ("Record a test"), oldest first; past RECORDINGS_KEPT the oldest go. */
  readonly recordings = new Map<string, RecordingRecord>();
  /** How many messages the cap has dropped since the last reset. */
  droppedMessages = 0;
  /** The newest message dropped, to tell "dropped" from "never existed" (ids carry a counter). */
  private lastDropped: string | null = null;

  constructor(seed: SeedFile, now: number, options: StoreOptions = {}) {
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.cardkit = new CardkitStore(options.now ?? (() => now), options.cardkitBytes ?? (() => DEFAULT_CARDKIT_BYTES));
    this.onUpdate = options.onUpdate ?? (() => {});
    this.onChatChange = options.onChatChange ?? (() => {});
    this.onFeedChange = options.onFeedChange ?? (() => {});
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
  uuidMessage(kind: UuidKind, appId: string, uuid: string, now: number): MessageRecord | undefined {
    const seen = this.messageUuids.get(`${kind}\0${appId}\0${uuid}`);
    return seen && now - seen.at < MESSAGE_UUID_WINDOW_MS ? this.messages.get(seen.message_id) : undefined;
  }

  rememberUuid(kind: UuidKind, appId: string, uuid: string, messageId: string, now: number): void {
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
   * The chat of a message someone acts on (reacts to, pins), with the operator in it. Dissolved is
   * 232009; a missing chat and an operator outside it are answered by the caller's own codes.
   */
  operatorChat(operator: Operator, chatId: string): { chat: ChatRecord | undefined; member: boolean } {
    const chat = this.chats.get(chatId);
    if (!chat) return { chat, member: false };
    if (chat.dissolved) throw fail(232009);
    return { chat, member: operator.type === 'app' ? chat.bots.has(operator.id) : chat.members.has(operator.id) };
  }

  /**
   * A reaction by a person or a bot. A recalled message takes none (231003), an operator outside
   * the chat is refused (231002), an emoji not in the platform's list is 231001. The same operator
   * adding the same emoji again gets its existing reaction: the client shows one per person.
   */
  react(m: MessageRecord, operator: Operator, emojiType: string, now: number): ReactionRecord {
    if (m.deleted) throw fail(231003, 'the message was recalled');
    if (!EMOJI_TYPES.has(emojiType)) throw fail(231001, `${JSON.stringify(emojiType)} is not an emoji_type the platform lists (they are case-sensitive)`);
    const { chat, member } = this.operatorChat(operator, m.chat_id);
    if (!chat) throw fail(231004);
    if (!member) throw fail(231002);
    let onMessage = this.reactions.get(m.message_id);
    for (const r of onMessage?.values() ?? []) {
      if (r.emoji_type === emojiType && r.operator.type === operator.type && r.operator.id === operator.id) return r;
    }
    const r: ReactionRecord = { reaction_id: reactionId(), message_id: m.message_id, emoji_type: emojiType, operator: { ...operator }, action_time: now };
    if (!onMessage) this.reactions.set(m.message_id, (onMessage = new Map()));
    onMessage.set(r.reaction_id, r);
    this.reactionIndex.set(r.reaction_id, m.message_id);
    this.onUpdate(m);
    while (this.reactionIndex.size > MAX_REACTIONS) {
      const [oldId, oldMessage] = this.reactionIndex.entries().next().value!;
      this.dropReaction(oldMessage, oldId);
    }
    return r;
  }

  /**
   * Takes a reaction back. Only who added it may (231007); a reaction of another message is 231010,
   * an unknown one 231011. Returns the removed reaction.
   */
  unreact(m: MessageRecord, operator: Operator, reactionId: string): ReactionRecord {
    if (m.deleted) throw fail(231003, 'the message was recalled');
    const { chat, member } = this.operatorChat(operator, m.chat_id);
    if (!chat) throw fail(231004);
    if (!member) throw fail(231002);
    const owner = this.reactionIndex.get(reactionId);
    if (owner === undefined) throw fail(231011);
    if (owner !== m.message_id) throw fail(231010);
    const r = this.reactions.get(owner)!.get(reactionId)!;
    if (r.operator.type !== operator.type || r.operator.id !== operator.id) throw fail(231007);
    this.dropReaction(owner, reactionId);
    this.onUpdate(m);
    return r;
  }

  isEmojiType(value: string): boolean {
    return EMOJI_TYPES.has(value);
  }

  /** A message's reactions, oldest first. */
  reactionsOf(messageId: string): ReactionRecord[] {
    return [...(this.reactions.get(messageId)?.values() ?? [])];
  }

  private dropReaction(messageId: string, reactionId: string): void {
    this.reactionIndex.delete(reactionId);
    const onMessage = this.reactions.get(messageId);
    onMessage?.delete(reactionId);
    if (onMessage?.size === 0) this.reactions.delete(messageId);
  }

  /** Pins a message; pinning it again answers the pin it has, as the platform does. */
  pin(m: MessageRecord, operator: Operator, now: number): PinRecord {
    const existing = this.pins.get(m.message_id);
    if (existing) return existing;
    const p: PinRecord = { message_id: m.message_id, chat_id: m.chat_id, operator: { ...operator }, create_time: now };
    this.pins.set(m.message_id, p);
    capMap(this.pins, MAX_PINS);
    this.onUpdate(m);
    return p;
  }

  /** Unpins a message; one that is not pinned is left as it is (the platform answers success). */
  unpin(messageId: string): void {
    if (!this.pins.delete(messageId)) return;
    const m = this.messages.get(messageId);
    if (m) this.onUpdate(m);
  }

  /** A chat's pins, newest first (the platform's order). */
  pinsOf(chatId: string): PinRecord[] {
    return [...this.pins.values()].filter((p) => p.chat_id === chatId).sort((a, b) => b.create_time - a.create_time);
  }

  addMerged(rec: MergedRecord): void {
    this.merged.set(rec.message_id, rec);
    capMap(this.merged, MAX_MERGED);
  }

  /**
   * The copies a merge_forward message carries, oldest first: GET of the message lists them after
   * it, each with `upper_message_id` set to it.
   */
  mergedCopies(m: MessageRecord): MessageRecord[] {
    return m.msg_type === 'merge_forward' ? (this.merged.get(m.message_id)?.children ?? []) : [];
  }

  /** A copy inside a merge_forward message, by its own id. */
  mergedChild(messageId: string): { parent: MergedRecord; child: MessageRecord } | undefined {
    for (const parent of this.merged.values()) {
      const child = parent.children.find((c) => c.message_id === messageId);
      if (child) return { parent, child };
    }
    return undefined;
  }

  /** A dropped message takes its reactions, pin and merged copies with it. */
  private forgetMessageState(messageId: string): void {
    for (const id of this.reactions.get(messageId)?.keys() ?? []) this.reactionIndex.delete(id);
    this.reactions.delete(messageId);
    this.pins.delete(messageId);
    this.merged.delete(messageId);
  }

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

  /** The bot owns the chat, or created it (the platform asks the creator for im:chat:operate_as_owner). */
  actsAsOwner(app: AppRecord, chat: ChatRecord): boolean {
    return chat.owner_app_id === app.app_id || chat.creator_app_id === app.app_id;
  }

  /** Whether the chat keeps an action to its owner and managers (`only_owner`) and the bot is neither. */
  restricted(app: AppRecord, chat: ChatRecord, setting: string, restrictedValue = 'only_owner'): boolean {
    return chat.extra[setting] === restrictedValue && !this.canManage(app, chat);
  }

  /**
   * Chat update's rules: owner, managers and the creating bot change anything; other members only
   * name, avatar, description and i18n names, and nothing when editing is kept to the owner.
   */
  updateChat(app: AppRecord, chat: ChatRecord, change: ChatChange): void {
    if (chat.chat_mode !== 'group') throw fail(232008);
    const given = [...Object.keys(change.settings), ...(['avatar', 'name', 'description', 'i18n_names', 'chat_type'] as const).filter((k) => change[k] !== undefined), ...(change.owner ? ['owner_id'] : [])];
    if (!this.canManage(app, chat)) {
      if (chat.extra.edit_permission === 'only_owner') throw fail(232002);
      const other = given.filter((k) => !MEMBER_EDITABLE.has(k));
      if (other.length) throw fail(232016, `${other.join(', ')} can be changed by the owner and managers only`);
    }
    const add = change.settings.add_member_permission;
    const share = change.settings.share_card_permission;
    if ((add !== undefined || share !== undefined) && !((add === 'only_owner' && share === 'not_allowed') || (add === 'all_members' && share === 'allowed'))) {
      throw fail(232001, 'add_member_permission and share_card_permission are set together: only_owner with not_allowed, all_members with allowed');
    }
    if (change.avatar !== undefined) {
      const img = this.media.get(change.avatar);
      if (!img || img.kind !== 'image' || (img.app_id !== null && (img.app_id !== app.app_id || img.type !== 'avatar'))) throw fail(232041);
    }
    if (change.owner && !chat.members.has(change.owner.open_id)) throw fail(232012);
    const type = change.chat_type ?? chat.chat_type;
    const name = change.name ?? chat.name;
    if (type === 'public') {
      if (!name) throw fail(232042);
      if ([...name].length < 2) throw fail(232020);
      for (const other of this.chats.values()) {
        if (other !== chat && !other.dissolved && other.chat_type === 'public' && other.name === name) throw fail(232026);
      }
    }
    if (change.avatar !== undefined) chat.extra.avatar = change.avatar;
    if (change.name !== undefined) chat.name = change.name;
    if (change.description !== undefined) chat.description = change.description;
    if (change.i18n_names !== undefined) chat.extra.i18n_names = change.i18n_names;
    if (change.chat_type !== undefined) chat.chat_type = change.chat_type as ChatRecord['chat_type'];
    Object.assign(chat.extra, change.settings);
    if (change.owner) {
      // The old owner (a bot or a person) stays a plain member; the new one is no longer a manager.
      chat.owner_open_id = change.owner.open_id;
      chat.owner_app_id = null;
      chat.managers.delete(change.owner.open_id);
    }
    this.onChatChange(chat.chat_id);
  }

  /**
   * Adds or removes managers (owner only). Users must be members and bots in the chat; the ids that
   * are neither are left out, and a list with none left is 232027.
   */
  changeManagers(app: AppRecord, chat: ChatRecord, op: 'add' | 'delete', users: UserRecord[], botIds: string[]): void {
    if (chat.owner_app_id !== app.app_id) throw fail(232038);
    const people = users.filter((u) => chat.members.has(u.open_id) && u.open_id !== chat.owner_open_id).map((u) => u.open_id);
    const bots = botIds.filter((id) => chat.bots.has(id) && id !== chat.owner_app_id);
    if (!people.length && !bots.length) throw fail(232027);
    if (op === 'delete') {
      for (const id of people) chat.managers.delete(id);
      for (const id of bots) chat.bot_managers.delete(id);
      return;
    }
    const after = new Set([...chat.managers, ...people]).size + new Set([...chat.bot_managers, ...bots]).size;
    if (after > MAX_CHAT_MANAGERS) throw fail(232040, `a group has at most ${MAX_CHAT_MANAGERS} managers`);
    for (const id of people) chat.managers.add(id);
    for (const id of bots) chat.bot_managers.add(id);
  }

  /** Drops a user from the chat, and from the roles a member holds. */
  removeMember(chat: ChatRecord, openId: string): boolean {
    chat.managers.delete(openId);
    chat.moderators.delete(openId);
    return chat.members.delete(openId);
  }

  /** Drops a bot from the chat, and from its managers. */
  removeBot(chat: ChatRecord, appId: string): boolean {
    chat.bot_managers.delete(appId);
    return chat.bots.delete(appId);
  }

  /** Whether the emulator has room for one more group chat (MAX_CHATS). */
  roomForChat(): boolean {
    return this.chats.size < MAX_CHATS;
  }

  /** Why a group was not made when roomForChat said no, and what to do about it. */
  chatCapNote(): string {
    return `the emulator holds ${this.chats.size} chats, the most it keeps (${MAX_CHATS}): POST /_emulator/reset (or restart it) to make more`;
  }

  /** Whether `count` more bots fit in the chat. */
  botRoom(chat: ChatRecord, adding: Iterable<string>): boolean {
    return new Set([...chat.bots, ...adding]).size <= MAX_BOTS_PER_CHAT;
  }

  /** Keeps a share link made for the chat, valid until `expire_time` (unix seconds) or for good. */
  addChatLink(token: string, link: ChatLinkRecord): void {
    this.chatLinks.set(token, link);
    capMap(this.chatLinks, MAX_CHAT_LINKS);
  }

  /**
   * Sets who may speak (owner or creating bot only). Ids that are not members are left out; an id in
   * both lists is 232001.
   */
  setModeration(app: AppRecord, chat: ChatRecord, setting: ChatRecord['moderation'] | undefined, added: UserRecord[], removed: UserRecord[]): void {
    if (!this.actsAsOwner(app, chat)) throw fail(232017);
    const both = added.filter((u) => removed.includes(u));
    if (both.length) throw fail(232001, 'moderator_added_list and moderator_removed_list share an id');
    if (setting) chat.moderation = setting;
    for (const u of removed) chat.moderators.delete(u.open_id);
    for (const u of added) if (chat.members.has(u.open_id)) chat.moderators.add(u.open_id);
  }

  /**
   * Writes a group's announcement from `revision` (at most 100 behind the newest, never ahead),
   * making the next revision. Editing follows the chat's edit_permission.
   */
  writeAnnouncement(app: AppRecord, chat: ChatRecord, revision: number, edit: (a: ChatAnnouncement) => void, now: number): void {
    if (chat.chat_mode !== 'group') throw fail(232003);
    if (this.restricted(app, chat, 'edit_permission')) throw fail(232002);
    const current = this.announcementOf(chat);
    if (revision > current.revision || revision < current.revision - ANNOUNCEMENT_REVISION_LAG) {
      throw fail(232001, `revision ${revision} is not within ${ANNOUNCEMENT_REVISION_LAG} of the newest (${current.revision})`);
    }
    const next: ChatAnnouncement = { ...current, title: [...current.title], blocks: [...current.blocks] };
    edit(next);
    next.revision = current.revision + 1;
    next.update_time = now;
    next.modifier = { type: 'app_id', id: app.app_id };
    chat.announcement = next;
    this.onChatChange(chat.chat_id);
  }

  /** The announcement of a group: an empty one at revision 0 until it is first edited. */
  announcementOf(chat: ChatRecord): ChatAnnouncement {
    if (chat.announcement) return chat.announcement;
    const author = chat.owner_open_id ? { type: 'open_id' as const, id: chat.owner_open_id } : { type: 'app_id' as const, id: chat.owner_app_id ?? chat.creator_app_id ?? '' };
    return { title: [], blocks: [], revision: 0, create_time: chat.create_time, update_time: chat.create_time, owner: author, modifier: author };
  }

  /** Counts the tab and menu ids this store has handed out. */
  private chatToolSeq = 0;

  /** A chat's tabs: every chat starts with the built-in message tab, which stays first. */
  chatTabs(chat: ChatRecord): ChatTab[] {
    return (chat.tabs ??= [{ tab_id: this.nextChatToolId(), tab_type: 'message' }]);
  }

  /** A new tab or menu id, a decimal string as the platform's are. */
  nextChatToolId(): string {
    return String(7_300_000_000_000_000_000n + BigInt(++this.chatToolSeq));
  }

  /** Whether the app's bot may change the chat's tabs, menus and widgets. */
  mayManageChatTools(app: AppRecord, chat: ChatRecord): boolean {
    return chat.chat_mode === 'p2p' || chat.tool_permission !== 'only_owner_and_managers' || this.canManage(app, chat);
  }

  /**
   * Whether the app's bot may pin or unpin on top of the chat. The docs do not say who may; the
   * emulator follows who may edit the chat's information (edit_permission).
   */
  mayPinTopNotice(app: AppRecord, chat: ChatRecord): boolean {
    return chat.chat_mode === 'p2p' || chat.extra.edit_permission !== 'only_owner' || this.canManage(app, chat);
  }

  /** What is pinned on top of the chat now, if anything (no API reads it back). */
  /** Pins a message or the announcement at the top of a chat, or (null) takes it down. */
  setTopNotice(chat: ChatRecord, notice: TopNotice | null): void {
    chat.top_notice = notice;
    this.onChatChange(chat.chat_id);
  }

  topNotice(chat: ChatRecord): TopNotice | null {
    return chat.top_notice ?? null;
  }
  // ── h24-chat-life: what a person may do to a chat ──
  /**
   * A group chat the person acts in: not disbanded (232009), a group (232008), and they are in it
   * (232011). An unknown chat is for the caller to answer.
   */
  personChat(user: UserRecord, chat: ChatRecord): ChatRecord {
    if (chat.dissolved) throw fail(232009, `${chat.chat_id} was disbanded`);
    if (chat.chat_mode !== 'group') throw fail(232008, `${chat.chat_id} is a one-to-one chat`);
    if (!chat.members.has(user.open_id)) throw fail(232011, `${user.name} is not a member of ${chat.chat_id}`);
    return chat;
  }

  /** Whether the person owns the chat or is one of its managers. */
  personManages(openId: string, chat: ChatRecord): boolean {
    return chat.owner_open_id === openId || chat.managers.has(openId);
  }

  /** Whether a chat setting (`only_owner`) keeps an action from a person who neither owns nor manages it. */
  personRestricted(openId: string, chat: ChatRecord, setting: string): boolean {
    return chat.extra[setting] === 'only_owner' && !this.personManages(openId, chat);
  }

  /** Remembers who added these people (a person's open_id), or forgets it when an app added them. */
  noteInvited(chat: ChatRecord, openIds: Iterable<string>, by: string | null, at: number): void {
    const invited = (chat.invited ??= new Map());
    for (const id of openIds) {
      if (by === null) invited.delete(id);
      else invited.set(id, { by, at });
    }
  }

  /** Takes people out of a chat, with what they held in it. */
  dropMembers(chat: ChatRecord, openIds: Iterable<string>): void {
    for (const id of openIds) {
      this.removeMember(chat, id);
      chat.invited?.delete(id);
    }
  }

  // ── methods of the im/v2 state ──

  /**
   * The chat an im/v2 route acts on for the app's bot: an unknown or dissolved chat is 230001 and a
   * bot outside it 230027, the two codes the im/v2 pages list.
   */
  v2Chat(app: AppRecord, chatId: string, field: string): ChatRecord {
    const chat = this.chats.get(chatId);
    if (!chat) throw fail(230001, `${field} ${chatId} is not a chat`);
    if (chat.dissolved) throw fail(230001, `${field} ${chatId} has been dissolved`);
    if (!chat.bots.has(app.app_id)) throw fail(230027, 'the bot is not in the chat');
    return chat;
  }

  /** The user an id of `idType` names when the app's bot can reach them (exists, not resigned, in its availability). */
  reachableUser(app: AppRecord, idType: string, id: string): UserRecord | undefined {
    const u = this.findUser(idType, id);
    return u && !u.resigned && (!app.availability || app.availability.has(u.open_id)) ? u : undefined;
  }

  appFeedCard(app: AppRecord, openId: string, bizId: string): AppFeedCardRecord | undefined {
    return this.appFeedCards.get(`${app.app_id}\0${openId}\0${bizId}`);
  }

  putAppFeedCard(rec: AppFeedCardRecord): void {
    this.appFeedCards.set(`${rec.app_id}\0${rec.open_id}\0${rec.biz_id}`, rec);
    capMap(this.appFeedCards, MAX_APP_FEED_CARDS);
    this.onFeedChange(rec.open_id);
  }

  /** Tells an open inbox that a card in this person's feed changed in place. */
  feedChanged(openId: string): void {
    this.onFeedChange(openId);
  }

  deleteAppFeedCard(rec: AppFeedCardRecord): void {
    this.appFeedCards.delete(`${rec.app_id}\0${rec.open_id}\0${rec.biz_id}`);
    this.onFeedChange(rec.open_id);
  }

  /** A user's feed card of a chat, made on first use. */
  chatFeed(chatId: string, openId: string, now: number): ChatFeedRecord {
    const key = `${chatId}\0${openId}`;
    let rec = this.chatFeeds.get(key);
    if (!rec) {
      rec = { chat_id: chatId, open_id: openId, time_sensitive_since: null, buttons: [], update_time: now };
      this.chatFeeds.set(key, rec);
      capMap(this.chatFeeds, MAX_CHAT_FEEDS);
    }
    return rec;
  }

  /** Pins a chat's feed card at the top of a user's feed as time-sensitive, or unpins it. */
  setTimeSensitive(chatId: string, openId: string, on: boolean, now: number): void {
    const rec = this.chatFeed(chatId, openId, now);
    if (on === (rec.time_sensitive_since !== null)) return;
    rec.time_sensitive_since = on ? now : null;
    rec.update_time = now;
    this.onFeedChange(openId);
  }

  /**
   * The preview the platform makes when a message carrying `url` is shown: its token is what the
   * url.preview.get callback hands the app, and what batch_update names.
   */
  registerUrlPreview(m: MessageRecord, url: string, appId: string, now: number): UrlPreviewRecord {
    for (const p of this.urlPreviews.values()) if (p.message_id === m.message_id && p.url === url && p.app_id === appId) return p;
    const token = `pt_${(++this.v2Seq).toString(16).padStart(8, '0')}${newId.chat().slice(3, 19)}`;
    const rec: UrlPreviewRecord = { token, app_id: appId, message_id: m.message_id, chat_id: m.chat_id, url, create_time: now, refreshes: 0, last_refresh: null, last_open_ids: null };
    this.urlPreviews.set(token, rec);
    capMap(this.urlPreviews, MAX_URL_PREVIEWS);
    return rec;
  }

  /** A new tag id, digits as the platform's are. */
  newTagId(): string {
    return `7${String(++this.v2Seq).padStart(18, '0')}`;
  }

  /** The biz_id a feed card gets when its app gives none. */
  newFeedBizId(now: number): string {
    return `emu_${now.toString(36)}_${(++this.v2Seq).toString(36)}`;
  }

  /** The tag with this name (default name) other than `except`, for the duplicate check. */
  tagNamed(name: string, except?: string): TagRecord | undefined {
    for (const t of this.tags.values()) if (t.name === name && t.id !== except) return t;
    return undefined;
  }

  addTag(tag: TagRecord): void {
    this.tags.set(tag.id, tag);
    capMap(this.tags, MAX_TAGS);
  }

  /** The tags bound to a chat, made on first bind. */
  chatTags(chatId: string): Map<string, number> {
    let m = this.tagBindings.get(chatId);
    if (!m) {
      m = new Map();
      this.tagBindings.set(chatId, m);
      capMap(this.tagBindings, MAX_TAGGED_CHATS);
    }
    return m;
  }

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
    this.forgetMessageState(dropped.message_id);
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
        contact_range: null,
        bot_menu: structuredClone(a.bot_menu ?? []),
        url_previews: structuredClone(a.url_previews ?? []),
      });
    }
    seed.users?.forEach((u, i) => {
      this.users.push({
        name: u.name,
        ...seededUserIds(u),
        mobile: u.mobile ?? null,
        email: u.email ?? null,
        resigned: u.resigned === true,
        frozen: u.frozen === true,
        en_name: u.en_name ?? '',
        nickname: u.nickname ?? '',
        i18n_name: { ...u.i18n_name },
        avatar_url: u.avatar_url ?? null,
        gender: u.gender ?? 0,
        employee_type: u.employee_type ?? 1,
        employee_no: u.employee_no ?? '',
        job_title: u.job_title ?? '',
        city: u.city ?? '',
        country: u.country ?? '',
        work_station: u.work_station ?? '',
        department_ids: [],
        leader_open_id: null,
        join_time: u.join_time ?? 0,
        is_tenant_manager: u.is_tenant_manager === true,
        custom_attrs: (u.custom_attrs ?? []).map((a) => ({ id: a.id, type: a.type ?? 'TEXT', value: { ...a.value } })),
        user_order: i,
      });
    });
    this.loadDirectory(seed);
    this.loadGroupsUnitsTypes(seed);
    this.loadJobsAndRoles(seed);
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
      moderation: 'all_members',
      moderators: new Set(),
      announcement: null,
    };
  }

  // ── methods of the contact directory ──
  /** Departments, users' places and leaders, and each app's contact range, from the seed (already checked). */
  private loadDirectory(seed: SeedFile): void {
    const open = new Map<string, string>();
    for (const d of seed.departments ?? []) open.set(d.department_id, d.open_department_id ?? stableId('od-', `department:${d.department_id}`));
    const openOf = (id: string | undefined) => (id === undefined || id === ROOT_DEPARTMENT ? ROOT_DEPARTMENT : open.get(id)!);
    const person = (key: string) => this.findUserByAny(key)!;
    for (const d of seed.departments ?? []) {
      this.addDepartment({
        open_department_id: openOf(d.department_id),
        department_id: d.department_id,
        parent: openOf(d.parent_department_id),
        name: d.name,
        i18n_name: { ...d.i18n_name },
        leaders: (d.leaders ?? []).map((l, i) => ({ type: i === 0 ? 1 : 2, open_id: person(l).open_id })),
        order: d.order ?? 0,
        chat_id: d.chat_id ?? null,
        unit_ids: [],
        deleted: false,
        group_chat_employee_types: [],
      });
    }
    (seed.users ?? []).forEach((u, i) => {
      const user = this.users[i]!;
      user.department_ids = user.resigned ? [] : (u.department_ids?.length ? u.department_ids.map(openOf) : [ROOT_DEPARTMENT]);
      user.leader_open_id = u.leader ? person(u.leader).open_id : null;
    });
    seed.apps.forEach((a) => {
      if (!a.contact_range) return;
      this.apps.get(a.app_id)!.contact_range = {
        departments: new Set((a.contact_range.departments ?? []).map(openOf)),
        users: new Set((a.contact_range.users ?? []).map((k) => person(k).open_id)),
        groups: new Set(a.contact_range.groups ?? []),
      };
    });
  }

  /** Files a new department after every other (its `seq` breaks ties in `order`). */
  addDepartment(d: Omit<DepartmentRecord, 'seq'>): DepartmentRecord {
    const record = { ...d, seq: this.departmentSeq++ };
    this.departments.set(record.open_department_id, record);
    return record;
  }

  /** A live department by an id of `idType` (open_department_id or department_id); the root is not a record. */
  department(idType: 'open_department_id' | 'department_id', id: string): DepartmentRecord | undefined {
    if (idType === 'open_department_id') {
      const d = this.departments.get(id);
      return d && !d.deleted ? d : undefined;
    }
    for (const d of this.departments.values()) if (!d.deleted && d.department_id === id) return d;
    return undefined;
  }

  /** A department's id of `idType`; the root is "0" either way. */
  departmentIdOf(openId: string, idType: 'open_department_id' | 'department_id'): string {
    if (openId === ROOT_DEPARTMENT || idType === 'open_department_id') return openId;
    return this.departments.get(openId)?.department_id ?? openId;
  }

  /** The live departments right under `parent` (or all below it), each level in the platform's order. */
  subDepartments(parent: string, recursive: boolean): DepartmentRecord[] {
    // One pass groups the tree by parent, so a walk of the whole organisation stays linear.
    const byParent = new Map<string, DepartmentRecord[]>();
    for (const d of this.departments.values()) {
      if (d.deleted) continue;
      const siblings = byParent.get(d.parent);
      if (siblings) siblings.push(d);
      else byParent.set(d.parent, [d]);
    }
    for (const siblings of byParent.values()) siblings.sort((a, b) => a.order - b.order || a.seq - b.seq);
    const out: DepartmentRecord[] = [];
    const walk = (at: string, depth: number) => {
      for (const c of byParent.get(at) ?? []) {
        out.push(c);
        if (recursive && depth < this.departments.size) walk(c.open_department_id, depth + 1);
      }
    };
    walk(parent, 0);
    return out;
  }

  /** The departments above one, nearest first, without the root. */
  parentDepartments(d: DepartmentRecord): DepartmentRecord[] {
    const out: DepartmentRecord[] = [];
    let at = this.departments.get(d.parent);
    while (at && out.length < this.departments.size) {
      out.push(at);
      at = this.departments.get(at.parent);
    }
    return out;
  }

  /** Active (not resigned) users directly in a department, or in it and everything below it, in order. */
  departmentMembers(openId: string, recursive: boolean): UserRecord[] {
    if (recursive && openId === ROOT_DEPARTMENT) return this.users.filter((u) => !u.resigned && u.department_ids.length > 0).sort((a, b) => a.user_order - b.user_order);
    const inside = recursive ? this.departmentSubtree(openId) : new Set([openId]);
    return this.users.filter((u) => !u.resigned && u.department_ids.some((d) => inside.has(d))).sort((a, b) => a.user_order - b.user_order);
  }

  /** A department's open_department_id and those of every live department below it. */
  departmentSubtree(openId: string): Set<string> {
    return new Set([openId, ...this.subDepartments(openId, true).map((d) => d.open_department_id)]);
  }

  /** Whether an app's tenant token sees a department ("0": only an app whose range is the whole organisation). */
  departmentInRange(app: AppRecord, openId: string): boolean {
    const range = app.contact_range;
    if (!range || range.departments.has(ROOT_DEPARTMENT)) return true;
    if (openId === ROOT_DEPARTMENT) return false;
    let at = this.departments.get(openId);
    for (let hops = 0; at && hops <= this.departments.size; hops++) {
      if (range.departments.has(at.open_department_id)) return true;
      at = this.departments.get(at.parent);
    }
    return false;
  }

  /** Whether an app's tenant token sees a user: named in its range, or in a department it sees. */
  userInRange(app: AppRecord, u: UserRecord): boolean {
    const range = app.contact_range;
    if (!range || range.departments.has(ROOT_DEPARTMENT) || range.users.has(u.open_id)) return true;
    return u.department_ids.some((d) => d !== ROOT_DEPARTMENT && this.departmentInRange(app, d)) || this.inRangeGroupMember(app, u);
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

  // ── methods of h24-contact-roles: job levels, families, titles, work cities, functional roles, custom fields ──
  /** The seed's lists, users' job fields, and the custom fields (from the seed, else from the values users carry). */
  private loadJobsAndRoles(seed: SeedFile): void {
    const i18n = (n: { zh_cn?: string; ja_jp?: string; en_us?: string } | undefined): I18nContent[] => Object.entries(n ?? {}).map(([locale, value]) => ({ locale, value: value as string }));
    let nextOrder = 100;
    for (const l of seed.job_levels ?? []) {
      const order = l.order ?? nextOrder;
      nextOrder = Math.max(nextOrder, order) + 100;
      this.jobLevels.set(l.job_level_id, { job_level_id: l.job_level_id, name: l.name, description: l.description ?? '', order, status: l.status !== false, i18n_name: i18n(l.i18n_name), i18n_description: [] });
    }
    for (const f of seed.job_families ?? []) {
      this.jobFamilies.set(f.job_family_id, { job_family_id: f.job_family_id, name: f.name, description: f.description ?? '', parent_job_family_id: f.parent_job_family_id ?? '', status: f.status !== false, i18n_name: i18n(f.i18n_name), i18n_description: [] });
    }
    for (const t of seed.job_titles ?? []) this.jobTitles.set(t.job_title_id, { id: t.job_title_id, name: t.name, i18n_name: i18n(t.i18n_name), status: t.status !== false });
    for (const c of seed.work_cities ?? []) this.workCities.set(c.work_city_id, { id: c.work_city_id, name: c.name, i18n_name: i18n(c.i18n_name), status: c.status !== false });
    const openDept = (id: string) => (id === ROOT_DEPARTMENT ? ROOT_DEPARTMENT : this.department('department_id', id)!.open_department_id);
    for (const r of seed.functional_roles ?? []) {
      const members = new Map<string, string[] | null>();
      for (const m of r.members ?? []) {
        const scope = m.departments === undefined || m.departments.includes(ROOT_DEPARTMENT) ? null : m.departments.map(openDept);
        members.set(this.findUserByAny(m.user)!.open_id, scope);
      }
      const role_id = r.role_id ?? stableId('', `role:${r.role_name}`, 15).toLowerCase();
      this.functionalRoles.set(role_id, { role_id, role_name: r.role_name, members });
    }
    if (seed.custom_attrs) {
      this.customAttrDefinitions = seed.custom_attrs.map((a) => ({ id: a.id, type: a.type, i18n_name: i18n(a.i18n_name), options: a.options ? { ...a.options, options: a.options.options.map((o) => ({ ...o })) } : null }));
    }
    const types = new Map(this.customAttrDefinitions.map((d) => [d.id, d.type]));
    (seed.users ?? []).forEach((u, i) => {
      const user = this.users[i]!;
      if (u.job_level_id) user.job_level_id = u.job_level_id;
      if (u.job_family_id) user.job_family_id = u.job_family_id;
      if (u.job_title_id && u.job_title === undefined) user.job_title = this.jobTitles.get(u.job_title_id)!.name;
      if (u.work_city_id && u.city === undefined) user.city = this.workCities.get(u.work_city_id)!.name;
      // A value seeded without a type takes its field's.
      (u.custom_attrs ?? []).forEach((a, j) => {
        if (a.type === undefined && types.has(a.id)) user.custom_attrs[j]!.type = types.get(a.id)!;
      });
    });
    if (!seed.custom_attrs) {
      // Without definitions in the seed, the fields are the ones the users' values name, so the two agree.
      const seen = new Map<string, CustomAttrDefinitionRecord>();
      for (const u of this.users) for (const a of u.custom_attrs) if (!seen.has(a.id)) seen.set(a.id, { id: a.id, type: a.type, i18n_name: [], options: null });
      this.customAttrDefinitions = [...seen.values()];
    }
  }

  /** Whether making `parent` the parent of family `id` would close a loop (walking up from `parent` reaches `id`). */
  jobFamilyCycle(id: string, parent: string): boolean {
    let at: string | undefined = parent;
    for (let hops = 0; at && hops <= this.jobFamilies.size; hops++) {
      if (at === id) return true;
      at = this.jobFamilies.get(at)?.parent_job_family_id;
    }
    return false;
  }

  /** An id for a new level, family or role, in the platform's style (15 lower-case letters and digits). */
  newEntryId(taken: ReadonlyMap<string, unknown>): string {
    for (;;) {
      const id = BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36).padStart(15, '0').slice(-15);
      if (!taken.has(id)) return id;
    }
  }

  // ── h24-contact-people: directory writes ──
  /**
   * What an earlier create with this client_token made (its open_id or open_department_id), or
   * undefined for a new token. The same token with a different request is 40021, as the platform answers.
   */
  clientTokenResult(appId: string, kind: 'user' | 'department', token: string, fingerprint: string, now: number): string | undefined {
    const seen = this.contactClientTokens.get(`${appId}\0${kind}\0${token}`);
    if (!seen || now - seen.at >= CONTACT_CLIENT_TOKEN_WINDOW_MS) return undefined;
    if (seen.fingerprint !== fingerprint) throw fail(40021, `client_token ${token} was first used with a different request`);
    return seen.id;
  }

  rememberClientToken(appId: string, kind: 'user' | 'department', token: string, fingerprint: string, id: string, now: number): void {
    this.contactClientTokens.set(`${appId}\0${kind}\0${token}`, { fingerprint, id, at: now });
    capMap(this.contactClientTokens, MAX_CONTACT_CLIENT_TOKENS);
  }

  /** An active user other than `except` who holds this mobile, email, user_id or employee_no. */
  contactHolder(field: 'mobile' | 'email' | 'user_id' | 'employee_no', value: string, except: UserRecord | null): UserRecord | undefined {
    return this.users.find((u) => {
      if (u === except || u.resigned) return false;
      if (field === 'mobile') return u.mobile !== null && sameMobile(u.mobile, value);
      if (field === 'email') return u.email !== null && u.email.toLowerCase() === value.toLowerCase();
      if (field === 'user_id') return u.user_id === value;
      return u.employee_no !== '' && u.employee_no === value;
    });
  }

  /** Whether an app may change a user: every department they belong to is in its range (the root needs all of it). */
  userWritable(app: AppRecord, u: UserRecord): boolean {
    if (!app.contact_range || app.contact_range.departments.has(ROOT_DEPARTMENT)) return true;
    if (u.department_ids.length === 0) return app.contact_range.users.has(u.open_id);
    return u.department_ids.every((d) => this.departmentInRange(app, d));
  }

  /** The apps whose contact range covers a user (before or after a change), in seed order. */
  appsSeeingUser(...views: UserRecord[]): AppRecord[] {
    return [...this.apps.values()].filter((a) => views.some((u) => this.userInRange(a, u)));
  }

  /** The apps whose contact range covers any of these departments, in seed order. */
  appsSeeingDepartment(...openIds: string[]): AppRecord[] {
    return [...this.apps.values()].filter((a) => openIds.some((d) => this.departmentInRange(a, d)));
  }

  /** How many levels below the root a department sits (a top department is 1). */
  departmentDepth(openId: string): number {
    let depth = 0;
    for (let at = this.departments.get(openId); at && depth <= this.departments.size; at = this.departments.get(at.parent)) depth++;
    return depth;
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

  // ── h24-contact-groups: methods of user groups, units, employee types ──
  /** Groups, units and workforce types from the seed (already checked), after the departments. */
  private loadGroupsUnitsTypes(seed: SeedFile): void {
    for (const [value, zh, en] of BUILT_IN_EMPLOYEE_TYPES) {
      this.addEmployeeType({ enum_id: stableId('', `employee_type:${value}`, 22), enum_value: value, content: zh, enum_type: 1, enum_status: 1, i18n_content: [{ locale: 'zh_cn', value: zh }, { locale: 'en_us', value: en }] });
    }
    for (const t of seed.employee_type_enums ?? []) {
      this.addEmployeeType({
        enum_id: t.enum_id ?? stableId('', `employee_type:${t.enum_value}`, 22),
        enum_value: t.enum_value,
        content: t.content,
        enum_type: 2,
        enum_status: t.enum_status ?? 1,
        i18n_content: (t.i18n_content ?? []).map((c) => ({ locale: c.locale, value: c.value })),
      });
      this.customEmployeeTypesMade++;
    }
    const dept = (id: string) => (id === ROOT_DEPARTMENT ? ROOT_DEPARTMENT : this.department('department_id', id)!.open_department_id);
    for (const g of seed.groups ?? []) {
      this.userGroups.set(g.group_id, {
        group_id: g.group_id,
        name: g.name,
        description: g.description ?? '',
        type: g.type ?? 1,
        users: new Set((g.users ?? []).map((k) => this.findUserByAny(k)!.open_id)),
        departments: new Set((g.departments ?? []).map(dept)),
      });
    }
    for (const u of seed.units ?? []) {
      const unit: UnitRecord = { unit_id: u.unit_id, name: u.name, unit_type: u.unit_type, departments: [] };
      this.units.set(u.unit_id, unit);
      for (const d of u.departments ?? []) this.bindUnit(unit, this.department('department_id', d)!);
    }
  }

  addEmployeeType(t: EmployeeTypeRecord): EmployeeTypeRecord {
    this.employeeTypes.set(t.enum_id, t);
    this.employeeTypeHigh = Math.max(this.employeeTypeHigh, t.enum_value);
    return t;
  }

  /** The workforce type users' `employee_type` names by its value. */
  employeeTypeByValue(value: number): EmployeeTypeRecord | undefined {
    for (const t of this.employeeTypes.values()) if (t.enum_value === value) return t;
    return undefined;
  }

  /** The value a new custom workforce type gets: one past every value given so far, deleted ones included. */
  nextEmployeeTypeValue(): number {
    return this.employeeTypeHigh + 1;
  }

  /** Whether an app's range is the whole organisation (some group routes need it). */
  wholeRange(app: AppRecord): boolean {
    return !app.contact_range || app.contact_range.departments.has(ROOT_DEPARTMENT);
  }

  /** Whether an app's tenant token sees a user group: a whole-organisation range sees all, others the groups they name. */
  groupInRange(app: AppRecord, g: UserGroupRecord): boolean {
    return this.wholeRange(app) || app.contact_range!.groups.has(g.group_id);
  }

  /** Whether a user belongs to a group: named in it, or in one of its departments or below. */
  inGroup(g: UserGroupRecord, u: UserRecord): boolean {
    if (u.resigned) return false;
    if (g.users.has(u.open_id)) return true;
    if (g.departments.size === 0) return false;
    if (g.departments.has(ROOT_DEPARTMENT)) return u.department_ids.length > 0;
    return [...g.departments].some((d) => {
      const inside = this.departmentSubtree(d);
      return u.department_ids.some((id) => inside.has(id));
    });
  }

  /** Whether a user is seen through a group the app's range names. */
  private inRangeGroupMember(app: AppRecord, u: UserRecord): boolean {
    const groups = app.contact_range?.groups;
    if (!groups?.size) return false;
    for (const id of groups) {
      const g = this.userGroups.get(id);
      if (g && this.inGroup(g, u)) return true;
    }
    return false;
  }

  /** Binds a department to a unit (a department has one unit at most; the caller checks). */
  bindUnit(unit: UnitRecord, d: DepartmentRecord): void {
    if (!unit.departments.includes(d.open_department_id)) unit.departments.push(d.open_department_id);
    d.unit_ids = [unit.unit_id];
  }

  unbindUnit(unit: UnitRecord, d: DepartmentRecord): void {
    unit.departments = unit.departments.filter((id) => id !== d.open_department_id);
    d.unit_ids = d.unit_ids.filter((id) => id !== unit.unit_id);
  }

  /** Deletes a unit; the departments bound to it are left without one. */
  deleteUnit(unit: UnitRecord): void {
    for (const id of unit.departments) {
      const d = this.departments.get(id);
      if (d) d.unit_ids = d.unit_ids.filter((u) => u !== unit.unit_id);
    }
    this.units.delete(unit.unit_id);
  }

  // ── h24-contact-integrate: the directory's parts kept consistent with each other ──
  /** Job titles and work cities a user write may add by name ("职务/工作城市枚举值数量上限为 10,000"). */
  static readonly MAX_NAMED_ENTRIES = 10_000;

  /**
   * The job title or work city of this name, made when the tenant has none ("如果传入的名称不存在，
   * 则系统会自动创建"). Undefined when it cannot be used: disabled, or the list is full.
   */
  namedEntryFor(list: Map<string, NamedEntryRecord>, name: string): NamedEntryRecord | undefined {
    for (const e of list.values()) if (e.name === name) return e.status ? e : undefined;
    if (list.size >= Store.MAX_NAMED_ENTRIES) return undefined;
    const e: NamedEntryRecord = { id: this.newEntryId(list), name, i18n_name: [], status: true };
    list.set(e.id, e);
    return e;
  }

  /** Whether namedEntryFor would give an entry for this name, without making one. */
  namedEntryUsable(list: Map<string, NamedEntryRecord>, name: string): boolean {
    for (const e of list.values()) if (e.name === name) return e.status;
    return list.size < Store.MAX_NAMED_ENTRIES;
  }

  /** The users (active or resigned) whose field holds this value. */
  holders<K extends 'job_level_id' | 'job_family_id' | 'employee_type'>(field: K, value: UserRecord[K]): UserRecord[] {
    return this.users.filter((u) => u[field] === value);
  }

  /** A custom field definition by id. */
  customAttrDefinition(id: string): CustomAttrDefinitionRecord | undefined {
    return this.customAttrDefinitions.find((d) => d.id === id);
  }

  /**
   * What a user leaves behind on resigning: the leader posts of departments, the user groups that
   * name them, and the functional roles they hold. Returns the active users they led, whose leader
   * the caller clears (so it can tell apps of each change).
   */
  leaveOrganisation(u: UserRecord): UserRecord[] {
    for (const d of this.departments.values()) d.leaders = d.leaders.filter((l) => l.open_id !== u.open_id);
    for (const g of this.userGroups.values()) g.users.delete(u.open_id);
    for (const r of this.functionalRoles.values()) r.members.delete(u.open_id);
    return this.users.filter((r) => r !== u && !r.resigned && r.leader_open_id === u.open_id);
  }

  /**
   * A deleted department leaves its unit, the user groups that name it, the managed departments of
   * role members (a member left with none manages nothing), and the apps' contact ranges.
   */
  forgetDepartment(d: DepartmentRecord): void {
    for (const id of d.unit_ids) {
      const unit = this.units.get(id);
      if (unit) this.unbindUnit(unit, d);
    }
    d.unit_ids = [];
    for (const g of this.userGroups.values()) g.departments.delete(d.open_department_id);
    for (const r of this.functionalRoles.values()) {
      for (const [member, scope] of r.members) if (scope?.includes(d.open_department_id)) r.members.set(member, scope.filter((id) => id !== d.open_department_id));
    }
    for (const a of this.apps.values()) a.contact_range?.departments.delete(d.open_department_id);
  }
}

/** Reaction ids look like the platform's: an opaque base64url string. */
const reactionId = () => randomBytes(24).toString('base64url');

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
