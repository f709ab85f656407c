/**
 * The inbox's message box: the person chosen in the top bar writes to the bot in the open
 * conversation (a one-to-one chat, or a group where the bots are @mentioned), through
 * `POST /_emulator/users/:open_id/messages`; the bot gets `im.message.receive_v1` and its reply
 * arrives in the feed like any message. Kept apart from the page so the page stays one concern.
 *
 * The script is appended to the page's own (one script, one hash in the CSP) and uses its
 * `state`, `api` and `loadMessages`. It writes text only through textContent: nothing a user
 * types or a bot answers becomes markup.
 */

export const COMPOSER_CSS = `
main.middle{display:flex;flex-direction:column;min-height:0;min-width:0}
main.middle section.feed{flex:1;min-height:0}
form.composer{display:flex;gap:8px;align-items:center;padding:8px 16px;border-top:1px solid #DEE0E3;background:#fff}
form.composer input[type=text]{flex:1;min-width:0;font:inherit;padding:6px 8px;border:1px solid #DEE0E3;border-radius:6px}
form.composer label{font-size:12px;color:#646A73;white-space:nowrap}
form.composer .note{font-size:12px;color:#8F959E;white-space:nowrap;max-width:40%;overflow:hidden;text-overflow:ellipsis}
form.composer .note.bad{color:#D83931}
.msg.mine .text-msg{background:#E0E9FF;border-color:#BACEFD}
`;

export const COMPOSER_HTML = `<form class="composer" id="composer" autocomplete="off">
<input type="text" id="composer-text" maxlength="4000" placeholder="Write to the bot as the person chosen above…" aria-label="message">
<label id="composer-mention-label"><input type="checkbox" id="composer-mention" checked> @mention the bot</label>
<button type="submit" class="btn btn-primary_filled" id="composer-send">Send</button>
<span class="note" id="composer-note"></span>
</form>`;

export const COMPOSER_SCRIPT = String.raw`
(function () {
  var form = document.getElementById('composer');
  var input = document.getElementById('composer-text');
  var mention = document.getElementById('composer-mention');
  var mentionLabel = document.getElementById('composer-mention-label');
  var note = document.getElementById('composer-note');
  var chats = {};
  function say(text, bad) { note.textContent = text; note.className = 'note' + (bad ? ' bad' : ''); }
  function refresh() {
    return api('/_emulator/inbox/conversations').then(function (d) {
      chats = {};
      d.conversations.forEach(function (c) { chats[c.chat_id] = c; });
      var c = chats[state.chat];
      mentionLabel.style.display = c && c.mode === 'group' ? '' : 'none';
    }).catch(function () {});
  }
  document.addEventListener('click', function (ev) { if (ev.target.closest('.conv')) setTimeout(refresh, 50); });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text || !state.chat) return;
    var operator = document.getElementById('operator').value;
    refresh().then(function () {
      var c = chats[state.chat];
      var body = { chat_id: state.chat, text: text };
      if (c && c.mode === 'group' && mention.checked) body.mentions = (c.bots || []).map(function (b) { return b.app_id; });
      say('sending…');
      return api('/_emulator/users/' + encodeURIComponent(operator) + '/messages', body).then(function (d) {
        input.value = '';
        var bad = d.deliveries.filter(function (x) { return !x.ok; });
        if (!d.deliveries.length) say(c && c.mode === 'group' ? 'no bot was @mentioned: bots in a group hear only @mentions' : 'no bot in this chat');
        else if (bad.length) say(bad.map(function (x) { return x.app_id + ': ' + (x.error || x.problems.map(function (p) { return p.message; }).join('; ') || 'code ' + x.status); }).join(' · '), true);
        else say('im.message.receive_v1 → ' + d.deliveries.map(function (x) { return x.app_id + (x.channel === 'ws' ? ' (long connection)' : ' (event URL)'); }).join(', '));
        return loadMessages();
      });
    }).catch(function (e) { say(e.message, true); });
  });
  refresh();
})();
`;
