import { isObject } from '../../card/inspect.js';
import { entityOfMessage, streamingModeOf } from '../cardkit-store.js';
import type { EmulatorCore } from '../core.js';
import type { MessageRecord } from '../store.js';

/**
 * What the inbox needs to show a CardKit card the way the client does while it streams: the
 * typing speed from `streaming_config`, the chat-list summary, and the text of each element that
 * text was streamed into (reference/long-connection-cardkit.md §2.3–2.4).
 */

/** The client's defaults when `streaming_config` leaves a field out. */
const DEFAULT_FREQUENCY_MS = 70;
const DEFAULT_STEP = 1;
/** The chat-list preview while streaming, unless the card sets its own summary. */
export const STREAMING_SUMMARY = '[生成中...]';

/** `{default, pc, …}` → the number the desktop client uses, kept within sane bounds. */
function platformValue(v: unknown, fallback: number, min: number, max: number): number {
  const pick = isObject(v) ? (v.pc ?? v.default) : v;
  const n = typeof pick === 'number' && Number.isFinite(pick) ? pick : fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

export interface StreamView {
  card_id: string;
  streaming: boolean;
  summary: string | null;
  frequency_ms: number;
  step: number;
  strategy: 'fast' | 'delay';
  /** Elements that text was streamed into, with their text now. */
  elements: Array<{ element_id: string; text: string }>;
}

export function streamView(core: EmulatorCore, m: MessageRecord): StreamView | null {
  const entity = entityOfMessage(core, m.message_id);
  if (!entity) return null;
  const card = entity.card;
  const config = isObject(card.config) ? card.config : {};
  const sc = isObject(config.streaming_config) ? config.streaming_config : {};
  const streaming = streamingModeOf(card);
  const custom = isObject(config.summary) && typeof config.summary.content === 'string' && config.summary.content ? config.summary.content : null;
  const ids = [...entity.streamed_elements];
  const elements = ids.map((id) => ({ element_id: id, text: textOf(card.body, id) })).filter((e): e is { element_id: string; text: string } => e.text !== null);
  return {
    card_id: entity.card_id,
    streaming,
    summary: custom ?? (streaming ? STREAMING_SUMMARY : null),
    frequency_ms: platformValue(sc.print_frequency_ms, DEFAULT_FREQUENCY_MS, 10, 2000),
    step: platformValue(sc.print_step, DEFAULT_STEP, 1, 1000),
    strategy: sc.print_strategy === 'delay' ? 'delay' : 'fast',
    elements,
  };
}

function textOf(value: unknown, id: string, depth = 0): string | null {
  if (depth > 64) return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = textOf(v, id, depth + 1);
      if (t !== null) return t;
    }
    return null;
  }
  if (!isObject(value)) return null;
  if (value.element_id === id) return typeof value.content === 'string' ? value.content : '';
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null) {
      const t = textOf(v, id, depth + 1);
      if (t !== null) return t;
    }
  }
  return null;
}

/**
 * The page's typewriter. Text typed so far survives re-renders of the feed (each update redraws
 * it). New text that extends the old types on from where it was; other text shows at once, as
 * the client does. `fast` first shows what the old text had left to type; `delay` lets it type
 * on. What types out is the rendered text (the card's HTML cut to the characters typed so far).
 */
export const STREAMING_SCRIPT = String.raw`
var typing = {};
// A streaming card updates several times a second: one redraw at a time, and one more after it
// when updates came meanwhile, so an older answer is never drawn over a newer one.
var drawMessages = loadMessages, drawing = null, redraw = false;
loadMessages = function () {
  if (drawing) { redraw = true; return drawing; }
  drawing = drawMessages().then(function (v) {
    drawing = null;
    if (redraw) { redraw = false; return loadMessages(); }
    return v;
  }, function (e) { drawing = null; throw e; });
  return drawing;
};
function typedKey(messageId, elementId) { return messageId + '\u0000' + elementId; }
function streamNode(messageId, elementId) {
  var box = document.querySelector('.msg[data-message-id="' + CSS.escape(messageId) + '"]');
  return box && box.querySelector('[data-element-id="' + CSS.escape(elementId) + '"]');
}
// The rendered text types out, formatting and all: the card's HTML with its text cut to what has
// been typed so far, so bold is bold while it types, as on the client.
function paintTyping(t) {
  var node = streamNode(t.messageId, t.elementId);
  if (!node) return;
  node.innerHTML = t.html;
  if (t.shown >= t.len) { node.classList.remove('typing'); return; }
  node.classList.add('typing');
  var budget = t.shown, walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), text;
  while ((text = walker.nextNode())) {
    if (budget >= text.data.length) budget -= text.data.length;
    else { text.data = text.data.slice(0, budget); budget = 0; }
  }
}
function tickTyping(t) {
  t.shown = Math.min(t.len, t.shown + t.step);
  paintTyping(t);
  if (t.shown >= t.len) { clearInterval(t.timer); t.timer = null; }
}
function showSummary(box, stream) {
  if (!stream.summary) return;
  var line = el('div', 'summary', stream.summary);
  line.style.fontSize = '12px'; line.style.marginBottom = '4px'; line.style.color = stream.streaming ? '#1456F0' : '#646A73';
  var meta = box.querySelector('.meta');
  box.insertBefore(line, meta ? meta.nextSibling : box.firstChild);
}
function applyStreams(messages) {
  messages.forEach(function (m) {
    var box = document.querySelector('.msg[data-message-id="' + CSS.escape(m.message_id) + '"]');
    if (!m.stream || !box) return;
    if (m.stream.streaming) box.dataset.streaming = '1'; else delete box.dataset.streaming;
    showSummary(box, m.stream);
    m.stream.elements.forEach(function (e) {
      var key = typedKey(m.message_id, e.element_id);
      var node = streamNode(m.message_id, e.element_id);
      if (!node) return;
      // The feed was just redrawn: the node holds the whole text, rendered.
      var html = node.innerHTML, len = node.textContent.length;
      var t = typing[key];
      if (!t) {
        // First sight: a finished card shows whole; a live one types from the start.
        t = typing[key] = { messageId: m.message_id, elementId: e.element_id, target: e.text, shown: m.stream.streaming ? 0 : len, timer: null };
      } else if (e.text !== t.target) {
        // New text that extends the old types on; fast first shows what the old had left to type.
        if (e.text.indexOf(t.target) === 0) { if (m.stream.strategy === 'fast') t.shown = Math.max(t.shown, t.len); }
        else t.shown = len;
        t.target = e.text;
      }
      t.html = html; t.len = len; t.step = m.stream.step;
      if (t.shown > len) t.shown = len;
      paintTyping(t);
      if (t.shown < t.len && !t.timer) t.timer = setInterval(function () { tickTyping(t); }, m.stream.frequency_ms);
    });
  });
}
`;
