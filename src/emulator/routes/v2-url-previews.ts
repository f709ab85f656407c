import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { repullPreviews } from '../menu-links.js';
import { inBackground } from '../message-events.js';

/** How often one preview token may be refreshed, and how many batch_update calls an app may make per second. */
export const URL_PREVIEW_TOKEN_INTERVAL_MS = 5000;
const URL_PREVIEW_CALLS_PER_SECOND = 5;

/**
 * Link previews: the platform asks the app for a preview of a URL in a message (the url.preview.get
 * callback, which carries a preview token); batch_update makes the clients ask again: each refresh
 * is recorded on the preview and the app is sent url.preview.get for it once more.
 */
export const urlPreviewRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v2/url_previews/batch_update',
    title: '更新 URL 预览',
    tokens: ['tenant'],
    scopes: ['im:url_preview.update'],
    body: s.object({
      preview_tokens: s.array(s.string({ minLength: 1 }), { minItems: 1, maxItems: 10 }),
      open_ids: s.optional(s.array(s.string(), { maxItems: 100 })),
    }),
    errors: [230001, 230020],
    notes: "1 to 10 `preview_tokens` of the app's previews (make one with `POST /_emulator/url_previews`), optionally for up to 100 `open_ids`; each refresh is recorded on the preview and sends the app url.preview.get again, whose answer replaces the preview; one token refreshes at most once per 5 s, and the route takes 5 calls a second per app.",
    coverage: {
      partial:
        'a refresh sends url.preview.get once per token (as one of the users asked for, else the link\'s sender), not once per client of each user; the docs name no code for a token refreshed within 5 s, so it is 230020 (frequency limit), and an unknown token, another app\'s token or an unknown open_id is 230001',
    },
    handle({ body, app, core }) {
      const store = core.store;
      const now = core.now();
      if (core.settings.rateLimits) {
        const v = store.urlPreviewRate.take(app.app_id, URL_PREVIEW_CALLS_PER_SECOND, now);
        if (!v.ok) throw fail(99991400, undefined, {}, { 'X-Ogw-Ratelimit-Limit': String(v.limit), 'X-Ogw-Ratelimit-Reset': String(v.resetSeconds) });
      }
      const tokens = [...new Set(body.preview_tokens)];
      // Everything is checked before any preview is marked, so a refused call refreshes nothing.
      const previews = tokens.map((token) => {
        const p = store.urlPreviews.get(token);
        if (!p || p.app_id !== app.app_id) throw fail(230001, `preview_token ${token} is not a preview token of this app`);
        if (p.last_refresh !== null && now - p.last_refresh < URL_PREVIEW_TOKEN_INTERVAL_MS) {
          throw fail(230020, `preview_token ${token} was refreshed less than 5 s ago; each token may be refreshed once per 5 s`);
        }
        return p;
      });
      const openIds = body.open_ids?.length ? [...new Set(body.open_ids)] : null;
      for (const id of openIds ?? []) if (!store.findUser('open_id', id)) throw fail(230001, `open_ids: ${id} is not a user`);
      for (const p of previews) {
        // Only members of the chat holding the link can be refreshed; others are left out.
        const members = store.chats.get(p.chat_id)?.members;
        p.refreshes++;
        p.last_refresh = now;
        p.last_open_ids = openIds && openIds.filter((id) => members?.has(id));
      }
      // The clients fetch the previews again: the app gets url.preview.get for each token, after this answer.
      inBackground(core, 'url.preview.get', () => repullPreviews(core, app, previews));
      return ok({});
    },
  }),
];
