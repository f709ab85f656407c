/**
 * A person's actions on chats: at the head of the open chat, a menu to add or remove a bot or a
 * person, withdraw the invitation of someone this person added, leave, rename and disband (the
 * owner only), and in a one-to-one chat with a bot, the bot's menu; at the conversation list, a
 * new group and a one-to-one chat with a bot. Each calls
 * the control API as the person chosen in the top bar and shows what it caused in the bar's
 * note. What the emulator does not serve (not in the conversations answer's `actions`) is hidden.
 *
 * Appended to the page's script; uses its `state`, `el`, `can`, `conversationHooks`,
 * `loadConversations`, `loadMessages` and the outcome helpers. Names go in as text only.
 */

export const CHAT_ACTIONS_CSS = `
.chat-bar{position:relative;display:flex;gap:8px;align-items:center;padding:6px 16px;border-bottom:1px solid #DEE0E3;background:#fff;font-size:13px}
.chat-bar[hidden]{display:none}.chat-bar .name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:40%}
.chat-bar .note{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chat-bar .menu{top:34px;left:16px}
.list-acts[hidden]{display:none}.list-acts{position:relative;display:flex;flex-wrap:wrap;gap:4px;padding:4px 12px}.list-acts .menu{top:28px;left:12px}
.list-acts .note{flex-basis:100%;word-break:break-word}
`;

export const CHAT_LIST_HTML = `<div class="list-acts" id="list-acts" hidden>
<button type="button" class="small" id="new-group-btn">New group</button>
<button type="button" class="small" id="open-p2p-btn">Chat with a bot</button>
<div class="menu" id="list-menu" hidden></div><span class="note" id="list-note"></span>
</div>`;

export const CHAT_BAR_HTML = `<div class="chat-bar" id="chat-bar" hidden>
<span class="name" id="chat-bar-name"></span>
<button type="button" class="small" id="chat-menu-btn">Chat actions ▾</button>
<button type="button" class="small" id="bot-menu-btn">Bot menu ▾</button>
<span class="note" id="chat-note"></span>
<div class="menu" id="chat-menu" hidden></div>
</div>`;

export const CHAT_ACTIONS_SCRIPT = String.raw`
(function () {
  var bar = document.getElementById('chat-bar');
  var chatMenu = document.getElementById('chat-menu');
  var chatNote = document.getElementById('chat-note');
  var listActs = document.getElementById('list-acts');
  var listMenu = document.getElementById('list-menu');
  var listNote = document.getElementById('list-note');
  var shownFor = null;
  function conv() { return state.convs.filter(function (c) { return c.chat_id === state.chat; })[0] || null; }
  function show(node, yes) { if (yes) node.removeAttribute('hidden'); else node.setAttribute('hidden', ''); }
  function option(value, text) { var o = el('option', '', text); o.value = value; return o; }
  function button(text, run) { var b = el('button', 'small', text); b.type = 'button'; b.addEventListener('click', run); return b; }
  function row() { var r = el('div', 'row'); for (var i = 0; i < arguments.length; i++) r.appendChild(arguments[i]); return r; }
  function chatPath(rest) { return asPerson('/chats/' + encodeURIComponent(state.chat) + (rest || '')); }
  function openChat(chatId) { state.chat = chatId; return loadConversations().then(loadMessages); }
  // Runs an action, closes its menu and tells what it caused; the lists follow from the event stream and this reload.
  function run(note, menu, what, request, nobody, after) {
    show(menu, false);
    note.textContent = what + '…'; note.className = 'note';
    return request().then(function (d) { showOutcome(note, what, d, nobody); return after ? after(d) : loadConversations().then(loadMessages); }, function (e) { showFailure(note, e); });
  }
  conversationHooks.push(function () {
    var c = conv();
    if (!c || c.chat_id !== shownFor) { show(chatMenu, false); if (shownFor !== (c && c.chat_id)) chatNote.textContent = ''; shownFor = c && c.chat_id; }
    show(bar, !!c);
    if (c) document.getElementById('chat-bar-name').textContent = c.name || c.chat_id;
    var group = !!c && c.mode === 'group';
    show(document.getElementById('chat-menu-btn'), group && (can('add_members') || can('remove_member') || can('withdraw_members') || can('rename_chat') || can('disband_chat')));
    show(document.getElementById('bot-menu-btn'), !!c && c.mode === 'p2p' && c.bots.length > 0 && can('bot_menu'));
    show(document.getElementById('new-group-btn'), can('create_group'));
    show(document.getElementById('open-p2p-btn'), can('open_p2p'));
    show(listActs, can('create_group') || can('open_p2p'));
  });
  function fillChatMenu(c) {
    var me = operatorId(); chatMenu.innerHTML = '';
    var members = c.members.map(function (m) { return m.open_id; }); var bots = c.bots.map(function (b) { return b.app_id; });
    if (can('add_members')) {
      var add = el('select'); add.id = 'chat-add-who';
      state.users.forEach(function (u) { if (members.indexOf(u.open_id) < 0) add.appendChild(option('user:' + u.open_id, u.name)); });
      state.apps.forEach(function (a) { if (bots.indexOf(a.app_id) < 0) add.appendChild(option('bot:' + a.app_id, a.name + ' (bot)')); });
      chatMenu.appendChild(row(add, button('Add', function () {
        var v = add.value; if (!v) return;
        var body = v.indexOf('bot:') === 0 ? { bots: [v.slice(4)] } : { users: [v.slice(5)] };
        run(chatNote, chatMenu, 'added ' + add.selectedOptions[0].textContent, function () { return call('POST', chatPath('/members'), body); });
      })));
    }
    if (can('remove_member')) {
      var rm = el('select'); rm.id = 'chat-remove-who';
      c.members.forEach(function (m) { if (m.open_id !== me) rm.appendChild(option(m.open_id, m.name)); });
      c.bots.forEach(function (b) { rm.appendChild(option(b.app_id, b.name + ' (bot)')); });
      chatMenu.appendChild(row(rm, button('Remove', function () {
        if (!rm.value) return;
        run(chatNote, chatMenu, 'removed ' + rm.selectedOptions[0].textContent, function () { return call('DELETE', chatPath('/members/' + encodeURIComponent(rm.value))); });
      })));
      if (members.indexOf(me) >= 0) chatMenu.appendChild(button('Leave the chat', function () {
        run(chatNote, chatMenu, 'left', function () { return call('DELETE', chatPath('/members/' + encodeURIComponent(me))); });
      }));
    }
    // Taking back one's own invitations: only the people this person added are offered.
    var mineInvited = c.members.filter(function (m) { return m.invited_by === me && m.open_id !== me; });
    if (can('withdraw_members') && mineInvited.length) {
      var wd = el('select'); wd.id = 'chat-withdraw-who';
      mineInvited.forEach(function (m) { wd.appendChild(option(m.open_id, m.name)); });
      chatMenu.appendChild(row(wd, button('Withdraw invitation', function () {
        if (!wd.value) return;
        run(chatNote, chatMenu, 'withdrew the invitation of ' + wd.selectedOptions[0].textContent, function () { return call('POST', chatPath('/members/withdraw'), { users: [wd.value] }); });
      })));
    }
    if (can('rename_chat')) {
      var name = el('input'); name.type = 'text'; name.maxLength = 60; name.value = c.name || ''; name.id = 'chat-rename';
      chatMenu.appendChild(row(name, button('Rename', function () {
        var v = name.value.trim(); if (!v) return;
        run(chatNote, chatMenu, 'renamed to ' + v, function () { return call('PATCH', chatPath(''), { name: v }); });
      })));
    }
    if (can('disband_chat') && c.owner_open_id === me) chatMenu.appendChild(button('Disband the chat', function () {
      // The chat goes from the list: what it caused is told above the list.
      run(listNote, chatMenu, 'disbanded ' + (c.name || c.chat_id), function () { return call('DELETE', chatPath('')); }, null, function () { return openChat(null); });
    }));
    if (!chatMenu.childNodes.length) chatMenu.appendChild(el('div', 'note', 'Nothing to do here as this person.'));
  }
  function menuItems(into, items, appId) {
    items.forEach(function (item) {
      if (item.children && item.children.length) {
        into.appendChild(el('div', 'note', item.name));
        var sub = el('div', 'sub'); menuItems(sub, item.children, appId); into.appendChild(sub);
        return;
      }
      var b = el('button', 'item', item.name); b.type = 'button'; b.dataset.eventKey = item.event_key;
      b.addEventListener('click', function () {
        run(chatNote, chatMenu, 'pressed ' + item.name, function () { return call('POST', asPerson('/menu'), { app_id: appId, event_key: item.event_key }); });
      });
      into.appendChild(b);
    });
  }
  document.getElementById('chat-menu-btn').addEventListener('click', function () {
    var c = conv(); if (!c) return;
    if (!chatMenu.hasAttribute('hidden') && chatMenu.dataset.kind === 'chat') return show(chatMenu, false);
    chatMenu.dataset.kind = 'chat'; fillChatMenu(c); show(chatMenu, true);
  });
  document.getElementById('bot-menu-btn').addEventListener('click', function () {
    var c = conv(); if (!c || !c.bots.length) return;
    if (!chatMenu.hasAttribute('hidden') && chatMenu.dataset.kind === 'bot') return show(chatMenu, false);
    var appId = c.bots[0].app_id;
    chatMenu.dataset.kind = 'bot'; chatMenu.innerHTML = ''; chatMenu.appendChild(el('div', 'note', 'loading ' + c.bots[0].name + '’s menu…')); show(chatMenu, true);
    call('GET', '/_emulator/apps/' + encodeURIComponent(appId) + '/menu').then(function (d) {
      chatMenu.innerHTML = '';
      if (!d.menu.length) chatMenu.appendChild(el('div', 'note', c.bots[0].name + ' has no menu.'));
      menuItems(chatMenu, d.menu, appId);
    }, function (e) { chatMenu.innerHTML = ''; chatMenu.appendChild(el('div', 'note bad', e.message)); });
  });
  function appSelect(id) { var s = el('select'); s.id = id; state.apps.forEach(function (a) { s.appendChild(option(a.app_id, a.name)); }); return s; }
  document.getElementById('new-group-btn').addEventListener('click', function () {
    if (!listMenu.hasAttribute('hidden') && listMenu.dataset.kind === 'group') return show(listMenu, false);
    listMenu.dataset.kind = 'group'; listMenu.innerHTML = '';
    var name = el('input'); name.type = 'text'; name.maxLength = 60; name.placeholder = 'group name'; name.id = 'new-group-name';
    var bot = appSelect('new-group-bot'); bot.insertBefore(option('', 'no bot'), bot.firstChild); bot.value = state.apps.length ? state.apps[0].app_id : '';
    listMenu.appendChild(row(name)); listMenu.appendChild(row(bot, button('Create', function () {
      var v = name.value.trim(); if (!v) return;
      var body = { name: v }; if (bot.value) body.bots = [bot.value];
      run(listNote, listMenu, 'made the group ' + v, function () { return call('POST', asPerson('/chats'), body); }, null, function (d) { return openChat(d.chat.chat_id); });
    })));
    show(listMenu, true); name.focus();
  });
  document.getElementById('open-p2p-btn').addEventListener('click', function () {
    if (!listMenu.hasAttribute('hidden') && listMenu.dataset.kind === 'p2p') return show(listMenu, false);
    listMenu.dataset.kind = 'p2p'; listMenu.innerHTML = '';
    var app = appSelect('open-p2p-app');
    listMenu.appendChild(row(app, button('Open', function () {
      run(listNote, listMenu, 'opened the chat with ' + app.selectedOptions[0].textContent, function () { return call('POST', asPerson('/p2p'), { app_id: app.value }); }, null, function (d) { return openChat(d.chat_id); });
    })));
    show(listMenu, true);
  });
  document.addEventListener('click', function (ev) {
    if (!ev.target.closest('#chat-bar')) show(chatMenu, false);
    if (!ev.target.closest('#list-acts')) show(listMenu, false);
  });
})();
`;
