import { randomBytes, randomUUID } from 'node:crypto';
import { isObject } from '../card/inspect.js';
import { encryptPayload, SIGNATURE_HEADERS, signV2 } from '../callback/crypto.js';
import { wireHeaders } from '../http/header-case.js';

export interface WebhookKeys {
  encryptKey: string | null;
  verificationToken: string | null;
}

/**
 * A long-connection message as the platform would POST it to a webhook: the verification token
 * in `header.token` (it is empty over the long connection), encrypted with the Encrypt Key when
 * there is one, and signed over the exact bytes sent (reference feishu-api.md §6.2).
 */
export function webhookRequest(payload: Record<string, unknown>, keys: WebhookKeys, now = Date.now()): { body: string; headers: Record<string, string> } {
  const copy = structuredClone(payload);
  if (isObject(copy.header) && keys.verificationToken) copy.header.token = keys.verificationToken;
  const plain = JSON.stringify(copy);
  const body = keys.encryptKey ? JSON.stringify({ encrypt: encryptPayload(keys.encryptKey, plain) }) : plain;
  const timestamp = String(Math.floor(now / 1000));
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    // Spelled as the platform spells them on the wire.
    headers: wireHeaders({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'card-cli listen --ws',
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.signature]: signV2(timestamp, nonce, keys.encryptKey ?? '', body),
    }),
  };
}

/** The URL check the platform makes when a webhook URL is saved: no signature headers. */
export function challengeRequest(keys: WebhookKeys): { body: string; headers: Record<string, string>; challenge: string } {
  const challenge = randomUUID();
  const plain = JSON.stringify({ challenge, token: keys.verificationToken ?? '', type: 'url_verification' });
  const body = keys.encryptKey ? JSON.stringify({ encrypt: encryptPayload(keys.encryptKey, plain) }) : plain;
  return { body, headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'card-cli listen --ws' }, challenge };
}
