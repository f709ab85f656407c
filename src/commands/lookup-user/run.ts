import type { Context } from '../../context.js';
import { batchGetUserIds, type UserIdType, type UserStatus } from '../../feishu/api.js';
import { clientFromContext } from '../../feishu/client.js';
import { shapeOf } from '../../feishu/receivers.js';
import { CliError, usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';

interface LookupOptions {
  userIdType: string;
  includeResigned?: boolean;
  allowMissing?: boolean;
}

interface Row {
  input: string;
  type: 'email' | 'mobile';
  user_id: string | null;
  found: boolean;
  status: UserStatus | null;
}

const ID_TYPES = ['open_id', 'union_id', 'user_id'];

function statusFlags(s: UserStatus | null): string {
  if (!s) return '';
  const flags = [s.is_resigned && 'resigned', s.is_frozen && 'frozen', s.is_activated === false && 'not activated', s.is_exited && 'exited', s.is_unjoin && 'not joined'];
  return flags.filter(Boolean).join(', ');
}

export async function run(ctx: Context, inputs: string[], opts: LookupOptions): Promise<void> {
  if (!ID_TYPES.includes(opts.userIdType)) throw usageError(`--user-id-type must be one of ${ID_TYPES.join(', ')}, not "${opts.userIdType}"`);
  const rows: Row[] = inputs.map((input) => {
    const shape = shapeOf(input);
    if (shape !== 'email' && shape !== 'mobile') throw usageError(`"${input}" is neither an email address nor a mobile number`);
    return { input, type: shape, user_id: null, found: false, status: null };
  });
  const emails = rows.filter((r) => r.type === 'email');
  const mobiles = rows.filter((r) => r.type === 'mobile');
  const client = await clientFromContext(ctx);
  try {
    // The endpoint takes 50 emails and 50 mobiles per call.
    for (let i = 0; i < Math.max(emails.length, mobiles.length); i += 50) {
      const e = emails.slice(i, i + 50);
      const m = mobiles.slice(i, i + 50);
      const entries = await batchGetUserIds(client, {
        emails: e.map((r) => r.input),
        mobiles: m.map((r) => r.input),
        userIdType: opts.userIdType as UserIdType,
        includeResigned: opts.includeResigned,
      });
      for (const entry of entries) {
        const key = entry.email ?? entry.mobile;
        const row = (entry.email !== undefined ? e : m).find((r) => r.input === key && !r.found);
        if (row && entry.user_id) Object.assign(row, { user_id: entry.user_id, found: true, status: entry.status ?? null });
      }
    }
  } finally {
    await client.close();
  }
  const tty = !!ctx.out.stdout.isTTY;
  ctx.out.print(table(rows.map((r) => [r.input, r.user_id ?? 'not found', statusFlags(r.status)]), tty));
  const missing = rows.filter((r) => !r.found);
  if (missing.length && !opts.allowMissing) {
    throw new CliError('api', `${missing.length} of ${rows.length} not found: ${missing.map((r) => r.input).join(', ')}`, {
      code: 'user_not_found',
      hint: 'Unknown, resigned (see --include-resigned), or outside the app\'s availability range. Pass --allow-missing to exit 0 anyway.',
      details: { users: rows },
    });
  }
  ctx.out.result({ user_id_type: opts.userIdType, users: rows });
}
