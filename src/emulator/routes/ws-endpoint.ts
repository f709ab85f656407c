import type { Route } from '../core.js';
import { isObject } from '../../card/inspect.js';
import { ENDPOINT_CODES } from '../ws-hub.js';

/**
 * `POST /callback/ws/endpoint`, at the root as on the platform (no /open-apis prefix): the SDK's
 * `{"AppID","AppSecret"}` in, a one-time WebSocket URL and the client settings out.
 */
export const wsEndpointRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/callback/ws/endpoint',
    auth: 'none',
    handle(ctx) {
      const body = isObject(ctx.body) ? ctx.body : {};
      const appId = typeof body.AppID === 'string' ? body.AppID : '';
      const secret = typeof body.AppSecret === 'string' ? body.AppSecret : '';
      const app = ctx.core.store.apps.get(appId);
      // The SDKs send PascalCase keys; other spellings fail like wrong credentials (514, [3P]).
      if (!app || !secret || app.app_secret !== secret) {
        return { body: { code: ENDPOINT_CODES.authFailed, msg: `auth failed: ${app ? 'wrong AppSecret' : appId ? `no app ${appId}` : 'the body needs {"AppID","AppSecret"}'}`, data: null } };
      }
      const host = ctx.req.headers.host ?? '127.0.0.1';
      return { body: { code: 0, msg: 'ok', data: ctx.core.ws.endpoint(`http://${host}`, app) } };
    },
  },
];
