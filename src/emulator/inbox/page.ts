import { servedFontCss } from '../../card/render/fonts.js';
import { PREVIEW_CSS } from '../../card/render/style.js';
import { COMPOSER_CSS, COMPOSER_HTML, COMPOSER_SCRIPT } from './composer.js';
import { RECORDER_CSS, RECORDER_HTML, RECORDER_SCRIPT } from './recorder.js';
import { OUTCOME_CSS, OUTCOME_SCRIPT } from './outcome.js';
import { MESSAGE_ACTIONS_CSS, MESSAGE_ACTIONS_SCRIPT } from './message-actions.js';
import { CHAT_ACTIONS_CSS, CHAT_ACTIONS_SCRIPT, CHAT_BAR_HTML, CHAT_LIST_HTML } from './chat-actions.js';
import { COMPOSER_EXTRAS_CSS, COMPOSER_EXTRAS_HTML, COMPOSER_EXTRAS_SCRIPT } from './composer-extras.js';
import { DELIVERIES_CSS, DELIVERIES_HTML, DELIVERIES_SCRIPT } from './deliveries-panel.js';
import { STREAMING_SCRIPT } from './streaming.js';
import { LINK_PREVIEWS_CSS, LINK_PREVIEWS_SCRIPT } from './link-previews.js';
import { COMPOSER_MORE_CSS, COMPOSER_MORE_HTML, COMPOSER_MORE_SCRIPT } from './composer-more.js';

/**
 * The inbox page: conversations on the left, the cards that arrived in the middle (rendered by
 * the preview renderer, updated live over server-sent events), interactions on the right.
 * Clicks go to the emulator, which builds and sends the real callback.
 */
const INBOX_CSS = `
body{padding:0;height:100vh;display:grid;grid-template-columns:240px 1fr 320px;grid-template-rows:44px 1fr}
header.top{grid-column:1/4;display:flex;align-items:center;gap:12px;padding:0 16px;background:#1F2329;color:#fff;font-weight:600}
header.top .who{font-weight:400;font-size:13px;opacity:.8;margin-left:auto}header.top select{font:inherit;font-size:13px}
nav{overflow:auto;border-right:1px solid #DEE0E3;background:#fff}nav h2,aside h2{font-size:12px;text-transform:uppercase;color:#8F959E;margin:12px 12px 4px}
.conv{padding:8px 12px;cursor:pointer;border-left:3px solid transparent}.conv:hover{background:#F5F6F7}.conv.active{background:#E0E9FF;border-left-color:#1456F0}
.conv .n{font-size:12px;color:#8F959E}
section.feed{overflow:auto;padding:16px;display:flex;flex-direction:column;gap:16px;align-items:center}
.msg{width:100%;max-width:600px}.msg .meta{font-size:12px;color:#8F959E;margin-bottom:4px}.msg .text-msg{background:#fff;border:1px solid #DEE0E3;border-radius:8px;padding:8px 12px}
.banner{background:#FEF1F1;border:1px solid #F98E8B;color:#B5231C;border-radius:6px;padding:6px 10px;font-size:12px;margin-bottom:6px}
aside{overflow:auto;border-left:1px solid #DEE0E3;background:#fff;font-size:12px}
.ix{border-bottom:1px solid #EFF0F1;padding:8px 12px}.ix .st{font-weight:600}.ix .bad{color:#D83931}.ix .good{color:#2EA121}.ix pre{white-space:pre-wrap;word-break:break-all;background:#F5F6F7;padding:4px;border-radius:4px;max-height:160px;overflow:auto}
.ix a{font-size:12px}
#toast{position:fixed;top:56px;left:50%;transform:translateX(-50%);padding:8px 16px;border-radius:6px;color:#fff;display:none;z-index:9;box-shadow:0 4px 12px rgba(0,0,0,.15)}
#toast.info{background:#1F2329}#toast.success{background:#2EA121}#toast.error{background:#D83931}#toast.warning{background:#F77234}
.empty{color:#8F959E;margin-top:40px}
.chat-head{width:100%;max-width:600px;background:#fff;border:1px solid #DEE0E3;border-radius:8px;padding:8px 12px;font-size:13px}.chat-head .name{font-weight:600}.chat-head .ann,.chat-head .top{color:#646A73;margin-top:4px;white-space:pre-wrap}
.reactions{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}.reactions .chip{font-size:12px;background:#F2F3F5;border-radius:10px;padding:1px 8px}
.fc{padding:6px 12px;border-bottom:1px solid #EFF0F1;font-size:12px}.fc .t{font-weight:600}.fc .p,.fc .a{color:#8F959E}.fc .l{display:inline-block;border-radius:4px;padding:0 4px;background:#E0E9FF;color:#1456F0;margin-left:4px}
#confirm{position:fixed;inset:0;background:rgba(31,35,41,.45);display:none;align-items:center;justify-content:center;z-index:10}
#confirm.open{display:flex}#confirm .box{background:#fff;border-radius:8px;width:360px;padding:20px 20px 16px;box-shadow:0 8px 24px rgba(0,0,0,.2)}
#confirm .t{font-size:16px;font-weight:600;margin-bottom:8px}#confirm .x{color:#646A73;margin-bottom:16px;white-space:pre-wrap}
#confirm .row{display:flex;justify-content:flex-end;gap:8px}
`;

const SCRIPT = String.raw`
var state = { chat: null, operator: null, actions: [], apps: [], users: [], convs: [] };
// The action modules appended after this script draw into each message and follow the conversation list.
var messageHooks = [], conversationHooks = [];
function can(action) { return state.actions.indexOf(action) >= 0; }
function api(path, body) { return call(body ? 'POST' : 'GET', path, body); }
// Any method: a person's actions also take back (DELETE) and rename (PATCH).
function call(method, path, body) {
  var init = { method: method };
  if (body !== undefined) { init.headers = { 'content-type': 'application/json' }; init.body = JSON.stringify(body); }
  return fetch(path, init).then(function (r) { return r.json(); }).then(function (j) {
    if (j.code === 0) return j.data;
    var fields = (j.error && j.error.field_violations) || [];
    throw new Error(j.msg + (fields.length ? ': ' + fields.map(function (f) { return f.field + ': ' + f.description; }).join('; ') : ''));
  });
}
function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
function toast(t) {
  var box = document.getElementById('toast');
  var content = t.content || (t.i18n && (t.i18n.en_us || t.i18n.zh_cn || Object.values(t.i18n)[0])) || '';
  box.className = t.type || 'info'; box.textContent = content; box.style.display = 'block';
  clearTimeout(box._t); box._t = setTimeout(function () { box.style.display = 'none'; }, 4000);
}
function loadConversations() {
  return api('/_emulator/inbox/conversations').then(function (d) {
    var nav = document.getElementById('convs'); nav.innerHTML = '';
    d.conversations.forEach(function (c) {
      if (c.chat_id === state.chat) state.conv = c;
      var row = el('div', 'conv' + (c.chat_id === state.chat ? ' active' : ''));
      row.dataset.chatId = c.chat_id;
      row.appendChild(el('div', '', c.name || c.chat_id));
      row.appendChild(el('div', 'n', c.messages + ' message' + (c.messages === 1 ? '' : 's') + (c.mode === 'p2p' ? ' · direct' : ' · group')));
      row.onclick = function () { state.chat = c.chat_id; loadConversations(); loadMessages(); };
      nav.appendChild(row);
    });
    var who = document.getElementById('operator');
    if (!who.options.length) d.users.forEach(function (u) { var o = el('option', '', u.name); o.value = u.open_id; who.appendChild(o); });
    state.operator = who.value;
    state.actions = d.actions || []; state.apps = d.apps || []; state.users = d.users; state.convs = d.conversations; state.uploadMax = d.upload_max_bytes;
    if (state.conv && state.conv.chat_id !== state.chat) state.conv = null;
    conversationHooks.forEach(function (h) { h(d); });
    if (!state.chat && d.conversations.length) { state.chat = d.conversations[0].chat_id; loadConversations(); loadMessages(); }
  });
}
// Every event redraws the list. What a person has typed or picked in a card's fields, and where the
// cursor was, is put back into the same card when it is still the same version: a message that
// arrives meanwhile does not wipe a half-filled form. A new version of the card starts from what it says.
function cardFields(box) { var holder = box.querySelector('.card-html'); return holder ? Array.prototype.slice.call(holder.querySelectorAll('input, textarea, select')) : []; }
function keepTyped(feed) {
  var kept = {}; var active = document.activeElement;
  feed.querySelectorAll('.msg[data-message-id]').forEach(function (box) {
    var fields = cardFields(box); if (!fields.length) return;
    kept[box.dataset.messageId] = { drawn: box._drawn, fields: fields.map(function (f) {
      var k = { value: f.value, checked: f.checked, focused: f === active, start: null, end: null };
      if (f.tagName === 'SELECT') k.selected = Array.prototype.map.call(f.options, function (o) { return o.selected; });
      if (k.focused) { try { k.start = f.selectionStart; k.end = f.selectionEnd; } catch (e) { /* no caret in this kind of field */ } }
      return k;
    }) };
  });
  return kept;
}
function putTypedBack(box, kept) {
  var fields = cardFields(box);
  if (!kept || kept.drawn !== box._drawn || fields.length !== kept.fields.length) return;
  fields.forEach(function (f, i) {
    var k = kept.fields[i];
    if (f.tagName === 'SELECT') Array.prototype.forEach.call(f.options, function (o, j) { o.selected = !!(k.selected && k.selected[j]); });
    else if (f.type === 'checkbox' || f.type === 'radio') f.checked = k.checked;
    else f.value = k.value;
    if (k.focused) { f.focus(); try { if (k.start !== null) f.setSelectionRange(k.start, k.end); } catch (e) { /* no caret in this kind of field */ } }
  });
}
// Answers can come back out of order (a click on another chat while the last list loads): only the newest is drawn.
var loadSeq = 0;
function loadMessages() {
  if (!state.chat) return Promise.resolve();
  var seq = ++loadSeq;
  return api('/_emulator/inbox/messages?chat_id=' + encodeURIComponent(state.chat) + '&open_id=' + encodeURIComponent(state.operator || '')).then(function (d) {
    if (seq !== loadSeq) return;
    var feed = document.getElementById('feed'); var typed = keepTyped(feed); feed.innerHTML = '';
    var conv = state.conv && state.conv.chat_id === state.chat ? state.conv : null;
    if (conv && (conv.announcement || conv.top_notice)) {
      var head = el('div', 'chat-head'); head.appendChild(el('div', 'name', conv.name || conv.chat_id));
      if (conv.top_notice) head.appendChild(el('div', 'top', conv.top_notice));
      if (conv.announcement) head.appendChild(el('div', 'ann', 'Announcement: ' + conv.announcement));
      feed.appendChild(head);
    }
    if (!d.messages.length) feed.appendChild(el('div', 'empty', 'No messages here yet.'));
    d.messages.forEach(function (m) {
      var box = el('div', 'msg'); box.dataset.messageId = m.message_id;
      if (m.from_user) box.className = 'msg mine';
      box.appendChild(el('div', 'meta', (m.from_user ? m.from_user.name : m.app_name) + ' · ' + new Date(m.create_time).toLocaleTimeString() + (m.updated ? ' · updated (' + m.versions + ' versions)' : '') + (m.ephemeral ? ' · only you can see this' : '')));
      var banner = el('div', 'banner'); banner.style.display = 'none'; box.appendChild(banner);
      if (m.deleted) box.appendChild(el('div', 'text-msg recalled', 'This message was recalled'));
      else if (m.html) { var holder = el('div', 'card-html'); holder.innerHTML = m.html; box.appendChild(holder); box._drawn = m.versions + ':' + m.html; }
      else box.appendChild(el('div', 'text-msg', m.text || '(' + m.msg_type + ')'));
      if (m.pinned) box.querySelector('.meta').textContent += ' · pinned';
      if (m.reactions && m.reactions.length) {
        var row = el('div', 'reactions');
        m.reactions.forEach(function (r) { var chip = el('span', 'chip', r.emoji_type + ' ' + r.count); chip.title = r.names.join(', '); row.appendChild(chip); });
        box.appendChild(row);
      }
      messageHooks.forEach(function (h) { h(box, m); });
      feed.appendChild(box);
      putTypedBack(box, typed[m.message_id]);
    });
    applyStreams(d.messages);
    feed.scrollTop = feed.scrollHeight;
  });
}
function loadInteractions() {
  return api('/_emulator/inbox/interactions').then(function (d) {
    var list = document.getElementById('ix'); list.innerHTML = '';
    d.interactions.slice().reverse().forEach(function (i) {
      var row = el('div', 'ix'); row.dataset.id = i.id;
      var status = i.error ? 'no answer' : i.channel === 'ws' ? (i.status === null ? 'no ack' : 'ack ' + i.status + ' in ' + i.ms + ' ms') + ' · long connection' + (i.frame_type === 'card' ? ' (type=card frame)' : '') : 'HTTP ' + i.status + ' in ' + i.ms + ' ms';
      row.appendChild(el('div', 'st ' + (i.ok ? 'good' : 'bad'), '#' + i.id + ' ' + i.format + ' · ' + status));
      if (i.error) row.appendChild(el('div', 'bad', i.error));
      i.problems.forEach(function (p) { row.appendChild(el('div', 'bad', p.path + ': ' + p.message)); });
      if (i.request) { row.appendChild(el('div', '', 'sent:')); row.appendChild(el('pre', '', JSON.stringify(i.request.payload, null, 1))); }
      if (i.answer != null) { row.appendChild(el('div', '', 'answer:')); row.appendChild(el('pre', '', JSON.stringify(i.answer, null, 1))); }
      if (i.request) { var a = el('a', '', 'save as fixture'); a.href = '/_emulator/inbox/interactions/' + i.id + '/fixture'; a.download = 'inbox-' + i.id + '.json'; row.appendChild(a); }
      list.appendChild(row);
    });
  });
}
function loadFeed() {
  if (!state.operator) return Promise.resolve();
  return api('/_emulator/inbox/feed?open_id=' + encodeURIComponent(state.operator)).then(function (d) {
    var list = document.getElementById('feedcards'); list.innerHTML = '';
    d.time_sensitive.forEach(function (c) { list.appendChild(el('div', 'fc', '\u23F0 ' + c.name)); });
    d.cards.forEach(function (c) {
      var row = el('div', 'fc'); var t = el('div', 't', c.title || c.biz_id);
      if (c.status_label) t.appendChild(el('span', 'l', c.status_label));
      row.appendChild(t);
      if (c.preview) row.appendChild(el('div', 'p', c.preview));
      row.appendChild(el('div', 'a', c.app_name));
      list.appendChild(row);
    });
  });
}
function withZone(v) { return v ? v.replace('T', ' ') + ' +0800' : v; }
function fieldValue(node) {
  var tag = node.dataset.tag;
  if (node.type === 'checkbox') return node.checked;
  if (node.tagName === 'SELECT' && node.multiple) return Array.prototype.map.call(node.selectedOptions, function (o) { return o.value; });
  if (tag === 'date_picker' || tag === 'picker_time' || tag === 'picker_datetime') return withZone(node.value);
  return node.value;
}
function click(target, action) {
  var msg = target.closest('.msg'); if (!msg) return;
  var banner = msg.querySelector('.banner'); banner.style.display = 'none';
  return api('/_emulator/inbox/click', { message_id: msg.dataset.messageId, open_id: state.operator, action: action }).then(function (d) {
    var i = d.interaction;
    if (i.toast) toast(i.toast);
    if (!i.ok) {
      banner.textContent = i.error || ('The answer breaks the platform\'s rules: ' + i.problems.map(function (p) { return p.path + ' ' + p.message; }).join('; '));
      banner.style.display = 'block';
    }
    return loadInteractions();
  }).catch(function (e) { banner.textContent = e.message; banner.style.display = 'block'; });
}
function actionFor(node) {
  var action = { tag: node.dataset.tag };
  if (node.dataset.name) action.name = node.dataset.name;
  if (node.dataset.value) action.value = JSON.parse(node.dataset.value);
  return action;
}
// The client asks before a button with a confirm sends anything; Cancel sends nothing.
function confirmThen(node, go) {
  if (node.dataset.confirm == null) return go();
  var box = document.getElementById('confirm');
  box.querySelector('.t').textContent = node.dataset.confirm;
  box.querySelector('.x').textContent = node.dataset.confirmText || '';
  box.classList.add('open');
  var ok = box.querySelector('.ok'); var cancel = box.querySelector('.cancel');
  function close() { box.classList.remove('open'); ok.onclick = null; cancel.onclick = null; }
  ok.onclick = function () { close(); go(); };
  cancel.onclick = close;
  ok.focus();
}
// Only links a browser may open safely; the renderer already drops the others.
function safeUrl(u) { return /^(https?:\/\/|lark:\/\/|mailto:|tel:)/i.test(u || '') ? u : null; }
document.addEventListener('submit', function (ev) { ev.preventDefault(); });
document.addEventListener('click', function (ev) {
  if (ev.target.closest('#confirm')) return;
  var item = ev.target.closest('.overflow-menu li');
  if (item) { var ov = item.closest('[data-tag="overflow"]'); var a = actionFor(ov); a.option = item.dataset.option; return confirmThen(ov, function () { click(ov, a); }); }
  var node = ev.target.closest('[data-tag="button"],[data-tag="interactive_container"]');
  // A link preview's card is shown, not sent: the message it hangs under is the person's text.
  if (!node || !node.closest('.msg') || node.closest('.link-preview') || node.disabled) return;
  if (node.dataset.url && !node.dataset.value) { var url = safeUrl(node.dataset.url); if (url) confirmThen(node, function () { window.open(url, '_blank', 'noopener'); }); return; }
  confirmThen(node, function () { send(node); });
});
function send(node) {
  var action = actionFor(node);
  var form = node.dataset.form ? node.closest('form') : null;
  if (form) {
    if (!/submit/.test(node.dataset.formAction || '')) { if (/reset/.test(node.dataset.formAction || '')) form.reset(); return; }
    action.form_value = {};
    form.querySelectorAll('[data-name]').forEach(function (f) { if (f.dataset.tag !== 'button') action.form_value[f.dataset.name] = fieldValue(f); });
  }
  click(node, action);
}
document.addEventListener('change', function (ev) {
  var node = ev.target.closest('[data-tag]');
  if (!node || node.dataset.form || !node.closest('.msg') || node.closest('.link-preview')) return;
  var tag = node.dataset.tag; var action = actionFor(node);
  if (tag === 'checker') action.checked = node.checked;
  else if (tag === 'input') action.input_value = node.value;
  else if (/^multi_/.test(tag)) action.options = fieldValue(node);
  else if (/picker/.test(tag)) { action.option = fieldValue(node); action.timezone = 'Asia/Shanghai'; }
  else if (/select/.test(tag)) action.option = node.value;
  else return;
  click(node, action);
});
document.getElementById('operator').addEventListener('change', function (e) { state.operator = e.target.value; loadMessages(); loadFeed(); });
var events = new EventSource('/_emulator/inbox/events');
// A stream the emulator cut (this page fell behind reading it) comes back by itself; what happened meanwhile is reloaded.
var connectedBefore = false;
events.addEventListener('open', function () { if (connectedBefore) loadConversations().then(loadMessages).then(loadInteractions).then(loadFeed); connectedBefore = true; });
// A message in another chat changes only the list of chats (its count): the open chat is not drawn again.
events.addEventListener('message', function (e) { var d = JSON.parse(e.data); loadConversations().then(function () { if (!d.chat_id || d.chat_id === state.chat) return loadMessages(); }); });
events.addEventListener('update', function (e) { var d = JSON.parse(e.data); if (!state.chat || d.chat_id === state.chat || !d.chat_id) loadMessages(); });
// A link's previews changed (pasted, or asked again after a batch_update).
events.addEventListener('previews', function (e) { var d = JSON.parse(e.data); if (!d.chat_id || d.chat_id === state.chat) loadMessages(); });
events.addEventListener('interaction', function () { loadInteractions(); });
events.addEventListener('chat', function (e) { var d = JSON.parse(e.data); loadConversations().then(function () { if (d.chat_id === state.chat) return loadMessages(); }); });
events.addEventListener('feed', function (e) { var d = JSON.parse(e.data); if (d.open_id === state.operator) loadFeed(); });
loadConversations().then(loadMessages).then(loadInteractions).then(loadFeed).then(function () { document.body.dataset.ready = '1'; });
`;


/** Where the emulator serves the fonts card ships (the page's CSP allows fonts from itself). */
export const INBOX_FONTS_PATH = '/_emulator/inbox/fonts';

export const INBOX_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>card emulator · inbox</title><style>${PREVIEW_CSS}${servedFontCss((name) => `${INBOX_FONTS_PATH}/${name}`)}${INBOX_CSS}${COMPOSER_CSS}${RECORDER_CSS}${OUTCOME_CSS}${MESSAGE_ACTIONS_CSS}${CHAT_ACTIONS_CSS}${COMPOSER_EXTRAS_CSS}${DELIVERIES_CSS}${LINK_PREVIEWS_CSS}${COMPOSER_MORE_CSS}</style></head>
<body class="light">
<header class="top">card emulator · inbox${RECORDER_HTML}<span class="who">clicking as <select id="operator"></select></span></header>
<nav><h2>Conversations</h2>${CHAT_LIST_HTML}<div id="convs"></div><h2>Feed</h2><div id="feedcards"></div></nav>
<main class="middle">${CHAT_BAR_HTML}<section class="feed" id="feed"><div class="empty">No messages yet: send a card to a chat or user of the emulator.</div></section>
${COMPOSER_HTML}${COMPOSER_EXTRAS_HTML}${COMPOSER_MORE_HTML}</main>
<aside><h2>Interactions</h2><div id="ix"></div>${DELIVERIES_HTML}</aside>
<div id="toast"></div>
<div id="confirm" role="dialog" aria-modal="true"><div class="box"><div class="t"></div><div class="x"></div><div class="row"><button type="button" class="btn btn-default cancel">Cancel</button><button type="button" class="btn btn-primary_filled ok">OK</button></div></div></div>
<script>${STREAMING_SCRIPT}${SCRIPT}${COMPOSER_SCRIPT}${RECORDER_SCRIPT}${OUTCOME_SCRIPT}${MESSAGE_ACTIONS_SCRIPT}${CHAT_ACTIONS_SCRIPT}${COMPOSER_EXTRAS_SCRIPT}${DELIVERIES_SCRIPT}${LINK_PREVIEWS_SCRIPT}${COMPOSER_MORE_SCRIPT}</script>
</body></html>
`;
