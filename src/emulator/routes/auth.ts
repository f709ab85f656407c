import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { checkFields, objectBody } from '../validate.js';

/** Checks app credentials; the platform answers a bad pair with 10014 and names which half is wrong. */
function appFromCredentials(ctx: RouteContext) {
  const body = checkFields<{ app_id?: string; app_secret?: string }>(objectBody(ctx.body), {
    app_id: { type: 'string' },
    app_secret: { type: 'string' },
  });
  if (!body.app_id || !body.app_secret) throw new PlatformError(400, 10003, 'invalid param');
  const app = ctx.core.store.apps.get(body.app_id);
  if (!app) throw new PlatformError(400, 10014, 'app id not exists');
  if (app.app_secret !== body.app_secret) throw new PlatformError(400, 10014, 'app secret invalid');
  return app;
}

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/open-apis/auth/v3/tenant_access_token/internal',
    auth: 'none',
    handle(ctx) {
      const app = appFromCredentials(ctx);
      const { token, expire } = ctx.core.issueTenantToken(app);
      // Token endpoints put their fields at the top level, not under `data`.
      return { body: { code: 0, msg: 'ok', tenant_access_token: token, expire } };
    },
  },
  {
    method: 'POST',
    pattern: '/open-apis/auth/v3/app_access_token/internal',
    auth: 'none',
    handle(ctx) {
      const app = appFromCredentials(ctx);
      const { token, expire } = ctx.core.issueTenantToken(app);
      return { body: { code: 0, msg: 'ok', app_access_token: token, tenant_access_token: token, expire } };
    },
  },
];
