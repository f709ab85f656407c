import { randomBytes } from 'node:crypto';
import { isObject, type CardObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';
import { cardAsText } from '../testing/card-text.js';
import { interactiveElements, valueMatches, type CardElement } from '../testing/elements.js';
import type { EmulatorCore } from './core.js';
import { routeFor } from './delivery.js';
import type { Interaction } from './interactions.js';
import { listenMenuLinks } from './recording-menu-links.js';
import { listenPersonActions } from './recording-person-actions.js';
import type { RecordedCall, RecordedStep, RecordedUser } from './recording-steps.js';
import { RECORDING_STEPS, RECORDINGS_KEPT, currentText, type MessageRecord, type RecordingRecord, type UserRecord } from './store.js';

export type { RecordedCall, RecordedStep, RecordedUser };

/**
 * "Record a test": while a recording runs, what people do (write to the bot, click, choose, fill
 * and submit forms) and what the bot answers (messages, toasts, card changes) become steps, each
 * already in the testing library's terms (the element's target as `interactiveElements` names it,
 * the card as `cardAsText` reads it), so the generator (src/testing/record-codegen.ts) needs no card.
 */

/** Longer texts are cut here: a step is evidence for an assertion, not a copy of the card. */
const MAX_TEXT = 8 * 1024;

const cut = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

function seen(m: { msg_type: string; card: CardObject | null; text: string | null }): { first_line: string | null; text: string | null } {
  if (m.card) {
    const text = cut(cardAsText(m.card as Card));
    return { first_line: text.split('\n')[0] ?? '', text };
  }
  return { first_line: null, text: m.text === null ? null : cut(m.text) };
}

function userOf(users: UserRecord[], openId: string): RecordedUser {
  const u = users.find((x) => x.open_id === openId);
  return { open_id: openId, email: u?.email ?? null, name: u?.name ?? openId };
}

const PICKERS = new Set(['date_picker', 'picker_time', 'picker_datetime']);
const withoutZone = (v: unknown) => String(v).replace(/ [+-]\d{4}$/, '');

/** The element an action came from: same tag, same name, the same value. */
function elementOf(card: CardObject, action: Record<string, unknown>): CardElement | null {
  const value = action.value ?? {};
  return (
    interactiveElements(card as Card).find(
      (e) => e.tag === action.tag && (typeof action.name !== 'string' || e.name === action.name) && valueMatches(e.value ?? {}, value) && valueMatches(value, e.value ?? {}),
    ) ?? null
  );
}

/** The library call that sends this action again, found on the card as it was before the click. */
export function callFor(card: CardObject | null, action: Record<string, unknown>): RecordedCall | null {
  if (!card) return null;
  const el = elementOf(card, action);
  if (!el?.target) return null;
  const target = el.target;
  if (isObject(action.form_value)) {
    const fields = new Map(interactiveElements(card as Card).filter((e) => e.form === el.form && e.name).map((e) => [e.name!, e.tag]));
    const values: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(action.form_value)) values[name] = PICKERS.has(fields.get(name) ?? '') ? withoutZone(v) : v;
    return { verb: 'submitForm', values, button: target };
  }
  if (PICKERS.has(el.tag)) return { verb: 'pick', target, value: withoutZone(action.option) };
  if (el.tag === 'input') return { verb: 'type', target, text: String(action.input_value ?? '') };
  if (Array.isArray(action.options)) return { verb: 'choose', target, option: action.options.map(String) };
  if (typeof action.option === 'string') return { verb: 'choose', target, option: action.option };
  return { verb: 'click', target };
}

function toastOf(i: Interaction): { type: string; content: string } | null {
  const t = i.toast;
  if (!t || typeof t.type !== 'string') return null;
  const i18n = isObject(t.i18n) ? Object.values(t.i18n).find((v) => typeof v === 'string') : undefined;
  return { type: t.type, content: cut(String(t.content ?? i18n ?? '')) };
}

/** The recording under way, if any. */
export function activeRecording(core: EmulatorCore): RecordingRecord | null {
  return [...core.store.recordings.values()].find((r) => r.stopped_at === null) ?? null;
}

function push(rec: RecordingRecord, step: RecordedStep): void {
  if (rec.steps.length >= RECORDING_STEPS) {
    rec.truncated = true;
    return;
  }
  rec.steps.push(step);
}

/** Listeners per core, so one set serves every recording and a stop removes them. */
const listening = new WeakMap<EmulatorCore, () => void>();

function listen(core: EmulatorCore): void {
  if (listening.has(core)) return;
  // Clicks under way, by message: updates while one is out are its answer (or the bot's delayed update).
  const open = new Map<string, Extract<RecordedStep, { kind: 'click' }>>();
  // ── h24-menu-links ──
  const menuLinks = listenMenuLinks(core, () => activeRecording(core), push, (id) => userOf(core.store.users, id));
  // ── h24-recorder ──
  const personActions = listenPersonActions(core, () => activeRecording(core), push, (id) => userOf(core.store.users, id));
  const onMessage = (m: MessageRecord) => {
    if (menuLinks.took(m) || personActions.took(m)) return;
    const rec = activeRecording(core);
    if (!rec) return;
    const current = m.versions[m.versions.length - 1]!;
    if (m.sender_open_id) {
      const chat = core.store.chats.get(m.chat_id);
      const mentions = (m.mentions ?? []).filter((x) => [...core.store.apps.values()].some((a) => a.bot_open_id === x.id));
      let text = currentText(m) ?? '';
      for (const x of m.mentions ?? []) text = text.replace(new RegExp(`^${x.key} `), '');
      push(rec, { kind: 'say', at: m.create_time, message_id: m.message_id, user: userOf(core.store.users, m.sender_open_id), chat: { id: m.chat_id, mode: chat?.chat_mode === 'group' ? 'group' : 'p2p' }, app_id: chat?.chat_mode === 'group' ? null : ([...(chat?.bots ?? [])][0] ?? null), mention: mentions.length > 0, text: cut(text) });
      return;
    }
    seenVersion.set(m.message_id, current);
    push(rec, { kind: 'message', at: m.create_time, message_id: m.message_id, app_id: m.app_id, msg_type: m.msg_type, ...seen({ msg_type: m.msg_type, card: current.card, text: currentText(m) }) });
  };
  // ── h24-recorder ──
  // The version each message was last seen at: a reaction or a pin announces the message too, and
  // changes nothing a test can assert on its text or card.
  const seenVersion = new Map<string, unknown>();
  const onUpdate = (m: MessageRecord) => {
    const rec = activeRecording(core);
    if (!rec || m.sender_open_id) return;
    const current = m.versions[m.versions.length - 1]!;
    if (!m.deleted && (seenVersion.get(m.message_id) === current || (!seenVersion.has(m.message_id) && current.at < rec.started_at))) return;
    seenVersion.set(m.message_id, current);
    // The answer to a click is asserted on the click's own result.
    if (current.via === 'callback' && open.has(m.message_id)) return;
    if (m.deleted) return;
    push(rec, { kind: 'update', at: current.at, message_id: m.message_id, ...seen({ msg_type: m.msg_type, card: current.card, text: currentText(m) }) });
  };
  const onClicking = (c: { message_id: string; open_id: string; action: Record<string, unknown>; card: CardObject | null }) => {
    const rec = activeRecording(core);
    if (!rec) return;
    const step: Extract<RecordedStep, { kind: 'click' }> = { kind: 'click', at: core.now(), message_id: c.message_id, user: userOf(core.store.users, c.open_id), call: callFor(c.card, c.action), action: structuredClone(c.action), answer: null };
    open.set(c.message_id, step);
    push(rec, step);
  };
  const onInteraction = (i: Interaction) => {
    const step = open.get(i.message_id);
    if (!step) return;
    open.delete(i.message_id);
    const m = core.store.messages.get(i.message_id);
    const card = i.applied && m ? m.versions[m.versions.length - 1]!.card : null;
    step.answer = { ok: i.ok, error: i.error, toast: toastOf(i), card_text: card ? cut(cardAsText(card as Card)) : null, applied: !!i.applied };
  };
  core.events.on('message', onMessage);
  core.events.on('update', onUpdate);
  core.events.on('clicking', onClicking);
  core.events.on('interaction', onInteraction);
  listening.set(core, () => {
    core.events.off('message', onMessage);
    core.events.off('update', onUpdate);
    core.events.off('clicking', onClicking);
    core.events.off('interaction', onInteraction);
    menuLinks.off();
    personActions.off();
    seenVersion.clear();
    listening.delete(core);
  });
}

/** Starts a recording; one runs at a time, so a running one is stopped first. */
export function startRecording(core: EmulatorCore): RecordingRecord {
  const running = activeRecording(core);
  if (running) running.stopped_at = core.now();
  const store = core.store;
  const app = [...store.apps.values()][0];
  const route = app ? routeFor(app, 'callback') : null;
  const rec: RecordingRecord = {
    id: `rec_${randomBytes(6).toString('hex')}`,
    started_at: core.now(),
    stopped_at: null,
    transport: { app_id: app?.app_id ?? '', mode: route?.channel === 'ws' ? 'ws' : 'http', url: route?.channel === 'http' ? route.target : null },
    steps: [],
    truncated: false,
  };
  store.recordings.set(rec.id, rec);
  while (store.recordings.size > RECORDINGS_KEPT) store.recordings.delete(store.recordings.keys().next().value!);
  listen(core);
  core.events.emit('recording', { id: rec.id });
  return rec;
}

export function stopRecording(core: EmulatorCore, rec: RecordingRecord): RecordingRecord {
  if (rec.stopped_at === null) rec.stopped_at = core.now();
  if (!activeRecording(core)) listening.get(core)?.();
  return rec;
}
