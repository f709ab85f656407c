import { CliError, usageError } from '../output/errors.js';
import { batchGetUserIds, type ReceiveIdType } from './api.js';
import type { FeishuClient } from './client.js';

export type ReceiverShape = ReceiveIdType | 'mobile';

export const RECEIVE_ID_TYPES: readonly ReceiveIdType[] = ['open_id', 'union_id', 'user_id', 'email', 'chat_id'];

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MOBILE = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;

/** Recognises a receiver by its shape (DESIGN.md); null when it has none we know. */
export function shapeOf(input: string): ReceiverShape | null {
  if (/^ou_\w+$/.test(input)) return 'open_id';
  if (/^on_\w+$/.test(input)) return 'union_id';
  if (/^oc_\w+$/.test(input)) return 'chat_id';
  if (EMAIL.test(input)) return 'email';
  if (MOBILE.test(input)) return 'mobile';
  return null;
}

export interface Receiver {
  /** What the user typed. */
  input: string;
  receiveIdType: ReceiveIdType;
  receiveId: string;
}

/**
 * Turns every `--to` into a receive_id_type and id before anything is sent. Mobiles always go
 * through batch_get_id; emails do too when there is more than one receiver, so that an unknown
 * address stops the whole send instead of half of it.
 */
export async function resolveReceivers(
  inputs: string[],
  opts: { toType?: string; client: () => Promise<FeishuClient> },
): Promise<Receiver[]> {
  if (opts.toType && !(RECEIVE_ID_TYPES as readonly string[]).includes(opts.toType)) {
    throw usageError(`--to-type must be one of ${RECEIVE_ID_TYPES.join(', ')}, not "${opts.toType}"`);
  }
  const shaped = inputs.map((input) => {
    const shape = (opts.toType as ReceiveIdType | undefined) ?? shapeOf(input);
    if (!shape) {
      throw usageError(`receiver "${input}" is not an open_id (ou_…), union_id (on_…), chat_id (oc_…), email or mobile number`, {
        hint: 'For a user_id or another id, say which it is: --to-type user_id',
      });
    }
    return { input, shape };
  });
  const lookupEmails = shaped.length > 1;
  const emails = lookupEmails ? shaped.filter((s) => s.shape === 'email').map((s) => s.input) : [];
  const mobiles = shaped.filter((s) => s.shape === 'mobile').map((s) => s.input);
  const found = new Map<string, string>();
  if (emails.length || mobiles.length) {
    const client = await opts.client();
    for (let i = 0; i < Math.max(emails.length, mobiles.length); i += 50) {
      const entries = await batchGetUserIds(client, { emails: emails.slice(i, i + 50), mobiles: mobiles.slice(i, i + 50) });
      for (const e of entries) if (e.user_id) found.set((e.email ?? e.mobile)!, e.user_id);
    }
    const missing = [...emails, ...mobiles].filter((x) => !found.has(x));
    if (missing.length) {
      throw new CliError('api', `no user found for ${missing.map((m) => `"${m}"`).join(', ')}`, {
        code: 'receiver_not_found',
        hint: 'Nothing was sent. The address or number is unknown, resigned, or outside the app\'s availability range (mobiles outside mainland China need +country code).',
        details: { missing },
      });
    }
  }
  return shaped.map(({ input, shape }) => {
    if (shape === 'mobile' || (shape === 'email' && lookupEmails)) return { input, receiveIdType: 'open_id', receiveId: found.get(input)! };
    return { input, receiveIdType: shape, receiveId: input };
  });
}
