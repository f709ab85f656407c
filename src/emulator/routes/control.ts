import type { Card } from '../../card/types.js';
import type { Route, RouteContext } from '../core.js';
import { readEvents, recallEvents } from '../message-events.js';
import { deliveriesSettled } from '../delivery.js';
import { PlatformError } from '../http.js';
import { extraOf } from '../message-extras.js';
import { newId } from '../ids.js';
import { parseFaults, type FaultSettings } from '../faults.js';
import { PLATFORM_RATE_LIMITS, type RateLimitSettings } from '../rate-limit.js';
import type { MessageRecord, MessageVersion } from '../store.js';
import { checkFields, fieldViolation, objectBody, wrongType } from '../validate.js';
import { CARD_TOKEN_TTL_MS } from './card-update.js';
import { RECALL_WINDOW_MS } from './messages.js';
import { pageSize } from '../ring.js';
import { MAX_RATE, MAX_TOKEN_TTL_SECONDS } from '../settings-limits.js';

/**
 * The emulator's own API, for tests and tools: read what arrived, move the clock, reset.
 * It has no auth: the emulator listens on loopback and holds only made-up data.
 */

/**
 * The card as the control API and `RunningEmulator.messages()` show it, typed as card JSON: the
 * emulator stores only cards that pass `card lint`'s rules (unless `settings.cardRules` is off).
 */
const asCard = (card: MessageVersion['card']) => card as Card | null;

function versionView(v: MessageVersion) {
  return { content: v.content, card: asCard(v.card), at: v.at, via: v.via };
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
    card: asCard(current.card),
    versions: m.versions.map(versionView),
    user_views: Object.fromEntries([...m.user_views].map(([k, v]) => [k, versionView(v)])),
    sender: m.sender_open_id ? { type: 'user', open_id: m.sender_open_id } : { type: 'app', app_id: m.app_id },
    mentions: m.mentions ?? [],
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
      callback_mode: a.callback_mode ?? (a.callback_url ? 'http' : 'ws'),
      event_url: a.event_url,
      event_mode: a.event_mode ?? (a.event_url ? 'http' : 'ws'),
      ws_card_frames: a.ws_card_frames,
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

/** The client's rules for a person taking back a message: their own, not yet recalled, within the window. */
function personMayRecall(ctx: RouteContext, m: MessageRecord, openId: string): void {
  const user = ctx.core.store.findUser('open_id', openId);
  if (!user) throw new PlatformError(404, 404, `no user ${openId}`);
  if (m.sender_open_id !== user.open_id) {
    const sender = m.sender_open_id ? `${m.sender_open_id} sent it` : `the bot ${m.app_id} sent it`;
    throw new PlatformError(400, 230026, `${user.name} cannot recall ${m.message_id}: a person recalls only their own messages, and ${sender}`);
  }
  if (m.deleted) throw new PlatformError(400, 230011, `${m.message_id} is already recalled`);
  if (ctx.core.now() - m.create_time > RECALL_WINDOW_MS) throw new PlatformError(400, 230009, `${m.message_id} is older than the recall window (24 hours, the tenant's default)`);
}

/** One clock move may not exceed a century either way. */
const MAX_CLOCK_STEP_SECONDS = 100 * 365 * 24 * 3600;
/** 9999-12-31T23:59:59.999Z, the last instant an ISO date can show. */
const LATEST_CLOCK_MS = 253_402_300_799_999;

/** `rate_limits` as a partial object of known keys and whole numbers; anything else is a 400. */
function rateLimitsInput(value: unknown): Partial<RateLimitSettings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType('rate_limits');
  const out: Partial<RateLimitSettings> = {};
  for (const [key, n] of Object.entries(value)) {
    if (!Object.hasOwn(PLATFORM_RATE_LIMITS, key)) {
      throw fieldViolation(`rate_limits.${key}`, `unknown limit; the limits are ${Object.keys(PLATFORM_RATE_LIMITS).join(', ')}`);
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_RATE) {
      throw fieldViolation(`rate_limits.${key}`, `must be a whole number from 1 to ${MAX_RATE}`, n);
    }
    out[key as keyof RateLimitSettings] = n;
  }
  return out;
}

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
      const messages = [];
      let hasMore = false;
      for (const m of store.messages.valuesAfter(q.get('page_token') || null)) {
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
    async handle(ctx) {
      const m = ctx.core.store.messages.get(ctx.params.message_id!);
      if (!m) throw new PlatformError(404, 404, `no message ${ctx.params.message_id}`);
      const openId = checkFields<{ open_id?: string }>(objectBody(ctx.body), { open_id: { type: 'string' } }).open_id;
      // As a person (the inbox): only their own message, once, within the tenant's recall window.
      if (openId !== undefined) personMayRecall(ctx, m, openId);
      const was = m.deleted;
      const now = ctx.core.now();
      ctx.core.store.recall(m, now);
      if (!was) ctx.core.events.emit('act', { kind: 'recall', message_id: m.message_id });
      // Its sender takes it back; the bots in the chat are told once, answered with the deliveries.
      const deliveries = was ? [] : await recallEvents(ctx.core, m, 'message_owner', now);
      return ok({ ...storedMessageView(m), deliveries });
    },
  },
  {
    // A member of the chat read the message (for tests and the inbox): read_users and the batch read counts show it.
    method: 'POST',
    pattern: '/_emulator/messages/:message_id/read',
    auth: 'none',
    async handle(ctx) {
      const store = ctx.core.store;
      const m = store.messages.get(ctx.params.message_id!);
      if (!m) throw new PlatformError(404, 404, `no message ${ctx.params.message_id}.${store.droppedNote(ctx.params.message_id!)}`);
      const openId = objectBody(ctx.body).open_id;
      if (openId === undefined) throw fieldViolation('open_id', 'open_id is required');
      if (typeof openId !== 'string') throw wrongType('open_id');
      const now = ctx.core.now();
      const first = !m.extra?.reads?.has(openId);
      if (!store.markRead(m, openId, now)) {
        throw new PlatformError(400, 400, `${openId} cannot read ${m.message_id}: only a member of its chat ${m.chat_id} who did not send it can`);
      }
      const reader = store.findUser('open_id', openId);
      if (first && reader) ctx.core.events.emit('act', { kind: 'read', open_id: openId, message_id: m.message_id });
      // Only the first read is news to the bot.
      const deliveries = first && reader ? await readEvents(ctx.core, m, reader, now) : [];
      const reads = [...(m.extra?.reads ?? [])].map(([open_id, at]) => ({ open_id, at }));
      return ok({ message_id: m.message_id, reads, deliveries });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/clock',
    auth: 'none',
    async handle(ctx) {
      const body = checkFields<{ advance_seconds: number }>(objectBody(ctx.body), { advance_seconds: { type: 'number', required: true } });
      const seconds = body.advance_seconds;
      if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_CLOCK_STEP_SECONDS) {
        throw fieldViolation('advance_seconds', `advance_seconds must be a number of seconds between -${MAX_CLOCK_STEP_SECONDS} and ${MAX_CLOCK_STEP_SECONDS} (100 years)`, seconds);
      }
      const next = ctx.core.now() + seconds * 1000;
      // Every date the emulator prints must stay a real date.
      if (next < 0 || next > LATEST_CLOCK_MS) throw fieldViolation('advance_seconds', 'the clock must stay between 1970 and 9999', seconds);
      ctx.core.clock.advance(seconds * 1000);
      // Answered once the re-sends that fell due are done, so the caller reads their outcome next.
      await deliveriesSettled(ctx.core);
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
      if (extraOf(m).batch_id) throw new PlatformError(409, 409, `${m.message_id} was sent with message/v4/batch_send: its card cannot be clicked`);
      const openId = body.open_id ?? store.users[0]?.open_id ?? '';
      const token = newId.cardToken();
      const issued_at = ctx.core.now();
      store.cardTokens.set(token, { token, app_id: m.app_id, message_id: m.message_id, open_id: openId, issued_at, uses: 0 });
      return ok({ token, open_id: openId, expires_at: issued_at + CARD_TOKEN_TTL_MS });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/url_previews',
    auth: 'none',
    handle(ctx) {
      // What showing a link does on the platform: make the preview whose token url.preview.get carries.
      // It belongs to the app that previews the link: `app_id`, or the app the message belongs to.
      const body = checkFields<{ message_id: string; url: string; app_id?: string }>(objectBody(ctx.body), {
        message_id: { type: 'string', required: true },
        url: { type: 'string', required: true, maxLength: 2048 },
        app_id: { type: 'string' },
      });
      const store = ctx.core.store;
      const m = store.messages.get(body.message_id);
      if (!m) throw new PlatformError(404, 404, `no message ${body.message_id}.${store.droppedNote(body.message_id)}`);
      if (!/^https?:\/\//i.test(body.url)) throw fieldViolation('url', 'url must be an http or https URL', body.url);
      const content = m.versions[m.versions.length - 1]!.content;
      if (!content.includes(body.url) && !content.includes(JSON.stringify(body.url).slice(1, -1))) {
        throw fieldViolation('url', `message ${m.message_id} does not contain this URL`, body.url);
      }
      const appId = body.app_id ?? m.app_id;
      if (!store.apps.has(appId) || !store.chats.get(m.chat_id)?.bots.has(appId)) throw fieldViolation('app_id', `app ${appId} has no bot in the message's chat`, appId);
      const p = store.registerUrlPreview(m, body.url, appId, ctx.core.now());
      return ok({ preview_token: p.token, app_id: p.app_id, message_id: p.message_id, chat_id: p.chat_id, url: p.url, refreshes: p.refreshes, last_refresh: p.last_refresh, last_open_ids: p.last_open_ids });
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
      const input = objectBody(ctx.body);
      for (const key of Object.keys(input)) {
        if (!['token_ttl_seconds', 'rate_limits', 'faults', 'card_rules'].includes(key)) throw fieldViolation(key, `unknown setting; the settings are token_ttl_seconds, rate_limits, faults and card_rules`);
      }
      const body = checkFields<{ token_ttl_seconds?: number; rate_limits?: unknown; faults?: string; card_rules?: boolean }>(input, {
        token_ttl_seconds: { type: 'number' },
        faults: { type: 'string', maxLength: 200 },
        card_rules: { type: 'boolean' },
      });
      // Everything is checked before anything changes: a bad request leaves the settings as they were.
      let faults: FaultSettings | undefined;
      if (body.faults !== undefined) {
        try {
          faults = parseFaults(body.faults);
        } catch (err) {
          throw new PlatformError(400, 99992402, (err as Error).message);
        }
      }
      const ttl = body.token_ttl_seconds;
      if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS)) {
        throw fieldViolation('token_ttl_seconds', `token_ttl_seconds must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}`, ttl);
      }
      const settings = ctx.core.settings;
      let rateLimits = settings.rateLimits;
      if (body.rate_limits === false) rateLimits = false;
      else if (body.rate_limits === true) rateLimits = { ...PLATFORM_RATE_LIMITS };
      else if (body.rate_limits !== undefined) rateLimits = { ...(settings.rateLimits || PLATFORM_RATE_LIMITS), ...rateLimitsInput(body.rate_limits) };
      if (faults) settings.faults = faults;
      if (ttl !== undefined) settings.tokenTtlSeconds = ttl;
      if (body.card_rules !== undefined) settings.cardRules = body.card_rules;
      settings.rateLimits = rateLimits;
      return ok(settings);
    },
  },
];
