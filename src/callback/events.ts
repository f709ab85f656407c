import { randomBytes } from 'node:crypto';

/**
 * The events a card bot lives on, in the platform's 2.0 envelope. Field names follow the
 * platform's event documentation (im.message.receive_v1, the message events; a chat's life is in
 * chat-events.ts); events carry create_time in milliseconds.
 */

export interface UserIds {
  open_id: string;
  union_id: string;
  user_id: string;
}

export interface EnvelopeParts {
  app_id: string;
  tenant_key: string;
  now: number;
}

export interface MentionInput {
  key: string;
  ids: UserIds;
  name: string;
}

export function envelope(type: string, p: EnvelopeParts, event: Record<string, unknown>): Record<string, unknown> {
  return {
    schema: '2.0',
    header: { event_id: randomBytes(16).toString('hex'), token: '', create_time: String(p.now), event_type: type, tenant_key: p.tenant_key, app_id: p.app_id },
    event,
  };
}

export function messageReceived(
  p: EnvelopeParts,
  m: { sender: UserIds; message_id: string; chat_id: string; chat_type: 'p2p' | 'group'; text: string; mentions: MentionInput[]; create_time: number; message_type?: string; content?: string },
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    message_id: m.message_id,
    root_id: '',
    parent_id: '',
    create_time: String(m.create_time),
    update_time: String(m.create_time),
    chat_id: m.chat_id,
    thread_id: '',
    chat_type: m.chat_type,
    message_type: m.message_type ?? 'text',
    content: m.content ?? JSON.stringify({ text: m.text }),
    user_agent: 'card-emulator',
  };
  if (m.mentions.length) message.mentions = m.mentions.map((x) => ({ key: x.key, id: x.ids, name: x.name, tenant_key: p.tenant_key }));
  return envelope('im.message.receive_v1', p, {
    sender: { sender_id: m.sender, sender_type: 'user', tenant_key: p.tenant_key },
    message,
  });
}

/** Who added or took back a reaction: a person (by their ids) or an app (by its app_id). */
export type ReactionOperator = { type: 'user'; ids: UserIds } | { type: 'app'; app_id: string };

/**
 * im.message.reaction.created_v1 / deleted_v1: both carry the same body. `user_id` is set for a
 * person, `app_id` for an app's reaction, as the platform's event page describes.
 */
export function reactionChanged(
  p: EnvelopeParts,
  change: 'created' | 'deleted',
  r: { message_id: string; emoji_type: string; operator: ReactionOperator; action_time: number },
): Record<string, unknown> {
  const who = r.operator.type === 'user' ? { operator_type: 'user', user_id: r.operator.ids } : { operator_type: 'app', app_id: r.operator.app_id };
  return envelope(`im.message.reaction.${change}_v1`, p, {
    message_id: r.message_id,
    reaction_type: { emoji_type: r.emoji_type },
    ...who,
    action_time: String(r.action_time),
  });
}

/** im.message.message_read_v1: a person read messages the bot sent them in their one-to-one chat. */
export function messageRead(p: EnvelopeParts, e: { reader: UserIds; read_time: number; message_ids: string[] }): Record<string, unknown> {
  return envelope('im.message.message_read_v1', p, {
    reader: { reader_id: e.reader, read_time: String(e.read_time), tenant_key: p.tenant_key },
    message_id_list: e.message_ids,
  });
}

export type RecallType = 'message_owner' | 'group_owner' | 'group_manager' | 'enterprise_manager';

/** im.message.recalled_v1: a message in a chat the bot is in was recalled. */
export function messageRecalled(p: EnvelopeParts, e: { message_id: string; chat_id: string; recall_time: number; recall_type: RecallType }): Record<string, unknown> {
  return envelope('im.message.recalled_v1', p, {
    message_id: e.message_id,
    chat_id: e.chat_id,
    recall_time: String(e.recall_time),
    recall_type: e.recall_type,
  });
}
