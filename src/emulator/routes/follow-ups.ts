import type { Route } from '../core.js';
import { ok, openApi } from '../catalogue/declare.js';
import { fail, followUpFail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import { extraOf, unknownMessage } from '../message-extras.js';

/** Bubbles may follow a message for 10 minutes after it was sent. */
const FOLLOW_UP_WINDOW_MS = 600 * 1000;
const LANGUAGES = ['en_us', 'zh_cn', 'zh_hk', 'zh_tw', 'ja_jp', 'id_id', 'vi_vn', 'th_th', 'pt_br', 'es_es', 'ko_kr', 'de_de', 'fr_fr', 'it_it', 'ru_ru', 'ms_my'] as const;
const BUBBLE_TEXT = s.string({ minLength: 1, maxLength: 200 });

/**
 * Follow-up bubbles: suggested answers shown under the bot's latest message in its p2p chat with a
 * user. They are kept on the message; a tap (the user sending the text) is the inbox's to make.
 */
export const followUpRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/:message_id/push_follow_up',
    title: '添加跟随气泡',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:send_as_bot'],
    params: s.object({ message_id: s.string() }),
    body: s.object({
      follow_ups: s.array(s.object({ content: BUBBLE_TEXT, i18n_contents: s.optional(s.array(s.object({ content: BUBBLE_TEXT, language: s.enum(LANGUAGES) }), { maxItems: 50 })) }), {
        minItems: 1,
        maxItems: 3,
      }),
    }),
    errors: [230001, 230002, 230003, 230004, 230005, 230006, 230007, 230008],
    notes: "1 to 3 bubbles (`follow_ups`, each `content` 1 to 200 characters, `i18n_contents` at most one per language) under the bot's own message when it is still the latest of its one-to-one chat with a user who can see the bot and at most 10 minutes old; once per message. Kept on the message; the inbox does not show them yet.",
    coverage: { partial: 'the bubbles are stored on the message; showing them and sending a tapped one as the user are not built yet' },
    handle({ params, body, app, core }) {
      const store = core.store;
      const m = store.messages.get(params.message_id);
      if (!m) throw unknownMessage(store, params.message_id);
      // A recalled message, or one the bot did not send, is not one it can see bubbles under.
      if (m.deleted || m.sender_open_id || m.app_id !== app.app_id) throw fail(230004);
      const chat = store.chats.get(m.chat_id);
      if (!chat || chat.chat_mode !== 'p2p' || !chat.bots.has(app.app_id)) throw fail(230003);
      const user = store.findUser('open_id', [...chat.members][0] ?? '');
      if (!user || user.resigned || (app.availability && !app.availability.has(user.open_id))) throw fail(230005);
      const now = core.now();
      if (now - m.create_time > FOLLOW_UP_WINDOW_MS) throw followUpFail(230002, 'bubbles can follow a message for 600 seconds after it was sent');
      if (!store.isLatestInChat(m)) throw followUpFail(230006, 'a later message has arrived in the chat');
      const extra = extraOf(m);
      if (extra.follow_ups?.length) throw fail(230008);
      for (const [i, f] of body.follow_ups.entries()) {
        if (!f.content.trim()) throw fail(230007, `follow_ups[${i}].content is blank`);
        const languages = (f.i18n_contents ?? []).map((c) => c.language);
        const twice = languages.find((l, j) => languages.indexOf(l) !== j);
        if (twice) throw fail(230007, `follow_ups[${i}].i18n_contents gives ${twice} twice`);
      }
      extra.follow_ups = body.follow_ups.map((f) => ({ content: f.content, i18n_contents: (f.i18n_contents ?? []).map((c) => ({ language: c.language, content: c.content })), at: now }));
      return ok();
    },
  }),
];
