import type { DeliveryRecord } from '../emulator/store.js';
import { idSegment } from './path-segment.js';

/**
 * A person's actions on chats for the testing library (TestUser.createGroup, addBot, leave …): each
 * is one call to the emulator's control API, which answers once the bots were told; a bot that
 * failed the event makes the action reject with BotFailureError.
 */

/** A chat as a person's action left it. */
export interface TestChat {
  chatId: string;
  chatMode: 'group' | 'p2p';
  name: string;
  description: string;
  /** The owning person's open_id (null when a bot owns it, or for a one-to-one chat). */
  ownerId: string | null;
  /** The people in it, by open_id. */
  members: string[];
  /** The bots in it, by app_id. */
  bots: string[];
  disbanded: boolean;
  /** The events the action caused, as the bots answered them. */
  deliveries: DeliveryRecord[];
}

interface ChatAnswer {
  chat: { chat_id: string; chat_mode: 'group' | 'p2p'; name: string; description: string; owner_open_id: string | null; members: string[]; bots: string[]; dissolved: boolean };
  deliveries: DeliveryRecord[];
}

/** What the actions need from the user acting and the emulator they act in. */
export interface ChatActor {
  openId: string;
  name: string;
  /** One control API call; a refusal rejects naming what was being done. */
  control<T>(method: 'POST' | 'DELETE' | 'PATCH', path: string, body: unknown, doing: string): Promise<T>;
  /** Rejects with BotFailureError when a delivery failed. */
  failOn(deliveries: DeliveryRecord[], what: string): void;
  /** An app by id or name (default: the first) → its app_id. */
  appId(app?: string): string;
  /** A user by email, open_id, mobile or name → their open_id. */
  userId(who: string): string;
}

export type ChatRef = string | { chatId: string };
export type UserRef = string | { openId: string };

const chatIdOf = (c: ChatRef) => (typeof c === 'string' ? c : c.chatId);

function chatOf(a: ChatAnswer): TestChat {
  const c = a.chat;
  return { chatId: c.chat_id, chatMode: c.chat_mode, name: c.name, description: c.description, ownerId: c.owner_open_id, members: c.members, bots: c.bots, disbanded: c.dissolved, deliveries: a.deliveries };
}

export class UserChats {
  constructor(private readonly actor: ChatActor) {}

  private get base(): string {
    return `/_emulator/users/${idSegment(this.actor.openId, 'open_id')}`;
  }

  private chatPath(chat: ChatRef, rest = ''): string {
    return `${this.base}/chats/${idSegment(chatIdOf(chat), 'chat_id')}${rest}`;
  }

  private userIdOf(u: UserRef): string {
    return typeof u === 'string' ? this.actor.userId(u) : u.openId;
  }

  private async act(method: 'POST' | 'DELETE' | 'PATCH', path: string, body: unknown, doing: string): Promise<TestChat> {
    const answer = await this.actor.control<ChatAnswer>(method, path, body, doing);
    this.actor.failOn(answer.deliveries, `${this.actor.name} ${doing}, and the bot failed the event`);
    return chatOf(answer);
  }

  async createGroup(name: string, opts: { bots?: string[]; members?: UserRef[] } = {}): Promise<TestChat> {
    const body = { name, bots: (opts.bots ?? []).map((b) => this.actor.appId(b)), users: (opts.members ?? []).map((u) => this.userIdOf(u)) };
    return this.act('POST', `${this.base}/chats`, body, `created the group ${JSON.stringify(name)}`);
  }

  async addBot(chat: ChatRef, app?: string): Promise<TestChat> {
    const appId = this.actor.appId(app);
    return this.act('POST', this.chatPath(chat, '/members'), { bots: [appId] }, `added ${appId} to ${chatIdOf(chat)}`);
  }

  async removeBot(chat: ChatRef, app?: string): Promise<TestChat> {
    const appId = this.actor.appId(app);
    return this.act('DELETE', this.chatPath(chat, `/members/${idSegment(appId, 'app_id')}`), undefined, `removed ${appId} from ${chatIdOf(chat)}`);
  }

  async addMember(chat: ChatRef, user: UserRef | UserRef[]): Promise<TestChat> {
    const ids = (Array.isArray(user) ? user : [user]).map((u) => this.userIdOf(u));
    return this.act('POST', this.chatPath(chat, '/members'), { users: ids }, `added ${ids.join(', ')} to ${chatIdOf(chat)}`);
  }

  async removeMember(chat: ChatRef, user: UserRef): Promise<TestChat> {
    const id = this.userIdOf(user);
    return this.act('DELETE', this.chatPath(chat, `/members/${idSegment(id, 'open_id')}`), undefined, `removed ${id} from ${chatIdOf(chat)}`);
  }

  async withdraw(chat: ChatRef, users: UserRef | UserRef[]): Promise<TestChat> {
    const ids = (Array.isArray(users) ? users : [users]).map((u) => this.userIdOf(u));
    return this.act('POST', this.chatPath(chat, '/members/withdraw'), { users: ids }, `withdrew the invitation of ${ids.join(', ')} to ${chatIdOf(chat)}`);
  }

  async leave(chat: ChatRef): Promise<TestChat> {
    return this.act('DELETE', this.chatPath(chat, `/members/${idSegment(this.actor.openId, 'open_id')}`), undefined, `left ${chatIdOf(chat)}`);
  }

  async renameChat(chat: ChatRef, name: string, description?: string): Promise<TestChat> {
    return this.act('PATCH', this.chatPath(chat), description === undefined ? { name } : { name, description }, `renamed ${chatIdOf(chat)} to ${JSON.stringify(name)}`);
  }

  async describeChat(chat: ChatRef, description: string): Promise<TestChat> {
    return this.act('PATCH', this.chatPath(chat), { description }, `changed the description of ${chatIdOf(chat)}`);
  }

  async disband(chat: ChatRef): Promise<TestChat> {
    return this.act('DELETE', this.chatPath(chat), undefined, `disbanded ${chatIdOf(chat)}`);
  }

  async openChat(app?: string): Promise<TestChat> {
    const appId = this.actor.appId(app);
    return this.act('POST', `${this.base}/p2p`, { app_id: appId }, `opened the one-to-one chat with ${appId}`);
  }
}
