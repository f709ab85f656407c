import type { Route, RouteContext } from '../core.js';
import { PlatformError } from '../http.js';
import { pasteLink, pressMenu } from '../menu-links.js';
import type { AppRecord } from '../store.js';
import { checkFields, fieldViolation, objectBody } from '../validate.js';
import { storedMessageView } from './control.js';
import { postUserMessage } from './events.js';
import { memberChat, personInPath } from './person-path.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });


function appNamed(ctx: RouteContext, appId: string | undefined): AppRecord {
  const store = ctx.core.store;
  const app = store.apps.get(appId ?? [...store.apps.keys()][0]!);
  if (!app) throw appId === undefined || ctx.params.app_id ? new PlatformError(404, 404, `no app ${appId}`) : fieldViolation('app_id', 'no such app', appId);
  return app;
}

/**
 * A person's bot menu and links (the inbox and the testing library call these): the app's menu,
 * pressing one of its items, and sending a link that the apps in the chat may preview. Each answers
 * once the events and callbacks it caused have their answers, with their deliveries.
 */
export const menuLinkRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/_emulator/apps/:app_id/menu',
    auth: 'none',
    handle(ctx) {
      const app = appNamed(ctx, ctx.params.app_id);
      return ok({ app_id: app.app_id, menu: app.bot_menu });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/users/:open_id/menu',
    auth: 'none',
    async handle(ctx) {
      const user = personInPath(ctx);
      const body = checkFields<{ app_id?: string; event_key: string }>(objectBody(ctx.body), {
        app_id: { type: 'string' },
        event_key: { type: 'string', required: true, maxLength: 100 },
      });
      const app = appNamed(ctx, body.app_id);
      const deliveries = await pressMenu(ctx.core, user, app, body.event_key);
      return ok({ app_id: app.app_id, event_key: body.event_key, deliveries });
    },
  },
  {
    method: 'POST',
    pattern: '/_emulator/users/:open_id/links',
    auth: 'none',
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const body = checkFields<{ chat_id?: string; app_id?: string; url: string }>(objectBody(ctx.body), {
        chat_id: { type: 'string' },
        // Instead of chat_id: the person's one-to-one chat with this app.
        app_id: { type: 'string' },
        url: { type: 'string', required: true, maxLength: 4096 },
      });
      let chat;
      if (body.chat_id) chat = memberChat(store, user, body.chat_id);
      else {
        if (body.app_id === undefined) throw fieldViolation('chat_id', 'give chat_id, or app_id for the one-to-one chat with that app');
        chat = store.p2pChatFor(appNamed(ctx, body.app_id), user, core.now());
      }
      const pasted = await pasteLink(core, user, chat, body.url, (c, u, m) => postUserMessage(store, c, u, m));
      return ok({
        message_id: pasted.message.message_id,
        chat_id: chat.chat_id,
        message: storedMessageView(pasted.message),
        previews: pasted.previews.map(({ delivery: _d, ...p }) => p),
        deliveries: pasted.deliveries,
      });
    },
  },
];
