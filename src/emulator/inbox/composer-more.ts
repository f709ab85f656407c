/**
 * The message box's More menu: the other kinds a person sends, each through
 * `POST /_emulator/users/:open_id/messages` with its one content field: a voice message (Ogg Opus)
 * and a video (MP4) from this computer, bounded in the page by the route's own limits before they
 * are read; a sticker; a group shared as a card; a person shared as a contact card; a location; a
 * task; and messages of the open chat, picked with the boxes drawn beside them, forwarded merged
 * into one message to a chat. The bots get `im.message.receive_v1`; the note under the message box
 * says what each caused, as for the other kinds.
 *
 * Appended to the page's script; uses its `state`, `el`, `can`, `call`, `conversationHooks`,
 * `messageHooks`, `loadMessages` and the outcome helpers. Names go in as text only.
 */

export const COMPOSER_MORE_CSS = `
.composer-extras{position:relative}
#more-menu{bottom:30px;left:16px;min-width:300px}
#more-menu .row label{white-space:nowrap;color:#646A73}
#forward-bar{display:flex;gap:6px;align-items:center;padding:4px 16px 8px;background:#fff;font-size:12px}
#forward-bar[hidden]{display:none}#forward-bar select{font:inherit;min-width:0}
.msg .pick{font-size:12px;color:#646A73;display:flex;gap:4px;align-items:center;margin-bottom:2px}
`;

export const COMPOSER_MORE_HTML = `<div id="forward-bar" hidden>
<span id="forward-count">0 selected</span><label for="forward-to">forward merged to</label><select id="forward-to"></select>
<button type="button" class="small" id="forward-send">Forward</button><button type="button" class="small" id="forward-cancel">Cancel</button>
</div>`;

export const COMPOSER_MORE_SCRIPT = String.raw`
(function () {
  var extras = document.getElementById('composer-extras');
  var note = document.getElementById('extras-note');
  var more = el('button', 'small', 'More ▾'); more.type = 'button'; more.id = 'more-btn';
  var menu = el('div', 'menu'); menu.id = 'more-menu'; menu.setAttribute('hidden', '');
  extras.insertBefore(more, note); extras.appendChild(menu);
  var bar = document.getElementById('forward-bar');
  var forwardTo = document.getElementById('forward-to');
  var picking = false, picked = [];
  function show(node, yes) { if (yes) node.removeAttribute('hidden'); else node.setAttribute('hidden', ''); }
  function conv() { return state.convs.filter(function (c) { return c.chat_id === state.chat; })[0] || null; }
  function mine(c) { return c.members.some(function (m) { return m.open_id === operatorId(); }); }
  function option(value, text) { var o = el('option', '', text); o.value = value; return o; }
  function button(id, text, run) { var b = el('button', 'small', text); b.type = 'button'; b.id = id; b.addEventListener('click', run); return b; }
  function input(id, type, placeholder, max) { var i = el('input'); i.type = type; i.id = id; i.placeholder = placeholder; if (max) i.maxLength = max; i.setAttribute('aria-label', placeholder); return i; }
  function row() { var r = el('div', 'row'); for (var i = 0; i < arguments.length; i++) r.appendChild(arguments[i]); return r; }
  function bad(text) { note.textContent = text; note.className = 'note bad'; }
  function nobody(chatId) {
    var c = state.convs.filter(function (x) { return x.chat_id === chatId; })[0];
    return c && c.mode === 'group' ? 'no bot was told: in a group a bot hears only what @mentions it' : 'no bot in this chat';
  }
  function send(what, field, value, chatId) {
    var to = chatId || state.chat; if (!to) return Promise.resolve();
    show(menu, false);
    var body = { chat_id: to }; body[field] = value;
    note.textContent = what + '…'; note.className = 'note';
    return call('POST', asPerson('/messages'), body).then(function (d) { showOutcome(note, what, d, nobody(to)); return loadMessages(); }, function (e) { showFailure(note, e); });
  }
  function kb(n) { return n < 1024 * 1024 ? Math.ceil(n / 1024) + ' KB' : (n / 1024 / 1024).toFixed(1) + ' MB'; }
  // Read in the page only within the route's bound: nothing larger is read or sent.
  function attach(fileInput, field, words) {
    var file = fileInput.files && fileInput.files[0]; fileInput.value = '';
    if (!file || !state.chat) return;
    var max = (state.uploadMax || {})[field] || 0;
    if (file.size > max) return bad(file.name + ' is ' + kb(file.size) + ': the emulator takes ' + words + ' up to ' + kb(max));
    if (!file.size) return bad(file.name + ' is empty');
    var reader = new FileReader();
    reader.onload = function () { var data = String(reader.result); send('sent ' + field + ' ' + file.name, field, { data: data.slice(data.indexOf(',') + 1), file_name: file.name }); };
    reader.onerror = function () { bad('could not read ' + file.name); };
    reader.readAsDataURL(file);
  }
  function fileRow(id, text, accept, field, words) {
    var f = el('input'); f.type = 'file'; f.id = id; f.accept = accept; f.style.display = 'none';
    f.addEventListener('change', function () { attach(f, field, words); });
    return row(button(id + '-btn', text, function () { f.click(); }), f);
  }
  function fill() {
    menu.innerHTML = '';
    var c = conv();
    menu.appendChild(fileRow('attach-audio', 'Voice message… (Ogg Opus)', '.opus,.ogg,audio/ogg,audio/opus', 'audio', 'voice messages'));
    menu.appendChild(fileRow('attach-video', 'Video… (MP4)', '.mp4,video/mp4', 'media', 'videos'));
    menu.appendChild(row(button('sticker-send', 'Sticker', function () { send('sent a sticker', 'sticker', {}); })));
    var groups = el('select'); groups.id = 'share-chat-which';
    state.convs.forEach(function (g) { if (g.mode === 'group' && mine(g)) groups.appendChild(option(g.chat_id, g.name || g.chat_id)); });
    menu.appendChild(row(el('label', '', 'Share a group'), groups, button('share-chat-send', 'Share', function () {
      if (groups.value) send('shared the group ' + groups.selectedOptions[0].textContent, 'share_chat', { chat_id: groups.value });
    })));
    var people = el('select'); people.id = 'share-user-which';
    state.users.forEach(function (u) { people.appendChild(option(u.open_id, u.name)); });
    menu.appendChild(row(el('label', '', 'Share a person'), people, button('share-user-send', 'Share', function () {
      if (people.value) send('shared ' + people.selectedOptions[0].textContent, 'share_user', { open_id: people.value });
    })));
    var place = input('location-name', 'text', 'place', 500), lat = input('location-lat', 'text', 'latitude', 20), lon = input('location-lon', 'text', 'longitude', 20);
    menu.appendChild(row(place, lat, lon, button('location-send', 'Location', function () {
      if (!place.value.trim()) return bad('a location needs the place\'s name');
      send('sent the location ' + place.value.trim(), 'location', { name: place.value.trim(), latitude: lat.value.trim(), longitude: lon.value.trim() });
    })));
    var summary = input('todo-summary', 'text', 'task', 3000), due = input('todo-due', 'datetime-local', 'due');
    menu.appendChild(row(summary, due, button('todo-send', 'Task', function () {
      if (!summary.value.trim()) return bad('a task needs a summary');
      var todo = { summary: summary.value.trim() };
      if (due.value) { var t = new Date(due.value).getTime(); if (isFinite(t)) todo.due_time = t; }
      send('sent the task ' + todo.summary, 'todo', todo);
    })));
    menu.appendChild(row(button('forward-pick', 'Forward messages merged…', function () { show(menu, false); startPicking(); })));
    if (!c) menu.appendChild(el('div', 'note', 'Open a chat first.'));
  }
  function startPicking() { picking = true; picked = []; drawBar(); loadMessages(); }
  function stopPicking() { picking = false; picked = []; show(bar, false); loadMessages(); }
  function drawBar() {
    var keep = forwardTo.value; forwardTo.innerHTML = '';
    state.convs.forEach(function (c) { if (mine(c)) forwardTo.appendChild(option(c.chat_id, c.name || c.chat_id)); });
    if (keep) forwardTo.value = keep;
    document.getElementById('forward-count').textContent = picked.length + ' selected';
    show(bar, picking);
  }
  // While picking, each message that can be forwarded gets a box.
  messageHooks.push(function (box, m) {
    if (!picking || m.deleted || m.ephemeral || m.msg_type === 'audio') return;
    var label = el('label', 'pick'); var tick = el('input'); tick.type = 'checkbox'; tick.className = 'pick-box';
    tick.checked = picked.indexOf(m.message_id) >= 0;
    tick.addEventListener('change', function () {
      var at = picked.indexOf(m.message_id);
      if (tick.checked && at < 0) picked.push(m.message_id); else if (!tick.checked && at >= 0) picked.splice(at, 1);
      drawBar();
    });
    label.appendChild(tick); label.appendChild(document.createTextNode('forward this'));
    box.insertBefore(label, box.firstChild);
  });
  conversationHooks.push(function () {
    show(more, can('send_more') && !!state.chat);
    if (picking) drawBar();
  });
  document.addEventListener('click', function (ev) { if (ev.target.closest('.conv') && picking) stopPicking(); });
  more.addEventListener('click', function () { if (menu.hasAttribute('hidden')) { fill(); show(menu, true); } else show(menu, false); });
  document.addEventListener('click', function (ev) { if (!ev.target.closest('#composer-extras')) show(menu, false); });
  document.getElementById('forward-cancel').addEventListener('click', stopPicking);
  document.getElementById('forward-send').addEventListener('click', function () {
    if (!picked.length) return bad('pick the messages to forward first');
    var to = forwardTo.value; var ids = picked.slice();
    picking = false; picked = []; show(bar, false);
    send('forwarded ' + ids.length + ' message' + (ids.length === 1 ? '' : 's') + ' merged', 'merge_forward', { message_ids: ids }, to);
  });
})();
`;
