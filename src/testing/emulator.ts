import { menuKeyProblem } from '../emulator/seed-menu-links.js';
import { botFailures, linkCall, linkPreviews, menuCall, type LinkAnswer, type PastedLinkResult } from './user-menu-links.js';
import { isObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';
import type { EmulatorSettings, LoggedRequest } from '../emulator/core.js';
import type { FaultSettings } from '../emulator/faults.js';
import { handleClick, type Interaction } from '../emulator/inbox/clicks.js';
import { deliveriesSettled, deliveryLog } from '../emulator/delivery.js';
import { botFailed, describeDelivery } from '../emulator/delivery-log.js';
import type { DeliveryRecord } from '../emulator/store.js';
import type { RateLimitSettings } from '../emulator/rate-limit.js';
import { resolveSeed, startEmulator as startServer, type RunningEmulator } from '../emulator/server.js';
import type { SeedFile } from '../emulator/seed.js';
import { currentText, type AppRecord, type MessageRecord, type UserRecord } from '../emulator/store.js';
import { extraOf } from '../emulator/message-extras.js';
import { mentionsByName, peopleNames, type NameOf } from '../card/mentions.js';
import { cardAsText, type CardAsTextOptions } from './card-text.js';
import { entityOfMessage, refreshStreaming, STREAMING_LIFETIME_MS, streamingModeOf, type CardEntity } from '../emulator/cardkit-store.js';
import { streamView } from '../emulator/inbox/streaming.js';
import { send } from '../http/request.js';
import { ActionInputError, applyFormStep, chooseAction, clickAction, formAction, isFormStep, pickAction, toastOf, typeAction, type FilledForms, type Step } from './actions.js';
import { textOf, type ElementTarget } from './elements.js';
import { personMessageBody, SendInputError, sendKind, type SendContent } from './user-messages.js';
import { UserChats, type TestChat } from './user-chats.js';
import { TestEmulatorError } from './errors.js';
import { idSegment } from './path-segment.js';

const SEND_TEXT_TIMEOUT_MS = 120_000;

/** Options of {@link startEmulator}. Everything is optional: the default seed, a free port, no callbacks. */
export interface TestEmulatorOptions {
  /** A seed object, or the path of a seed JSON file (default: the built-in seed). */
  seed?: SeedFile | string;
  /** Where card callbacks are POSTed (signed, and encrypted when the app has an Encrypt Key), for apps whose seed names none. */
  callbackUrl?: string;
  /** Where events are POSTed; when absent, events go to `callbackUrl`, as many bots serve both on one path. */
  eventUrl?: string;
  /** Deliver callbacks and events over the long connection (the SDK's WSClient) instead of HTTP. */
  longConnection?: boolean;
  /** The emulator's wall clock (default Date.now); move it later with {@link TestEmulator.advanceClock}. */
  now?: () => number;
  /**
   * A clock the emulator reads and schedules on, such as a fake one the test moves: re-sends of
   * failed events fall due as it moves. Anything with `now`, `setTimeout` and `clearTimeout`.
   */
  clock?: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(timer: never): void };
  /** The platform's rate limits (default), other limits, or `false` for none. */
  rateLimits?: RateLimitSettings | false;
  /** Faults injected into a share of Open API requests (429, 500, dropped connections, slow answers). */
  faults?: Partial<FaultSettings>;
  /** Any other emulator setting. */
  settings?: Partial<EmulatorSettings>;
  /**
   * Host names the emulator answers to besides loopback, e.g. `host.docker.internal` for a bot in a
   * container; requests naming any other Host are refused with a 403.
   */
  allowHosts?: string[];
}

/** A seeded app's credentials, to configure the bot under test. */
export interface TestApp {
  appId: string;
  appSecret: string;
  encryptKey: string | null;
  verificationToken: string | null;
  name: string;
  botOpenId: string;
}

/** A message as a test sees it: the card as it stands now, and every version it went through. */
export interface TestMessage {
  messageId: string;
  chatId: string;
  appId: string;
  msgType: string;
  /** The current card (templates resolved), or null for other message types. */
  card: Card | null;
  /** The current text, for text messages, with mentions (`<at user_id="ou_…"></at>`) as `@Name` for the people the emulator knows. */
  text: string | null;
  content: string;
  createTime: number;
  updated: boolean;
  recalled: boolean;
  versions: number;
  /** The message it answers, for replies. */
  parentId: string | null;
}

/** A reaction on a message, as {@link TestUser.react} added it. */
export interface TestReaction {
  reactionId: string;
  messageId: string;
  emojiType: string;
  /** The person's open_id, or the app_id of a bot's reaction. */
  operatorId: string;
  operatorType: 'user' | 'app';
  actionTime: number;
}

interface ReactionView {
  reaction_id: string;
  message_id: string;
  emoji_type: string;
  operator: { operator_id: string; operator_type: 'user' | 'app' };
  action_time: string;
}

const reactionOf = (r: ReactionView): TestReaction => ({
  reactionId: r.reaction_id,
  messageId: r.message_id,
  emojiType: r.emoji_type,
  operatorId: r.operator.operator_id,
  operatorType: r.operator.operator_type,
  actionTime: Number(r.action_time),
});

/** What the bot answered to a click, judged by the platform's rules; or, inside a form, what the form holds now. */
export interface ClickResult {
  /**
   * Whether anything was sent to the bot. False when the action only filled (or reset) a form, as
   * the client does: a form's components send nothing until its submit button sends them all.
   */
  sent: boolean;
  /** The form the action filled or reset, and what it holds now (by field name, as `form_value` will carry it); null when it sent. */
  form: { name: string; values: Record<string, unknown> } | null;
  /** The toast the client shows, or null. */
  toast: { type: string; content: string } | null;
  /** The card as it stands after the answer was applied (or unchanged), or null if it is not a card. */
  card: Card | null;
  /** What is wrong with the answer (empty when it is right): JSON path and message. */
  problems: Array<{ path: string; message: string }>;
  /** The full record: request sent, status, time, raw answer; null when nothing was sent (a form fill). */
  interaction: Interaction | null;
  /** The callback's delivery: where it went, what came back, how long it took, the verdict. */
  delivery: DeliveryRecord | null;
}

/** Which deliveries {@link TestEmulator.deliveries} returns. */
export interface DeliveryFilter {
  appId?: string;
  category?: 'event' | 'callback';
  /** Event type or callback kind: `im.message.receive_v1`, `card.action.trigger` … */
  kind?: string;
  eventId?: string;
  /** Only attempts after this one (an id from an earlier record). */
  since?: number;
}

export interface MessageFilter {
  chatId?: string;
  appId?: string;
  msgType?: string;
  /** Only messages created at or after this emulator time (ms). */
  since?: number;
}

export { TestEmulatorError };

/** The bot failed what a person did: its webhook answered other than 200, its handler threw, or it did not answer in time. */
export class BotFailureError extends TestEmulatorError {
  constructor(
    message: string,
    /** The failed attempt(s), as {@link TestEmulator.deliveries} lists them. */
    readonly deliveries: DeliveryRecord[],
  ) {
    super(message);
  }
}


function messageView(m: MessageRecord, name: NameOf): TestMessage {
  const current = m.versions[m.versions.length - 1]!;
  const raw = currentText(m);
  const text = raw === null ? null : mentionsByName(raw, name);
  const parent = extraOf(m).parent_id || null;
  return {
    messageId: m.message_id,
    chatId: m.chat_id,
    appId: m.app_id,
    msgType: m.msg_type,
    card: current.card,
    text,
    content: current.content,
    createTime: m.create_time,
    updated: m.updated,
    recalled: m.deleted,
    versions: m.versions.length,
    parentId: parent,
  };
}

/**
 * An emulator running in this process for one test file (several may run at once), with the
 * verbs a test needs: act as a user, wait for what the bot sends, and read what happened.
 */
export class TestEmulator {
  /** `http://127.0.0.1:<port>`: give it to the bot as the SDK's `domain`. */
  readonly url: string;

  constructor(
    private readonly running: RunningEmulator,
    private readonly options: TestEmulatorOptions,
  ) {
    this.url = running.url;
  }

  private get core() {
    return this.running.core;
  }

  /** A seeded app by app id or name (default: the first). */
  app(appIdOrName?: string): TestApp {
    const apps = [...this.core.store.apps.values()];
    const app = appIdOrName === undefined ? apps[0] : apps.find((a) => a.app_id === appIdOrName || a.name === appIdOrName);
    if (!app) throw new TestEmulatorError(`no seeded app ${JSON.stringify(appIdOrName)}; the seed has ${apps.map((a) => `${a.app_id} (${a.name})`).join(', ')}`);
    return { appId: app.app_id, appSecret: app.app_secret, encryptKey: app.encrypt_key, verificationToken: app.verification_token, name: app.name, botOpenId: app.bot_open_id };
  }

  /** A seeded user, by email, open_id, mobile or name, to act as. */
  user(who: string): TestUser {
    const users = this.core.store.users;
    const u = users.find((x) => x.email === who || x.open_id === who || x.mobile === who || x.name === who);
    if (!u) throw new TestEmulatorError(`no seeded user ${JSON.stringify(who)}; the seed has ${users.map((x) => x.email ?? x.open_id).join(', ')}`);
    return new TestUser(this, this.core, u);
  }

  /** Messages the emulator holds, oldest first. */
  messages(filter: MessageFilter = {}): TestMessage[] {
    return [...this.core.store.messages.values()]
      .filter((m) => (!filter.chatId || m.chat_id === filter.chatId) && (!filter.appId || m.app_id === filter.appId) && (!filter.msgType || m.msg_type === filter.msgType) && (filter.since === undefined || m.create_time >= filter.since))
      .sort((a, b) => a.create_time - b.create_time)
      .map((m) => this.view(m));
  }

  /** One message by id, as it stands now. */
  message(messageId: string): TestMessage {
    const m = this.core.store.messages.get(messageId);
    if (!m) throw new TestEmulatorError(`no message ${messageId}; the emulator holds ${this.core.store.messages.size}`);
    return this.view(m);
  }

  /**
   * The first message the bot sent that no earlier wait returned and that matches: one already
   * there, or the next to arrive (or to change into a match, as a streamed card does). Rejects after
   * `timeoutMs` (default 5000) listing what the bot sent since the last wait, so a failing test says why.
   */
  waitForMessage(predicate: (m: TestMessage) => boolean = () => true, opts: { timeoutMs?: number } = {}): Promise<TestMessage> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const take = (view: TestMessage) => {
      this.returned.add(view.messageId);
      return view;
    };
    const waiting = () => this.botMessages().filter((m) => !this.returned.has(m.message_id));
    const began = this.core.store.deliveryLog.seq;
    const ready = waiting().map((m) => this.view(m)).find(predicate);
    if (ready) return Promise.resolve(take(ready));
    return new Promise((resolve, reject) => {
      const check = (m: MessageRecord) => {
        if (this.returned.has(m.message_id) || !isBotMessage(m)) return;
        const view = this.view(m);
        if (!predicate(view)) return;
        cleanup();
        resolve(take(view));
      };
      const timer = setTimeout(() => {
        cleanup();
        const sent = waiting().map((m) => this.view(m));
        const list = sent.length ? sent.map((m) => `  ${m.messageId} ${m.msgType} in ${m.chatId}: ${summary(m)}`).join('\n') : '  (nothing)';
        const since = this.deliveries({ since: began });
        const delivered = since.length ? since.map((d) => `  ${describeDelivery(d)}`).join('\n') : '  (none)';
        reject(new TestEmulatorError(`no matching message within ${timeoutMs} ms. Since the last wait the bot sent:\n${list}\nDeliveries to the bot since this wait began:\n${delivered}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.core.events.off('message', check);
        this.core.events.off('update', check);
      };
      this.core.events.on('message', check);
      this.core.events.on('update', check);
    });
  }

  /**
   * The text streamed into the CardKit card a message shows, as it stands now: the element named,
   * else every element text was streamed into (`cardElement.content`), in the order streaming first
   * reached them, one per line. Read it while the card streams or after.
   */
  streamedText(message: string | TestMessage, elementId?: string): string {
    const { record } = this.streamed(message);
    const elements = streamView(this.core, record)?.elements ?? [];
    if (elementId === undefined) return elements.map((e) => e.text).join('\n');
    const hit = elements.find((e) => e.element_id === elementId);
    if (!hit) throw new TestEmulatorError(`no text was streamed into element ${JSON.stringify(elementId)} of ${record.message_id}; streamed into: ${elements.map((e) => e.element_id).join(', ') || '(none)'}`);
    return hit.text;
  }

  /**
   * Resolves with the message once its CardKit card stops streaming: the bot set
   * `config.streaming_mode` false, or the platform closed it 10 minutes after it was turned on (on
   * the emulator's clock, so a test's fake clock can move past it). Rejects after `timeoutMs`
   * (default 5000) naming the last sequence the card took and the text streamed so far.
   */
  waitForStreamEnd(message: string | TestMessage, opts: { timeoutMs?: number } = {}): Promise<TestMessage> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    let found: { record: MessageRecord; entity: CardEntity };
    try {
      found = this.streamed(message);
    } catch (err) {
      return Promise.reject(err);
    }
    const { record, entity } = found;
    const ended = () => {
      refreshStreaming(this.core, entity);
      return !streamingModeOf(entity.card);
    };
    if (ended()) return Promise.resolve(this.view(record));
    return new Promise((resolve, reject) => {
      let closeAt: number | null = null;
      let cancelClose: (() => void) | null = null;
      // The platform's own close, on the emulator's clock; moved each time streaming is turned on again.
      const armClose = () => {
        const at = entity.streaming_since === null ? null : entity.streaming_since + STREAMING_LIFETIME_MS;
        if (at === closeAt) return;
        cancelClose?.();
        closeAt = at;
        cancelClose = at === null ? null : this.core.clock.schedule(at, () => check(record));
      };
      const check = (m: MessageRecord) => {
        if (m.message_id !== record.message_id) return;
        if (!ended()) return armClose();
        cleanup();
        resolve(this.view(record));
      };
      const timer = setTimeout(() => {
        cleanup();
        const text = this.streamedText(record.message_id);
        reject(new TestEmulatorError(`card ${entity.card_id} of ${record.message_id} was still streaming after ${timeoutMs} ms; the last sequence it took was ${entity.sequence || '(none yet)'}, and it shows ${text ? JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text) : 'no streamed text'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        cancelClose?.();
        this.core.events.off('update', check);
      };
      this.core.events.on('update', check);
      armClose();
    });
  }

  private streamed(message: string | TestMessage): { record: MessageRecord; entity: CardEntity } {
    const id = typeof message === 'string' ? message : message.messageId;
    const record = this.core.store.messages.get(id);
    if (!record) throw new TestEmulatorError(`no message ${id}; the emulator holds ${this.core.store.messages.size}`);
    const entity = entityOfMessage(this.core, id);
    if (!entity) throw new TestEmulatorError(`${id} was not sent from a CardKit card entity (card_id), so it does not stream`);
    return { record, entity };
  }

  /** Messages that waits already returned, so the next wait moves on. */
  private readonly returned = new Set<string>();

  /** Who the emulator's users and bots are, by every id a mention may use; read afresh, as a reset brings the seed back. */
  private people(): Map<string, string> {
    return peopleNames(this.core.store.users, this.core.store.apps.values());
  }

  private view(m: MessageRecord): TestMessage {
    const names = this.people();
    return messageView(m, (id) => names.get(id));
  }

  /**
   * A card as a person reads it, in plain text ({@link cardAsText}), with mentions and person
   * components named by the emulator's users unless `people` says otherwise. Takes a message (its
   * id, or as a wait returned it) or a card.
   */
  cardAsText(message: string | TestMessage | Card, opts: CardAsTextOptions = {}): string {
    const m = typeof message === 'string' ? this.message(message) : 'messageId' in message && typeof message.messageId === 'string' ? (message as TestMessage) : null;
    const card = m ? m.card : (message as Card);
    if (!card) throw new TestEmulatorError(`${m!.messageId} is a ${m!.msgType} message, not a card`);
    return cardAsText(card, { people: opts.people ?? this.people() });
  }



  /** What each person filled in each card's forms and has not yet submitted or reset: `open_id message_id` → forms. */
  private readonly filled = new Map<string, FilledForms>();

  /** @internal What `openId` holds filled in the forms of `messageId` (kept across {@link user} handles). */
  formsOf(openId: string, messageId: string): FilledForms {
    const key = `${openId} ${messageId}`;
    let forms = this.filled.get(key);
    if (!forms) this.filled.set(key, (forms = {}));
    return forms;
  }

  private botMessages(): MessageRecord[] {
    return [...this.core.store.messages.values()].filter(isBotMessage);
  }

  /** The Open API requests the emulator answered, oldest first. */
  requests(): LoggedRequest[] {
    return this.core.requests();
  }

  /** Every click and its judged answer, oldest first. */
  interactions(): Interaction[] {
    return this.core.interactionLog();
  }

  /**
   * Every attempt at delivering an event or a callback to the bot, oldest first: kind, event_id,
   * target, transport, attempt, duration, answer and verdict. A failed event is sent again on the
   * platform's schedule (15 s, 5 min, 1 h, 6 h) with the same event_id, as the clock moves.
   */
  deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
    return deliveryLog(this.core)
      .filter(
        (d) =>
          (filter.since === undefined || d.id > filter.since) &&
          (!filter.appId || d.app_id === filter.appId) &&
          (!filter.category || d.category === filter.category) &&
          (!filter.kind || d.kind === filter.kind) &&
          (!filter.eventId || d.event_id === filter.eventId),
      )
      .map((d) => structuredClone(d));
  }

  /** Resolves once no re-send is under way (those the clock made due have their answers). */
  idle(): Promise<void> {
    return deliveriesSettled(this.core);
  }

  /**
   * Where callbacks (and, unless `eventUrl` is given, events) are POSTed from now on, for every app
   * or the one named: for a bot that can only start once it knows the emulator's URL.
   */
  setCallbackUrl(url: string, opts: { eventUrl?: string; app?: string } = {}): void {
    checkUrl('callbackUrl', url);
    if (opts.eventUrl !== undefined) checkUrl('eventUrl', opts.eventUrl);
    const apps = opts.app ? [this.core.store.apps.get(this.app(opts.app).appId)!] : [...this.core.store.apps.values()];
    for (const app of apps) {
      app.callback_url = url;
      app.event_url = opts.eventUrl ?? url;
      app.callback_mode = 'http';
      app.event_mode = 'http';
    }
  }

  /**
   * Moves the emulator's clock (token expiry, the 30-minute and 14-day windows, event re-sends).
   * Resolves once the re-sends that fell due have been answered.
   */
  advanceClock(seconds: number): Promise<void> {
    this.core.clock.advance(seconds * 1000);
    return this.idle();
  }

  /**
   * Back to the seed: messages, chats, logs and clock. Tenant tokens already issued stay valid, so
   * a bot that is running (and caches its token, as the SDK does) goes on working.
   */
  reset(): void {
    const tokens = [...this.core.store.tenantTokens.entries()];
    this.returned.clear();
    this.filled.clear();
    this.running.reset();
    for (const [token, record] of tokens) this.core.store.tenantTokens.set(token, record);
    this.applyOptions();
  }

  close(): Promise<void> {
    return this.running.close();
  }

  /** @internal */
  applyOptions(): void {
    for (const app of this.core.store.apps.values()) {
      if (this.options.callbackUrl && !app.callback_url) app.callback_url = this.options.callbackUrl;
      // Events go to the event URL, else to the callback URL: many bots serve both on one path.
      const eventUrl = this.options.eventUrl ?? this.options.callbackUrl;
      if (eventUrl && !app.event_url) app.event_url = eventUrl;
      if (this.options.longConnection) {
        app.callback_mode = 'ws';
        app.event_mode = 'ws';
      }
    }
  }

}

/** Sent by an app (not a user writing in the inbox or through sendText). */
function isBotMessage(m: MessageRecord): boolean {
  return !m.sender_open_id;
}

function summary(m: TestMessage): string {
  if (m.text !== null) return JSON.stringify(m.text.slice(0, 80));
  if (m.card) {
    const header = isObject(m.card.header) ? textOf(m.card.header.title) : null;
    return header ? `card "${header}"` : 'card';
  }
  return m.content.slice(0, 80);
}

/** A seeded user: clicks, fills and submits cards, and writes to the bot, as the client would. */
export class TestUser {
  readonly openId: string;
  readonly name: string;
  readonly email: string | null;

  constructor(
    private readonly emulator: TestEmulator,
    private readonly core: RunningEmulator['core'],
    private readonly record: UserRecord,
  ) {
    this.openId = record.open_id;
    this.name = record.name;
    this.email = record.email;
  }

  /**
   * Clicks a button (or an interactive container, or toggles a checker) found by its text, value,
   * element_id or name. In a form, as in the client: the submit button sends `form_value` (what was
   * filled, defaults otherwise, after the client's checks) with the button's value; the reset button
   * clears what was filled; a checker is ticked in the form and sends nothing.
   */
  async click(messageId: string, target: ElementTarget): Promise<ClickResult> {
    return this.act(messageId, (card, filled) => clickAction(card, messageId, target, this.core.store.users, filled));
  }

  /**
   * Picks an option (by its value or its text) in a select or overflow menu; an array for
   * multi-selects, open_ids (or names, emails) for person pickers. Outside a form it sends the
   * choice; inside a form it fills the field and sends nothing until the form is submitted.
   */
  async choose(messageId: string, target: ElementTarget, option: string | string[]): Promise<ClickResult> {
    return this.act(messageId, (card) => chooseAction(card, messageId, target, option, this.core.store.users));
  }

  /** Picks a date (`YYYY-MM-DD`), a time (`HH:mm`) or a date and time (`YYYY-MM-DD HH:mm`) in a picker; in a form it fills the field. */
  async pick(messageId: string, target: ElementTarget, value: string): Promise<ClickResult> {
    return this.act(messageId, (card) => pickAction(card, messageId, target, value));
  }

  /** Types into an input: outside a form it presses Enter (the input's own callback); in a form it fills the field. */
  async type(messageId: string, target: ElementTarget, text: string): Promise<ClickResult> {
    return this.act(messageId, (card) => typeAction(card, messageId, target, text));
  }

  /**
   * Fills a form's fields by name and presses its submit button (the first, or the one named by
   * `button`). Values: text for inputs, option values for selects (arrays for multi), open_ids for
   * person pickers, `YYYY-MM-DD` / `HH:mm` for pickers, booleans for checkers. Fields not named here
   * carry what `choose`, `pick`, `type` and checker clicks filled, else their defaults. The client's
   * own checks apply: a required field left empty, or an unknown field name, is an error before
   * anything is sent.
   */
  async submitForm(messageId: string, values: Record<string, unknown>, opts: { button?: ElementTarget; form?: string } = {}): Promise<ClickResult> {
    return this.act(messageId, (card, filled) => formAction(card, messageId, values, { ...opts, filled }, this.core.store.users));
  }

  /**
   * Writes to the bot: in a group chat (`oc_…`) or, with `'p2p'`, the one-to-one chat with the
   * app (default: the first). The bot gets `im.message.receive_v1`. `mention: true` @mentions the bot.
   */
  async sendText(chatId: string, text: string, opts: { mention?: boolean; appId?: string } = {}): Promise<TestMessage> {
    // Through the one HTTP layer, to the emulator on this machine. The route answers once the
    // event is delivered to the bot, under bounds of its own; this one is only a backstop far past them.
    const res = await send({
      method: 'POST',
      url: `${this.emulator.url}/_emulator/users/${idSegment(this.openId, 'open_id')}/messages`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId === 'p2p' ? null : chatId, p2p: chatId === 'p2p', app_id: opts.appId ?? null, text, mention_bot: !!opts.mention }),
      timeoutMs: SEND_TEXT_TIMEOUT_MS,
    });
    const body = JSON.parse(res.body.toString('utf8')) as { code: number; msg: string; data?: { message_id?: string; deliveries?: DeliveryRecord[] } };
    if (body.code !== 0 || !body.data?.message_id) throw new TestEmulatorError(`sending text as ${this.name} failed: ${body.msg} (code ${body.code})`);
    const failed = (body.data.deliveries ?? []).filter((d) => d.verdict === 'failed');
    if (failed.length) {
      const lines = failed.map((d) => `  ${describeDelivery(d)}`).join('\n');
      throw new BotFailureError(`${this.name}'s message ${body.data.message_id} was stored, and the bot failed the event:\n${lines}`, failed);
    }
    return this.emulator.message(body.data.message_id);
  }

  /**
   * Reacts to a message with an emoji (`'THUMBSUP'`, `'DONE'`; the platform's case-sensitive
   * emoji_type keys), as a member of its chat. Every bot in the chat gets
   * `im.message.reaction.created_v1`; resolves with the reaction once they answered, and rejects
   * with {@link BotFailureError} when one failed it. The same emoji again is the same reaction.
   */
  async react(message: TestMessage | string, emojiType: string): Promise<TestReaction> {
    const messageId = typeof message === 'string' ? message : message.messageId;
    const data = await this.control<{ reaction: ReactionView; deliveries: DeliveryRecord[] }>('POST', `/_emulator/users/${idSegment(this.openId, 'open_id')}/reactions`, { message_id: messageId, emoji_type: emojiType }, `reacting to ${messageId} with ${emojiType}`);
    this.failOn(data.deliveries, `${this.name}'s reaction ${emojiType} on ${messageId} was added, and the bot failed the event`);
    return reactionOf(data.reaction);
  }

  /**
   * Takes back one of this user's reactions: the one {@link react} gave, or this user's reaction
   * with `emojiType` on a message. The bots in the chat get `im.message.reaction.deleted_v1`.
   */
  async unreact(target: TestReaction | TestMessage | string, emojiType?: string): Promise<TestReaction> {
    let reactionId: string;
    if (typeof target === 'object' && 'reactionId' in target) reactionId = target.reactionId;
    else {
      const messageId = typeof target === 'string' ? target : target.messageId;
      if (!emojiType) throw new TestEmulatorError(`unreact(${messageId}) needs the emoji_type to take back, or the reaction react() gave`);
      const mine = this.core.store.reactionsOf(messageId).find((r) => r.operator.type === 'user' && r.operator.id === this.openId && r.emoji_type === emojiType);
      if (!mine) throw new TestEmulatorError(`${this.name} has no ${emojiType} reaction on ${messageId}`);
      reactionId = mine.reaction_id;
    }
    const data = await this.control<{ reaction: ReactionView; deliveries: DeliveryRecord[] }>('DELETE', `/_emulator/users/${idSegment(this.openId, 'open_id')}/reactions/${idSegment(reactionId, 'reaction_id')}`, undefined, `taking back reaction ${reactionId}`);
    this.failOn(data.deliveries, `${this.name}'s reaction ${data.reaction.emoji_type} on ${data.reaction.message_id} was taken back, and the bot failed the event`);
    return reactionOf(data.reaction);
  }

  /**
   * Reads a message. The app that sent it to this user in their one-to-one chat gets
   * `im.message.message_read_v1` (the first read only, as the platform reports reads of a bot's
   * p2p messages); resolves when it answered, rejects with {@link BotFailureError} when it failed.
   */
  async read(message: TestMessage | string): Promise<void> {
    const messageId = typeof message === 'string' ? message : message.messageId;
    const data = await this.control<{ deliveries: DeliveryRecord[] }>('POST', `/_emulator/messages/${idSegment(messageId, 'message_id')}/read`, { open_id: this.openId }, `reading ${messageId}`);
    this.failOn(data.deliveries, `${this.name} read ${messageId}, and the bot failed the event`);
  }

  // ── h24-message-types ──
  /**
   * Sends a message as this user, to a group chat (`oc_…`) or, with `'p2p'`, the one-to-one chat
   * with the app (`content.app`, default the first): one of text, post, image, file, audio, media,
   * sticker, shareChat, shareUser, location, todo or mergeForward (files as a path or a Buffer).
   * The bot gets `im.message.receive_v1` (in a group, when @mentioned: `mention: true`, or an `at`
   * in a post). Resolves with the message once the bot answered; rejects with
   * {@link BotFailureError} when it failed the event.
   */
  async send(chat: string, content: SendContent): Promise<TestMessage> {
    let body: Record<string, unknown>;
    try {
      body = await personMessageBody(chat, content);
    } catch (err) {
      if (err instanceof SendInputError) throw new TestEmulatorError(err.message);
      throw err;
    }
    const data = await this.control<{ message_id: string; deliveries: DeliveryRecord[] }>('POST', `/_emulator/users/${idSegment(this.openId, 'open_id')}/messages`, body, `sending ${sendKind(content)} to ${chat}`);
    this.failOn(data.deliveries, `${this.name}'s message ${data.message_id} was stored, and the bot failed the event`);
    return this.emulator.message(data.message_id);
  }

  // ── h24-chat-life ──
  /** A person's actions on chats, through the control API (see user-chats.ts). */
  private get chats(): UserChats {
    return new UserChats({
      openId: this.openId,
      name: this.name,
      control: (method, path, body, doing) => this.control(method, path, body, doing),
      failOn: (deliveries, what) => this.failOn(deliveries, what),
      appId: (app) => this.emulator.app(app).appId,
      userId: (who) => this.emulator.user(who).openId,
    });
  }

  /**
   * Creates a group this user owns, with bots (app ids or names) and members (emails, open_ids,
   * names or users). Each bot gets `im.chat.member.bot.added_v1`; resolves with the chat once the
   * bots answered, rejects with {@link BotFailureError} when one failed.
   */
  createGroup(name: string, opts: { bots?: string[]; members?: Array<string | TestUser> } = {}): Promise<TestChat> {
    return this.chats.createGroup(name, opts);
  }

  /** Adds an app's bot (default: the first app) to a group: it gets `im.chat.member.bot.added_v1`. */
  addBot(chat: string | TestChat, app?: string): Promise<TestChat> {
    return this.chats.addBot(chat, app);
  }

  /** Removes an app's bot from a group (owner or manager): it gets `im.chat.member.bot.deleted_v1` and no longer sees the chat. */
  removeBot(chat: string | TestChat, app?: string): Promise<TestChat> {
    return this.chats.removeBot(chat, app);
  }

  /** Adds people to a group: the bots in it get `im.chat.member.user.added_v1`. */
  addMember(chat: string | TestChat, user: string | TestUser | Array<string | TestUser>): Promise<TestChat> {
    return this.chats.addMember(chat, user);
  }

  /** Removes someone from a group (owner or manager): the bots get `im.chat.member.user.deleted_v1`. */
  removeMember(chat: string | TestChat, user: string | TestUser): Promise<TestChat> {
    return this.chats.removeMember(chat, user);
  }

  /** Withdraws the invitation of people this user added: they leave, and the bots get `im.chat.member.user.withdrawn_v1`. */
  withdraw(chat: string | TestChat, users: string | TestUser | Array<string | TestUser>): Promise<TestChat> {
    return this.chats.withdraw(chat, users);
  }

  /** Leaves a group (its owner cannot): the bots get `im.chat.member.user.deleted_v1`. */
  leave(chat: string | TestChat): Promise<TestChat> {
    return this.chats.leave(chat);
  }

  /** Opens the one-to-one chat with an app's bot (default: the first): it gets `im.chat.access_event.bot_p2p_chat_entered_v1`. */
  openChat(app?: string): Promise<TestChat> {
    return this.chats.openChat(app);
  }

  /** Renames a group (and, given one, sets its description): the bots get `im.chat.updated_v1` with what changed. */
  renameChat(chat: string | TestChat, name: string, description?: string): Promise<TestChat> {
    return this.chats.renameChat(chat, name, description);
  }

  /** Disbands a group this user owns: the bots in it get `im.chat.disbanded_v1`. */
  disband(chat: string | TestChat): Promise<TestChat> {
    return this.chats.disband(chat);
  }

  // ── h24-menu-links ──
  /**
   * Presses the item of a bot's menu (the seed's `bot_menu`) whose event_key this is; `app` by id or
   * name, default the first. The app gets `application.bot.menu_v6`; resolves with the deliveries
   * once it answered, rejects with {@link BotFailureError} when it failed the event.
   */
  async pressMenu(eventKey: string, opts: { app?: string } = {}): Promise<DeliveryRecord[]> {
    const appId = this.emulator.app(opts.app).appId;
    const unknown = menuKeyProblem(this.core.store.apps.get(appId)!, eventKey);
    if (unknown) throw new TestEmulatorError(unknown);
    const call = menuCall(this.openId, eventKey, appId);
    const data = await this.control<{ deliveries: DeliveryRecord[] }>('POST', call.path, call.body, call.doing);
    this.failOn(data.deliveries, `${this.name} pressed ${JSON.stringify(eventKey)} in the bot menu, and the bot failed the event`);
    return data.deliveries;
  }

  /**
   * Sends a link in a chat (`oc_…`, or `'p2p'` for the one-to-one chat with `app`). Every bot in the
   * chat whose URL rules (the seed's `url_previews`) match is asked for a preview (url.preview.get);
   * resolves with the message and each preview once they answered. An answer the client refuses
   * comes back in the preview's `problems`; a bot that failed to answer rejects with {@link BotFailureError}.
   */
  async pasteLink(chat: string, url: string, opts: { app?: string } = {}): Promise<PastedLinkResult<TestMessage>> {
    const call = linkCall(this.openId, chat, url, this.emulator.app(opts.app).appId);
    const data = await this.control<LinkAnswer>('POST', call.path, call.body, call.doing);
    this.failOn(botFailures(data.deliveries), `${this.name}'s link ${url} was sent, and a bot failed it`);
    return { message: this.emulator.message(data.message_id), previews: linkPreviews(data) };
  }

  // ── h24-recorder ──
  /**
   * Takes back (recalls) a message this user sent. The bots in its chat get
   * `im.message.recalled_v1`; resolves once they answered, rejects with {@link BotFailureError}
   * when one failed it.
   */
  async recall(message: TestMessage | string): Promise<void> {
    const messageId = typeof message === 'string' ? message : message.messageId;
    const m = this.core.store.messages.get(messageId);
    if (!m) throw new TestEmulatorError(`no message ${messageId}`);
    if (m.sender_open_id !== this.openId) throw new TestEmulatorError(`${this.name} did not send ${messageId}, so cannot recall it`);
    const data = await this.control<{ deliveries: DeliveryRecord[] }>('POST', `/_emulator/messages/${idSegment(messageId, 'message_id')}/recall`, { open_id: this.openId }, `recalling ${messageId}`);
    this.failOn(data.deliveries, `${this.name} recalled ${messageId}, and the bot failed the event`);
  }

  /** One call to the emulator's control API, as the inbox makes it; a refusal is an error naming what was being done. */
  private async control<T>(method: 'POST' | 'DELETE' | 'PATCH', path: string, body: unknown, doing: string): Promise<T> {
    const res = await send({
      method,
      url: `${this.emulator.url}${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: SEND_TEXT_TIMEOUT_MS,
    });
    const answer = JSON.parse(res.body.toString('utf8')) as { code: number; msg: string; data?: T; error?: { field_violations?: Array<{ field: string; description: string }> } };
    const fields = (answer.error?.field_violations ?? []).map((v) => `: ${v.field}: ${v.description}`).join('');
    if (answer.code !== 0 || !answer.data) throw new TestEmulatorError(`${doing} as ${this.name} failed: ${answer.msg}${fields} (code ${answer.code})`);
    return answer.data;
  }

  private failOn(deliveries: DeliveryRecord[], what: string): void {
    const failed = deliveries.filter((d) => d.verdict === 'failed');
    if (!failed.length) return;
    throw new BotFailureError(`${what}:\n${failed.map((d) => `  ${describeDelivery(d)}`).join('\n')}`, failed);
  }

  private cardOf(messageId: string): Card {
    const m = this.core.store.messages.get(messageId);
    if (!m) throw new TestEmulatorError(`no message ${messageId}`);
    if (m.deleted) throw new TestEmulatorError(`${messageId} was recalled`);
    const view = m.user_views.get(this.openId) ?? m.versions[m.versions.length - 1]!;
    if (!view.card) throw new TestEmulatorError(`${messageId} is a ${m.msg_type} message, not a card`);
    return view.card;
  }

  /**
   * Builds the step with the shared rules (errors as this library's). A form step changes what this
   * user has filled and sends nothing; an action is sent as this user and its answer read. A
   * submitted form is cleared, as the client clears it once it has sent it.
   */
  private async act(messageId: string, build: (card: Card, filled: FilledForms) => Step): Promise<ClickResult> {
    const filled = this.emulator.formsOf(this.openId, messageId);
    let step: Step;
    try {
      step = build(this.cardOf(messageId), filled);
    } catch (err) {
      if (err instanceof ActionInputError) throw new TestEmulatorError(err.message);
      throw err;
    }
    if (isFormStep(step)) {
      applyFormStep(filled, step);
      return { sent: false, form: { name: step.form, values: { ...(filled[step.form] ?? {}) } }, toast: null, card: this.currentCard(messageId), problems: [], interaction: null, delivery: null };
    }
    const action = step.action;
    if (step.element.form && 'form_value' in action) delete filled[typeof step.element.form.name === 'string' ? step.element.form.name : ''];
    const interaction = await handleClick(this.core, { message_id: messageId, open_id: this.openId, action });
    const delivery = this.core.store.deliveryLog.items.findLast((d) => d.interaction_id === interaction.id) ?? null;
    if (interaction.error && interaction.status === null) throw new BotFailureError(`the click was not delivered: ${interaction.error}`, delivery ? [structuredClone(delivery)] : []);
    // The bot failed (not 200, threw, no answer in time); an answer it gave that the client refuses comes back as problems.
    if (delivery && botFailed(delivery)) throw new BotFailureError(`the bot failed the ${action.tag === 'button' ? 'click' : String(action.tag)} on ${messageId}: ${describeDelivery(delivery)}`, [structuredClone(delivery)]);
    return { sent: true, form: null, toast: toastOf(interaction), card: this.currentCard(messageId), problems: interaction.problems, interaction, delivery: delivery ? structuredClone(delivery) : null };
  }

  private currentCard(messageId: string): Card | null {
    const m = this.core.store.messages.get(messageId);
    return m ? (m.user_views.get(this.openId) ?? m.versions[m.versions.length - 1]!).card : null;
  }
}

function checkUrl(name: string, url: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new TestEmulatorError(`${name} must be an http(s) URL, not ${JSON.stringify(url)}`);
}

/**
 * Starts an emulator in this process on a free port and resolves to its handle. Several may run
 * at once (one per test file). Call `close()` when done.
 *
 * @example
 * const emu = await startEmulator({ callbackUrl: 'http://127.0.0.1:3000/webhook' });
 * const alice = emu.user('alice@example.com');
 * const card = await emu.waitForMessage((m) => m.card !== null);
 * const { toast } = await alice.click(card.messageId, { text: 'Approve' });
 */
export async function startEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  if (options.callbackUrl !== undefined) checkUrl('callbackUrl', options.callbackUrl);
  if (options.eventUrl !== undefined) checkUrl('eventUrl', options.eventUrl);
  const settings: Partial<EmulatorSettings> = { ...options.settings };
  if (options.rateLimits !== undefined) settings.rateLimits = options.rateLimits;
  if (options.faults) {
    const { NO_FAULTS } = await import('../emulator/faults.js');
    settings.faults = { ...NO_FAULTS, ...options.faults };
  }
  const running = await startServer({ port: 0, host: '127.0.0.1', allowHosts: options.allowHosts, seed: resolveSeed(options.seed), settings, now: options.clock ? () => options.clock!.now() : options.now, timers: options.clock });
  const emulator = new TestEmulator(running, options);
  emulator.applyOptions();
  return emulator;
}
