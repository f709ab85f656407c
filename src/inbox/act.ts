import type { CardObject } from '../card/inspect.js';
import type { Interaction } from '../emulator/interactions.js';
import { usageError } from '../output/errors.js';
import {
  ActionInputError, chooseAction, clickAction, findElement, formAction, isFormStep, judgeInteraction, numberedElements, pickAction, targetFromText, toastOf, typeAction, type BuiltAction, type FormStep, type Step,
} from '../testing/actions.js';
import { cardText } from './message-text.js';
import { deliveryLine, whereToWrite, type DeliveryLine } from './person.js';
import type { EmulatorUser, InboxClient, StoredMessage } from './client.js';
import { cardFor, defaultActor, messageOrList, namesOf, personOf, rowOf, type MessageRow } from './read.js';

/**
 * `card inbox click | choose | fill | say`: a person acts in a running emulator, through its control
 * API, with the testing library's rules for what the action sends (src/testing/actions.ts), and the
 * bot's answer is judged as replay-callback judges it.
 */

export type CardAction =
  | { kind: 'click'; target: string }
  | { kind: 'choose'; target: string; options: string[] }
  | { kind: 'fill'; values: Record<string, string>; submit?: string };

export interface Verdict {
  ok: boolean;
  /** Why the answer fails in the client, when it does. */
  reasons: string[];
}

export interface CardChange {
  changed: boolean;
  /** `answer`: the callback's answer replaced it; `bot`: the bot updated it through the API. */
  by: 'answer' | 'bot' | null;
  title: string | null;
  versions: number;
}

export interface ActOutcome extends Verdict {
  message_id: string;
  as: { open_id: string; name: string };
  element: { n: number | null; kind: string; text: string | null; element_id: string | null };
  action: Record<string, unknown>;
  status: number | null;
  ms: number | null;
  channel: 'http' | 'ws';
  toast: { type: string; content: string } | null;
  card: CardChange;
  new_messages: MessageRow[];
  interaction_id: number;
}

/**
 * In the client, what a person does inside a form only fills it; the submit button sends it all.
 * A `card inbox` command is one process and the next one starts afresh, so a fill kept between
 * commands would be state nobody can see: instead the command says so and shows the one command
 * that fills and submits together.
 */
function sendOnly(card: CardObject, step: Step, messageId: string, what: CardAction): BuiltAction {
  if (!isFormStep(step)) return step;
  const submit = numberedElements(card).find((e) => e.form === step.element.form && e.tag === 'button' && ['submit', 'form_submit'].includes(String(e.node.form_action_type ?? e.node.action_type)));
  const button = submit ? (submit.text?.trim() ? submit.text.trim() : `#${submit.n}`) : '<button>';
  const command = `card inbox fill ${messageId} ${suggestedPair(step, what)} --submit ${/^[\w#-]+$/.test(button) ? button : JSON.stringify(button)}`;
  throw new FormFillRefused(formStepMessage(step, messageId, what), `Fill the form's fields and press its submit button in one command:\n${command}`);
}

/** An action inside a form, which in the client fills it: refused with the command that fills and submits. */
class FormFillRefused extends ActionInputError {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

function formStepMessage(step: FormStep, messageId: string, what: CardAction): string {
  const field = step.element.name ?? step.element.tag;
  if (step.kind === 'reset') return `the reset button of form ${JSON.stringify(step.form)} in ${messageId} only clears what was filled, and card inbox keeps no fill between commands: nothing was sent`;
  const verb = what.kind === 'choose' ? 'choosing' : what.kind === 'click' ? 'ticking' : 'typing';
  return `${field} sits in form ${JSON.stringify(step.form)}: in the client ${verb} there fills the form and sends nothing until its submit button is pressed, so nothing was sent. card inbox keeps no fill between commands: fill and submit in one command`;
}

function suggestedPair(step: FormStep, what: CardAction): string {
  if (step.kind === 'reset') return 'name=value';
  const shown = what.kind === 'choose' ? what.options.join(',') : typeof step.value === 'boolean' ? String(step.value) : String(step.value);
  return `${step.field}=${/^[\w@.,:+-]*$/.test(shown) ? shown : JSON.stringify(shown)}`;
}

function build(card: CardObject, messageId: string, what: CardAction, people: EmulatorUser[]): BuiltAction {
  return sendOnly(card, buildStep(card, messageId, what, people), messageId, what);
}

function buildStep(card: CardObject, messageId: string, what: CardAction, people: EmulatorUser[]): Step {
  if (what.kind === 'click') return clickAction(card, messageId, targetFromText(card, what.target), people);
  if (what.kind === 'choose') {
    const target = targetFromText(card, what.target);
    const el = findElement(card, messageId, target, ['select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'overflow', 'select_img', 'date_picker', 'picker_time', 'picker_datetime']);
    if (el.tag.startsWith('date_') || el.tag.startsWith('picker_')) {
      if (what.options.length !== 1) throw new ActionInputError(`${el.tag} takes one value, got ${what.options.length}`);
      return pickAction(card, messageId, target, what.options[0]!);
    }
    return chooseAction(card, messageId, target, what.options.length === 1 ? what.options[0]! : what.options, people);
  }
  const hasForm = numberedElements(card).some((e) => e.form);
  const pairs = Object.entries(what.values);
  // An input outside any form sends its own callback: fill it as one `name=text`.
  if (!hasForm && pairs.length === 1 && what.submit === undefined) {
    const [key, text] = pairs[0]!;
    const named = numberedElements(card).find((e) => e.tag === 'input' && (e.name === key || e.elementId === key));
    return typeAction(card, messageId, named?.elementId ? { elementId: named.elementId } : named?.name ? { name: named.name } : targetFromText(card, key), text);
  }
  return formAction(card, messageId, what.values, { button: what.submit === undefined ? undefined : targetFromText(card, what.submit), fromText: true }, people);
}

/** Rules the client applies before anything is sent become usage errors (exit 2) that list what there is. */
function asUsage(err: unknown): never {
  if (err instanceof FormFillRefused) throw usageError(err.message, { hint: err.hint, details: { sent: false } });
  if (err instanceof ActionInputError) throw usageError(err.message.split('\n')[0]!, { hint: err.available.length ? `It has:\n${err.available.join('\n')}` : null, details: { available: err.available } });
  throw err;
}

async function newMessagesSince(client: InboxClient, before: Set<string>, names: ReadonlyMap<string, string>, skip?: string): Promise<MessageRow[]> {
  return (await client.messages()).filter((m) => !before.has(m.message_id) && m.message_id !== skip).map((m) => rowOf(m, names));
}

function clickable(m: StoredMessage, viewer: string): CardObject {
  if (m.deleted) throw usageError(`${m.message_id} was recalled: the client shows no card to act on`);
  if (m.sender.type === 'user') throw usageError(`${m.message_id} is a message a person wrote: there is no card to act on`);
  const card = cardFor(m, viewer);
  if (!card) throw usageError(`${m.message_id} is a ${m.msg_type} message, not a card`);
  return card;
}

export async function actOnCard(client: InboxClient, messageId: string, what: CardAction, as?: string): Promise<ActOutcome> {
  const m = await messageOrList(client, messageId);
  const state = await client.state();
  const person = as === undefined ? defaultActor(state, m.chat_id) : personOf(state, as);
  const card = clickable(m, person.open_id);
  let built: BuiltAction;
  try {
    built = build(card, messageId, what, state.users);
  } catch (err) {
    asUsage(err);
  }
  const names = namesOf(state);
  const before = new Set((await client.messages()).map((x) => x.message_id));
  const { interaction, delivery } = await client.click(messageId, person.open_id, built.action);
  const after = await client.message(messageId);
  const now = after ? cardFor(after, person.open_id) : null;
  const changed = JSON.stringify(now) !== JSON.stringify(card);
  const el = built.element as typeof built.element & { n?: number };
  return {
    ...judgeInteraction(interaction, delivery),
    message_id: messageId,
    as: { open_id: person.open_id, name: person.name },
    element: { n: el.n ?? null, kind: el.tag, text: el.text, element_id: el.elementId },
    action: built.action,
    status: interaction.status,
    ms: interaction.ms,
    channel: interaction.channel,
    toast: toastOf(interaction),
    card: { changed, by: changed ? changedBy(interaction) : null, title: now ? cardText(now, names).title : null, versions: after?.versions.length ?? 0 },
    new_messages: await newMessagesSince(client, before, names),
    interaction_id: interaction.id,
  };
}

const changedBy = (i: Interaction): 'answer' | 'bot' => (i.applied ? 'answer' : 'bot');

export interface SayOutcome extends Verdict {
  message_id: string;
  chat_id: string;
  as: { open_id: string; name: string };
  deliveries: DeliveryLine[];
  new_messages: MessageRow[];
}

export async function say(client: InboxClient, where: string, text: string, as?: string): Promise<SayOutcome> {
  const state = await client.state();
  const target = whereToWrite(state, where, as);
  const names = namesOf(state);
  const before = new Set((await client.messages()).map((x) => x.message_id));
  const sent = await client.say(target.person.open_id, { chat_id: target.chat_id, app_id: target.app_id, text, mention_bot: target.group });
  const deliveries = sent.deliveries.map((d) => deliveryLine(d, names));
  const failed = deliveries.filter((d) => !d.ok);
  return {
    ok: failed.length === 0,
    reasons: failed.flatMap((d) => d.reasons.map((r) => `${names.get(d.app_id) ?? d.app_id}: ${r}`)),
    message_id: sent.message_id,
    chat_id: sent.message.chat_id,
    as: { open_id: target.person.open_id, name: target.person.name },
    deliveries,
    new_messages: await newMessagesSince(client, before, names, sent.message_id),
  };
}
