import { renderCardHtml } from '../../card/render/html.js';
import { isObject } from '../../card/inspect.js';
import type { Route } from '../core.js';
import { inboxImageSrc } from './media.js';
import { streamView } from '../inbox/streaming.js';
import { PlatformError } from '../http.js';
import { handleClick, type ClickInput } from '../inbox/clicks.js';
import { INBOX_PAGE } from '../inbox/page.js';
import { storeExtras } from '../message-extras.js';
import { objectBody } from '../validate.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

/** The inbox: a page that shows what arrived where, and lets a person click it. */
export const inboxRoutes: Route[] = [
  { method: 'GET', pattern: '/', auth: 'none', handle: () => ({ body: null, html: INBOX_PAGE }) },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/conversations',
    auth: 'none',
    handle(ctx) {
      const store = ctx.core.store;
      const messages = [...store.messages.values()];
      const conversations = [...store.chats.values()]
        .filter((c) => !c.dissolved)
        .map((c) => {
          const inChat = messages.filter((m) => m.chat_id === c.chat_id);
          const person = c.chat_mode === 'p2p' ? store.users.find((u) => c.members.has(u.open_id)) : undefined;
          const bot = c.chat_mode === 'p2p' ? store.apps.get([...c.bots][0] ?? '') : undefined;
          return {
            chat_id: c.chat_id,
            name: person ? `${person.name} · ${bot?.name ?? 'bot'}` : c.name,
            mode: c.chat_mode,
            members: [...c.members].map((id) => ({ open_id: id, name: store.users.find((u) => u.open_id === id)?.name ?? id })),
            // The bots a user can write to (p2p) or @mention (group) from the message box.
            bots: [...c.bots].map((id) => ({ app_id: id, name: store.apps.get(id)?.name ?? id })),
            messages: inChat.length,
            last: inChat.length ? Math.max(...inChat.map((m) => m.update_time)) : c.create_time,
          };
        })
        .sort((a, b) => b.last - a.last);
      return ok({ conversations, users: store.users.map((u) => ({ open_id: u.open_id, name: u.name })) });
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
      // An ephemeral card shows only to the member it was sent to: the page asks as the chosen user.
      const ephemeral = [...storeExtras(store).ephemeral.values()]
        .filter((e) => e.chat_id === chatId && !e.deleted && viewer !== null && e.open_id === viewer)
        .map((e) => ({
          message_id: e.message_id,
          app_name: store.apps.get(e.app_id)?.name ?? e.app_id,
          msg_type: 'interactive',
          create_time: e.create_time,
          updated: false,
          versions: 1,
          deleted: false,
          html: renderCardHtml(e.card),
          text: null,
          ephemeral: true,
          visible_to: e.open_id,
        }));
      const messages = [...store.messages.values()]
        .filter((m) => m.chat_id === chatId)
        .sort((a, b) => a.create_time - b.create_time)
        .map((m) => {
          const current = m.versions[m.versions.length - 1]!;
          let text: string | null = null;
          if (m.msg_type === 'text') {
            try {
              text = String((JSON.parse(current.content) as { text?: string }).text ?? '');
            } catch {
              text = current.content;
            }
          }
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
            html: current.card ? renderCardHtml(current.card, { imageSrc: inboxImageSrc(store) }) : null,
            text,
            ephemeral: false,
            visible_to: null,
          };
        });
      return ok({ messages: [...messages, ...ephemeral].sort((a, b) => a.create_time - b.create_time) });
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
      return ok({ interaction: await handleClick(ctx.core, body) });
    },
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/interactions',
    auth: 'none',
    handle: (ctx) => ok({ interactions: ctx.core.interactionLog() }),
  },
  {
    method: 'GET',
    pattern: '/_emulator/inbox/interactions/:id/fixture',
    auth: 'none',
    handle(ctx) {
      const i = ctx.core.interactionLog().find((x) => String(x.id) === ctx.params.id);
      if (!i?.request) throw new PlatformError(404, 404, `no interaction ${ctx.params.id} with a request`);
      const fixture = { _meta: { name: `inbox-${i.id}`, format: i.format, description: `recorded in the emulator inbox ${i.time}` }, payload: i.request.payload };
      return { body: fixture, headers: { 'content-disposition': `attachment; filename="inbox-${i.id}.json"` } };
    },
  },
];
