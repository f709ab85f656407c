import type { Route } from '../core.js';
import { checkFields, objectBody, queryEnum } from '../validate.js';
import type { UserRecord } from '../store.js';

const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;

function status(u: UserRecord) {
  return { is_frozen: u.frozen, is_resigned: u.resigned, is_activated: true, is_exited: false, is_unjoin: false };
}

export const contactRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/contact/v3/users/batch_get_id',
    auth: 'tenant',
    scopes: ['contact:user.id:readonly'],
    handle(ctx) {
      const idType = queryEnum(ctx.query, 'user_id_type', USER_ID_TYPES, 'open_id');
      const body = checkFields<{ emails?: string[]; mobiles?: string[]; include_resigned?: boolean }>(objectBody(ctx.body), {
        emails: { type: 'string[]', maxItems: 50 },
        mobiles: { type: 'string[]', maxItems: 50 },
        include_resigned: { type: 'boolean' },
      });
      const store = ctx.core.store;
      const visible = (u: UserRecord | undefined) =>
        u && (!u.resigned || body.include_resigned) && (!ctx.app.availability || ctx.app.availability.has(u.open_id));
      // Unknown or invisible entries are echoed without a user_id, and the call still succeeds.
      const user_list = [
        ...(body.mobiles ?? []).map((mobile) => {
          const u = store.findUser('mobile', mobile);
          return visible(u) ? { user_id: store.userIdOf(u!, idType), mobile, status: status(u!) } : { mobile };
        }),
        ...(body.emails ?? []).map((email) => {
          const u = store.findUser('email', email);
          return visible(u) ? { user_id: store.userIdOf(u!, idType), email, status: status(u!) } : { email };
        }),
      ];
      return { body: { code: 0, msg: 'success', data: { user_list } } };
    },
  },
];
