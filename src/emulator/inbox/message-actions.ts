import { EMOJI_TYPES } from '../emoji-types.js';

/**
 * A person's actions on a message, drawn under each one: react (a picker of the common emoji),
 * take one's reaction back (a click on one's own chip), mark read, and recall one's own message.
 * Each calls the control API as the person chosen in the top bar and shows, in the message's
 * note, the events it caused and how each delivery went. An action the emulator does not serve
 * (not in the conversations answer's `actions`) is not offered.
 *
 * Appended to the page's script; uses its `state`, `el`, `can`, `messageHooks`, `loadMessages`
 * and the outcome helpers. Text only through textContent.
 */

/** The reactions the picker offers, as the client's quick row has them; every one a key the platform lists. */
export const PICKER_EMOJI: ReadonlyArray<{ key: string; glyph: string }> = [
  { key: 'THUMBSUP', glyph: '\u{1F44D}' },
  { key: 'OK', glyph: '\u{1F44C}' },
  { key: 'DONE', glyph: '\u2705' },
  { key: 'SMILE', glyph: '\u{1F642}' },
  { key: 'LAUGH', glyph: '\u{1F604}' },
  { key: 'HEART', glyph: '\u2764\uFE0F' },
  { key: 'APPLAUSE', glyph: '\u{1F44F}' },
  { key: 'THANKS', glyph: '\u{1F64F}' },
  { key: 'MUSCLE', glyph: '\u{1F4AA}' },
  { key: 'Fire', glyph: '\u{1F525}' },
  { key: 'PARTY', glyph: '\u{1F389}' },
  { key: 'LGTM', glyph: '\u{1F197}' },
  { key: 'EatingFood', glyph: '\u{1F35C}' },
  { key: 'CheckMark', glyph: '\u2714\uFE0F' },
  { key: 'ThumbsDown', glyph: '\u{1F44E}' },
].filter((e) => EMOJI_TYPES.has(e.key));

export const MESSAGE_ACTIONS_CSS = `
.msg .acts{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-top:4px}
.msg .acts .reads,.msg .acts .read-mark{font-size:12px;color:#8F959E}
.msg .emoji-picker{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px;padding:4px;background:#fff;border:1px solid #DEE0E3;border-radius:6px}
.msg .emoji-picker button{font-family:inherit;font-size:12px;border:0;background:#F2F3F5;border-radius:10px;padding:1px 8px;cursor:pointer}
.reactions .chip.mine{background:#E0E9FF;color:#1456F0;cursor:pointer}
`;

export const MESSAGE_ACTIONS_SCRIPT = String.raw`
(function () {
  var EMOJI = ${JSON.stringify(PICKER_EMOJI)};
  // What each message's last action came to, kept across redraws (every event redraws the list).
  var outcomes = {};
  var picking = null;
  function small(text, act) { var b = el('button', 'small', text); b.type = 'button'; b.dataset.act = act; return b; }
  function picker() {
    var p = el('div', 'emoji-picker');
    EMOJI.forEach(function (e) { var b = el('button', '', e.glyph + ' ' + e.key); b.type = 'button'; b.dataset.emoji = e.key; b.title = e.key; p.appendChild(b); });
    return p;
  }
  messageHooks.push(function (box, m) {
    if (m.ephemeral) return;
    var me = operatorId();
    var chips = box.querySelectorAll('.reactions .chip');
    (m.reactions || []).forEach(function (r, i) {
      var chip = chips[i]; if (!chip) return;
      chip.dataset.emoji = r.emoji_type;
      var mine = (r.by || []).filter(function (b) { return b.operator_type === 'user' && b.operator_id === me; })[0];
      if (mine && can('unreact')) { chip.classList.add('mine'); chip.dataset.reactionId = mine.reaction_id; chip.title += ' · click to take yours back'; chip.setAttribute('role', 'button'); chip.tabIndex = 0; }
    });
    var bar = el('div', 'acts');
    var mineMsg = !!m.from_user && m.from_user.open_id === me;
    if (!m.deleted) {
      if (can('react')) bar.appendChild(small('React', 'react'));
      if (can('read') && !mineMsg) bar.appendChild(m.read_by_viewer ? el('span', 'read-mark', '✓ read') : small('Mark read', 'read'));
      if (can('recall') && mineMsg) bar.appendChild(small('Recall', 'recall'));
    }
    if (m.reads) bar.appendChild(el('span', 'reads', 'read by ' + m.reads));
    var note = el('span', 'note'); var kept = outcomes[m.message_id];
    if (kept) { note.textContent = kept.text; note.className = kept.cls; }
    bar.appendChild(note);
    box.appendChild(bar);
    if (picking === m.message_id && !m.deleted) box.appendChild(picker());
  });
  function act(box, what, run, nobody) {
    var id = box.dataset.messageId; var note = box.querySelector('.acts .note');
    picking = null;
    return run(id).then(function (d) { showOutcome(note, what, d, nobody); }, function (e) { showFailure(note, e); })
      .then(function () { outcomes[id] = { text: note.textContent, cls: note.className }; return loadMessages(); });
  }
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' && ev.target.closest && ev.target.closest('.reactions .chip.mine')) ev.target.click(); });
  document.addEventListener('click', function (ev) {
    var box = ev.target.closest('.msg'); if (!box) return;
    var chip = ev.target.closest('.reactions .chip.mine');
    if (chip) return act(box, 'took back ' + chip.dataset.emoji, function () { return call('DELETE', asPerson('/reactions/' + encodeURIComponent(chip.dataset.reactionId))); });
    var emoji = ev.target.closest('.emoji-picker button');
    if (emoji) return act(box, 'reacted ' + emoji.dataset.emoji, function (id) { return call('POST', asPerson('/reactions'), { message_id: id, emoji_type: emoji.dataset.emoji }); });
    var b = ev.target.closest('.acts button'); if (!b) return;
    if (b.dataset.act === 'react') {
      var open = box.querySelector('.emoji-picker');
      if (open) { open.remove(); picking = null; } else { picking = box.dataset.messageId; box.appendChild(picker()); }
    } else if (b.dataset.act === 'read') {
      act(box, 'marked read', function (id) { return call('POST', '/_emulator/messages/' + encodeURIComponent(id) + '/read', { open_id: operatorId() }); },
        'no bot was told: a bot hears of reads only of what it sent in a one-to-one chat');
    } else if (b.dataset.act === 'recall') {
      act(box, 'recalled', function (id) { return call('POST', '/_emulator/messages/' + encodeURIComponent(id) + '/recall', { open_id: operatorId() }); }, 'no bot in this chat');
    }
  });
})();
`;
