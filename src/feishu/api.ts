import type { FeishuClient } from './client.js';

/** One function per Open API endpoint the tool uses; commands never build URLs. */

export type UserIdType = 'open_id' | 'union_id' | 'user_id';
export type ReceiveIdType = UserIdType | 'email' | 'chat_id';

export interface UserStatus {
  is_frozen?: boolean;
  is_resigned?: boolean;
  is_activated?: boolean;
  is_exited?: boolean;
  is_unjoin?: boolean;
}

export interface UserIdEntry {
  user_id?: string;
  mobile?: string;
  email?: string;
  status?: UserStatus;
}

export async function batchGetUserIds(
  client: FeishuClient,
  input: { emails?: string[]; mobiles?: string[]; userIdType?: UserIdType; includeResigned?: boolean },
): Promise<UserIdEntry[]> {
  const { data } = await client.call<{ user_list?: UserIdEntry[] }>({
    method: 'POST',
    path: '/open-apis/contact/v3/users/batch_get_id',
    idempotent: true,
    query: { user_id_type: input.userIdType ?? 'open_id' },
    body: { emails: input.emails ?? [], mobiles: input.mobiles ?? [], include_resigned: input.includeResigned ?? false },
  });
  return data.user_list ?? [];
}

export interface ChatInfo {
  chat_id: string;
  name?: string;
  owner_id?: string;
  owner_id_type?: string;
  [k: string]: unknown;
}

export async function createChat(
  client: FeishuClient,
  input: { name: string; description?: string; ownerId?: string; userIds?: string[]; botIds?: string[]; setBotManager?: boolean; uuid?: string },
): Promise<ChatInfo> {
  const { data } = await client.call<ChatInfo>({
    method: 'POST',
    path: '/open-apis/im/v1/chats',
    idempotent: !!input.uuid,
    query: { user_id_type: 'open_id', set_bot_manager: input.setBotManager || undefined, uuid: input.uuid },
    body: {
      name: input.name,
      description: input.description,
      owner_id: input.ownerId,
      user_id_list: input.userIds?.length ? input.userIds : undefined,
      bot_id_list: input.botIds?.length ? input.botIds : undefined,
    },
  });
  return data;
}

export interface MemberChange {
  invalid_id_list?: string[];
  not_existed_id_list?: string[];
  pending_approval_id_list?: string[];
}

export async function addChatMembers(
  client: FeishuClient,
  chatId: string,
  ids: string[],
  memberIdType: UserIdType | 'app_id',
): Promise<MemberChange> {
  const { data } = await client.call<MemberChange>({
    method: 'POST',
    path: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}/members`,
    // Adding someone who is already a member changes nothing.
    idempotent: true,
    // 1: add the valid ids and report the rest, so one bad id does not block a test chat.
    query: { member_id_type: memberIdType, succeed_type: 1 },
    body: { id_list: ids },
  });
  return data;
}

export interface SentMessage {
  message_id: string;
  chat_id: string;
  create_time?: string;
  [k: string]: unknown;
}

export interface MessageRequest {
  receiveIdType: ReceiveIdType;
  receiveId: string;
  msgType: string;
  content: string;
  uuid?: string;
}

export function sendMessageRequest(m: MessageRequest) {
  return {
    method: 'POST',
    path: '/open-apis/im/v1/messages',
    idempotent: !!m.uuid,
    query: { receive_id_type: m.receiveIdType },
    body: { receive_id: m.receiveId, msg_type: m.msgType, content: m.content, ...(m.uuid ? { uuid: m.uuid } : {}) },
  };
}

export async function sendMessage(client: FeishuClient, m: MessageRequest): Promise<SentMessage> {
  const { data } = await client.call<SentMessage>(sendMessageRequest(m));
  return data;
}

export async function patchMessage(client: FeishuClient, messageId: string, content: string): Promise<void> {
  await client.call({ method: 'PATCH', path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`, body: { content }, idempotent: true });
}
