/**
 * The message box's other kinds, under it: an image or a file from this computer (read in the
 * page, sent as base64 in `image` / `file`, bounded by the emulator's upload size before it is
 * read), a post (title and text), and a pasted link (`POST /_emulator/users/:open_id/links`, the
 * link preview's cause). Sent as the person chosen in the top bar to the open chat; the note says
 * what each caused. Kinds the emulator does not serve (not in `actions`) are hidden. A picture a
 * person sent shows in the chat as the picture, a file by its name.
 *
 * Appended to the page's script; uses its `state`, `el`, `can`, `conversationHooks`,
 * `messageHooks`, `loadMessages` and the outcome helpers. File names are shown as text only.
 */

export const COMPOSER_EXTRAS_CSS = `
.composer-extras{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:0 16px 8px;background:#fff;font-size:12px}
.composer-extras[hidden],.composer-extras .post[hidden],.composer-extras .link[hidden]{display:none}
.composer-extras input[type=file]{display:none}
.composer-extras .post,.composer-extras .link{display:flex;gap:4px;align-items:center;flex:1;min-width:240px}
.composer-extras input[type=text],.composer-extras input[type=url]{font:inherit;padding:3px 6px;border:1px solid #DEE0E3;border-radius:4px;min-width:0;flex:1}
.composer-extras .note{flex-basis:100%;word-break:break-word}
.msg .text-msg img.sent-image{display:block;max-width:100%;max-height:240px}
`;

export const COMPOSER_EXTRAS_HTML = `<div class="composer-extras" id="composer-extras" hidden>
<button type="button" class="small" id="attach-image-btn">Image…</button><input type="file" id="attach-image" accept="image/*">
<button type="button" class="small" id="attach-file-btn">File…</button><input type="file" id="attach-file">
<button type="button" class="small" id="post-btn">Post…</button>
<button type="button" class="small" id="link-btn">Link…</button>
<span class="post" id="post-form" hidden><input type="text" id="post-title" maxlength="200" placeholder="title" aria-label="post title"><input type="text" id="post-text" maxlength="4000" placeholder="text" aria-label="post text"><button type="button" class="small" id="post-send">Send post</button></span>
<span class="link" id="link-form" hidden><input type="url" id="link-url" maxlength="2048" placeholder="https://…" aria-label="link"><button type="button" class="small" id="link-send">Paste link</button></span>
<span class="note" id="extras-note"></span>
</div>`;

export const COMPOSER_EXTRAS_SCRIPT = String.raw`
(function () {
  var box = document.getElementById('composer-extras');
  var note = document.getElementById('extras-note');
  var postForm = document.getElementById('post-form');
  var linkForm = document.getElementById('link-form');
  function show(node, yes) { if (yes) node.removeAttribute('hidden'); else node.setAttribute('hidden', ''); }
  function conv() { return state.convs.filter(function (c) { return c.chat_id === state.chat; })[0] || null; }
  var GROUP_NOBODY = 'no bot was told: in a group a bot hears only what @mentions it';
  function nobody() { var c = conv(); return c && c.mode === 'group' ? GROUP_NOBODY : 'no bot in this chat'; }
  // A picture a person sent shows as the picture; a file by its name (as text).
  messageHooks.push(function (box, m) {
    var a = m.attachment; var body = box.querySelector('.text-msg'); if (!a || !body) return;
    body.textContent = '';
    if (a.kind === 'image' && a.src) { var img = el('img', 'sent-image'); img.alt = 'image'; img.src = a.src; body.appendChild(img); }
    else body.textContent = a.kind === 'file' ? 'File: ' + a.file_name : '(image)';
  });
  conversationHooks.push(function () {
    show(document.getElementById('attach-image-btn'), can('send'));
    show(document.getElementById('attach-file-btn'), can('send'));
    show(document.getElementById('post-btn'), can('send_post'));
    show(document.getElementById('link-btn'), can('paste_link'));
    show(box, !!state.chat && (can('send') || can('send_post') || can('paste_link')));
  });
  function send(what, path, body, why) {
    note.textContent = what + '…'; note.className = 'note';
    return call('POST', path, body).then(function (d) {
      showOutcome(note, what, d, why || nobody());
      if (d.previews) note.textContent += ' · ' + d.previews.length + ' link preview' + (d.previews.length === 1 ? '' : 's');
      return loadMessages();
    }, function (e) { showFailure(note, e); });
  }
  function kb(n) { return n < 1024 * 1024 ? Math.ceil(n / 1024) + ' KB' : (n / 1024 / 1024).toFixed(1) + ' MB'; }
  // Read in the page, bounded before it is read: the emulator takes one request body of base64.
  function attach(input, field) {
    var file = input.files && input.files[0]; input.value = '';
    if (!file || !state.chat) return;
    var max = (state.uploadMax || {})[field] || 0;
    if (file.size > max) { note.textContent = file.name + ' is ' + kb(file.size) + ': the emulator takes ' + (field === 'image' ? 'images' : 'files') + ' up to ' + kb(max); note.className = 'note bad'; return; }
    if (!file.size) { note.textContent = file.name + ' is empty'; note.className = 'note bad'; return; }
    var reader = new FileReader();
    reader.onload = function () {
      var data = String(reader.result); data = data.slice(data.indexOf(',') + 1);
      var body = { chat_id: state.chat }; body[field] = { data: data, file_name: file.name };
      send('sent ' + field + ' ' + file.name, asPerson('/messages'), body);
    };
    reader.onerror = function () { note.textContent = 'could not read ' + file.name; note.className = 'note bad'; };
    reader.readAsDataURL(file);
  }
  document.getElementById('attach-image-btn').addEventListener('click', function () { document.getElementById('attach-image').click(); });
  document.getElementById('attach-file-btn').addEventListener('click', function () { document.getElementById('attach-file').click(); });
  document.getElementById('attach-image').addEventListener('change', function (e) { attach(e.target, 'image'); });
  document.getElementById('attach-file').addEventListener('change', function (e) { attach(e.target, 'file'); });
  document.getElementById('post-btn').addEventListener('click', function () { show(postForm, postForm.hasAttribute('hidden')); show(linkForm, false); });
  document.getElementById('link-btn').addEventListener('click', function () { show(linkForm, linkForm.hasAttribute('hidden')); show(postForm, false); });
  document.getElementById('post-send').addEventListener('click', function () {
    var title = document.getElementById('post-title').value.trim(); var text = document.getElementById('post-text').value.trim();
    if (!text || !state.chat) return;
    var c = conv();
    var post = { content: [[{ tag: 'text', text: text }]] }; if (title) post.title = title;
    var body = { chat_id: state.chat, post: post };
    // In a group the bots hear a post that @mentions them, as the message box does for text.
    if (c && c.mode === 'group' && document.getElementById('composer-mention').checked) body.mention_bot = true;
    send('sent a post', asPerson('/messages'), body).then(function () { document.getElementById('post-text').value = ''; });
  });
  document.getElementById('link-send').addEventListener('click', function () {
    var url = document.getElementById('link-url').value.trim();
    if (!/^https?:\/\/\S+$/i.test(url) || !state.chat) { note.textContent = 'a link is an http or https URL'; note.className = 'note bad'; return; }
    send('pasted ' + url, asPerson('/links'), { chat_id: state.chat, url: url }, 'no bot previews this link').then(function () { document.getElementById('link-url').value = ''; });
  });
})();
`;
