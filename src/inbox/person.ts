import type { DeliveryRecord } from '../emulator/store.js';
import { usageError } from '../output/errors.js';
import { judgeInteraction } from '../testing/actions.js';
import { UserChats, type TestChat } from '../testing/user-chats.js';
import { linkCall, menuCall, type LinkAnswer } from '../testing/user-menu-links.js';
import { menuKeyProblem } from '../emulator/seed-menu-links.js';
import { personMessageBody, SendInputError, sendKind, type SendContent } from '../testing/user-messages.js';
import type { EmulatorState, EmulatorUser, InboxClient, StoredMessage } from './client.js';
import { defaultActor, messageOrList, namesOf, personOf, rowOf, unknownChat, type MessageRow } from './read.js';

/**
 * A person's actions besides clicking (react, read, recall, send, and what they do to chats), as
 * `card inbox` and `card mcp` take them: the testing library's request bodies and chat actions
 * (user-messages.ts, user-chats.ts) sent to a running emulator's control API, and each event the
 * action caused reported with how the bot answered it.
 */

export interface DeliveryLine {
  ok: boolean;
  reasons: string[];
  app_id: string;
  bot: string;
  /** The event: im.message.reaction.created_v1, im.chat.member.bot.added_v1 … */
  kind: string;
  event_id: string | null;
  status: number | null;
  ms: number | null;
  channel: string;
}

export interface PersonOutcome {
  /** Every bot that was told answered as the platform expects. */
  ok: boolean;
  /** Why not, one line per failed delivery, naming the bot. */
  reasons: string[];
  /** What was done: react, unreact, read, recall, send, chat.create, chat.add-bot … */
  action: string;
  /** One line saying it: "Alice Zhang reacted THUMBSUP to om_…". */
  summary: string;
  as: { open_id: string; name: string };
  message_id: string | null;
  chat_id: string | null;
  reaction: { reaction_id: string; emoji_type: string } | null;
  /** The chat as the action left it (chat actions). */
  chat: { chat_id: string; chat_mode: string; name: string; owner_open_id: string | null; members: string[]; bots: string[]; disbanded: boolean } | null;
  deliveries: DeliveryLine[];
  /** What the bots sent while answering. */
  new_messages: MessageRow[];
  /** paste-link only: each app's preview of the link, as the client took its answer. */
  previews?: LinkPreview[];
}

export interface LinkPreview {
  app_id: string;
  bot: string;
  /** The client accepted the answer; else `problems` say why, with the JSON path. */
  ok: boolean;
  problems: Array<{ path: string; message: string }>;
  /** The inline preview's title, shown in place of the link. */
  title: string | null;
  /** Whether a card shows under the link. */
  card: boolean;
  preview_token: string;
}

export function deliveryLine(d: DeliveryRecord, names: ReadonlyMap<string, string>): DeliveryLine {
  return { ...judgeInteraction(d, d), app_id: d.app_id, bot: names.get(d.app_id) ?? d.app_id, kind: d.kind, event_id: d.event_id, status: d.status, ms: d.ms, channel: d.channel };
}

const who = (u: EmulatorUser) => ({ open_id: u.open_id, name: u.name });

/** Runs an action and reports it: its deliveries judged, and the messages the bots sent meanwhile. */
async function reported(
  client: InboxClient,
  state: EmulatorState,
  base: Pick<PersonOutcome, 'action' | 'summary' | 'as'> & Partial<Pick<PersonOutcome, 'message_id' | 'chat_id'>>,
  run: () => Promise<{ deliveries: DeliveryRecord[]; summary?: string } & Partial<Pick<PersonOutcome, 'message_id' | 'chat_id' | 'reaction' | 'chat' | 'previews'>>>,
): Promise<PersonOutcome> {
  const names = namesOf(state);
  const before = new Set((await client.messages()).map((m) => m.message_id));
  const done = await run();
  const deliveries = done.deliveries.map((d) => deliveryLine(d, names));
  const failed = deliveries.filter((d) => !d.ok);
  const own = done.message_id ?? base.message_id ?? null;
  const fresh = (await client.messages()).filter((m) => !before.has(m.message_id) && m.message_id !== own);
  // A preview the client refused is the bot's answer failing, as a refused click answer is.
  const refused = (done.previews ?? []).filter((v) => !v.ok && !failed.some((d) => d.app_id === v.app_id));
  return {
    ok: failed.length === 0 && refused.length === 0,
    reasons: [...failed.flatMap((d) => d.reasons.map((r) => `${d.bot} (${d.kind}): ${r}`)), ...refused.map((v) => `${v.bot} (url.preview.get): the client refused the preview: ${v.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`)],
    action: base.action,
    summary: done.summary ?? base.summary,
    as: base.as,
    message_id: own,
    chat_id: done.chat_id ?? base.chat_id ?? null,
    reaction: done.reaction ?? null,
    chat: done.chat ?? null,
    deliveries,
    new_messages: fresh.map((m) => rowOf(m, names)),
    ...(done.previews ? { previews: done.previews } : {}),
  };
}

const userPath = (openId: string) => `/_emulator/users/${encodeURIComponent(openId)}`;

/** The person acting on a message: --as, else the first person in its chat. */
function actorOn(state: EmulatorState, m: StoredMessage, as: string | undefined): EmulatorUser {
  return as === undefined ? defaultActor(state, m.chat_id) : personOf(state, as);
}

interface ReactionAnswer {
  reaction: { reaction_id: string; message_id: string; emoji_type: string };
  deliveries: DeliveryRecord[];
}

/** Reacts to a message with an emoji_type (THUMBSUP, DONE …; the platform's keys, case-sensitive). */
export async function react(client: InboxClient, messageId: string, emoji: string, as?: string): Promise<PersonOutcome> {
  const m = await messageOrList(client, messageId);
  const state = await client.state();
  const person = actorOn(state, m, as);
  return reported(client, state, { action: 'react', summary: `${person.name} reacted ${emoji} to ${m.message_id}`, as: who(person), message_id: m.message_id, chat_id: m.chat_id }, async () => {
    const a = await client.act<ReactionAnswer>('POST', `${userPath(person.open_id)}/reactions`, { message_id: m.message_id, emoji_type: emoji }, `${person.name} reacting ${emoji} to ${m.message_id}`);
    const summary = a.deliveries.length ? undefined : `${person.name} had already reacted ${emoji} to ${m.message_id}: nothing changed`;
    return { deliveries: a.deliveries, reaction: { reaction_id: a.reaction.reaction_id, emoji_type: a.reaction.emoji_type }, summary };
  });
}

/** The id of the person's own reaction with `emoji` on a message, from the inbox page's chips (who gave each reaction). */
async function ownReaction(client: InboxClient, m: StoredMessage, person: EmulatorUser, emoji: string): Promise<string> {
  let token: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data = await client.inboxPage(m.chat_id, token);
    const shown = data.messages.find((x) => x.message_id === m.message_id);
    if (shown) {
      const chips = shown.reactions ?? [];
      const mine = (c: (typeof chips)[number]) => c.by.find((b) => b.operator_type === 'user' && b.operator_id === person.open_id);
      const id = chips.filter((c) => c.emoji_type === emoji).map(mine).find(Boolean)?.reaction_id;
      if (id) return id;
      const theirs = chips.filter((c) => mine(c)).map((c) => c.emoji_type);
      throw usageError(`${person.name} has no ${emoji} reaction on ${m.message_id}`, {
        hint: theirs.length ? `Their reactions there: ${theirs.join(', ')}` : `They have not reacted to it.${chips.length ? ` Its reactions: ${chips.map((c) => `${c.emoji_type} (${c.names.join(', ')})`).join('; ')}` : ''}`,
        details: { reactions: theirs },
      });
    }
    if (!data.has_more || !data.page_token) break;
    token = data.page_token;
  }
  throw usageError(`${m.message_id} is not shown in ${m.chat_id}, so it has no reactions to take back`);
}

/** Takes back the person's reaction with `emoji` on a message. */
export async function unreact(client: InboxClient, messageId: string, emoji: string, as?: string): Promise<PersonOutcome> {
  const m = await messageOrList(client, messageId);
  const state = await client.state();
  const person = actorOn(state, m, as);
  const reactionId = await ownReaction(client, m, person, emoji);
  return reported(client, state, { action: 'unreact', summary: `${person.name} took back ${emoji} on ${m.message_id}`, as: who(person), message_id: m.message_id, chat_id: m.chat_id }, async () => {
    const a = await client.act<ReactionAnswer>('DELETE', `${userPath(person.open_id)}/reactions/${encodeURIComponent(reactionId)}`, undefined, `${person.name} taking back ${emoji} on ${m.message_id}`);
    return { deliveries: a.deliveries, reaction: { reaction_id: a.reaction.reaction_id, emoji_type: a.reaction.emoji_type } };
  });
}

/** Marks a message read by the person (the bot that sent it to them one to one is told, the first time). */
export async function read(client: InboxClient, messageId: string, as?: string): Promise<PersonOutcome> {
  const m = await messageOrList(client, messageId);
  const state = await client.state();
  const person = actorOn(state, m, as);
  return reported(client, state, { action: 'read', summary: `${person.name} read ${m.message_id}`, as: who(person), message_id: m.message_id, chat_id: m.chat_id }, async () => {
    const a = await client.act<{ deliveries: DeliveryRecord[] }>('POST', `/_emulator/messages/${encodeURIComponent(m.message_id)}/read`, { open_id: person.open_id }, `${person.name} reading ${m.message_id}`);
    return { deliveries: a.deliveries };
  });
}

/** Recalls a message the person sent (a person recalls only their own; default --as: its sender). */
export async function recall(client: InboxClient, messageId: string, as?: string): Promise<PersonOutcome> {
  const m = await messageOrList(client, messageId);
  const state = await client.state();
  const names = namesOf(state);
  if (m.sender.type !== 'user') throw usageError(`${m.message_id} was sent by the bot ${names.get(m.sender.app_id) ?? m.sender.app_id}: a person recalls only their own messages`);
  const sender = m.sender.open_id;
  const person = as === undefined ? state.users.find((u) => u.open_id === sender) : personOf(state, as);
  if (!person || person.open_id !== sender) {
    throw usageError(`--as: ${person?.name ?? as} did not send ${m.message_id} (${names.get(sender) ?? sender} did): a person recalls only their own messages`, { hint: 'Leave --as out to recall it as its sender.' });
  }
  if (m.deleted) throw usageError(`${m.message_id} is already recalled`);
  return reported(client, state, { action: 'recall', summary: `${person.name} recalled ${m.message_id}`, as: who(person), message_id: m.message_id, chat_id: m.chat_id }, async () => {
    const a = await client.act<{ deliveries: DeliveryRecord[] }>('POST', `/_emulator/messages/${encodeURIComponent(m.message_id)}/recall`, { open_id: person.open_id }, `${person.name} recalling ${m.message_id}`);
    return { deliveries: a.deliveries };
  });
}

/** Where a person writes: a chat (`oc_…`), a bot (their one-to-one chat with it), or a person (their chat with the first bot). */
export function whereToWrite(state: EmulatorState, where: string, as?: string): { person: EmulatorUser; chat_id?: string; app_id?: string; group: boolean } {
  if (where.startsWith('oc_')) {
    const chat = state.chats.find((c) => c.chat_id === where && !c.dissolved);
    if (!chat) throw unknownChat(where, state);
    const person = as === undefined ? defaultActor(state, chat.chat_id) : personOf(state, as);
    if (!chat.members.includes(person.open_id)) {
      const members = state.users.filter((u) => chat.members.includes(u.open_id));
      throw usageError(`--as: ${person.name} is not in ${chat.chat_id}, so cannot write there`, { hint: `Its members:\n${members.map((u) => `${u.open_id} ${u.name}${u.email ? ` <${u.email}>` : ''}`).join('\n') || '(none)'}`, details: { people: members.map((u) => u.email ?? u.open_id) } });
    }
    return { person, chat_id: chat.chat_id, group: chat.chat_mode === 'group' };
  }
  const app = state.apps.find((a) => a.app_id === where || a.name === where || a.bot_open_id === where);
  if (app) return { person: as === undefined ? state.users[0]! : personOf(state, as), app_id: app.app_id, group: false };
  const person = personOf(state, where, 'say');
  if (as !== undefined && personOf(state, as).open_id !== person.open_id) throw usageError(`${where} writes as ${person.name} in their chat with the bot; --as names someone else`, { hint: 'Name a chat (oc_…) or a bot to write as --as there.' });
  return { person, app_id: state.apps[0]?.app_id, group: false };
}

/**
 * A message of any kind a person sends (files as bytes, already read), to a chat, a bot or a
 * person's chat with the first bot. In a group, text and posts @mention the bots (else no bot hears them).
 */
export async function sendAs(client: InboxClient, where: string, content: SendContent, as?: string, shareUserFlag = '--share-user'): Promise<PersonOutcome> {
  const state = await client.state();
  const target = whereToWrite(state, where, as);
  if (typeof content.shareUser === 'string') content = { ...content, shareUser: personOf(state, content.shareUser, shareUserFlag).open_id };
  // Named as the platform names message types (share_chat, merge_forward …).
  const kind = sendKind(content).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  let body: Record<string, unknown>;
  try {
    body = await personMessageBody(target.chat_id ?? 'p2p', { ...content, app: target.app_id, mention: target.group && (content.text !== undefined || content.post !== undefined) });
  } catch (err) {
    if (err instanceof SendInputError) throw usageError(err.message);
    throw err;
  }
  const person = target.person;
  const place = target.chat_id ?? `the chat with ${namesOf(state).get(target.app_id ?? '') ?? target.app_id}`;
  return reported(client, state, { action: 'send', summary: `${person.name} sent a ${kind} message to ${place}`, as: who(person), chat_id: target.chat_id ?? null }, async () => {
    const a = await client.act<{ message_id: string; message: StoredMessage; deliveries: DeliveryRecord[] }>('POST', `${userPath(person.open_id)}/messages`, body, `${person.name} sending a ${kind} message to ${place}`);
    return { deliveries: a.deliveries, message_id: a.message_id, chat_id: a.message.chat_id, summary: `${person.name} sent ${a.message_id} (${a.message.msg_type}) in ${a.message.chat_id}` };
  });
}

// ── chats ──

export type ChatVerb = 'create' | 'add-bot' | 'remove-bot' | 'add' | 'remove' | 'withdraw' | 'leave' | 'rename' | 'disband' | 'open';

export interface ChatRequest {
  verb: ChatVerb;
  /** The chat acted on (all but create and open). */
  chat?: string;
  /** The group's name (create, rename). */
  name?: string;
  description?: string;
  /** Bots by app_id or name (create, add-bot, remove-bot: default the first app; open). */
  bots?: string[];
  /** People by open_id, email, mobile or name (create, add, remove, withdraw). */
  people?: string[];
  as?: string;
}

function appOf(state: EmulatorState, bot: string | undefined, flag: string) {
  // Unnamed (a bare --bot): the first app.
  if (bot === undefined || bot === '') {
    const first = state.apps[0];
    if (!first) throw usageError('the emulator has no apps');
    return first;
  }
  const app = state.apps.find((a) => a.app_id === bot || a.name === bot || a.bot_open_id === bot);
  if (app) return app;
  throw usageError(`${flag}: the emulator has no bot ${JSON.stringify(bot)}`, { hint: `Its bots:\n${state.apps.map((a) => `${a.app_id} ${a.name}`).join('\n')}`, details: { bots: state.apps.map((a) => a.app_id) } });
}

function groupOf(state: EmulatorState, chatId: string | undefined) {
  const chat = state.chats.find((c) => c.chat_id === chatId && !c.dissolved);
  if (!chat) throw unknownChat(chatId ?? '(none)', state);
  return chat;
}

const chatView = (c: TestChat): NonNullable<PersonOutcome['chat']> => ({ chat_id: c.chatId, chat_mode: c.chatMode, name: c.name, owner_open_id: c.ownerId, members: c.members, bots: c.bots, disbanded: c.disbanded });

/** A person's action on a chat, with the testing library's chat actions over the control API. */
export async function chatAction(client: InboxClient, r: ChatRequest): Promise<PersonOutcome> {
  const state = await client.state();
  const chat = r.verb === 'create' || r.verb === 'open' ? null : groupOf(state, r.chat);
  const person = r.as !== undefined ? personOf(state, r.as) : chat ? defaultActor(state, chat.chat_id) : (state.users[0] ?? personOf(state, '(anyone)'));
  const people = (r.people ?? []).map((p) => personOf(state, p, 'person'));
  const apps = r.verb === 'create' ? (r.bots ?? []).map((b) => appOf(state, b, '--bot')) : [appOf(state, r.bots?.[0], 'bot')];
  // The names and ids are resolved above (usage errors listing what exists); the library's chat actions take ids.
  const chats = new UserChats({
    openId: person.open_id,
    name: person.name,
    control: (method, path, body, doing) => client.act(method, path, body, `${person.name} ${doing}`),
    // Failed deliveries are reported, not thrown.
    failOn: () => {},
    appId: (app) => app ?? apps[0]!.app_id,
    userId: (id) => id,
  });
  const ids = people.map((p) => p.open_id);
  const list = (ps: EmulatorUser[]) => ps.map((p) => p.name).join(', ');
  const bot = apps[0];
  const where = chat ? `${chat.name || chat.chat_id} (${chat.chat_id})` : '';
  const plan: Record<ChatVerb, () => { summary: string; go: () => Promise<TestChat> }> = {
    create: () => ({ summary: `${person.name} created the group ${JSON.stringify(r.name)}${apps.length ? ` with ${apps.map((a) => a.name).join(', ')}` : ''}${people.length ? `${apps.length ? ' and' : ' with'} ${list(people)}` : ''}`, go: () => chats.createGroup(r.name!, { bots: apps.map((a) => a.app_id), members: ids }) }),
    'add-bot': () => ({ summary: `${person.name} added ${bot!.name} to ${where}`, go: () => chats.addBot(chat!.chat_id, bot!.app_id) }),
    'remove-bot': () => ({ summary: `${person.name} removed ${bot!.name} from ${where}`, go: () => chats.removeBot(chat!.chat_id, bot!.app_id) }),
    add: () => ({ summary: `${person.name} added ${list(people)} to ${where}`, go: () => chats.addMember(chat!.chat_id, ids) }),
    remove: () => ({ summary: `${person.name} removed ${list(people)} from ${where}`, go: () => chats.removeMember(chat!.chat_id, ids[0]!) }),
    withdraw: () => ({ summary: `${person.name} withdrew the invitation of ${list(people)} to ${where}`, go: () => chats.withdraw(chat!.chat_id, ids) }),
    leave: () => ({ summary: `${person.name} left ${where}`, go: () => chats.leave(chat!.chat_id) }),
    rename: () => ({ summary: `${person.name} renamed ${where} to ${JSON.stringify(r.name)}`, go: () => (r.name === undefined ? chats.describeChat(chat!.chat_id, r.description ?? '') : chats.renameChat(chat!.chat_id, r.name, r.description)) }),
    disband: () => ({ summary: `${person.name} disbanded ${where}`, go: () => chats.disband(chat!.chat_id) }),
    open: () => ({ summary: `${person.name} opened the one-to-one chat with ${bot!.name}`, go: () => chats.openChat(bot!.app_id) }),
  };
  if ((r.verb === 'add' || r.verb === 'remove' || r.verb === 'withdraw') && !people.length) throw usageError(`chat ${r.verb}: name the person`);
  if (r.verb === 'create' && !r.name) throw usageError('chat create: the group needs a name');
  if (r.verb === 'rename' && r.name === undefined && r.description === undefined) throw usageError('chat rename: give the new name (or --description)');
  const step = plan[r.verb]();
  return reported(client, state, { action: `chat.${r.verb}`, summary: step.summary, as: who(person), chat_id: chat?.chat_id ?? null }, async () => {
    const c = await step.go();
    const summary = r.verb === 'create' || r.verb === 'open' ? `${step.summary}: ${c.chatId}` : undefined;
    return { deliveries: c.deliveries, chat_id: c.chatId, chat: chatView(c), summary };
  });
}

// ── the bot menu and links ──

/** Presses the item of a bot's menu with this event_key, as a person (default: the first): the app gets application.bot.menu_v6. */
export async function pressMenu(client: InboxClient, bot: string | undefined, eventKey: string, as?: string): Promise<PersonOutcome> {
  const state = await client.state();
  const app = appOf(state, bot, 'bot');
  const { menu } = await client.menu(app.app_id);
  const unknown = menuKeyProblem({ name: app.name, bot_menu: menu }, eventKey);
  if (unknown) throw usageError(`event_key: ${unknown}`, { details: { menu } });
  const person = as === undefined ? (state.users[0] ?? personOf(state, '(anyone)')) : personOf(state, as);
  const call = menuCall(person.open_id, eventKey, app.app_id);
  return reported(client, state, { action: 'menu', summary: `${person.name} pressed ${JSON.stringify(eventKey)} in the menu of ${app.name}`, as: who(person) }, async () => {
    const a = await client.act<{ deliveries: DeliveryRecord[] }>('POST', call.path, call.body, `${person.name} ${call.doing}`);
    return { deliveries: a.deliveries };
  });
}

/**
 * Sends a link as a person, in a chat, to a bot or in a person's chat with the first bot: each app
 * there whose URL rules match is asked for a preview (url.preview.get), and its answer judged.
 */
export async function pasteLink(client: InboxClient, where: string, url: string, as?: string): Promise<PersonOutcome> {
  const state = await client.state();
  const target = whereToWrite(state, where, as);
  const names = namesOf(state);
  const person = target.person;
  const call = linkCall(person.open_id, target.chat_id ?? 'p2p', url, target.app_id ?? state.apps[0]?.app_id ?? '');
  return reported(client, state, { action: 'paste-link', summary: `${person.name} sent the link ${url}`, as: who(person), chat_id: target.chat_id ?? null }, async () => {
    const a = await client.act<LinkAnswer & { chat_id: string }>('POST', call.path, call.body, `${person.name} ${call.doing}`);
    const previews = a.previews.map((p) => ({ app_id: p.app_id, bot: names.get(p.app_id) ?? p.app_id, ok: p.ok, problems: p.problems, title: p.inline?.title ?? null, card: !!p.card, preview_token: p.preview_token }));
    return { deliveries: a.deliveries, message_id: a.message_id, chat_id: a.chat_id, previews, summary: `${person.name} sent the link ${url} as ${a.message_id} in ${a.chat_id}` };
  });
}

