import type { Route, RouteContext } from '../core.js';
import { fail } from '../catalogue/errors.js';
import { botsAddedEvents, botsDeletedEvents, chatUpdatedEvents, disbandedEvents, membersEvents, p2pEnteredEvents, type ChatOperator } from '../chat-events.js';
import { PlatformError } from '../http.js';
import { MAX_BOTS_PER_CHAT, MAX_CHATS, type AppRecord, type ChatRecord, type DeliveryRecord, type Store, type UserRecord } from '../store.js';
import { checkFields, fieldViolation, objectBody } from '../validate.js';
import { chatChangeView } from './chats.js';
import { personInPath } from './person-path.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });
/** A group's name and description as the client takes them. */
const MAX_NAME = 100;
const MAX_DESCRIPTION = 1000;
/** People or bots one action names at most (the API's own bound for people). */
const MAX_IDS = 50;
/** Chats the emulator holds when a person makes one: the one bound for people and bots (store.ts). */
export const MAX_CHATS_FOR_PEOPLE = MAX_CHATS;


function chatOf(ctx: RouteContext, user: UserRecord): ChatRecord {
  const chat = ctx.core.store.chats.get(ctx.params.chat_id!);
  if (!chat) throw new PlatformError(404, 404, `no chat ${ctx.params.chat_id}`);
  return ctx.core.store.personChat(user, chat);
}

/** The people named in `field` (open_ids): each must exist and not have resigned. */
function peopleIn(store: Store, field: string, ids: string[] | undefined): UserRecord[] {
  return [...new Set(ids ?? [])].map((id, i) => {
    const u = store.findUser('open_id', id);
    if (!u) throw fieldViolation(`${field}[${i}]`, `no user ${id}`, id);
    if (u.resigned) throw fieldViolation(`${field}[${i}]`, `${u.name} has resigned`, id);
    return u;
  });
}

/** The apps named in `field` (app_ids), whose bots may be added: each must exist and be available to the person. */
function botsIn(store: Store, field: string, ids: string[] | undefined, user: UserRecord): AppRecord[] {
  return [...new Set(ids ?? [])].map((id, i) => {
    const app = store.apps.get(id);
    if (!app) throw fieldViolation(`${field}[${i}]`, `no app ${id}`, id);
    if (app.availability && !app.availability.has(user.open_id)) throw fieldViolation(`${field}[${i}]`, `${app.name} is not available to ${user.name}`, id);
    return app;
  });
}

/** The chat as the person's actions answer it. */
function view(chat: ChatRecord) {
  return {
    chat_id: chat.chat_id,
    chat_mode: chat.chat_mode,
    name: chat.name,
    description: chat.description,
    owner_open_id: chat.owner_open_id,
    owner_app_id: chat.owner_app_id,
    members: [...chat.members],
    bots: [...chat.bots],
    managers: [...chat.managers],
    dissolved: chat.dissolved,
  };
}

/** Tells an open inbox the chat changed (its members, name or state). */
const changed = (ctx: RouteContext, chat: ChatRecord) => ctx.core.events.emit('chat', { chat_id: chat.chat_id });

/**
 * A route for a person's action on a chat they see: the person and the chat are resolved from the
 * path, and the answer is the chat as the action left it, with the deliveries of its events.
 */
function chatAction(method: Route['method'], pattern: string, act: (ctx: RouteContext, user: UserRecord, chat: ChatRecord) => Promise<DeliveryRecord[]>): Route {
  return {
    method,
    pattern,
    auth: 'none',
    async handle(ctx) {
      const user = personInPath(ctx);
      const chat = chatOf(ctx, user);
      const deliveries = await act(ctx, user, chat);
      return ok({ chat: view(chat), deliveries });
    },
  };
}

const MEMBERS = { bots: { type: 'string[]', maxItems: MAX_IDS }, users: { type: 'string[]', maxItems: MAX_IDS } } as const;

/**
 * Adds people and bots a person brought in: people joining are told to the bots already there,
 * and each bot joining is told it was added.
 */
async function addMembers(ctx: RouteContext, chat: ChatRecord, user: UserRecord, people: UserRecord[], apps: AppRecord[], kind: 'createGroup' | 'addMembers'): Promise<DeliveryRecord[]> {
  const { core } = ctx;
  const store = core.store;
  const joined = people.filter((u) => !chat.members.has(u.open_id));
  const botsJoined = apps.map((a) => a.app_id).filter((id) => !chat.bots.has(id));
  if (!store.botRoom(chat, botsJoined)) throw fail(232001, `a chat holds at most ${MAX_BOTS_PER_CHAT} bots`);
  const there = [...chat.bots];
  for (const u of joined) chat.members.add(u.open_id);
  for (const id of botsJoined) chat.bots.add(id);
  store.noteInvited(chat, joined.map((u) => u.open_id), user.open_id, core.now());
  changed(ctx, chat);
  const named = { open_id: user.open_id, chat_id: chat.chat_id, bots: apps.map((a) => a.app_id), users: people.map((u) => u.open_id) };
  core.events.emit('act', kind === 'createGroup' ? { kind, ...named, name: chat.name } : { kind, ...named });
  const op: ChatOperator = { type: 'user', user };
  return [...(await membersEvents(core, chat, 'added', joined, op, there)), ...(await botsAddedEvents(core, chat, botsJoined, op))];
}

/**
 * What a person does to a chat in the client, with the platform's rules (only members act; the
 * chat's add_member_permission and edit_permission may keep adding and editing to its owner and
 * managers; only they remove others; only the owner disbands, and the owner cannot leave before
 * handing the chat on), answered with the events' deliveries once the bots answered.
 */
export const personChatRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/_emulator/users/:open_id/chats',
    auth: 'none',
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const body = checkFields<{ name: string; description?: string; bots?: string[]; users?: string[] }>(objectBody(ctx.body), {
        name: { type: 'string', required: true, maxLength: MAX_NAME },
        description: { type: 'string', maxLength: MAX_DESCRIPTION },
        ...MEMBERS,
      });
      if (!store.roomForChat()) throw new PlatformError(400, 9499, store.chatCapNote());
      const people = peopleIn(store, 'users', body.users).filter((u) => u.open_id !== user.open_id);
      const apps = botsIn(store, 'bots', body.bots, user);
      if (apps.length > MAX_BOTS_PER_CHAT) throw fieldViolation('bots', `a chat holds at most ${MAX_BOTS_PER_CHAT} bots`, apps.length);
      const chat = store.newChat({ name: body.name, description: body.description ?? '', members: new Set([user.open_id]), bots: new Set(), now: core.now(), owner_open_id: user.open_id });
      store.chats.set(chat.chat_id, chat);
      const deliveries = await addMembers(ctx, chat, user, people, apps, 'createGroup');
      return ok({ chat: view(chat), deliveries });
    },
  },
  chatAction('POST', '/_emulator/users/:open_id/chats/:chat_id/members', async (ctx, user, chat) => {
    const store = ctx.core.store;
    const body = checkFields<{ bots?: string[]; users?: string[] }>(objectBody(ctx.body), MEMBERS);
    if (!body.bots?.length && !body.users?.length) throw fieldViolation('users', 'name someone to add: users (open_ids) or bots (app_ids)');
    if (store.personRestricted(user.open_id, chat, 'add_member_permission')) throw fail(232017, `only the owner and managers of ${chat.chat_id} add members`);
    return addMembers(ctx, chat, user, peopleIn(store, 'users', body.users), botsIn(store, 'bots', body.bots, user), 'addMembers');
  }),
  // Withdrawing an invitation ("撤销邀请"): the people this person added leave, and the bots are told.
  chatAction('POST', '/_emulator/users/:open_id/chats/:chat_id/members/withdraw', async (ctx, user, chat) => {
    const { core } = ctx;
    const store = core.store;
    const body = checkFields<{ users: string[] }>(objectBody(ctx.body), { users: { type: 'string[]', required: true, maxItems: MAX_IDS } });
    const people = peopleIn(store, 'users', body.users);
    people.forEach((u, i) => {
      if (chat.invited?.get(u.open_id)?.by !== user.open_id) throw fieldViolation(`users[${i}]`, `${user.name} did not add ${u.name} to ${chat.chat_id}, so cannot withdraw the invitation`, u.open_id);
    });
    store.dropMembers(chat, people.map((u) => u.open_id));
    changed(ctx, chat);
    core.events.emit('act', { kind: 'withdraw', open_id: user.open_id, chat_id: chat.chat_id, users: people.map((u) => u.open_id) });
    return membersEvents(core, chat, 'withdrawn', people, { type: 'user', user });
  }),
  // A member taken out: a bot (app_id) or a person (open_id); naming oneself is leaving.
  chatAction('DELETE', '/_emulator/users/:open_id/chats/:chat_id/members/:member_id', async (ctx, user, chat) => {
    const { core } = ctx;
    const store = core.store;
    const id = ctx.params.member_id!;
    const op: ChatOperator = { type: 'user', user };
    const removed = () => core.events.emit('act', { kind: 'removeMember', open_id: user.open_id, chat_id: chat.chat_id, member_id: id });
    const app = store.apps.get(id);
    if (app) {
      if (!chat.bots.has(id)) throw new PlatformError(404, 404, `${app.name} is not in ${chat.chat_id}`);
      if (chat.owner_app_id === id) throw fail(232076, `${app.name} owns ${chat.chat_id}`);
      if (!store.personManages(user.open_id, chat)) throw fail(232017, `only the owner and managers of ${chat.chat_id} remove bots`);
      store.removeBot(chat, id);
      changed(ctx, chat);
      removed();
      return botsDeletedEvents(core, chat, [id], op);
    }
    const member = store.findUser('open_id', id);
    if (!member) throw new PlatformError(404, 404, `no user or app ${id}`);
    if (!chat.members.has(member.open_id)) throw new PlatformError(404, 404, `${member.name} is not a member of ${chat.chat_id}`);
    if (member.open_id === chat.owner_open_id) {
      throw fail(232076, member.open_id === user.open_id ? `${user.name} owns ${chat.chat_id}: hand it to another member before leaving, or disband it` : undefined);
    }
    if (member.open_id !== user.open_id && !store.personManages(user.open_id, chat)) throw fail(232017, `only the owner and managers of ${chat.chat_id} remove members`);
    store.dropMembers(chat, [member.open_id]);
    changed(ctx, chat);
    removed();
    return membersEvents(core, chat, 'deleted', [member], op);
  }),
  // Renaming or describing the group.
  chatAction('PATCH', '/_emulator/users/:open_id/chats/:chat_id', async (ctx, user, chat) => {
    const { core } = ctx;
    const store = core.store;
    const body = checkFields<{ name?: string; description?: string }>(objectBody(ctx.body), {
      name: { type: 'string', maxLength: MAX_NAME },
      description: { type: 'string', maxLength: MAX_DESCRIPTION },
    });
    if (body.name === undefined && body.description === undefined) throw fieldViolation('name', 'give name or description (or both)');
    if (body.name === '') throw fieldViolation('name', 'a group needs a name');
    if (store.personRestricted(user.open_id, chat, 'edit_permission')) throw fail(232002, `only the owner and managers of ${chat.chat_id} edit it`);
    if (body.name !== undefined && chat.chat_type === 'public') {
      for (const other of store.chats.values()) if (other !== chat && !other.dissolved && other.chat_type === 'public' && other.name === body.name) throw fail(232026);
    }
    const before = chatChangeView(store, chat);
    if (body.name !== undefined) chat.name = body.name;
    if (body.description !== undefined) chat.description = body.description;
    changed(ctx, chat);
    core.events.emit('act', { kind: 'editChat', open_id: user.open_id, chat_id: chat.chat_id, name: chat.name, ...(body.description !== undefined ? { description: body.description } : {}) });
    return chatUpdatedEvents(core, chat, { type: 'user', user }, before, chatChangeView(store, chat));
  }),
  // Disbanding the group: its owner only.
  chatAction('DELETE', '/_emulator/users/:open_id/chats/:chat_id', async (ctx, user, chat) => {
    if (chat.owner_open_id !== user.open_id) throw fail(232017, `only the owner of ${chat.chat_id} disbands it`);
    chat.dissolved = true;
    changed(ctx, chat);
    ctx.core.events.emit('act', { kind: 'disband', open_id: user.open_id, chat_id: chat.chat_id });
    return disbandedEvents(ctx.core, chat, { type: 'user', user });
  }),
  {
    // Opening the one-to-one chat with an app's bot (made on first use).
    method: 'POST',
    pattern: '/_emulator/users/:open_id/p2p',
    auth: 'none',
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const body = checkFields<{ app_id: string }>(objectBody(ctx.body), { app_id: { type: 'string', required: true } });
      const app = store.apps.get(body.app_id);
      if (!app) throw new PlatformError(404, 404, `no app ${body.app_id}`);
      if (app.availability && !app.availability.has(user.open_id)) throw fieldViolation('app_id', `${app.name} is not available to ${user.name}`, app.app_id);
      const chat = store.p2pChatFor(app, user, core.now());
      core.events.emit('act', { kind: 'openChat', open_id: user.open_id, app_id: app.app_id, chat_id: chat.chat_id });
      const deliveries = await p2pEnteredEvents(core, chat, app, user);
      return ok({ chat_id: chat.chat_id, chat: view(chat), deliveries });
    },
  },
];
