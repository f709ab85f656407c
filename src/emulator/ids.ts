import { createHash, randomBytes } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export const newId = {
  tenantToken: () => `t-emu${hex(20)}`,
  cardToken: () => `c-emu${hex(16)}`,
  chat: () => `oc_${hex(16)}`,
  message: () => `om_${hex(16)}`,
};

/** Stable ids for seeded people and chats, so docs and scripts can name them across runs. */
export function stableId(prefix: string, key: string, length = 32): string {
  return prefix + createHash('sha256').update(key).digest('hex').slice(0, length);
}
