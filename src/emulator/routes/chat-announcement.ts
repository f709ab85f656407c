import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { ChatAnnouncement, Store } from '../store.js';
import { chatForBot } from './chats.js';
import { USER_ID_TYPE } from './contact.js';

const CHAT_ID = s.object({ chat_id: s.string() });
const USER_ONLY = 'the emulator issues tenant tokens only, so what a user token may do is not emulated';
const MAX_BLOCKS = 1000;
const KEPT_AS =
  'the emulator keeps announcements in the legacy doc format only, so docx announcements (232097, and the docx/v1 announcement API) are not emulated; of the doc batch-update requests it applies InsertBlocksRequestType (location.index counts blocks, endOfZone appends) and UpdateTitleRequestType, and answers any other request type with 232018';

/** The id of a user or bot in the id type asked for, and that type (bots are always app_id). */
function author(store: Store, who: ChatAnnouncement['owner'], idType: string): { type: string; id: string } {
  if (who.type === 'app_id') return { type: 'app_id', id: who.id };
  const u = store.findUser('open_id', who.id);
  return { type: idType, id: u ? store.userIdOf(u, idType) : who.id };
}

function json(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw fail(232018, `${what} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(232018, `${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw fail(232018, `${what} must be an array`);
  return v;
}

/** Applies one request of the legacy doc batch-update format to the announcement being written. */
function apply(a: ChatAnnouncement, text: string, i: number): void {
  const req = json(text, `requests[${i}]`);
  switch (req.requestType) {
    case 'InsertBlocksRequestType': {
      const inner = (req.insertBlocksRequest ?? {}) as { payload?: unknown; location?: { index?: unknown; endOfZone?: unknown } };
      if (typeof inner.payload !== 'string') throw fail(232018, `requests[${i}].insertBlocksRequest.payload must be a JSON string`);
      const blocks = list(json(inner.payload, `requests[${i}].insertBlocksRequest.payload`).blocks, `requests[${i}] payload.blocks`);
      const at = inner.location?.endOfZone === true || typeof inner.location?.index !== 'number' ? a.blocks.length : Math.max(0, Math.min(a.blocks.length, inner.location.index));
      a.blocks.splice(at, 0, ...blocks);
      if (a.blocks.length > MAX_BLOCKS) throw fail(232018, `an announcement holds at most ${MAX_BLOCKS} blocks`);
      return;
    }
    case 'UpdateTitleRequestType': {
      const inner = (req.updateTitleRequest ?? {}) as { payload?: unknown };
      if (typeof inner.payload !== 'string') throw fail(232018, `requests[${i}].updateTitleRequest.payload must be a JSON string`);
      a.title = list(json(inner.payload, `requests[${i}].updateTitleRequest.payload`).elements, `requests[${i}] payload.elements`);
      return;
    }
    default:
      throw fail(232018, `requests[${i}].requestType ${JSON.stringify(req.requestType ?? null)} is not one the emulator applies`);
  }
}

export const chatAnnouncementRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/chats/:chat_id/announcement',
    title: '获取群公告信息',
    notes: "The group's announcement as a legacy doc (title and blocks) with its revision; a new group's is empty at revision 0; one-to-one chats have none (232003).",
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.announcement:read', 'im:chat:readonly'],
    params: CHAT_ID,
    query: s.object({ user_id_type: USER_ID_TYPE }),
    errors: [232003, 232006, 232009, 232011],
    coverage: { partial: `${KEPT_AS}; ${USER_ONLY}` },
    handle({ params, query, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      if (chat.chat_mode !== 'group') throw fail(232003, 'one-to-one chats have no announcement');
      const a = store.announcementOf(chat);
      const idType = query.user_id_type ?? 'open_id';
      const owner = author(store, a.owner, idType);
      const modifier = author(store, a.modifier, idType);
      return ok({
        content: JSON.stringify({ title: { elements: a.title }, body: { blocks: a.blocks } }),
        revision: String(a.revision),
        create_time: String(Math.floor(a.create_time / 1000)),
        update_time: String(Math.floor(a.update_time / 1000)),
        owner_id_type: owner.type,
        owner_id: owner.id,
        modifier_id_type: modifier.type,
        modifier_id: modifier.id,
      });
    },
  }),
  openApi({
    method: 'PATCH',
    path: '/open-apis/im/v1/chats/:chat_id/announcement',
    title: '更新群公告信息',
    notes: 'revision at most 100 behind the newest and never ahead (232001); InsertBlocksRequestType and UpdateTitleRequestType requests, anything else or malformed 232018 with nothing changed; edit_permission only_owner keeps it to the owner and managers (232002); each edit makes the next revision.',
    tokens: ['tenant', 'user'],
    scopes: ['im:chat', 'im:chat.announcement:write_only'],
    params: CHAT_ID,
    body: s.object({
      revision: s.string({ pattern: '^[0-9]{1,18}$' }),
      requests: s.optional(s.array(s.string({ maxLength: 65536 }), { maxItems: 100 })),
    }),
    errors: [232001, 232002, 232003, 232006, 232009, 232011, 232018],
    coverage: { partial: `${KEPT_AS}; the creating bot edits a chat kept to its owner without the im:chat:operate_as_owner scope check; ${USER_ONLY}` },
    handle({ params, body, app, core }) {
      const store = core.store;
      const chat = chatForBot(store, app, params.chat_id);
      store.writeAnnouncement(app, chat, Number(body.revision), (a) => (body.requests ?? []).forEach((r, i) => apply(a, r, i)), core.now());
      return ok();
    },
  }),
];
