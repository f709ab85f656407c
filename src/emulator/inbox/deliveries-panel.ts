/**
 * The Deliveries panel: every event and callback the emulator sent (`GET /_emulator/deliveries`),
 * newest first, each with its attempts: which app, the verdict and why, and when it is sent
 * again. It follows the page's event stream (a `delivery` event for each attempt and each
 * scheduled re-send), so a re-send the emulator's clock makes due shows without a reload.
 *
 * Appended to the page's script; uses its `state`, `el`, `can`, `events`, `conversationHooks`
 * and the outcome helpers. Text only through textContent.
 */

/** How many deliveries the panel shows, newest first. */
const SHOWN = 50;

export const DELIVERIES_CSS = `
.dl{border-bottom:1px solid #EFF0F1;padding:6px 12px}.dl .k{font-weight:600;word-break:break-all}.dl .s{margin-left:4px}
.dl .s.delivered{color:#2EA121}.dl .s.retrying{color:#F77234}.dl .s.failed{color:#D83931}
.dl .at{color:#646A73;word-break:break-word}
`;

export const DELIVERIES_HTML = `<div id="deliveries-panel" hidden><h2>Deliveries</h2><div id="deliveries"></div></div>`;

export const DELIVERIES_SCRIPT = String.raw`
(function () {
  var panel = document.getElementById('deliveries-panel');
  var list = document.getElementById('deliveries');
  var loading = null, again = false;
  function attemptLine(a, last) {
    var text = 'attempt ' + a.attempt + (a.max_attempts > 1 ? ' of ' + a.max_attempts : '') + ' · ' + (a.transport === 'long_connection' ? 'long connection' : 'webhook') + ' · ' + a.verdict;
    if (a.verdict !== 'ok' && a.reason) text += ': ' + a.reason;
    if (a.retry_at) text += (last ? ' · next retry ' : ' · sent again at ') + clockTime(a.retry_at);
    return el('div', 'at', text);
  }
  function draw(groups) {
    list.innerHTML = '';
    if (!groups.length) list.appendChild(el('div', 'dl note', 'Nothing delivered yet.'));
    groups.slice(-${SHOWN}).reverse().forEach(function (g) {
      var row = el('div', 'dl'); row.dataset.eventId = g.event_id || ''; row.dataset.state = g.state;
      var head = el('div', 'k', g.kind); head.appendChild(el('span', 's ' + g.state, g.state));
      row.appendChild(head);
      row.appendChild(el('div', 'at', g.category + ' to ' + appName(g.app_id)));
      g.attempts.forEach(function (a, i) { row.appendChild(attemptLine(a, i === g.attempts.length - 1)); });
      list.appendChild(row);
    });
  }
  // One load at a time; announcements that arrive meanwhile make one more.
  function load() {
    if (!can('deliveries')) return Promise.resolve();
    if (loading) { again = true; return loading; }
    loading = call('GET', '/_emulator/deliveries').then(function (d) { draw(d.deliveries); }, function () {}).then(function () {
      loading = null;
      if (again) { again = false; return load(); }
    });
    return loading;
  }
  conversationHooks.push(function () {
    var was = !panel.hasAttribute('hidden');
    if (can('deliveries')) panel.removeAttribute('hidden'); else panel.setAttribute('hidden', '');
    if (!was && can('deliveries')) load();
  });
  events.addEventListener('delivery', function () { load(); });
  events.addEventListener('open', function () { load(); });
})();
`;
