import type { FeishuClient } from './client.js';
import type { SentMessage } from './api.js';

/**
 * CardKit v1: card entities and streaming text (reference/long-connection-cardkit.md §2).
 * Every operation on an entity carries a `sequence` that must grow across all of them, and a
 * `uuid` made from it, so a retry after a lost answer is recognised rather than applied twice.
 */

const BASE = '/open-apis/cardkit/v1/cards';
const path = (cardId: string, rest = '') => `${BASE}/${encodeURIComponent(cardId)}${rest}`;

export async function createCardEntity(client: FeishuClient, card: Record<string, unknown>): Promise<string> {
  // Creating is not idempotent (no uuid): a retry could make a second entity, which is harmless.
  const { data } = await client.call<{ card_id: string }>({ method: 'POST', path: BASE, body: { type: 'card_json', data: JSON.stringify(card) } });
  return data.card_id;
}

export async function updateCardSettings(client: FeishuClient, cardId: string, settings: Record<string, unknown>, sequence: number): Promise<void> {
  await client.call({
    method: 'PATCH',
    path: path(cardId, '/settings'),
    idempotent: true,
    body: { settings: JSON.stringify(settings), sequence, uuid: `s_${cardId}_${sequence}` },
  });
}

/** Sets the full text of a markdown or plain_text element; the client types out what is new. */
export async function streamElementText(client: FeishuClient, cardId: string, elementId: string, content: string, sequence: number): Promise<void> {
  await client.call({
    method: 'PUT',
    path: path(cardId, `/elements/${encodeURIComponent(elementId)}/content`),
    idempotent: true,
    body: { content, sequence, uuid: `c_${cardId}_${sequence}` },
  });
}

/** The message content that sends an entity: `{"type":"card","data":{"card_id":…}}`, nothing else. */
export function entityContent(cardId: string): string {
  return JSON.stringify({ type: 'card', data: { card_id: cardId } });
}

export async function replyMessage(
  client: FeishuClient,
  messageId: string,
  m: { msgType: string; content: string; uuid?: string; inThread?: boolean },
): Promise<SentMessage> {
  const { data } = await client.call<SentMessage>({
    method: 'POST',
    path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`,
    idempotent: !!m.uuid,
    body: { msg_type: m.msgType, content: m.content, ...(m.uuid ? { uuid: m.uuid } : {}), ...(m.inThread ? { reply_in_thread: true } : {}) },
  });
  return data;
}
