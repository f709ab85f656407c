/**
 * What every action of the page shares: the line that tells what an action caused (the events it
 * sent, each delivery's verdict, the re-send to come), in the message box's note style, and the
 * styles of the action menus. The actions are the person's chosen in the top bar.
 *
 * Appended to the page's script (one script, one hash in the CSP); it uses the page's `state`,
 * `el` and `call`. Everything shown goes through textContent.
 */

export const OUTCOME_CSS = `
.note{font-size:12px;color:#8F959E}.note.bad{color:#D83931}
.text-msg.recalled{color:#8F959E;font-style:italic}
.menu{position:absolute;z-index:5;background:#fff;border:1px solid #DEE0E3;border-radius:6px;box-shadow:0 4px 12px rgba(0,0,0,.12);padding:6px;display:flex;flex-direction:column;gap:4px;min-width:200px;font-size:12px}
.menu[hidden]{display:none}.menu .row{display:flex;gap:4px;align-items:center}.menu select,.menu input{font:inherit;min-width:0;flex:1}
.menu button.item{text-align:left;background:none;border:0;padding:4px 6px;border-radius:4px;cursor:pointer;font:inherit}.menu button.item:hover{background:#F2F3F5}
.menu .sub{padding-left:12px}
button.small{font-family:inherit;font-size:12px;padding:1px 8px;border:1px solid #DEE0E3;border-radius:4px;background:#fff;cursor:pointer}button.small:hover{background:#F2F3F5}
`;

export const OUTCOME_SCRIPT = String.raw`
function operatorId() { return document.getElementById('operator').value; }
function asPerson(path) { return '/_emulator/users/' + encodeURIComponent(operatorId()) + path; }
function appName(id) { var a = state.apps.filter(function (x) { return x.app_id === id; })[0]; return a ? a.name : id; }
function clockTime(iso) { return new Date(iso).toLocaleTimeString(); }
/** One delivery in words: the event, the bot, the channel, and how it went. */
function deliveryLine(x) {
  var head = x.kind + ' → ' + appName(x.app_id) + (x.transport === 'long_connection' ? ' (long connection)' : ' (event URL)');
  if (x.verdict === 'ok') return head + ': ok';
  var attempt = x.max_attempts > 1 ? ' (attempt ' + x.attempt + ' of ' + x.max_attempts + ')' : '';
  return head + ': failed' + attempt + ', ' + (x.reason || 'no answer') + (x.retry_at ? '; sent again at ' + clockTime(x.retry_at) : '');
}
/** Writes what an action caused into its note: the deliveries, or why no bot was told. */
function showOutcome(note, done, data, nobody) {
  var list = (data && data.deliveries) || [];
  note.textContent = done + ' · ' + (list.length ? list.map(deliveryLine).join(' · ') : (nobody || 'no bot was told'));
  note.className = 'note' + (list.some(function (x) { return x.verdict !== 'ok'; }) ? ' bad' : '');
}
function showFailure(note, err) { note.textContent = err.message; note.className = 'note bad'; }
`;
