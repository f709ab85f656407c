/**
 * The inbox's "Record a test" control: starts a recording in the emulator (`POST
 * /_emulator/recordings`), and on "Stop and download" stops it and downloads the vitest file the
 * emulator writes from it (`GET /_emulator/recordings/:id/test`). Kept apart from the page so the
 * page stays one concern; the script is appended to the page's own (one script, one hash in the
 * CSP) and uses its `api`.
 */

export const RECORDER_CSS = `
header.top .rec{margin-left:16px;font:inherit;font-size:13px;font-weight:400;border-radius:6px;border:1px solid #646A73;background:transparent;color:#fff;padding:2px 10px;cursor:pointer}
header.top .rec.on{background:#D83931;border-color:#D83931}
header.top .rec-note{font-size:12px;font-weight:400;opacity:.8}
`;

export const RECORDER_HTML = `<button type="button" class="rec" id="record" title="Record what you do here and what the bot answers as a vitest test">Record a test</button><span class="rec-note" id="record-note"></span>`;

export const RECORDER_SCRIPT = String.raw`
(function () {
  var button = document.getElementById('record');
  var note = document.getElementById('record-note');
  var recording = null;
  function say(text) { note.textContent = text; }
  function download(id) {
    var a = document.createElement('a');
    a.href = '/_emulator/recordings/' + encodeURIComponent(id) + '/test';
    a.download = 'recorded-' + id + '.test.ts';
    document.body.appendChild(a); a.click(); a.remove();
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    if (!recording) {
      api('/_emulator/recordings', {}).then(function (r) {
        recording = r.id; button.textContent = 'Stop and download'; button.className = 'rec on'; button.dataset.recording = r.id;
        say('recording: write to the bot, click, fill forms');
      }).catch(function (e) { say(e.message); }).then(function () { button.disabled = false; });
      return;
    }
    var id = recording;
    api('/_emulator/recordings/' + encodeURIComponent(id) + '/stop', {}).then(function (r) {
      recording = null; button.textContent = 'Record a test'; button.className = 'rec'; delete button.dataset.recording;
      say(r.steps.length + ' step' + (r.steps.length === 1 ? '' : 's') + ' recorded');
      download(id);
    }).catch(function (e) { say(e.message); }).then(function () { button.disabled = false; });
  });
})();
`;
