import { randomBytes } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/*
 * Message and chat ids are made on the hot path: a random prefix drawn once per process and a
 * counter, instead of reading the system's random source for every id. They look like the
 * platform's (32 hex digits) and stay unique across resets. Tokens are credentials and remain
 * fully random.
 */
const PREFIX = hex(10);
let counter = 0;
const sequenced = (prefix: string) => `${prefix}${PREFIX}${(++counter).toString(16).padStart(12, '0')}`;

const MESSAGE_PREFIX = `om_${PREFIX}`;

/** The counter at the end of a message id this process made, or null for any other id. */
export function messageIdCounter(id: string): number | null {
  if (id.length !== MESSAGE_PREFIX.length + 12 || !id.startsWith(MESSAGE_PREFIX)) return null;
  const n = Number.parseInt(id.slice(MESSAGE_PREFIX.length), 16);
  return Number.isNaN(n) ? null : n;
}

export const newId = {
  tenantToken: () => `t-emu${hex(20)}`,
  cardToken: () => `c-emu${hex(16)}`,
  chat: () => sequenced('oc_'),
  message: () => sequenced('om_'),
};
