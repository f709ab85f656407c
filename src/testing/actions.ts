import type { CardObject } from '../card/inspect.js';
import type { Card } from '../card/types.js';
import { PICKER_FORMATS, realDateTime } from '../card/lint-rules.js';
import type { Interaction } from '../emulator/interactions.js';
import type { DeliveryRecord } from '../emulator/store.js';
import { describeElement, describeTarget, interactiveElements, matches, textOf, type CardElement, type ElementTarget } from './elements.js';

/**
 * What a person does to a card, decided the way the client decides it: which element a target
 * names, and the `action` the click sends (options, picker values, form values with their defaults
 * and required checks). The testing library sends it in process; `card inbox` sends it to a running
 * emulator. Both judge the answer with {@link judgeInteraction}.
 */

/** A target that names nothing, an option that is not there, a value the client would refuse. */
export class ActionInputError extends Error {
  constructor(
    message: string,
    /** What there is to choose from instead, one line each (empty when a list would not help). */
    readonly available: string[] = [],
  ) {
    super(message);
  }
}

/** A target as a test names it, or the element's number in {@link numberedElements} (1-based). */
export type ActionTarget = ElementTarget | { index: number };

/** A card as a test holds it (typed) or as it arrives from the emulator's API (plain JSON). */
export type AnyCard = Card | CardObject;

/** A person a person picker may name: by open_id, email or name. */
export interface Person {
  open_id: string;
  name: string;
  email?: string | null;
  mobile?: string | null;
}

/** The action a click sends, and the element it was made for. */
export interface BuiltAction {
  element: CardElement;
  action: Record<string, unknown>;
}

/**
 * What a person does inside a form: it changes what the form holds and sends nothing. The card
 * docs say every interactive component in a form (inputs, selects, pickers, `select_img`,
 * checkers, buttons) takes a card-unique `name` because the submit button sends them all
 * together in `form_value`, and the reset button clears them (reference/card-schema.md §2.6,
 * from the form container pages of card JSON 1.0 and 2.0).
 */
export type FormStep =
  | { kind: 'fill'; element: CardElement; form: string; field: string; value: unknown }
  | { kind: 'reset'; element: CardElement; form: string };

/** What an interaction comes to: an action sent to the bot, or a change to a form's fill. */
export type Step = BuiltAction | FormStep;

export const isFormStep = (s: Step): s is FormStep => 'kind' in s;

/** What a person has filled in, per form name then field name, as `form_value` carries it. */
export type FilledForms = Record<string, Record<string, unknown>>;

/** Applies a step to what the forms of one card hold; a reset (or a submit, by the caller) clears its form. */
export function applyFormStep(filled: FilledForms, step: FormStep): void {
  if (step.kind === 'reset') {
    delete filled[step.form];
    return;
  }
  (filled[step.form] ??= {})[step.field] = step.value;
}

function formNameOf(el: CardElement): string {
  return typeof el.form!.name === 'string' ? el.form!.name : '';
}

/** A field of a form takes the value; without a name the client could not send it in `form_value`. */
function fillField(el: CardElement, value: unknown): FormStep {
  if (el.node.disabled === true) throw new ActionInputError(`${describeElement(el)} is disabled: the client does not let it be changed`);
  if (!el.name) throw new ActionInputError(`${describeElement(el)} sits in a form but has no name: the client cannot send its value (every field of a form needs a card-unique name)`);
  return { kind: 'fill', element: el, form: formNameOf(el), field: el.name, value };
}

const CLICKABLE = ['button', 'interactive_container', 'checker'];
const CHOOSABLE = ['select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'overflow', 'select_img'];
const PICKERS = ['date_picker', 'picker_time', 'picker_datetime'];

/** Every element a person can act on, numbered from 1 in document order, as `card inbox show` lists them. */
export function numberedElements(card: AnyCard): Array<CardElement & { n: number }> {
  return interactiveElements(card as Card).map((e, i) => Object.assign(e, { n: i + 1 }));
}

/**
 * A target typed on a command line: `#N`, else an element_id the card has, else a button's or
 * field's text.
 */
export function targetFromText(card: AnyCard, text: string): ActionTarget {
  const m = /^#(\d{1,6})$/.exec(text.trim());
  if (m) return { index: Number(m[1]) };
  if (interactiveElements(card as Card).some((e) => e.elementId === text)) return { elementId: text };
  return { text };
}

const listed = (all: Array<CardElement & { n: number }>) => all.map((e) => `#${e.n} ${describeElement(e)}`);

/** The one element of `tags` a target names; an error listing what the card has otherwise. */
export function findElement(card: AnyCard, messageId: string, target: ActionTarget, tags: string[]): CardElement {
  const all = numberedElements(card);
  const candidates = all.filter((e) => tags.includes(e.tag));
  const kind = tags.map((t) => t.replace(/_/g, ' ')).join(', ');
  const there = listed(candidates.length ? candidates : all);
  const lines = there.map((l) => `  ${l}`).join('\n') || '  (none)';
  if ('index' in target) {
    const el = all[target.index - 1];
    if (!el) throw new ActionInputError(`${messageId} has no element #${target.index}; it has ${all.length}:\n${listed(all).map((l) => `  ${l}`).join('\n') || '  (none)'}`, listed(all));
    if (!tags.includes(el.tag)) throw new ActionInputError(`#${target.index} in ${messageId} is ${describeElement(el)}, not a ${kind}. The card has:\n${lines}`, there);
    return el;
  }
  const hits = candidates.filter((e) => matches(e, target));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw new ActionInputError(`${hits.length} elements in ${messageId} match ${describeTarget(target)}; name one by element_id or value:\n${lines}`, there);
  throw new ActionInputError(`nothing in ${messageId} matches ${describeTarget(target)} (looked at: ${kind}). The card has:\n${lines}`, there);
}

/**
 * Clicks a button or interactive container, or toggles a checker. In a form, the submit button
 * sends the form (with what `filled` holds), the reset button clears it, and a checker is ticked
 * in the form without sending anything.
 */
export function clickAction(card: AnyCard, messageId: string, target: ActionTarget, people: Person[], filled: FilledForms = {}): Step {
  const el = findElement(card, messageId, target, CLICKABLE);
  if (el.tag === 'checker') {
    if (el.form) {
      const now = el.name ? filled[formNameOf(el)]?.[el.name] : undefined;
      return fillField(el, !(now === undefined ? el.node.checked === true : now === true));
    }
    return built(el, { checked: !(el.node.checked === true) });
  }
  if (el.form && el.tag === 'button') {
    const kind = el.node.form_action_type ?? el.node.action_type;
    if (kind === 'submit' || kind === 'form_submit') return formAction(card, messageId, {}, { button: target, filled }, people);
    if (kind === 'reset' || kind === 'form_reset') {
      if (el.node.disabled === true) throw new ActionInputError(`${describeElement(el)} is disabled: the client does not let it be clicked`);
      return { kind: 'reset', element: el, form: formNameOf(el) };
    }
    throw new ActionInputError(`${describeElement(el)} sits in a form: only its submit button sends a callback (fill the form and submit it)`);
  }
  return built(el, {});
}

/** Picks options (values or texts; open_ids, emails or names for person pickers) in a select or overflow menu. */
export function chooseAction(card: AnyCard, messageId: string, target: ActionTarget, option: string | string[], people: Person[]): Step {
  const el = findElement(card, messageId, target, CHOOSABLE);
  const multi = el.tag.startsWith('multi_') || (el.tag === 'select_img' && el.node.multi_select === true);
  const wanted = Array.isArray(option) ? option : [option];
  if (!multi && wanted.length !== 1) throw new ActionInputError(`${describeElement(el)} takes one option, got ${wanted.length}`);
  const values = wanted.map((o) => optionValue(el, o, people));
  if (el.form) return fillField(el, multi ? values : values[0]);
  return built(el, multi ? { options: values } : { option: values[0] });
}

/** Picks a date (`YYYY-MM-DD`), a time (`HH:mm`) or both in a picker. */
export function pickAction(card: AnyCard, messageId: string, target: ActionTarget, value: string): Step {
  const el = findElement(card, messageId, target, PICKERS);
  checkPickerValue(el, value);
  if (el.form) return fillField(el, `${value} +0800`);
  return built(el, { option: `${value} +0800`, timezone: 'Asia/Shanghai' });
}

/** Types into an input: outside a form it presses Enter (the input's own callback); in a form it fills the field. */
export function typeAction(card: AnyCard, messageId: string, target: ActionTarget, text: string): Step {
  const el = findElement(card, messageId, target, ['input']);
  checkInputValue(el, text);
  if (el.form) return fillField(el, text);
  return built(el, { input_value: text });
}

export interface FormOptions {
  /** The submit button (default: the first of the form). */
  button?: ActionTarget;
  /** The form's name, when the card has several. */
  form?: string;
  /**
   * Values arrive as text (a command line): `a,b` lists the options of a multi-select, and
   * `true`/`false` set a checker.
   */
  fromText?: boolean;
  /** What the person filled in before submitting (by form, then field; `form_value` values); `values` wins over it. */
  filled?: FilledForms;
}

/**
 * Fills a form's fields by name and presses a submit button. The client's own checks apply: a
 * required field left empty, or an unknown field name, is an error before anything is sent.
 */
export function formAction(card: AnyCard, messageId: string, values: Record<string, unknown>, opts: FormOptions, people: Person[]): BuiltAction {
  const all = numberedElements(card);
  const submits = all.filter((e) => e.tag === 'button' && e.form && ['submit', 'form_submit'].includes(String(e.node.form_action_type ?? e.node.action_type)));
  const inForm = opts.form ? submits.filter((e) => e.form!.name === opts.form) : submits;
  const button = opts.button ? inForm.find((e) => ('index' in opts.button! ? e.n === opts.button.index : matches(e, opts.button!))) : inForm[0];
  if (!button) {
    const there = listed(submits);
    const named = opts.button ? `${'index' in opts.button ? `#${opts.button.index}` : `with ${describeTarget(opts.button)}`} ` : '';
    throw new ActionInputError(`no submit button ${named}in ${messageId}${opts.form ? ` form ${opts.form}` : ''}; ${there.length ? `submit buttons: ${there.join('; ')}` : 'the card has no form with a submit button'}`, there);
  }
  const form = button.form!;
  const fields = all.filter((e) => e.form === form && e.tag !== 'button' && e.name);
  const names = new Set(fields.map((f) => f.name!));
  for (const name of Object.keys(values)) {
    if (!names.has(name)) throw new ActionInputError(`the form has no field ${JSON.stringify(name)}; its fields: ${[...names].join(', ') || '(none)'}`, fields.map((f) => `${f.name} (${f.tag})`));
  }
  const formValue: Record<string, unknown> = {};
  const earlier = opts.filled?.[typeof form.name === 'string' ? form.name : ''] ?? {};
  for (const f of fields) {
    const given = values[f.name!];
    const v = given !== undefined ? fieldValue(f, opts.fromText ? fromText(f, given) : given, people) : Object.hasOwn(earlier, f.name!) ? earlier[f.name!] : defaultFieldValue(f);
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
      if (f.node.required === true) throw new ActionInputError(`the client will not submit: required field ${JSON.stringify(f.name)} (${f.tag}) is empty`);
      continue;
    }
    formValue[f.name!] = v;
  }
  return built(button, { form_value: formValue });
}

/** The action as the client sends it, for an element it lets a person use. */
function built(el: CardElement, extras: Record<string, unknown>): BuiltAction {
  if (el.node.disabled === true) throw new ActionInputError(`${describeElement(el)} is disabled: the client does not let it be clicked`);
  if (el.value === undefined && !('form_value' in extras)) {
    throw new ActionInputError(`${describeElement(el)} calls no server (it only opens a link): there is nothing to click`);
  }
  const action: Record<string, unknown> = { tag: el.tag, value: el.value ?? {}, ...extras };
  if (el.name) action.name = el.name;
  return { element: el, action };
}

function fromText(f: CardElement, given: unknown): unknown {
  if (typeof given !== 'string') return given;
  if (f.tag.startsWith('multi_')) return given.split(',').map((s) => s.trim()).filter(Boolean);
  if (f.tag === 'checker') return /^(true|yes|1|on)$/i.test(given);
  return given;
}

function optionValue(el: CardElement, option: string, people: Person[]): string {
  if (el.tag.endsWith('select_person')) {
    const u = people.find((x) => x.open_id === option || x.email === option || x.name === option);
    if (!u) throw new ActionInputError(`${describeElement(el)}: no seeded user ${JSON.stringify(option)}`, people.map((p) => `${p.open_id} ${p.name}${p.email ? ` <${p.email}>` : ''}`));
    return u.open_id;
  }
  const hit = el.options.find((o) => o.value === option) ?? el.options.find((o) => o.text === option);
  if (!hit) {
    const options = el.options.map((o) => `${o.value}${o.text ? ` (${o.text})` : ''}`);
    throw new ActionInputError(`${describeElement(el)} has no option ${JSON.stringify(option)}; its options: ${options.join(', ')}`, options);
  }
  return hit.value;
}

function fieldValue(f: CardElement, given: unknown, people: Person[]): unknown {
  switch (f.tag) {
    case 'input':
      checkInputValue(f, String(given));
      return String(given);
    case 'select_static':
    case 'select_person':
      return optionValue(f, String(given), people);
    case 'multi_select_static':
    case 'multi_select_person':
      return (Array.isArray(given) ? given : [given]).map((o) => optionValue(f, String(o), people));
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime':
      checkPickerValue(f, String(given));
      return `${String(given)} +0800`;
    case 'checker':
      return given === true;
    default:
      return given;
  }
}

function defaultFieldValue(f: CardElement): unknown {
  const n = f.node;
  switch (f.tag) {
    case 'input':
      return typeof n.default_value === 'string' ? n.default_value : undefined;
    case 'select_static':
    case 'select_person':
      return typeof n.initial_option === 'string' ? n.initial_option : undefined;
    case 'multi_select_static':
    case 'multi_select_person':
      return Array.isArray(n.selected_values) ? n.selected_values : undefined;
    case 'date_picker':
      return typeof n.initial_date === 'string' ? `${n.initial_date} +0800` : undefined;
    case 'picker_time':
      return typeof n.initial_time === 'string' ? `${n.initial_time} +0800` : undefined;
    case 'picker_datetime':
      return typeof n.initial_datetime === 'string' ? `${n.initial_datetime} +0800` : undefined;
    case 'checker':
      return n.checked === true;
    default:
      return undefined;
  }
}

/** The client's pickers offer only real dates and times, in the formats lint checks cards for. */
function checkPickerValue(el: CardElement, value: string): void {
  const [, format, re] = PICKER_FORMATS[el.tag]!;
  const m = re.exec(value);
  if (!m || !realDateTime(el.tag, m)) throw new ActionInputError(`${describeElement(el)} takes ${format}, not ${JSON.stringify(value)}`);
}

function checkInputValue(el: CardElement, text: string): void {
  const max = typeof el.node.max_length === 'number' ? el.node.max_length : 1000;
  if ([...text].length > max) throw new ActionInputError(`${describeElement(el)} takes at most ${max} characters; the client stops typing there`);
}

/** The toast a click's answer shows, as text. */
export function toastOf(i: Pick<Interaction, 'toast'>): { type: string; content: string } | null {
  const t = i.toast;
  return t && typeof t.type === 'string' ? { type: String(t.type), content: String(textOf(t) ?? t.content ?? '') } : null;
}

/** What the emulator's delivery log says of one attempt (src/emulator/delivery-log.ts). */
export type DeliveryVerdict = Pick<DeliveryRecord, 'verdict' | 'reason' | 'client_code'>;

/**
 * Whether the bot's answer to a click would work in the client, judged as `card replay-callback`
 * judges it: answered at all, HTTP 200 (else the client shows 200671), within 3 s, by the rules.
 * The emulator's delivery record of the attempt, when there is one, gives the reason in its words.
 * An event's delivery (a person writing to the bot) is judged the same way.
 */
export function judgeInteraction(i: Pick<Interaction, 'ok' | 'error' | 'status' | 'problems' | 'channel'>, delivery: DeliveryVerdict | null = null): { ok: boolean; reasons: string[] } {
  const problems = i.problems.map((p) => `${p.path}: ${p.message}`);
  if (delivery?.verdict === 'failed' && delivery.reason) {
    const client = delivery.client_code && !delivery.reason.includes(String(delivery.client_code)) ? ` (the client shows error ${delivery.client_code})` : '';
    // The reason speaks for the answer as a whole ($); problems deeper in it are listed after it.
    const deeper = i.problems.filter((p) => p.path !== '$').map((p) => `${p.path}: ${p.message}`);
    return { ok: false, reasons: [`${delivery.reason}${client}`, ...deeper.filter((p) => !delivery.reason!.includes(p))] };
  }
  if (i.error) return { ok: false, reasons: [i.error] };
  if (i.status === null) return { ok: false, reasons: [`${i.channel === 'ws' ? 'the bot did not acknowledge it on its long connection' : 'the bot did not answer'} in time (the client allows 3 s)`] };
  if (!i.ok && !problems.length) problems.push(`the answer was refused (status ${i.status})`);
  return { ok: i.ok && !problems.length, reasons: problems };
}
