import type { RunningEmulator } from '../emulator/server.js';
import type { MessageRecord } from '../emulator/store.js';
import type { ElementTarget } from '../testing/elements.js';
import { TestEmulator, type ClickResult, type TestUser } from '../testing/emulator.js';
import { readCard, type CardReading } from './card-text.js';
import { CliError } from '../output/errors.js';
import { ToolInputError } from './tool-kit.js';

/**
 * What the inbox tools do, as a person in the emulator's inbox: the interface the tools are
 * written against. The one implementation here drives an emulator running in this process with
 * the testing library's own actions (TestUser.click, choose, submitForm, sendText), so the tools
 * and a bot project's tests act alike; a shared actions module can take its place unchanged.
 */
export interface InboxActions {
  readonly url: string;
  list(opts: { chat?: string; limit: number }): InboxLine[];
  show(messageId: string, as?: string): ShownMessage;
  click(messageId: string, target: string, as?: string): Promise<ActionOutcome>;
  choose(messageId: string, target: string, option: string | string[], as?: string): Promise<ActionOutcome>;
  fill(messageId: string, values: Record<string, unknown>, submit?: string, as?: string): Promise<ActionOutcome>;
  say(to: string, text: string, opts: { as?: string; mention?: boolean; replyTimeoutMs: number }): Promise<SayOutcome>;
  /**
   * The first message or update that matches and that no action or earlier wait reported: one that
   * came since (a bot that answers after its callback), or the next to come.
   */
  wait(opts: { chat?: string; fromBot: boolean; timeoutMs: number }): Promise<ShownMessage>;
  /** What happened so far is known to the caller (it sent it, or an answer reported it): waits look past it. */
  markSeen(): void;
  /** The chat a message is in (the inbox shows one conversation at a time). */
  chatOf(messageId: string): string;
}

/** One message in a list: newest last. */
export interface InboxLine {
  message_id: string;
  chat_id: string;
  sender: string;
  type: string;
  text: string;
  updated: boolean;
  recalled: boolean;
}

export interface ShownMessage extends InboxLine {
  versions: number;
  /** The card as the person sees it, for cards; null for other messages. */
  card: CardReading | null;
  /** The last toast a click on it brought, if any. */
  last_toast: { type: string; content: string } | null;
}

/** The bot's answer to an action, judged by the platform's rules (as `card replay-callback` judges). */
export interface ActionOutcome {
  ok: boolean;
  /** Why the answer fails, naming the JSON path; null when it is right. */
  why: string | null;
  status: number | null;
  ms: number | null;
  channel: 'http' | 'ws';
  toast: { type: string; content: string } | null;
  card_changed: boolean;
  card: CardReading | null;
  answer: unknown;
  new_messages: InboxLine[];
  /** When the action only filled (or reset) a form, as the client does inside one: the form and what it holds; nothing was sent. */
  form?: { name: string; values: Record<string, unknown> };
}

export interface SayOutcome {
  ok: boolean;
  why: string | null;
  sent: InboxLine;
  replies: ShownMessage[];
}

/** The testing library's emulator, around one this session started. */
export function testingInbox(running: RunningEmulator, emulator: TestEmulator): InboxActions {
  return new TestingInbox(running, emulator);
}

/** Messages and updates kept for waits, at most: an agent that never waits must not grow the server. */
const MAX_UNSEEN = 500;

class TestingInbox implements InboxActions {
  readonly url: string;
  private readonly toasts = new Map<string, { type: string; content: string }>();
  /** Messages sent or changed since the last action or wait reported what had happened, oldest first. */
  private readonly unseen: MessageRecord[] = [];

  constructor(
    private readonly running: RunningEmulator,
    private readonly emu: TestEmulator,
  ) {
    this.url = emu.url;
    const note = (m: MessageRecord) => {
      this.unseen.push(m);
      if (this.unseen.length > MAX_UNSEEN) this.unseen.shift();
    };
    running.core.events.on('message', note);
    running.core.events.on('update', note);
  }

  markSeen(): void {
    this.unseen.length = 0;
  }

  private get store() {
    return this.running.core.store;
  }

  private nameOf = (openId: string): string | null => this.store.users.find((u) => u.open_id === openId)?.name ?? null;

  private record(messageId: string, field = 'message_id'): MessageRecord {
    const m = this.store.messages.get(messageId);
    if (!m) {
      const recent = [...this.store.messages.values()].sort((a, b) => b.create_time - a.create_time).slice(0, 10).map((x) => x.message_id);
      throw new ToolInputError(field, `no message ${JSON.stringify(messageId)} in the emulator; ${recent.length ? `the newest: ${recent.join(', ')}` : 'it holds no messages yet'}`);
    }
    return m;
  }

  private person(as: string | undefined, field = 'as'): TestUser {
    const users = this.store.users;
    if (as === undefined) return this.emu.user(users[0]!.open_id);
    if (!users.some((u) => [u.email, u.open_id, u.mobile, u.name].includes(as))) {
      throw new ToolInputError(field, `no seeded person ${JSON.stringify(as)}; the people: ${users.map((u) => `${u.name} (${u.email ?? u.open_id})`).join(', ')}`);
    }
    return this.emu.user(as);
  }

  private line(m: MessageRecord): InboxLine {
    const view = this.emu.message(m.message_id);
    const sender = m.sender_open_id ? (this.nameOf(m.sender_open_id) ?? m.sender_open_id) : (this.store.apps.get(m.app_id)?.name ?? m.app_id);
    let text = view.text ?? '';
    if (view.card) {
      const r = readCard(view.card, this.nameOf);
      text = [r.title, r.text[0]].filter(Boolean).join(' · ') || '(card)';
    } else if (!view.text) text = `(${view.msgType})`;
    const one = text.replace(/\s+/g, ' ').trim();
    return { message_id: m.message_id, chat_id: m.chat_id, sender, type: m.msg_type, text: one.length > 120 ? `${one.slice(0, 120)}…` : one, updated: m.updated, recalled: m.deleted };
  }

  private checkChat(chat: string | undefined): void {
    if (chat !== undefined && !this.store.chats.has(chat)) {
      throw new ToolInputError('chat', `no chat ${JSON.stringify(chat)}; the chats: ${[...this.store.chats.values()].map((c) => `${c.chat_id} (${c.name || c.chat_mode})`).join(', ')}`);
    }
  }

  list(opts: { chat?: string; limit: number }): InboxLine[] {
    this.checkChat(opts.chat);
    const all = [...this.store.messages.values()].filter((m) => !opts.chat || m.chat_id === opts.chat).sort((a, b) => a.create_time - b.create_time);
    return all.slice(-opts.limit).map((m) => this.line(m));
  }

  private shown(m: MessageRecord, openId: string | null): ShownMessage {
    const current = (openId ? m.user_views.get(openId) : undefined) ?? m.versions[m.versions.length - 1]!;
    return {
      ...this.line(m),
      versions: m.versions.length,
      card: current.card ? readCard(current.card, this.nameOf) : null,
      last_toast: this.toasts.get(m.message_id) ?? null,
    };
  }

  show(messageId: string, as?: string): ShownMessage {
    const m = this.record(messageId);
    return this.shown(m, as === undefined ? null : this.person(as).openId);
  }

  chatOf(messageId: string): string {
    return this.record(messageId).chat_id;
  }

  /** `#3` (from show), an element_id, or what the element shows. */
  private target(messageId: string, target: string, user: TestUser): ElementTarget {
    const m = this.record(messageId);
    const card = (m.user_views.get(user.openId) ?? m.versions[m.versions.length - 1]!).card;
    if (!card) throw new ToolInputError('message_id', `${messageId} is a ${m.msg_type} message, not a card`);
    const elements = readCard(card, this.nameOf).elements;
    const numbered = /^#(\d+)$/.exec(target.trim());
    if (numbered) {
      const el = elements[Number(numbered[1]) - 1];
      if (!el) throw new ToolInputError('target', `${messageId} has ${elements.length} interactive element${elements.length === 1 ? '' : 's'}, no ${target}: ${elements.map((e) => `#${e.n} ${e.kind}${e.text ? ` "${e.text}"` : ''}`).join(', ') || '(none)'}`);
      return el.element_id ? { elementId: el.element_id } : el.name ? { name: el.name } : el.text ? { text: el.text } : { value: el.value };
    }
    if (elements.some((e) => e.element_id === target)) return { elementId: target };
    if (!elements.some((e) => e.text?.trim() === target.trim()) && elements.some((e) => e.name === target)) return { name: target };
    return { text: target };
  }

  private async act(messageId: string, as: string | undefined, go: (user: TestUser) => Promise<ClickResult>): Promise<ActionOutcome> {
    const m = this.record(messageId);
    const user = this.person(as);
    const before = JSON.stringify((m.user_views.get(user.openId) ?? m.versions[m.versions.length - 1]!).card);
    const known = new Set([...this.store.messages.values()].map((x) => x.message_id));
    const result = await go(user);
    // The answer below reports what the action brought; a wait looks past it.
    this.markSeen();
    const after = this.store.messages.get(messageId);
    const card = after ? (after.user_views.get(user.openId) ?? after.versions[after.versions.length - 1]!).card : null;
    const i = result.interaction;
    if (result.toast) this.toasts.set(messageId, result.toast);
    const why = i?.error ?? (result.problems.length ? result.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : null);
    return {
      ok: (i?.ok ?? true) && !why,
      why,
      status: i?.status ?? null,
      ms: i?.ms ?? null,
      channel: i?.channel ?? 'http',
      toast: result.toast,
      card_changed: JSON.stringify(card) !== before,
      card: card ? readCard(card, this.nameOf) : null,
      answer: i?.answer ?? null,
      new_messages: [...this.store.messages.values()].filter((x) => !known.has(x.message_id)).map((x) => this.line(x)),
      ...(result.form ? { form: result.form } : {}),
    };
  }

  click(messageId: string, target: string, as?: string): Promise<ActionOutcome> {
    return this.act(messageId, as, (u) => u.click(messageId, this.target(messageId, target, u)));
  }

  choose(messageId: string, target: string, option: string | string[], as?: string): Promise<ActionOutcome> {
    return this.act(messageId, as, (u) => u.choose(messageId, this.target(messageId, target, u), option));
  }

  fill(messageId: string, values: Record<string, unknown>, submit?: string, as?: string): Promise<ActionOutcome> {
    return this.act(messageId, as, (u) => u.submitForm(messageId, values, submit === undefined ? {} : { button: this.target(messageId, submit, u) }));
  }

  async say(to: string, text: string, opts: { as?: string; mention?: boolean; replyTimeoutMs: number }): Promise<SayOutcome> {
    const isChat = to.startsWith('oc_');
    if (isChat) this.checkChat(to);
    // A person named as the receiver writes to the bot one to one; `as` then must agree or be absent.
    if (!isChat && opts.as !== undefined && opts.as !== to) throw new ToolInputError('as', `${to} writes to the bot one to one as themself: leave as out, or name a group chat (oc_…) in to`);
    const user = isChat ? this.person(opts.as) : this.person(to, 'to');
    const replies: MessageRecord[] = [];
    let chatId: string | null = isChat ? to : null;
    let settle: (() => void) | null = null;
    const onMessage = (m: MessageRecord) => {
      if (!m.sender_open_id && chatId && m.chat_id === chatId && !replies.includes(m)) {
        replies.push(m);
        settle?.();
      }
    };
    this.running.core.events.on('message', onMessage);
    try {
      const sent = await user.sendText(isChat ? to : 'p2p', text, { mention: opts.mention });
      chatId = sent.chatId;
      // Replies sent before the event was acknowledged were missed by the listener's chat check.
      for (const m of this.store.messages.values()) if (!m.sender_open_id && m.chat_id === chatId && m.create_time >= sent.createTime && !replies.includes(m)) replies.push(m);
      if (!replies.length) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.replyTimeoutMs);
          settle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      this.markSeen();
      const why = replies.length ? null : `the bot sent nothing to ${chatId} within ${opts.replyTimeoutMs} ms`;
      return { ok: !why, why, sent: this.line(this.record(sent.messageId)), replies: replies.map((m) => this.shown(m, user.openId)) };
    } finally {
      this.running.core.events.off('message', onMessage);
    }
  }

  wait(opts: { chat?: string; fromBot: boolean; timeoutMs: number }): Promise<ShownMessage> {
    this.checkChat(opts.chat);
    const matches = (m: MessageRecord) => !(opts.chat && m.chat_id !== opts.chat) && !(opts.fromBot && m.sender_open_id);
    // Taking one also passes over what came before it.
    const take = (m: MessageRecord) => {
      this.unseen.splice(0, this.unseen.indexOf(m) + 1);
      return this.shown(m, null);
    };
    const ready = this.unseen.find(matches);
    if (ready) return Promise.resolve(take(ready));
    const events = this.running.core.events;
    return new Promise((resolve, reject) => {
      const check = (m: MessageRecord) => {
        if (!matches(m)) return;
        cleanup();
        resolve(take(m));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new CliError('check', `no ${opts.fromBot ? 'bot ' : ''}message or update${opts.chat ? ` in ${opts.chat}` : ''} within ${opts.timeoutMs} ms`));
      }, opts.timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('message', check);
        events.off('update', check);
      };
      events.on('message', check);
      events.on('update', check);
    });
  }
}
