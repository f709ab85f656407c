import { randomBytes } from 'node:crypto';

/**
 * The events a card bot lives on, in the platform's 2.0 envelope. Field names follow the
 * platform's event documentation (im.message.receive_v1, im.chat.member.bot.added_v1,
 * im.chat.access_event.bot_p2p_chat_entered_v1); events carry create_time in milliseconds.
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

function envelope(type: string, p: EnvelopeParts, event: Record<string, unknown>): Record<string, unknown> {
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

export function botAdded(p: EnvelopeParts, e: { chat_id: string; operator: UserIds; name: string }): Record<string, unknown> {
  return envelope('im.chat.member.bot.added_v1', p, {
    chat_id: e.chat_id,
    operator_id: e.operator,
    external: false,
    operator_tenant_key: p.tenant_key,
    name: e.name,
    i18n_names: { zh_cn: e.name, en_us: e.name, ja_jp: e.name },
  });
}

export function p2pChatEntered(p: EnvelopeParts, e: { chat_id: string; operator: UserIds; last_message_id: string; last_message_create_time: string }): Record<string, unknown> {
  return envelope('im.chat.access_event.bot_p2p_chat_entered_v1', p, {
    chat_id: e.chat_id,
    operator_id: e.operator,
    last_message_id: e.last_message_id,
    last_message_create_time: e.last_message_create_time,
  });
}
