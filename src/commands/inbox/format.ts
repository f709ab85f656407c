import type { ActOutcome, SayOutcome } from '../../inbox/act.js';
import type { PersonOutcome } from '../../inbox/person.js';
import type { MessageRow, ShownElement, ShownMessage } from '../../inbox/read.js';
import { printable } from '../../output/printable.js';

/** The human text of `card inbox`: card text and names come from the bot and people, so every piece is made printable. */

const p = (text: string | null | undefined) => printable(text ?? '');
const json = (v: unknown) => p(JSON.stringify(v));

export function rowLine(r: MessageRow): string[] {
  return [r.message_id, r.chat_id, p(r.sender.name), r.type, p(r.text)];
}

function elementLine(e: ShownElement): string {
  const bits = [`#${e.n} ${e.kind}`];
  if (e.text) bits.push(json(e.text));
  if (e.element_id) bits.push(`element_id=${p(e.element_id)}`);
  if (e.name) bits.push(`name=${p(e.name)}`);
  if (e.value !== null && !(typeof e.value === 'object' && Object.keys(e.value as object).length === 0)) bits.push(`value=${json(e.value)}`);
  if (e.options.length) bits.push(`options: ${e.options.map((o) => `${p(o.value)}${o.text ? ` (${p(o.text)})` : ''}`).join(', ')}`);
  if (e.in_form) bits.push(`in form ${p(e.in_form)}`);
  if (e.disabled) bits.push('disabled');
  else if (!e.calls_server) bits.push('opens a link only');
  return `  ${bits.join('  ')}`;
}

export function shownText(m: ShownMessage): string {
  const out = [`${m.message_id} · ${m.type} from ${p(m.sender.name)} in ${m.chat_id}${m.recalled ? ' · recalled' : m.updated ? ` · updated (${m.versions} versions)` : ''}`];
  if (m.title) out.push(`# ${p(m.title)}`);
  if (m.subtitle) out.push(`  ${p(m.subtitle)}`);
  for (const line of m.lines) out.push(p(line));
  if (m.elements.length) out.push('', 'Elements:', ...m.elements.map(elementLine));
  if (m.toasts.length) out.push('', 'Toasts:', ...m.toasts.map((t) => `  ${p(t.type)}: ${p(t.content)}  (${t.at})`));
  if (m.streaming) out.push('', `Streaming: ${m.streaming.on ? 'on' : 'off'} (card ${p(m.streaming.card_id)})`);
  return out.join('\n');
}

function newMessages(rows: MessageRow[]): string[] {
  return rows.map((r) => `new message: ${r.message_id} ${p(r.sender.name)} in ${r.chat_id}: ${p(r.text)}`);
}

/** How the answer went: the verdict line, the toast, what happened to the card, new messages. */
export function actText(o: ActOutcome, verb: string): string {
  const el = `${o.element.n ? `#${o.element.n} ` : ''}${o.element.kind}${o.element.text ? ` ${json(o.element.text)}` : ''}`;
  const how = o.status === null ? 'no answer' : o.channel === 'ws' ? `ack ${o.status} in ${o.ms} ms (long connection)` : `HTTP ${o.status} in ${o.ms} ms`;
  const out = [`${o.ok ? '✓' : '✗'} ${verb} ${el} as ${p(o.as.name)}: ${how}`];
  for (const r of o.reasons) out.push(`  ${p(r)}`);
  out.push(o.toast ? `toast: ${p(o.toast.type)} ${json(o.toast.content)}` : 'toast: none');
  out.push(o.card.changed ? `card: ${o.card.by === 'answer' ? 'replaced by the answer' : 'updated by the bot'}${o.card.title ? ` — ${json(o.card.title)}` : ''} (${o.card.versions} versions)` : 'card: unchanged');
  out.push(...newMessages(o.new_messages));
  return out.join('\n');
}

export function sayText(o: SayOutcome): string {
  const out = [`${o.ok ? '✓' : '✗'} ${p(o.as.name)} wrote ${o.message_id} in ${o.chat_id}`];
  if (!o.deliveries.length) out.push('  no bot hears this message');
  for (const d of o.deliveries) {
    const how = d.status === null ? 'no answer' : d.channel === 'ws' ? `ack ${d.status} in ${d.ms} ms (long connection)` : `HTTP ${d.status} in ${d.ms} ms`;
    out.push(`  ${d.ok ? '✓' : '✗'} ${p(d.app_id)}: ${how}`, ...d.reasons.map((r) => `    ${p(r)}`));
  }
  out.push(...newMessages(o.new_messages));
  return out.join('\n');
}

/** A person's action: what happened, each event it caused and how the bot answered, what the bots sent. */
export function personText(o: PersonOutcome): string {
  const out = [`${o.ok ? '✓' : '✗'} ${p(o.summary)}`];
  if (o.chat) {
    const c = o.chat;
    out.push(`  chat ${c.chat_id} ${json(c.name)}: ${c.disbanded ? 'disbanded' : `${c.members.length} ${c.members.length === 1 ? 'person' : 'people'}, bots: ${c.bots.map(p).join(', ') || 'none'}`}`);
  }
  for (const v of o.previews ?? []) {
    out.push(v.ok ? `  preview by ${p(v.bot)}: ${v.title === null ? '(no title)' : json(v.title)}${v.card ? ' with a card' : ''}` : `  preview by ${p(v.bot)} refused by the client:`, ...v.problems.map((x) => `    ${p(x.path)}: ${p(x.message)}`));
  }
  if (!o.deliveries.length) out.push('  no bot was told');
  for (const d of o.deliveries) {
    const how = d.status === null ? 'no answer' : d.channel === 'ws' ? `ack ${d.status} in ${d.ms} ms (long connection)` : `HTTP ${d.status} in ${d.ms} ms`;
    out.push(`  ${d.ok ? '✓' : '✗'} ${p(d.kind)} → ${p(d.bot)}: ${how}`, ...d.reasons.map((r) => `    ${p(r)}`));
  }
  out.push(...newMessages(o.new_messages));
  return out.join('\n');
}
