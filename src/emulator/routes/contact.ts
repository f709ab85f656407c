import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { s } from '../catalogue/schema.js';
import type { UserRecord } from '../store.js';

export const USER_ID_TYPE = s.optional(s.enum(['open_id', 'union_id', 'user_id']));

function status(u: UserRecord) {
  return { is_frozen: u.frozen, is_resigned: u.resigned, is_activated: true, is_exited: false, is_unjoin: false };
}

export const contactRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/contact/v3/users/batch_get_id',
    title: '通过手机号或邮箱获取用户 ID',
    tokens: ['tenant'],
    scopes: ['contact:user.id:readonly'],
    query: s.object({ user_id_type: USER_ID_TYPE }),
    body: s.object({
      emails: s.optional(s.array(s.string(), { maxItems: 50 })),
      mobiles: s.optional(s.array(s.string(), { maxItems: 50 })),
      include_resigned: s.optional(s.boolean()),
    }),
    errors: [],
    coverage: { partial: "the docs do not say whether the app's availability or its contact range (通讯录权限范围) hides a user: both do here" },
    notes: "Mainland mobiles match with or without +86; unknown entries, and users outside the app's availability or contact range, come back without `user_id`, and the call still succeeds.",
    handle({ query, body, app, core }) {
      const idType = query.user_id_type ?? 'open_id';
      const store = core.store;
      const visible = (u: UserRecord | undefined): u is UserRecord => !!u && (!u.resigned || body.include_resigned === true) && (!app.availability || app.availability.has(u.open_id)) && store.userInRange(app, u);
      // Unknown or invisible entries are echoed without a user_id, and the call still succeeds.
      const user_list = [
        ...(body.mobiles ?? []).map((mobile) => {
          const u = store.findUser('mobile', mobile);
          return visible(u) ? { user_id: store.userIdOf(u, idType), mobile, status: status(u) } : { mobile };
        }),
        ...(body.emails ?? []).map((email) => {
          const u = store.findUser('email', email);
          return visible(u) ? { user_id: store.userIdOf(u, idType), email, status: status(u) } : { email };
        }),
      ];
      return ok({ user_list });
    },
  }),
];
