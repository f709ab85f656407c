import type { Route, RouteResult } from '../core.js';
import { openApi, type OpenApiContext } from '../catalogue/declare.js';
import { fail, failVariant } from '../catalogue/errors.js';
import { s, type Infer } from '../catalogue/schema.js';

/**
 * The token routes of a self-built app. Both halves are optional in the schema because the
 * platform answers a missing one with its own 10003, not the gateway's field violation; a half of
 * the wrong JSON type is still the gateway's 9499.
 */
const CREDENTIALS = s.object({
  app_id: s.optional(s.string()),
  app_secret: s.optional(s.string()),
});

/** The app whose credentials these are; the platform says which half is wrong (10014). */
function appFromCredentials({ body, core }: OpenApiContext<unknown, unknown, Infer<typeof CREDENTIALS>>) {
  if (!body.app_id || !body.app_secret) throw fail(10003);
  const app = core.store.apps.get(body.app_id);
  if (!app) throw failVariant(10014, 'unknown_app');
  if (app.app_secret !== body.app_secret) throw fail(10014);
  return app;
}

/** Token routes put their fields at the top level, not under `data`, and say `ok`. */
const tokenAnswer = (fields: Record<string, unknown>): RouteResult => ({ body: { code: 0, msg: 'ok', ...fields } });

export const authRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/auth/v3/tenant_access_token/internal',
    title: '自建应用获取 tenant_access_token',
    tokens: [],
    body: CREDENTIALS,
    errors: [10003, 10014],
    notes: "`app_id` and `app_secret` in the body; the answer's fields sit at the top level (not under `data`): `tenant_access_token` and `expire` in seconds. The same token comes back while more than 30 minutes of it remain, then a new one (both stay valid). A wrong secret is `10014` app secret invalid, an unknown app `10014` app id not exists, a missing field `10003`. No `Authorization` header is read, so a stale token sent along does not stop it.",
    coverage: 'full',
    handle(ctx) {
      const { token, expire } = ctx.core.issueTenantToken(appFromCredentials(ctx));
      return tokenAnswer({ tenant_access_token: token, expire });
    },
  }),
  openApi({
    method: 'POST',
    path: '/open-apis/auth/v3/app_access_token/internal',
    title: '自建应用获取 app_access_token',
    tokens: [],
    body: CREDENTIALS,
    errors: [10003, 10014],
    notes: 'As the tenant token route: `app_id` and `app_secret`; answers `app_access_token`, `tenant_access_token` and `expire` at the top level; the same secret and app checks; reads no `Authorization` header.',
    coverage: { partial: 'the app_access_token is the tenant token (the emulator keeps one kind of token); no route takes it where it would differ' },
    handle(ctx) {
      const { token, expire } = ctx.core.issueTenantToken(appFromCredentials(ctx));
      // A self-built app's answer carries the tenant token too.
      return tokenAnswer({ app_access_token: token, tenant_access_token: token, expire });
    },
  }),
];
