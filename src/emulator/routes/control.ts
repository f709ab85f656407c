import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { newId } from '../ids.js';
import { parseFaults } from '../faults.js';
import { PLATFORM_RATE_LIMITS } from '../rate-limit.js';
import type { MessageRecord, MessageVersion } from '../store.js';
import { checkFields, objectBody } from '../validate.js';
import { CARD_TOKEN_TTL_MS } from './card-update.js';
import { pageSize } from '../ring.js';

/**
 * The emulator's own API, for tests and tools: read what arrived, move the clock, reset.
 * It has no auth: the emulator listens on loopback and holds only made-up data.
 */

function versionView(v: MessageVersion) {
  return { content: v.content, card: v.card, at: v.at, via: v.via };
}

export function storedMessageView(m: MessageRecord) {
  const current = m.versions[m.versions.length - 1]!;
  return {
    message_id: m.message_id,
    app_id: m.app_id,
    chat_id: m.chat_id,
    msg_type: m.msg_type,
    receive_id: m.receive_id,
    receive_id_type: m.receive_id_type,
    uuid: m.uuid,
    create_time: m.create_time,
    update_time: m.update_time,
    updated: m.updated,
    deleted: m.deleted,
    content: current.content,
    card: current.card,
    versions: m.versions.map(versionView),
    user_views: Object.fromEntries([...m.user_views].map(([k, v]) => [k, versionView(v)])),
  };
}

export function stateView(ctx: Pick<RouteContext, 'core'>) {
  const store = ctx.core.store;
  return {
    tenant_key: store.tenantKey,
    apps: [...store.apps.values()].map((a) => ({
      app_id: a.app_id,
      app_secret: a.app_secret,
      name: a.name,
      bot_open_id: a.bot_open_id,
      scopes: a.scopes ? [...a.scopes] : null,
      encrypt_key: a.encrypt_key,
      verification_token: a.verification_token,
      callback_url: a.callback_url,
    })),
    users: store.users.map((u) => ({ ...u })),
    chats: [...store.chats.values()].map((c) => ({
      chat_id: c.chat_id,
      name: c.name,
      chat_mode: c.chat_mode,
      members: [...c.members],
      bots: [...c.bots],
      dissolved: c.dissolved,
    })),
    templates: [...store.templates.values()].map((t) => ({
      template_id: t.template_id,
      versions: t.versions.map((v) => ({ version_name: v.version_name, variables: v.variables ?? {} })),
    })),
    wps_apps: [...store.wpsApps.values()].map((a) => ({ ...a })),
  };
}

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

export const controlRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/_emulator/requests',
    auth: 'none',
    handle(ctx) {
      // Paged by seq: page_token is the seq of the last request on the page before.
      const path = ctx.query.get('path');
      const after = Math.max(Number(ctx.query.get('since') ?? 0) || 0, Number(ctx.query.get('page_token') ?? 0) || 0);
      const size = pageSize(ctx.query);
      const log = ctx.core.requestLog();
      const requests = [];
      let hasMore = false;
      for (let i = 0; i < log.size; i++) {
        const r = log.at(i)!;
        if (r.seq <= after || (path && r.path !== path)) continue;
        if (requests.length === size) {
          hasMore = true;
          break;
        }
        requests.push(r);
      }
      return ok({ requests, has_more: hasMore, page_token: hasMore ? String(requests[requests.length - 1]!.seq) : null });
    },
  },
  {
    method: 'DELETE',
    pattern: '/_emulator/requests',
    auth: 'none',
    handle(ctx) {
      ctx.core.clearRequests();
      return ok({});
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/reset',
    auth: 'none',
    handle(ctx) {
      ctx.core.reset();
      return ok({});
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/state',
    auth: 'none',
    handle: (ctx) => ok(stateView(ctx)),
  },
  {
    method: 'GET',
    pattern: '/_emulator/messages',
    auth: 'none',
    handle(ctx) {
      const q = ctx.query;
      const chatId = q.get('chat_id');
      const receiveId = q.get('receive_id');
      const size = pageSize(q);
      const store = ctx.core.store;
      // page_token is the last message_id of the page before. Only the oldest are ever dropped,
      // so a token whose message is gone means every message still kept comes after it.
      const token = q.get('page_token');
      let started = !token || !store.messages.has(token);
      const messages = [];
      let hasMore = false;
      for (const m of store.messages.values()) {
        if (!started) {
          started = m.message_id === token;
          continue;
        }
        if ((chatId && m.chat_id !== chatId) || (receiveId && m.receive_id !== receiveId)) continue;
        if (messages.length === size) {
          hasMore = true;
          break;
        }
        messages.push(storedMessageView(m));
      }
      return ok({ messages, has_more: hasMore, page_token: hasMore ? messages[messages.length - 1]!.message_id : null, dropped: store.droppedMessages });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/messages/:message_id',
    auth: 'none',
    handle(ctx) {
      const m = ctx.core.store.messages.get(ctx.params.message_id!);
      if (!m) throw new PlatformError(404, 404, `no message ${ctx.params.message_id}.${ctx.core.store.droppedNote(ctx.params.message_id!)}`);
      return ok(storedMessageView(m));
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/messages/:message_id/recall',
    auth: 'none',
    handle(ctx) {
      const m = ctx.core.store.messages.get(ctx.params.message_id!);
      if (!m) throw new PlatformError(404, 404, `no message ${ctx.params.message_id}`);
      m.deleted = true;
      return ok(storedMessageView(m));
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/clock',
    auth: 'none',
    handle(ctx) {
      const body = checkFields<{ advance_seconds: number }>(objectBody(ctx.body), { advance_seconds: { type: 'number', required: true } });
      ctx.core.clock.advance(body.advance_seconds * 1000);
      return ok({ now: ctx.core.now() });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/card-tokens',
    auth: 'none',
    handle(ctx) {
      // What a click does on the platform: mint the `c-` token a callback carries.
      const body = checkFields<{ message_id: string; open_id?: string }>(objectBody(ctx.body), {
        message_id: { type: 'string', required: true },
        open_id: { type: 'string' },
      });
      const store = ctx.core.store;
      const m = store.messages.get(body.message_id);
      if (!m) throw new PlatformError(404, 404, `no message ${body.message_id}.${store.droppedNote(body.message_id)}`);
      const openId = body.open_id ?? store.users[0]?.open_id ?? '';
      const token = newId.cardToken();
      const issued_at = ctx.core.now();
      store.cardTokens.set(token, { token, app_id: m.app_id, message_id: m.message_id, open_id: openId, issued_at, uses: 0 });
      return ok({ token, open_id: openId, expires_at: issued_at + CARD_TOKEN_TTL_MS });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/settings',
    auth: 'none',
    handle: (ctx) => ok(ctx.core.settings),
  },
  {
    method: 'PATCH',
    pattern: '/_emulator/settings',
    auth: 'none',
    handle(ctx) {
      const body = checkFields<{ token_ttl_seconds?: number; rate_limits?: unknown; faults?: string }>(objectBody(ctx.body), {
        token_ttl_seconds: { type: 'number' },
        faults: { type: 'string' },
      });
      const settings = ctx.core.settings;
      if (body.faults !== undefined) {
        try {
          settings.faults = parseFaults(body.faults);
        } catch (err) {
          throw new PlatformError(400, 99992402, (err as Error).message);
        }
      }
      if (body.token_ttl_seconds !== undefined) settings.tokenTtlSeconds = body.token_ttl_seconds;
      if (body.rate_limits === false) settings.rateLimits = false;
      else if (body.rate_limits === true) settings.rateLimits = { ...PLATFORM_RATE_LIMITS };
      else if (typeof body.rate_limits === 'object' && body.rate_limits !== null) {
        settings.rateLimits = { ...(settings.rateLimits || PLATFORM_RATE_LIMITS), ...(body.rate_limits as object) };
      }
      return ok(settings);
    },
  },
];
