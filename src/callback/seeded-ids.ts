import { createHash } from 'node:crypto';

/**
 * The ids the emulator gives a seeded person who names none, derived from who they are so that
 * docs and scripts can name them across runs. Here, below both, because the emulator's store and
 * seed check make them, and `replay-callback --operator` must name the same person the same way.
 */

/** Stable ids for seeded people and chats. */
export function stableId(prefix: string, key: string, length = 32): string {
  return prefix + createHash('sha256').update(key).digest('hex').slice(0, length);
}

/** A person as a seed file names them. */
export interface SeededPerson {
  name: string;
  email?: string;
  mobile?: string;
  open_id?: string;
  union_id?: string;
  user_id?: string;
}

/** The open_id, union_id and user_id of a seeded person: as the seed gives them, else derived. */
export function seededUserIds(u: SeededPerson): { open_id: string; union_id: string; user_id: string } {
  const key = u.email ?? u.mobile ?? u.open_id ?? u.name;
  return {
    open_id: u.open_id ?? stableId('ou_', `open:${key}`),
    union_id: u.union_id ?? stableId('on_', `union:${key}`),
    user_id: u.user_id ?? stableId('', `user:${key}`, 8),
  };
}
