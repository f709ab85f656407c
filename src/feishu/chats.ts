import { addChatMembers, createChat, type ChatInfo } from './api.js';
import type { FeishuClient } from './client.js';

/** The create call takes 50 users and 5 bots; the rest are added right after. */
const USERS_PER_CALL = 50;
const BOTS_PER_CALL = 5;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface CreatedChat {
  chat: ChatInfo;
  /** Members added after the create call, over its limits. */
  addedLater: number;
  invalid: string[];
  notExisted: string[];
}

/** Creates a chat with any number of users (open_ids) and bots (app ids): the create call, then the members it could not take. */
export async function createChatWithMembers(
  client: FeishuClient,
  input: { name: string; description?: string; ownerId?: string; userIds: string[]; botIds: string[]; setBotManager?: boolean; uuid: string },
): Promise<CreatedChat> {
  const [firstUsers = [], ...moreUsers] = chunks(input.userIds, USERS_PER_CALL);
  const [firstBots = [], ...moreBots] = chunks(input.botIds, BOTS_PER_CALL);
  const chat = await createChat(client, { name: input.name, description: input.description, ownerId: input.ownerId, userIds: firstUsers, botIds: firstBots, setBotManager: input.setBotManager, uuid: input.uuid });
  const result: CreatedChat = { chat, addedLater: 0, invalid: [], notExisted: [] };
  const later = [...moreUsers.map((batch) => [batch, 'open_id'] as const), ...moreBots.map((batch) => [batch, 'app_id'] as const)];
  for (const [batch, memberIdType] of later) {
    const r = await addChatMembers(client, chat.chat_id, batch, memberIdType);
    result.invalid.push(...(r.invalid_id_list ?? []));
    result.notExisted.push(...(r.not_existed_id_list ?? []));
    result.addedLater += batch.length - (r.invalid_id_list?.length ?? 0) - (r.not_existed_id_list?.length ?? 0);
  }
  return result;
}
