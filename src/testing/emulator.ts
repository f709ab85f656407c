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
import { PICKER_FORMATS, realDateTime } from '../card/lint-rules.js';
import { extraOf } from '../emulator/message-extras.js';
import { send } from '../http/request.js';
import { describeElement, describeTarget, interactiveElements, matches, textOf, type CardElement, type ElementTarget } from './elements.js';

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
  /** The current text, for text messages. */
  text: string | null;
  content: string;
  createTime: number;
  updated: boolean;
  recalled: boolean;
  versions: number;
  /** The message it answers, for replies. */
  parentId: string | null;
}

/** What the bot answered to a click, judged by the platform's rules. */
export interface ClickResult {
  /** The toast the client shows, or null. */
  toast: { type: string; content: string } | null;
  /** The card as it stands after the answer was applied (or unchanged), or null if it is not a card. */
  card: Card | null;
  /** What is wrong with the answer (empty when it is right): JSON path and message. */
  problems: Array<{ path: string; message: string }>;
  /** The full record: request sent, status, time, raw answer. */
  interaction: Interaction;
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

export class TestEmulatorError extends Error {}

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


function messageView(m: MessageRecord): TestMessage {
  const current = m.versions[m.versions.length - 1]!;
  const text = currentText(m);
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
      .map(messageView);
  }

  /** One message by id, as it stands now. */
  message(messageId: string): TestMessage {
    const m = this.core.store.messages.get(messageId);
    if (!m) throw new TestEmulatorError(`no message ${messageId}; the emulator holds ${this.core.store.messages.size}`);
    return messageView(m);
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
    const ready = waiting().map(messageView).find(predicate);
    if (ready) return Promise.resolve(take(ready));
    return new Promise((resolve, reject) => {
      const check = (m: MessageRecord) => {
        if (this.returned.has(m.message_id) || !isBotMessage(m)) return;
        const view = messageView(m);
        if (!predicate(view)) return;
        cleanup();
        resolve(take(view));
      };
      const timer = setTimeout(() => {
        cleanup();
        const sent = waiting().map(messageView);
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

  /** Messages that waits already returned, so the next wait moves on. */
  private readonly returned = new Set<string>();

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

  /** Clicks a button (or an interactive container, or toggles a checker) found by its text, value, element_id or name. */
  async click(messageId: string, target: ElementTarget): Promise<ClickResult> {
    const el = this.find(messageId, target, ['button', 'interactive_container', 'checker']);
    if (el.tag === 'checker') return this.act(messageId, el, { checked: !(el.node.checked === true) });
    if (el.form && el.tag === 'button') {
      const kind = el.node.form_action_type ?? el.node.action_type;
      if (kind === 'submit' || kind === 'form_submit') return this.submitForm(messageId, {}, { button: target });
      throw new TestEmulatorError(`${describeElement(el)} sits in a form: only its submit button sends a callback (use submitForm)`);
    }
    return this.act(messageId, el, {});
  }

  /** Picks an option (by its value or its text) in a select or overflow menu; an array for multi-selects, open_ids for person pickers. */
  async choose(messageId: string, target: ElementTarget, option: string | string[]): Promise<ClickResult> {
    const el = this.find(messageId, target, ['select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'overflow', 'select_img']);
    const multi = el.tag.startsWith('multi_') || (el.tag === 'select_img' && el.node.multi_select === true);
    const wanted = Array.isArray(option) ? option : [option];
    if (!multi && wanted.length !== 1) throw new TestEmulatorError(`${describeElement(el)} takes one option, got ${wanted.length}`);
    const values = wanted.map((o) => this.optionValue(el, o));
    return this.act(messageId, el, multi ? { options: values } : { option: values[0] });
  }

  /** Picks a date (`YYYY-MM-DD`), a time (`HH:mm`) or a date and time (`YYYY-MM-DD HH:mm`) in a picker. */
  async pick(messageId: string, target: ElementTarget, value: string): Promise<ClickResult> {
    const el = this.find(messageId, target, ['date_picker', 'picker_time', 'picker_datetime']);
    checkPickerValue(el, value);
    return this.act(messageId, el, { option: `${value} +0800`, timezone: 'Asia/Shanghai' });
  }

  /** Types into an input outside a form and presses Enter: the input's own callback. */
  async type(messageId: string, target: ElementTarget, text: string): Promise<ClickResult> {
    const el = this.find(messageId, target, ['input']);
    if (el.form) throw new TestEmulatorError(`${describeElement(el)} sits in a form: its value is sent with the form (use submitForm)`);
    checkInputValue(el, text);
    return this.act(messageId, el, { input_value: text });
  }

  /**
   * Fills a form's fields by name and presses its submit button (the first, or the one named by
   * `button`). Values: text for inputs, option values for selects (arrays for multi), open_ids for
   * person pickers, `YYYY-MM-DD` / `HH:mm` for pickers, booleans for checkers. The client's own checks
   * apply: a required field left empty, or an unknown field name, is an error before anything is sent.
   */
  async submitForm(messageId: string, values: Record<string, unknown>, opts: { button?: ElementTarget; form?: string } = {}): Promise<ClickResult> {
    const card = this.cardOf(messageId);
    const all = interactiveElements(card);
    const submits = all.filter((e) => e.tag === 'button' && e.form && ['submit', 'form_submit'].includes(String(e.node.form_action_type ?? e.node.action_type)));
    const inForm = opts.form ? submits.filter((e) => e.form!.name === opts.form) : submits;
    const button = opts.button ? inForm.find((e) => matches(e, opts.button!)) : inForm[0];
    if (!button) {
      const there = submits.map(describeElement);
      throw new TestEmulatorError(`no submit button ${opts.button ? `with ${describeTarget(opts.button)} ` : ''}in ${messageId}${opts.form ? ` form ${opts.form}` : ''}; ${there.length ? `submit buttons: ${there.join('; ')}` : 'the card has no form with a submit button'}`);
    }
    const form = button.form!;
    const fields = all.filter((e) => e.form === form && e.tag !== 'button' && e.name);
    const names = new Set(fields.map((f) => f.name!));
    for (const name of Object.keys(values)) {
      if (!names.has(name)) throw new TestEmulatorError(`the form has no field ${JSON.stringify(name)}; its fields: ${[...names].join(', ') || '(none)'}`);
    }
    const formValue: Record<string, unknown> = {};
    for (const f of fields) {
      const given = values[f.name!];
      const v = given === undefined ? defaultFieldValue(f) : this.fieldValue(f, given);
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
        if (f.node.required === true) throw new TestEmulatorError(`the client will not submit: required field ${JSON.stringify(f.name)} (${f.tag}) is empty`);
        continue;
      }
      formValue[f.name!] = v;
    }
    return this.act(messageId, button, { form_value: formValue });
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
      url: `${this.emulator.url}/_emulator/users/${encodeURIComponent(this.openId)}/messages`,
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

  private cardOf(messageId: string): Card {
    const m = this.core.store.messages.get(messageId);
    if (!m) throw new TestEmulatorError(`no message ${messageId}`);
    if (m.deleted) throw new TestEmulatorError(`${messageId} was recalled`);
    const view = m.user_views.get(this.openId) ?? m.versions[m.versions.length - 1]!;
    if (!view.card) throw new TestEmulatorError(`${messageId} is a ${m.msg_type} message, not a card`);
    return view.card;
  }

  private find(messageId: string, target: ElementTarget, tags: string[]): CardElement {
    const all = interactiveElements(this.cardOf(messageId));
    const candidates = all.filter((e) => tags.includes(e.tag));
    const hits = candidates.filter((e) => matches(e, target));
    if (hits.length === 1) return hits[0]!;
    const list = (candidates.length ? candidates : all).map((e) => `  ${describeElement(e)}`).join('\n') || '  (none)';
    if (hits.length > 1) throw new TestEmulatorError(`${hits.length} elements in ${messageId} match ${describeTarget(target)}; name one by element_id or value:\n${list}`);
    const kind = tags.map((t) => t.replace(/_/g, ' ')).join(', ');
    throw new TestEmulatorError(`nothing in ${messageId} matches ${describeTarget(target)} (looked at: ${kind}). The card has:\n${list}`);
  }

  private optionValue(el: CardElement, option: string): string {
    if (el.tag.endsWith('select_person')) {
      const u = this.core.store.users.find((x) => x.open_id === option || x.email === option || x.name === option);
      if (!u) throw new TestEmulatorError(`${describeElement(el)}: no seeded user ${JSON.stringify(option)}`);
      return u.open_id;
    }
    const hit = el.options.find((o) => o.value === option) ?? el.options.find((o) => o.text === option);
    if (!hit) throw new TestEmulatorError(`${describeElement(el)} has no option ${JSON.stringify(option)}; its options: ${el.options.map((o) => `${o.value}${o.text ? ` (${o.text})` : ''}`).join(', ')}`);
    return hit.value;
  }

  private fieldValue(f: CardElement, given: unknown): unknown {
    switch (f.tag) {
      case 'input':
        checkInputValue(f, String(given));
        return String(given);
      case 'select_static':
      case 'select_person':
        return this.optionValue(f, String(given));
      case 'multi_select_static':
      case 'multi_select_person':
        return (Array.isArray(given) ? given : [given]).map((o) => this.optionValue(f, String(o)));
      case 'date_picker':
      case 'picker_time':
      case 'picker_datetime':
        checkPickerValue(f, String(given));
        return `${String(given)} +0800`;
      case 'checker':
        return given === true;
      default:
        return given;
    }
  }

  private async act(messageId: string, el: CardElement, extras: Record<string, unknown>): Promise<ClickResult> {
    if (el.node.disabled === true) throw new TestEmulatorError(`${describeElement(el)} is disabled: the client does not let it be clicked`);
    if (el.value === undefined && !('form_value' in extras)) {
      throw new TestEmulatorError(`${describeElement(el)} calls no server (it only opens a link): there is nothing to click`);
    }
    const action: Record<string, unknown> = { tag: el.tag, value: el.value ?? {}, ...extras };
    if (el.name) action.name = el.name;
    const interaction = await handleClick(this.core, { message_id: messageId, open_id: this.openId, action });
    const delivery = this.core.store.deliveryLog.items.findLast((d) => d.interaction_id === interaction.id) ?? null;
    if (interaction.error && interaction.status === null) throw new BotFailureError(`the click was not delivered: ${interaction.error}`, delivery ? [structuredClone(delivery)] : []);
    // The bot failed (not 200, threw, no answer in time); an answer it gave that the client refuses comes back as problems.
    if (delivery && botFailed(delivery)) throw new BotFailureError(`the bot failed the ${action.tag === 'button' ? 'click' : String(action.tag)} on ${messageId}: ${describeDelivery(delivery)}`, [structuredClone(delivery)]);
    const m = this.core.store.messages.get(messageId);
    const current = m ? (m.user_views.get(this.openId) ?? m.versions[m.versions.length - 1]!).card : null;
    const toast = interaction.toast && typeof interaction.toast.type === 'string' ? { type: String(interaction.toast.type), content: String(textOf(interaction.toast) ?? interaction.toast.content ?? '') } : null;
    return { toast, card: current, problems: interaction.problems, interaction, delivery: delivery ? structuredClone(delivery) : null };
  }
}

function defaultFieldValue(f: CardElement): unknown {
  const n = f.node;
  switch (f.tag) {
    case 'input':
      return typeof n.default_value === 'string' ? n.default_value : undefined;
    case 'select_static':
    case 'select_person':
      return typeof n.initial_option === 'string' ? n.initial_option : undefined;
    case 'multi_select_static':
    case 'multi_select_person':
      return Array.isArray(n.selected_values) ? n.selected_values : undefined;
    case 'date_picker':
      return typeof n.initial_date === 'string' ? `${n.initial_date} +0800` : undefined;
    case 'picker_time':
      return typeof n.initial_time === 'string' ? `${n.initial_time} +0800` : undefined;
    case 'picker_datetime':
      return typeof n.initial_datetime === 'string' ? `${n.initial_datetime} +0800` : undefined;
    case 'checker':
      return n.checked === true;
    default:
      return undefined;
  }
}

function checkUrl(name: string, url: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new TestEmulatorError(`${name} must be an http(s) URL, not ${JSON.stringify(url)}`);
}

/** The client's pickers offer only real dates and times, in the formats lint checks cards for. */
function checkPickerValue(el: CardElement, value: string): void {
  const [, format, re] = PICKER_FORMATS[el.tag]!;
  const m = re.exec(value);
  if (!m || !realDateTime(el.tag, m)) throw new TestEmulatorError(`${describeElement(el)} takes ${format}, not ${JSON.stringify(value)}`);
}

function checkInputValue(el: CardElement, text: string): void {
  const max = typeof el.node.max_length === 'number' ? el.node.max_length : 1000;
  if ([...text].length > max) throw new TestEmulatorError(`${describeElement(el)} takes at most ${max} characters; the client stops typing there`);
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
