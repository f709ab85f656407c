import { usageError } from '../output/errors.js';
import { seededUserIds, type SeededPerson } from './seeded-ids.js';

/** The ids a callback names its clicking user by; one person, so they must agree. */
export interface OperatorIds {
  open_id: string;
  union_id: string | null;
  user_id: string | null;
}

/**
 * `--operator` as an open_id or an email, looked up among the seed's users so that open_id,
 * union_id and user_id name the same person (the ids the emulator gives them: seeded-ids.ts).
 * An open_id outside the seed is used alone; an email outside it is an error.
 */
export function resolveOperator(value: string, seed: { users?: SeededPerson[] }, seedName: string): OperatorIds {
  const users = (seed.users ?? []).map((u) => ({ email: u.email ?? null, ...seededUserIds(u) }));
  const isEmail = value.includes('@');
  if (!isEmail && !/^ou_\w+$/.test(value)) throw usageError(`--operator takes an open_id (ou_…) or the email of a seeded user, not "${value}"`);
  const found = users.find((u) => (isEmail ? u.email?.toLowerCase() === value.toLowerCase() : u.open_id === value));
  if (found) return { open_id: found.open_id, union_id: found.union_id, user_id: found.user_id };
  if (isEmail) {
    throw usageError(`--operator ${value}: no user with that email in ${seedName}`, { hint: `Seeded: ${users.map((u) => u.email).filter(Boolean).join(', ') || 'none with an email'}` });
  }
  return { open_id: value, union_id: null, user_id: null };
}
