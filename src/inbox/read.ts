import type { CardObject } from '../card/inspect.js';
import { usageError } from '../output/errors.js';
import { numberedElements, toastOf } from '../testing/actions.js';
import { cardText, mentionsByName, textWithMentions } from './message-text.js';
import type { EmulatorState, EmulatorUser, InboxClient, StoredMessage } from './client.js';

/** What `card inbox list` and `show` read from a running emulator, shaped for print and for --json. */

export interface MessageRow {
  message_id: string;
  chat_id: string;
  sender: { type: 'bot' | 'user'; id: string; name: string };
  type: string;
  text: string;
  updated: boolean;
  recalled: boolean;
  create_time: number;
}

export function namesOf(state: EmulatorState): Map<string, string> {
  const names = new Map<string, string>();
  for (const u of state.users) names.set(u.open_id, u.name);
  for (const a of state.apps) {
    names.set(a.bot_open_id, a.name);
    names.set(a.app_id, a.name);
  }
  return names;
}

/** A message's words on one line: a text's text, a card's title or first line. */
export function oneLine(m: StoredMessage, names: ReadonlyMap<string, string>, viewer?: string): string {
  if (m.deleted) return '(recalled)';
  const card = cardFor(m, viewer);
  let text: string;
  if (card) {
    const t = cardText(card, names);
    text = [t.title, t.lines.find((l) => l.trim())].filter(Boolean).join(' — ') || '(card)';
  } else {
    text = messageText(m, names) ?? `(${m.msg_type})`;
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

function messageText(m: StoredMessage, names: ReadonlyMap<string, string>): string | null {
  try {
    const c = JSON.parse(m.content) as { text?: unknown; title?: unknown };
    if (typeof c.text === 'string') return mentionsByName(textWithMentions(c.text, m.mentions), names);
    if (typeof c.title === 'string') return c.title;
  } catch {
    // Content that is not JSON is shown by its type.
  }
  return null;
}

/** The card a person sees: their own view when the bot gave them one, else the current card. */
export function cardFor(m: StoredMessage, viewer?: string): CardObject | null {
  return (viewer ? m.user_views[viewer]?.card : undefined) ?? m.card;
}

export function rowOf(m: StoredMessage, names: ReadonlyMap<string, string>): MessageRow {
  const sender = m.sender.type === 'user' ? { type: 'user' as const, id: m.sender.open_id, name: names.get(m.sender.open_id) ?? m.sender.open_id } : { type: 'bot' as const, id: m.sender.app_id, name: names.get(m.sender.app_id) ?? m.sender.app_id };
  return { message_id: m.message_id, chat_id: m.chat_id, sender, type: m.msg_type, text: oneLine(m, names), updated: m.updated, recalled: m.deleted, create_time: m.create_time };
}

export async function listMessages(client: InboxClient, opts: { chat?: string; limit?: number }): Promise<{ messages: MessageRow[]; total: number }> {
  const state = await client.state();
  if (opts.chat && !state.chats.some((c) => c.chat_id === opts.chat)) throw unknownChat(opts.chat, state);
  const all = await client.messages(opts.chat);
  const names = namesOf(state);
  const shown = opts.limit === undefined ? all : all.slice(Math.max(0, all.length - opts.limit));
  return { messages: shown.map((m) => rowOf(m, names)), total: all.length };
}

export function unknownChat(chat: string, state: EmulatorState) {
  const chats = state.chats.filter((c) => !c.dissolved).map((c) => `${c.chat_id} ${c.name} (${c.chat_mode})`);
  return usageError(`the emulator has no chat ${chat}`, { hint: `Its chats:\n${chats.join('\n') || '(none)'}`, details: { chats: state.chats.filter((c) => !c.dissolved).map((c) => c.chat_id) } });
}

/** A message by id, or a usage error listing the newest the emulator holds. */
export async function messageOrList(client: InboxClient, id: string): Promise<StoredMessage> {
  const m = await client.message(id);
  if (m) return m;
  const [state, all] = await Promise.all([client.state(), client.messages()]);
  const names = namesOf(state);
  const newest = all.slice(-20).map((x) => rowOf(x, names));
  throw usageError(`the emulator has no message ${id}`, {
    hint: newest.length ? `The newest messages (card inbox list shows all):\n${newest.map((r) => `${r.message_id}  ${r.sender.name}: ${r.text}`).join('\n')}` : 'It holds no messages yet.',
    details: { messages: newest.map((r) => r.message_id) },
  });
}

/** A person by open_id, email, mobile or name, or a usage error listing who there is. */
export function personOf(state: EmulatorState, who: string, flag = '--as'): EmulatorUser {
  const u = state.users.find((x) => x.open_id === who || x.email === who || x.mobile === who || x.name === who);
  if (u) return u;
  throw usageError(`${flag}: the emulator has no person ${JSON.stringify(who)}`, {
    hint: `Its people:\n${state.users.map((x) => `${x.open_id} ${x.name}${x.email ? ` <${x.email}>` : ''}`).join('\n')}`,
    details: { people: state.users.map((x) => x.email ?? x.open_id) },
  });
}

/** Who acts when --as is not given: the first person in the message's chat, as the inbox page does. */
export function defaultActor(state: EmulatorState, chatId: string): EmulatorUser {
  const chat = state.chats.find((c) => c.chat_id === chatId);
  const member = chat?.members.map((id) => state.users.find((u) => u.open_id === id)).find(Boolean);
  const u = member ?? state.users[0];
  if (!u) throw usageError('the emulator has no people to act as');
  return u;
}

export interface ShownElement {
  n: number;
  kind: string;
  text: string | null;
  element_id: string | null;
  name: string | null;
  value: unknown;
  options: Array<{ text: string | null; value: string }>;
  in_form: string | null;
  disabled: boolean;
  calls_server: boolean;
}

export interface ShownMessage extends MessageRow {
  title: string | null;
  subtitle: string | null;
  lines: string[];
  elements: ShownElement[];
  toasts: Array<{ type: string; content: string; at: string }>;
  streaming: { card_id: string; on: boolean; since: number | null } | null;
  versions: number;
}

export async function showMessage(client: InboxClient, id: string, viewer?: string): Promise<ShownMessage> {
  const m = await messageOrList(client, id);
  const [state, entity, interactions] = await Promise.all([client.state(), client.entityOf(id), client.interactions(id)]);
  const names = namesOf(state);
  const card = m.deleted ? null : cardFor(m, viewer);
  const text = card ? cardText(card, names) : { title: null, subtitle: null, lines: m.deleted ? ['(recalled)'] : [messageText(m, names) ?? `(${m.msg_type} message)`] };
  const elements: ShownElement[] = card
    ? numberedElements(card).map((e) => ({
        n: e.n,
        kind: e.tag,
        text: e.text === null ? null : mentionsByName(e.text, names),
        element_id: e.elementId,
        name: e.name,
        value: e.value ?? null,
        options: e.options,
        in_form: e.form ? (typeof e.form.name === 'string' ? e.form.name : '(form)') : null,
        disabled: e.node.disabled === true,
        calls_server: e.value !== undefined || (e.tag === 'button' && !!e.form),
      }))
    : [];
  const toasts = interactions.flatMap((i) => {
    const t = toastOf(i);
    return t ? [{ ...t, at: i.time }] : [];
  });
  return {
    ...rowOf(m, names),
    title: text.title,
    subtitle: text.subtitle,
    lines: text.lines,
    elements,
    toasts: toasts.slice(-5),
    streaming: entity ? { card_id: entity.card_id, on: entity.streaming_mode, since: entity.streaming_since } : null,
    versions: m.versions.length,
  };
}
