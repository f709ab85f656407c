/**
 * A pasted link's previews, drawn under its message as the client shows them: the inline preview
 * (the app's title and the link) and the preview card the app answered, or, when the app's answer
 * was refused, why. The message list carries them (`previews`), and the page redraws the message
 * when a preview changes (a batch_update makes the emulator ask the app again: the event stream
 * says so).
 *
 * The card's HTML is the emulator's own renderer's, inserted as the cards of messages are (the
 * renderer escapes what a bot wrote; the CSP runs no script but the page's). Everything else goes
 * in through textContent; a link is made only of an http(s) URL. Buttons in a preview card are
 * shown, not sent: a preview's interactions are not emulated.
 *
 * Appended to the page's script; uses its `el` and `messageHooks`.
 */

export const LINK_PREVIEWS_CSS = `
.link-preview{margin-top:6px;border:1px solid #DEE0E3;border-left:3px solid #1456F0;border-radius:6px;background:#fff;padding:6px 10px;font-size:12px}
.link-preview .inline{display:flex;gap:6px;align-items:baseline;flex-wrap:wrap}.link-preview .title{font-weight:600;font-size:13px;word-break:break-word}
.link-preview .by{color:#8F959E}.link-preview a.url{word-break:break-all}
.link-preview .card-holder{margin-top:6px}
.link-preview .problem{color:#D83931;word-break:break-word}
`;

export const LINK_PREVIEWS_SCRIPT = String.raw`
(function () {
  function httpUrl(u) { return typeof u === 'string' && /^https?:\/\/\S+$/i.test(u) ? u : null; }
  messageHooks.push(function (box, m) {
    if (m.deleted || !m.previews || !m.previews.length) return;
    var body = box.querySelector('.text-msg');
    m.previews.forEach(function (p) {
      var card = el('div', 'link-preview'); card.dataset.previewToken = p.preview_token; card.dataset.appId = p.app_id;
      var line = el('div', 'inline');
      var inline = p.inline || null;
      var title = inline && (inline.title || (inline.i18n_title && (inline.i18n_title.en_us || inline.i18n_title.zh_cn || Object.values(inline.i18n_title)[0])));
      line.appendChild(el('span', 'title', title || (p.problems.length ? 'No preview' : 'Waiting for the preview…')));
      var href = httpUrl(inline && inline.url) || httpUrl(p.url);
      if (href) { var a = el('a', 'url', href); a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer'; line.appendChild(a); }
      line.appendChild(el('span', 'by', '· ' + p.app_name + (p.pulls > 1 ? ' · asked ' + p.pulls + ' times' : '')));
      card.appendChild(line);
      if (p.card_html) { var holder = el('div', 'card-holder'); holder.innerHTML = p.card_html; card.appendChild(holder); }
      p.problems.forEach(function (x) { card.appendChild(el('div', 'problem', (title ? 'The last answer was refused: ' : 'The answer was refused: ') + x.path + ': ' + x.message)); });
      if (body && body.nextSibling) box.insertBefore(card, body.nextSibling); else box.appendChild(card);
      body = card;
    });
  });
})();
`;
