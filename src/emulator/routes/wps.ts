import { isObject } from '../../card/inspect.js';
import { signWps3, verifyWps4 } from '../../wps/sign.js';
import type { Route, RouteContext, RouteResult } from '../core.js';
import { newId } from '../ids.js';
import type { WpsMessageRecord } from '../store.js';
import type { SeedWpsApp } from '../seed.js';

/**
 * WPS 协作, private-deployment style (reference/wps.md, generation B): everything under the
 * gateway prefix /o/woa, signed WPS-4 (or WPS-3) over the path without that prefix, with a
 * company_token in the query. WPS documents no error codes for these endpoints; the emulator's
 * are its own, in WPS's {"result": …} shape.
 */
export const WPS_PREFIX = '/o/woa';
const TOKEN_TTL_S = 7200;
const MAX_CARD_CHARS = 5000;

export const WPS_ERRORS = {
  badSignature: 40101,
  badToken: 40102,
  badRequest: 40001,
  notInCompany: 40003,
  ctxId: 40004,
} as const;

class WpsFailure extends Error {
  constructor(
    readonly status: number,
    readonly result: number,
    msg: string,
  ) {
    super(msg);
  }
}

const fail = (status: number, result: number, msg: string) => new WpsFailure(status, result, msg);

/** The signing app, from a WPS-4 or WPS-3 signature over the path without the gateway prefix. */
function signedApp(ctx: RouteContext): SeedWpsApp {
  const url = new URL(ctx.req.url ?? '/', 'http://x');
  const uri = url.pathname.slice(WPS_PREFIX.length) + url.search;
  const apps = ctx.core.store.wpsApps;
  const h = ctx.req.headers;
  const xAuth = typeof h['x-auth'] === 'string' ? h['x-auth'] : null;
  if (xAuth) {
    const m = /^WPS-3:([^:]+):([0-9a-f]{40})$/.exec(xAuth);
    const app = m ? apps.get(m[1]!) : undefined;
    if (!m || !app) throw fail(401, WPS_ERRORS.badSignature, 'invalid X-Auth: unknown app or malformed WPS-3 header');
    const expected = signWps3({ appId: app.app_key, secretKey: app.secret, url: uri, contentType: String(h['content-type'] ?? ''), date: String(h.date ?? ''), body: ctx.raw });
    if (expected.xAuth !== xAuth || (h['content-md5'] !== undefined && h['content-md5'] !== expected.contentMd5)) throw fail(401, WPS_ERRORS.badSignature, 'WPS-3 signature does not match');
    return app;
  }
  const auth = String(h['wps-docs-authorization'] ?? h.authorization ?? '');
  const appKey = /^WPS-4 ([^:\s]+):/.exec(auth)?.[1];
  const app = appKey ? apps.get(appKey) : undefined;
  if (!app) throw fail(401, WPS_ERRORS.badSignature, appKey ? `unknown app ${appKey}` : 'missing WPS-4 signature (Wps-Docs-Authorization / Authorization)');
  const verdict = verifyWps4(h, { method: ctx.req.method ?? 'GET', uri, body: ctx.raw }, { appId: app.app_key, secret: app.secret }, { now: ctx.core.now() });
  if (!verdict.ok) throw fail(401, WPS_ERRORS.badSignature, `WPS-4 signature check failed: ${verdict.reason}`);
  return app;
}

function tokenApp(ctx: RouteContext, app: SeedWpsApp): void {
  const token = ctx.query.get('company_token');
  const record = token ? ctx.core.store.wpsTokens.get(token) : undefined;
  if (!record || record.expires_at <= ctx.core.now() || record.app_key !== app.app_key) throw fail(401, WPS_ERRORS.badToken, 'company_token is missing, unknown or expired');
}

function jsonBody(ctx: RouteContext): Record<string, unknown> {
  try {
    const v = JSON.parse(ctx.raw.toString('utf8')) as unknown;
    if (isObject(v)) return v;
  } catch {
    // fall through
  }
  throw fail(400, WPS_ERRORS.badRequest, 'the body must be a JSON object');
}

/** A card message's content: {type: 23, content: {card}}; the card within WPS's size limit. */
function cardFrom(body: Record<string, unknown>): Record<string, unknown> {
  const content = body.content;
  if (body.msg_type !== 23 || !isObject(content) || content.type !== 23 || !isObject(content.content)) {
    throw fail(400, WPS_ERRORS.badRequest, 'a card message needs msg_type 23 and content {"type": 23, "content": {card}}');
  }
  const chars = [...JSON.stringify(content.content)].length;
  if (chars > MAX_CARD_CHARS) throw fail(400, WPS_ERRORS.badRequest, `the card is ${chars} characters; the limit is ${MAX_CARD_CHARS}`);
  const elements = content.content.elements;
  if (Array.isArray(elements) && elements.length > 20) throw fail(400, WPS_ERRORS.badRequest, `the card has ${elements.length} components; the limit is 20`);
  return content.content;
}

function checkTargets(app: SeedWpsApp, body: Record<string, unknown>): void {
  const given = ['to_users', 'to_depts', 'to_companies', 'to_chats'].filter((k) => body[k] !== undefined);
  if (!given.length) throw fail(400, WPS_ERRORS.badRequest, 'say who gets it: to_users, to_depts or to_companies');
  const users = body.to_users;
  if (users !== undefined) {
    if (!isObject(users) || !Array.isArray(users.company_uids) || !users.company_uids.length) throw fail(400, WPS_ERRORS.badRequest, 'to_users needs company_id and company_uids');
    if (users.company_id !== app.company_id) throw fail(400, WPS_ERRORS.notInCompany, `to_users.company_id ${String(users.company_id)} is not the app's company`);
    const unknown = (users.company_uids as unknown[]).filter((u) => app.company_uids && !app.company_uids.includes(String(u)));
    if (unknown.length) throw fail(400, WPS_ERRORS.notInCompany, `users not in the company or the app's range: ${unknown.join(', ')}`);
  }
  const depts = body.to_depts;
  if (depts !== undefined) {
    if (!isObject(depts) || depts.company_id !== app.company_id) throw fail(400, WPS_ERRORS.notInCompany, 'to_depts.company_id is not the app\'s company');
    const ids = Array.isArray(depts.dept_ids) ? depts.dept_ids : [depts.dept_ids];
    const unknown = ids.filter((d) => app.dept_ids && !app.dept_ids.includes(String(d)));
    if (unknown.length) throw fail(400, WPS_ERRORS.notInCompany, `departments not in the company: ${unknown.join(', ')}`);
  }
  if (body.to_companies !== undefined) {
    const ids = Array.isArray(body.to_companies) ? body.to_companies : [body.to_companies];
    if (ids.some((c) => String(c) !== app.company_id)) throw fail(400, WPS_ERRORS.notInCompany, 'to_companies holds a company other than the app\'s');
  }
}

/** Runs a WPS handler, answering failures in WPS's envelope. */
function wps(handler: (ctx: RouteContext) => RouteResult): (ctx: RouteContext) => RouteResult {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (err) {
      if (err instanceof WpsFailure) return { status: err.status, body: { result: err.result, msg: err.message } };
      throw err;
    }
  };
}

function issueToken(ctx: RouteContext, app: SeedWpsApp) {
  const company_token = `ct-emu${newId.message().slice(3)}`;
  ctx.core.store.wpsTokens.set(company_token, { app_key: app.app_key, expires_at: ctx.core.now() + TOKEN_TTL_S * 1000 });
  return { company_token, expires_in: TOKEN_TTL_S };
}

export const wpsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: `${WPS_PREFIX}/oauthapi/v3/inner/company/token`,
    auth: 'wps',
    handle: wps((ctx) => {
      const app = signedApp(ctx);
      if (ctx.query.get('app_id') !== app.app_key) throw fail(400, WPS_ERRORS.badRequest, 'app_id must be the signing app');
      return { body: issueToken(ctx, app) };
    }),
  },
  {
    // A variant some private deployments use: the token wrapped in {token: …}.
    method: 'GET',
    pattern: `${WPS_PREFIX}/auth/v1/company/inner/token`,
    auth: 'wps',
    handle: wps((ctx) => {
      const app = signedApp(ctx);
      return { body: { token: issueToken(ctx, app) } };
    }),
  },
  {
    method: 'POST',
    pattern: `${WPS_PREFIX}/api/v2/developer/app/messages`,
    auth: 'wps',
    handle: wps((ctx) => {
      const app = signedApp(ctx);
      tokenApp(ctx, app);
      const body = jsonBody(ctx);
      if (body.app_key !== app.app_key) throw fail(400, WPS_ERRORS.badRequest, 'app_key must be the AK that signs the request');
      const card = cardFrom(body);
      checkTargets(app, body);
      const ctxId = typeof body.ctx_id === 'string' ? body.ctx_id : null;
      if (ctxId !== null && ctxId.length > 36) throw fail(400, WPS_ERRORS.ctxId, 'ctx_id may be at most 36 characters');
      const store = ctx.core.store;
      if (ctxId && [...store.wpsMessages.values()].some((m) => m.app_key === app.app_key && m.ctx_id === ctxId)) {
        throw fail(400, WPS_ERRORS.ctxId, `ctx_id ${ctxId} is already used by this app; it must not repeat`);
      }
      const utype = Number(body.utype ?? 0);
      if (utype === 1 && !ctxId) throw fail(400, WPS_ERRORS.ctxId, 'utype 1 (will be updated) needs a ctx_id');
      const now = ctx.core.now();
      const message: WpsMessageRecord = {
        message_id: newId.message().replace(/^om_/, ''),
        app_key: app.app_key,
        ctx_id: ctxId,
        biz_type: typeof body.biz_type === 'string' ? body.biz_type : null,
        utype,
        targets: { to_users: body.to_users, to_depts: body.to_depts, to_companies: body.to_companies, to_chats: body.to_chats },
        versions: [{ card, at: now, via: 'create' }],
        create_time: now,
      };
      store.wpsMessages.set(message.message_id, message);
      return { body: { result: 0, message_id: message.message_id } };
    }),
  },
  {
    // Not found in WPS's public docs: modelled on the send API, keyed by app_key + ctx_id (reference/wps.md §3.4).
    method: 'POST',
    pattern: `${WPS_PREFIX}/api/v2/developer/app/messages/update`,
    auth: 'wps',
    handle: wps((ctx) => {
      const app = signedApp(ctx);
      tokenApp(ctx, app);
      const body = jsonBody(ctx);
      const message = [...ctx.core.store.wpsMessages.values()].find((m) => m.app_key === app.app_key && m.ctx_id === body.ctx_id);
      if (!message) throw fail(400, WPS_ERRORS.ctxId, `no message of this app has ctx_id ${String(body.ctx_id)}`);
      if (message.utype !== 1) throw fail(400, WPS_ERRORS.ctxId, 'the message was sent with utype 0 (not updatable)');
      message.versions.push({ card: cardFrom({ msg_type: 23, ...body }), at: ctx.core.now(), via: 'update' });
      return { body: { result: 0 } };
    }),
  },
  {
    method: 'GET',
    pattern: '/_emulator/wps/messages',
    auth: 'none',
    handle: (ctx) => ({
      body: {
        code: 0,
        msg: 'success',
        data: { messages: [...ctx.core.store.wpsMessages.values()].map((m) => ({ ...m, card: m.versions[m.versions.length - 1]!.card })) },
      },
    }),
  },
];
