import { batchGetUserIds, type UserStatus } from './api.js';
import type { UserIdType } from './receive-id-type.js';
import type { FeishuClient } from './client.js';

/** A person looked up by email or mobile (`card lookup-user`). */
export interface LookedUpUser {
  input: string;
  type: 'email' | 'mobile';
  user_id: string | null;
  found: boolean;
  status: UserStatus | null;
}

/** The endpoint takes 50 emails and 50 mobiles per call. */
const BATCH = 50;

/** Looks every person up, in batches; whoever is not found stays `found: false`. */
export async function lookupUsers(
  client: FeishuClient,
  people: Array<{ input: string; type: 'email' | 'mobile' }>,
  opts: { userIdType: UserIdType; includeResigned?: boolean },
): Promise<LookedUpUser[]> {
  const rows: LookedUpUser[] = people.map((p) => ({ ...p, user_id: null, found: false, status: null }));
  const emails = rows.filter((r) => r.type === 'email');
  const mobiles = rows.filter((r) => r.type === 'mobile');
  for (let i = 0; i < Math.max(emails.length, mobiles.length); i += BATCH) {
    const e = emails.slice(i, i + BATCH);
    const m = mobiles.slice(i, i + BATCH);
    const entries = await batchGetUserIds(client, { emails: e.map((r) => r.input), mobiles: m.map((r) => r.input), userIdType: opts.userIdType, includeResigned: opts.includeResigned });
    for (const entry of entries) {
      const key = entry.email ?? entry.mobile;
      const row = (entry.email !== undefined ? e : m).find((r) => r.input === key && !r.found);
      if (row && entry.user_id) Object.assign(row, { user_id: entry.user_id, found: true, status: entry.status ?? null });
    }
  }
  return rows;
}

/** What a user's status says, for a table column. */
export function statusFlags(s: UserStatus | null): string {
  if (!s) return '';
  const flags = [s.is_resigned && 'resigned', s.is_frozen && 'frozen', s.is_activated === false && 'not activated', s.is_exited && 'exited', s.is_unjoin && 'not joined'];
  return flags.filter(Boolean).join(', ');
}
