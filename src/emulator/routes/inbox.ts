import { readFile } from 'node:fs/promises';
import { previewsOf } from '../menu-links.js';
import { servedFontPath } from '../../card/render/fonts.js';
import { renderCardHtml, UNRENDERABLE } from '../../card/render/html.js';
import { mentionsByName, namesFrom } from '../../card/mentions.js';
import { isObject } from '../../card/inspect.js';
import type { EmulatorCore, Route } from '../core.js';
import { inboxImageSrc } from './media.js';
import { streamView } from '../inbox/streaming.js';
import { PlatformError } from '../http.js';
import type { ClickInput } from '../inbox/clicks.js';
import { INBOX_FONTS_PATH, INBOX_PAGE } from '../inbox/page.js';
import { supportedActions } from '../inbox/actions.js';
import { MEDIA_LIMITS } from '../media.js';
import { type EphemeralRecord } from '../message-extras.js';
import { objectBody } from '../validate.js';
import { readableContent } from '../message-summary.js';
import { pageSize } from '../ring.js';
import { currentText, type ChatAnnouncement, type ChatRecord, type DeliveryRecord, type MessageRecord, type Store } from '../store.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

/**
 * The markdown one answer of the message list draws, across all its cards: rendering runs on the
 * thread that answers the Open API, so a page of many long streamed cards must stay quick. The
 * newest messages are drawn first, so it is the oldest on the page that show cut short.
 */
export const INBOX_MARKDOWN_BUDGET = 500_000;

/** Messages already reported as not drawable, so a page that polls does not repeat the line. */
const reported = new Set<string>();

/**
 * One entry of the message list, built on its own: a message the inbox cannot draw shows as a
 * placeholder (and is reported once on stderr), never as a failed list.
 */
function isolatedEntry<T extends { message_id: string; create_time: number }>(record: T, ephemeral: boolean, build: () => Record<string, unknown>): Record<string, unknown> {
  try {
    return build();
  } catch (err) {
    if (!reported.has(record.message_id)) {
      if (reported.size >= 1000) reported.clear();
      reported.add(record.message_id);
      process.stderr.write(`emulator: inbox cannot show message ${record.message_id}: ${(err as Error)?.message ?? String(err)}\n`);
    }
    return {
      message_id: record.message_id,
      app_name: '',
      from_user: null,
      msg_type: 'interactive',
      stream: null,
      create_time: record.create_time,
      updated: false,
      versions: 1,
      deleted: false,
      html: UNRENDERABLE('this message'),
      text: null,
      ephemeral,
      visible_to: null,
    };
  }
}

/** The inbox: a page that shows what arrived where, and lets a person click it. */
export const inboxRoutes: Route[] = [
  { method: 'GET', pattern: '/', auth: 'none', handle: () => ({ body: null, html: INBOX_PAGE }) },
  {
    // The fonts card ships, so the inbox draws Chinese and emoji in a browser that has none.
    method: 'GET',
    pattern: `${INBOX_FONTS_PATH}/:name`,
    auth: 'none',
    async handle(ctx) {
      const path = servedFontPath(ctx.params.name!);
      if (!path) throw new PlatformError(404, 404, `no font ${ctx.params.name}`);
      return { body: null, bytes: { data: await readFile(path), contentType: 'font/woff2' } };
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/conversations',
    auth: 'none',
    handle(ctx) {
      const store = ctx.core.store;
      // One pass over the messages, not one per chat.
      const perChat = new Map<string, { count: number; last: number }>();
      for (const m of store.messages.values()) {
        const c = perChat.get(m.chat_id);
        if (c) {
          c.count++;
          if (m.update_time > c.last) c.last = m.update_time;
        } else perChat.set(m.chat_id, { count: 1, last: m.update_time });
      }
      const names = new Map(store.users.map((u) => [u.open_id, u]));
      const all = [...store.chats.values()]
        .filter((c) => !c.dissolved)
        .map((c) => {
          const stats = perChat.get(c.chat_id);
          const person = c.chat_mode === 'p2p' ? [...c.members].map((id) => names.get(id)).find(Boolean) : undefined;
          const bot = c.chat_mode === 'p2p' ? store.apps.get([...c.bots][0] ?? '') : undefined;
          return {
            chat_id: c.chat_id,
            name: person ? `${person.name} · ${bot?.name ?? 'bot'}` : c.name,
            mode: c.chat_mode,
            // Who added each member (their open_id), so the page offers to withdraw only one's own invitations.
            members: [...c.members].map((id) => ({ open_id: id, name: names.get(id)?.name ?? id, invited_by: c.invited?.get(id)?.by ?? null })),
            // The bots a user can write to (p2p) or @mention (group) from the message box.
            bots: [...c.bots].map((id) => ({ app_id: id, name: store.apps.get(id)?.name ?? id, open_id: store.apps.get(id)?.bot_open_id ?? null })),
            messages: stats?.count ?? 0,
            last: stats?.last ?? c.create_time,
            // What a person sees at the top of the chat: its announcement and the pinned top notice.
            announcement: c.announcement ? announcementText(c.announcement) : null,
            top_notice: topNoticeText(store, c),
            // Who may disband it: the owner (a person), or null when a bot owns it.
            owner_open_id: c.owner_open_id,
          };
        })
        .sort((a, b) => b.last - a.last);
      // Sorted by activity, so the page token is an offset into this order.
      const from = Math.max(0, Number(ctx.query.get('page_token') ?? 0) || 0);
      const conversations = all.slice(from, from + pageSize(ctx.query));
      const next = from + conversations.length;
      return ok({
        conversations,
        users: store.users.map((u) => ({ open_id: u.open_id, name: u.name })),
        // The bots a person may add to a group or open a one-to-one chat with.
        apps: [...store.apps.values()].map((a) => ({ app_id: a.app_id, name: a.name })),
        // What a person may do from the page: the actions whose control routes this emulator serves.
        actions: supportedActions(ctx.core.routes),
        // The largest image and file (and voice and video, which the route bounds as files) the page may send.
        upload_max_bytes: uploadLimits(ctx.core),
        has_more: next < all.length,
        page_token: next < all.length ? String(next) : null,
      });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/messages',
    auth: 'none',
    handle(ctx) {
      const chatId = ctx.query.get('chat_id');
      const viewer = ctx.query.get('open_id');
      const store = ctx.core.store;
      // Messages, and the ephemeral cards this viewer alone sees (the page asks as the chosen
      // user), on one timeline. The newest page first (that is what a person looks at);
      // page_token reaches older ones. Within a page, oldest first, as a conversation reads.
      const timeline: Array<{ at: number; m: MessageRecord; e?: undefined } | { at: number; m?: undefined; e: EphemeralRecord }> = [];
      for (const m of store.messages.values()) if (m.chat_id === chatId) timeline.push({ at: m.create_time, m });
      if (viewer !== null) {
        for (const e of store.ephemeral.values()) {
          if (e.chat_id === chatId && !e.deleted && e.open_id === viewer) timeline.push({ at: e.create_time, e });
        }
      }
      timeline.sort((a, b) => a.at - b.at);
      const end = Math.min(timeline.length, Math.max(0, Number(ctx.query.get('page_token') ?? timeline.length) || 0));
      const start = Math.max(0, end - pageSize(ctx.query));
      // Only the page is rendered, newest first (it is what the budget is kept for).
      const budget = { chars: INBOX_MARKDOWN_BUDGET };
      const imageSrc = inboxImageSrc(store);
      // Mentions show the names of the people the emulator knows, as the client shows them.
      const personName = namesFrom(store.users, store.apps.values());
      const messages = timeline.slice(start, end).reverse().map(({ m, e }) => {
        if (e) {
          return isolatedEntry(e, true, () => ({
            message_id: e.message_id,
            app_name: store.apps.get(e.app_id)?.name ?? e.app_id,
            msg_type: 'interactive',
            create_time: e.create_time,
            updated: false,
            versions: 1,
            deleted: false,
            html: renderCardHtml(e.card, { imageSrc, budget, personName }),
            text: null,
            ephemeral: true,
            visible_to: e.open_id,
          }));
        }
        return isolatedEntry(m, false, () => {
          const current = m.versions[m.versions.length - 1]!;
          const text = currentText(m);
          return {
            message_id: m.message_id,
            app_name: store.apps.get(m.app_id)?.name ?? m.app_id,
            // A message a user wrote (the message box) rather than one the bot sent.
            from_user: m.sender_open_id ? { open_id: m.sender_open_id, name: store.users.find((u) => u.open_id === m.sender_open_id)?.name ?? m.sender_open_id } : null,
            msg_type: m.msg_type,
            stream: streamView(ctx.core, m),
            create_time: m.create_time,
            updated: m.updated,
            versions: m.versions.length,
            deleted: m.deleted,
            html: current.card ? renderCardHtml(current.card, { imageSrc, budget, personName }) : null,
            // Other kinds a person sends (post, voice, video, location…) read as words, not JSON.
            text: text === null ? (current.card ? null : readableContent(store, m)) : mentionsByName(text, personName),
            ephemeral: false,
            visible_to: null,
            reactions: reactionsView(store, m.message_id),
            pinned: store.pins.has(m.message_id),
            // Who read it (the person asking among them), as the client's read receipts show.
            reads: m.extra?.reads?.size ?? 0,
            read_by_viewer: viewer !== null && !!m.extra?.reads?.has(viewer),
            attachment: m.deleted ? null : attachmentView(m, text, imageSrc),
            // ── h24-menu-links: the link previews the apps answered ──
            previews: previewsOf(ctx.core, m.message_id, (card) => renderCardHtml(card, { imageSrc, budget, personName })),
          };
        });
      }).reverse();
      return ok({ messages, has_more: start > 0, page_token: start > 0 ? String(start) : null });
    },
  },
  {
    // A person's feed: the app feed cards bots made for them, newest first, and the chats pinned as time-sensitive.
    method: 'GET',
    pattern: '/_emulator/inbox/feed',
    auth: 'none',
    handle(ctx) {
      const store = ctx.core.store;
      const viewer = ctx.query.get('open_id') ?? '';
      const cards = [...store.appFeedCards.values()]
        .filter((c) => c.open_id === viewer)
        .sort((a, b) => b.sort_time - a.sort_time)
        .slice(0, FEED_ITEMS)
        .map((c) => ({ app_name: store.apps.get(c.app_id)?.name ?? c.app_id, biz_id: c.biz_id, title: c.card.title ?? '', preview: c.card.preview ?? '', status_label: c.card.status_label?.text ?? null, time: c.display_time }));
      const pinned = [...store.chatFeeds.values()].filter((f) => f.open_id === viewer && f.time_sensitive_since !== null).map((f) => ({ chat_id: f.chat_id, name: store.chats.get(f.chat_id)?.name ?? f.chat_id }));
      return ok({ cards, time_sensitive: pinned });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/inbox/click',
    auth: 'none',
    async handle(ctx) {
      const body = objectBody(ctx.body) as unknown as ClickInput;
      if (typeof body.message_id !== 'string' || !isObject(body.action)) throw new PlatformError(400, 99992402, 'message_id and action are required');
      if (body.open_id !== undefined && (typeof body.open_id !== 'string' || !/^ou_\w{1,64}$/.test(body.open_id))) throw new PlatformError(400, 99992402, 'open_id must be an open_id (ou_…)');
      // Clicks (and the replay code behind them) load on the first click, not at start.
      const { handleClick } = await import('../inbox/clicks.js');
      const interaction = await handleClick(ctx.core, body);
      return ok({ interaction, delivery: deliveryOfClick(ctx.core, interaction.id) });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/interactions',
    auth: 'none',
    handle(ctx) {
      // page_token is the id of the last interaction on the page before.
      const after = Number(ctx.query.get('page_token') ?? 0) || 0;
      const size = pageSize(ctx.query);
      const newer = ctx.core.interactionLog().filter((i) => i.id > after);
      const interactions = newer.slice(0, size).map((i) => ({ ...i, delivery: deliveryOfClick(ctx.core, i.id) }));
      const hasMore = newer.length > size;
      return ok({ interactions, has_more: hasMore, page_token: hasMore ? String(interactions[interactions.length - 1]!.id) : null });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/interactions/:id/fixture',
    auth: 'none',
    handle(ctx) {
      const i = ctx.core.interactionLog().find((x) => String(x.id) === ctx.params.id);
      if (!i?.request) throw new PlatformError(404, 404, `no interaction ${ctx.params.id} with a request`);
      const fixture = { _meta: { name: `inbox-${i.id}`, format: i.format, description: `recorded in the emulator inbox ${i.time}` }, payload: i.request.payload };
      return { body: fixture, headers: { 'Content-Disposition': `attachment; filename="inbox-${i.id}.json"` } };
    },
  },
];

const FEED_ITEMS = 50;

/** Room a request body keeps for the JSON around an upload's base64 (the chat, the file name). */
const UPLOAD_ENVELOPE_BYTES = 8 * 1024;

/** The largest file whose base64, in a JSON body, the emulator's body bound still takes. */
export function uploadMaxBytes(maxBodyBytes: number): number {
  return Math.max(0, Math.floor(((maxBodyBytes - UPLOAD_ENVELOPE_BYTES) * 3) / 4));
}

/** The message route's bound on a picture and on a file, and its body bound on their base64: what the page may send. */
function uploadLimits(core: EmulatorCore): { image: number; file: number; audio: number; media: number } {
  const route = core.routes.find((r) => r.method === 'POST' && r.pattern === '/_emulator/users/:open_id/messages');
  const body = uploadMaxBytes(route?.maxBodyBytes ?? core.settings.maxBodyBytes);
  const file = Math.min(MEDIA_LIMITS.fileMaxBytes, body);
  return { image: Math.min(MEDIA_LIMITS.imageMaxBytes, body), file, audio: file, media: file };
}

/** A message's reactions as the client shows them: one chip per emoji, with who reacted (and their reaction's id, to take it back). */
function reactionsView(store: Store, messageId: string) {
  const chips = new Map<string, { emoji_type: string; count: number; names: string[]; by: Array<{ operator_type: string; operator_id: string; reaction_id: string }> }>();
  for (const r of store.reactionsOf(messageId)) {
    const chip = chips.get(r.emoji_type) ?? { emoji_type: r.emoji_type, count: 0, names: [], by: [] };
    chip.count++;
    chip.by.push({ operator_type: r.operator.type, operator_id: r.operator.id, reaction_id: r.reaction_id });
    chip.names.push(r.operator.type === 'app' ? (store.apps.get(r.operator.id)?.name ?? r.operator.id) : (store.users.find((u) => u.open_id === r.operator.id)?.name ?? r.operator.id));
    chips.set(r.emoji_type, chip);
  }
  return [...chips.values()];
}

/** The picture or file a person sent, as the page shows it: the image's address, or the file's name. */
function attachmentView(m: MessageRecord, text: string | null, imageSrc: (key: string) => string | null): { kind: 'image'; src: string | null } | { kind: 'file'; file_name: string } | null {
  if (text !== null || (m.msg_type !== 'image' && m.msg_type !== 'file')) return null;
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(m.versions[m.versions.length - 1]!.content) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (m.msg_type === 'image') return { kind: 'image', src: typeof content.image_key === 'string' ? imageSrc(content.image_key) : null };
  return typeof content.file_name === 'string' ? { kind: 'file', file_name: content.file_name } : null;
}

/** The words of an announcement (its title, then its blocks' text runs), bounded. */
function announcementText(a: ChatAnnouncement): string {
  const words: string[] = [];
  let size = 0;
  const walk = (v: unknown, depth: number): void => {
    if (size > 2000 || depth > 20 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'text' && typeof x === 'string') {
        words.push(x);
        size += x.length;
      } else walk(x, depth + 1);
    }
  };
  walk(a.title, 0);
  const title = words.splice(0).join('');
  walk(a.blocks, 0);
  return [title, words.join('')].filter(Boolean).join(' — ').slice(0, 2000);
}

/** The top notice as a line: the pinned message's text, or that the announcement is pinned. */
function topNoticeText(store: Store, chat: ChatRecord): string | null {
  const n = store.topNotice(chat);
  if (!n) return null;
  if (n.action_type === '2') return 'The announcement is pinned';
  const m = n.message_id ? store.messages.get(n.message_id) : undefined;
  return m ? `Pinned: ${(currentText(m) ?? `(${m.msg_type})`).slice(0, 200)}` : 'Pinned: a message';
}

/** The callback's delivery record for a click (where it went, what came back, the verdict), if still kept. */
function deliveryOfClick(core: EmulatorCore, interactionId: number): DeliveryRecord | null {
  return core.store.deliveryLog.items.findLast((d) => d.interaction_id === interactionId) ?? null;
}
