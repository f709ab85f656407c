import type { UserIdType } from '../../feishu/receive-id-type.js';
import { receiveIdTypeOf } from '../../feishu/receivers.js';
import { lookupUsers, statusFlags } from '../../feishu/users.js';
import { CliError, usageError } from '../../output/errors.js';
import { table } from '../../output/format.js';
import type { CommandContext } from '../declare.js';

interface LookupOptions {
  userIdType: UserIdType;
  includeResigned?: boolean;
  allowMissing?: boolean;
}

export async function run(ctx: CommandContext, inputs: string[], opts: LookupOptions): Promise<void> {
  const people = inputs.map((input) => {
    const type = receiveIdTypeOf(input);
    if (type !== 'email' && type !== 'mobile') throw usageError(`"${input}" is neither an email address nor a mobile number`);
    return { input, type };
  });
  const rows = await lookupUsers(await ctx.client(), people, { userIdType: opts.userIdType, includeResigned: opts.includeResigned });
  ctx.out.print(table(rows.map((r) => [r.input, r.user_id ?? 'not found', statusFlags(r.status)]), !!ctx.out.stdout.isTTY));
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
