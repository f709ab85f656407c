import type { FeishuClient } from './client.js';

/** One function per Open API endpoint the tool uses; commands never build URLs. */

import type { ReceiveIdType, UserIdType } from './receive-id-type.js';

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

export function patchMessageRequest(messageId: string, content: string) {
  return { method: 'PATCH', path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`, body: { content }, idempotent: true };
}

export async function patchMessage(client: FeishuClient, messageId: string, content: string): Promise<void> {
  await client.call(patchMessageRequest(messageId, content));
}

export interface ReplyRequest {
  messageId: string;
  msgType: string;
  content: string;
  inThread?: boolean;
  uuid?: string;
}

export function replyMessageRequest(r: ReplyRequest) {
  return {
    method: 'POST',
    path: `/open-apis/im/v1/messages/${encodeURIComponent(r.messageId)}/reply`,
    idempotent: !!r.uuid,
    body: { msg_type: r.msgType, content: r.content, ...(r.inThread ? { reply_in_thread: true } : {}), ...(r.uuid ? { uuid: r.uuid } : {}) },
  };
}

export async function replyMessage(client: FeishuClient, r: ReplyRequest): Promise<SentMessage & { parent_id?: string; root_id?: string; thread_id?: string }> {
  const { data } = await client.call<SentMessage>(replyMessageRequest(r));
  return data;
}

/** Recalls (deletes) a message the bot sent. Recalling twice is an error, so it is not retried blindly. */
export async function recallMessage(client: FeishuClient, messageId: string): Promise<void> {
  await client.call(recallMessageRequest(messageId));
}

export function recallMessageRequest(messageId: string) {
  return { method: 'DELETE', path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}` };
}

export interface EphemeralRequest {
  chatId: string;
  /** open_id, user_id or email: which one is said by userIdType. */
  userIdType: 'open_id' | 'user_id' | 'email';
  userId: string;
  /** The card object (not a string): inline JSON or a template reference. */
  card: Record<string, unknown>;
}

export function ephemeralSendRequest(r: EphemeralRequest) {
  return {
    method: 'POST',
    path: '/open-apis/ephemeral/v1/send',
    idempotent: false,
    body: { chat_id: r.chatId, [r.userIdType]: r.userId, msg_type: 'interactive', card: r.card },
  };
}

export async function sendEphemeral(client: FeishuClient, r: EphemeralRequest): Promise<{ message_id: string }> {
  const { data } = await client.call<{ message_id: string }>(ephemeralSendRequest(r));
  return data;
}

export function delayedUpdateRequest(token: string, card: Record<string, unknown>) {
  return { method: 'POST', path: '/open-apis/interactive/v1/card/update', idempotent: false, body: { token, card } };
}

/** The delayed update with a callback's token (c-…): 30 minutes, two uses. */
export async function delayedUpdate(client: FeishuClient, token: string, card: Record<string, unknown>): Promise<void> {
  await client.call(delayedUpdateRequest(token, card));
}

export interface ChatSummary {
  chat_id: string;
  name?: string;
  description?: string;
  owner_id?: string;
  owner_id_type?: string;
  external?: boolean;
  chat_status?: string;
}

/** Every group chat the bot is in, page by page. */
export async function listChats(client: FeishuClient, opts: { pageSize?: number; limit?: number } = {}): Promise<ChatSummary[]> {
  const out: ChatSummary[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await client.call<{ items?: ChatSummary[]; page_token?: string; has_more?: boolean }>({
      method: 'GET',
      path: '/open-apis/im/v1/chats',
      idempotent: true,
      query: { page_size: opts.pageSize ?? 100, page_token: pageToken },
    });
    out.push(...(data.items ?? []));
    pageToken = data.has_more && data.page_token ? data.page_token : undefined;
  } while (pageToken && (opts.limit === undefined || out.length < opts.limit));
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}

export function disbandChatRequest(chatId: string) {
  return { method: 'DELETE', path: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}` };
}

export async function disbandChat(client: FeishuClient, chatId: string): Promise<void> {
  await client.call(disbandChatRequest(chatId));
}
