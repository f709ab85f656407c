import type { RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import type { ChatRecord, Store, UserRecord } from '../store.js';
import { fieldViolation } from '../validate.js';

/** The person a control route acts as: the `:open_id` of its path (404 when nobody has it). */
export function personInPath(ctx: RouteContext): UserRecord {
  const user = ctx.core.store.findUser('open_id', ctx.params.open_id!);
  if (!user) throw new PlatformError(404, 404, `no user ${ctx.params.open_id}`);
  return user;
}

/** The chat a person posts into by its `chat_id`: it must exist, not be disbanded, and have them as a member. */
export function memberChat(store: Store, user: UserRecord, chatId: string): ChatRecord {
  const chat = store.chats.get(chatId);
  if (!chat || chat.dissolved) throw fieldViolation('chat_id', 'no such chat', chatId);
  if (!chat.members.has(user.open_id)) throw new PlatformError(400, 230002, `${user.name} is not a member of ${chatId}`);
  return chat;
}
