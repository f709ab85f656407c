import { cardSchemaOf, isObject, type CardObject } from '../card/inspect.js';
import type { CallbackFormat, Fixture } from './fixtures.js';

/** Ids the derived callbacks carry; replay freshens tokens and event ids on top. */
export interface DerivedContext {
  /** open_id of the user who clicks. */
  operator: string;
  /** The same user's other ids, when known (a seeded user): the callback carries all three. */
  operatorUnionId?: string;
  operatorUserId?: string;
  messageId: string;
  chatId: string;
  tenantKey: string;
  appId: string;
}

export const DEFAULT_DERIVED_CONTEXT: DerivedContext = {
  // Alice and the Card Playground chat of the default seed, so derived callbacks name real emulator users.
  operator: 'ou_0c641f1f5bc3909050b5905931364f9b',
  operatorUnionId: 'on_0e2343d4b9fe6a4fff3d4c247bf69335',
  operatorUserId: '91c46512',
  messageId: 'om_0000000000000000000000000000demo',
  chatId: 'oc_9c7cea96a8b09ad4dfb0a088bb3896fd',
  tenantKey: 'emu_tenant_demo',
  appId: 'cli_a0e1d2c3b4a59687',
};

type Node = Record<string, unknown>;

const FORM_FIELD_TAGS = new Set(['input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img']);

/** The value a click carries: the callback behaviour's value (2.0) or the element's own `value` (1.0). */
function callbackValue(node: Node): { has: boolean; value: unknown } {
  const behaviors = Array.isArray(node.behaviors) ? (node.behaviors as Node[]) : null;
  if (behaviors) {
    const cb = behaviors.find((b) => isObject(b) && b.type === 'callback');
    return cb ? { has: true, value: cb.value ?? {} } : { has: false, value: undefined };
  }
  return { has: true, value: node.value ?? {} };
}

function firstOptionValue(node: Node): string | undefined {
  const options = Array.isArray(node.options) ? (node.options as Node[]) : [];
  const v = options.find((o) => isObject(o))?.value;
  return typeof v === 'string' ? v : undefined;
}

/** A plausible value for a form field, shaped as the platform reports it in form_value. */
function sampleFieldValue(node: Node, ctx: DerivedContext): unknown {
  switch (node.tag) {
    case 'input':
      return typeof node.default_value === 'string' ? node.default_value : `sample ${String(node.name ?? 'text')}`;
    case 'select_static':
      return firstOptionValue(node) ?? 'option_1';
    case 'multi_select_static':
      return [firstOptionValue(node) ?? 'option_1'];
    case 'select_person':
      return ctx.operator;
    case 'multi_select_person':
      return [ctx.operator];
    case 'date_picker':
      return `${String(node.initial_date ?? '2024-01-15')} +0800`;
    case 'picker_time':
      return `${String(node.initial_time ?? '14:30')} +0800`;
    case 'picker_datetime':
      return `${String(node.initial_datetime ?? '2024-01-15 14:30')} +0800`;
    case 'checker':
      return !(node.checked === true);
    default:
      return `sample ${String(node.tag)}`;
  }
}

/** What the action object of a click on `node` carries, beside value, tag and name. */
function actionExtras(node: Node, ctx: DerivedContext): Record<string, unknown> {
  switch (node.tag) {
    case 'select_static':
    case 'overflow':
      return { option: firstOptionValue(node) ?? 'option_1' };
    case 'multi_select_static':
      return { options: [firstOptionValue(node) ?? 'option_1'] };
    case 'select_person':
      return { option: ctx.operator };
    case 'multi_select_person':
      return { options: [ctx.operator] };
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime':
      return { option: sampleFieldValue(node, ctx), timezone: 'Asia/Shanghai' };
    case 'checker':
      return { checked: sampleFieldValue(node, ctx) };
    case 'input':
      return { input_value: sampleFieldValue(node, ctx) };
    default:
      return {};
  }
}

function collectFormFields(form: Node, ctx: DerivedContext): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObject(v)) return;
    if (typeof v.tag === 'string' && FORM_FIELD_TAGS.has(v.tag) && typeof v.name === 'string') values[v.name] = sampleFieldValue(v, ctx);
    Object.values(v).forEach(visit);
  };
  visit(form.elements);
  return values;
}

interface Click {
  node: Node;
  form: Node | null;
}

/** Every element a user can interact with, with the form it sits in (if any). */
function findClicks(card: CardObject): Click[] {
  const clicks: Click[] = [];
  const visit = (v: unknown, form: Node | null) => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, form));
    if (!isObject(v)) return;
    const tag = v.tag;
    const inForm = form !== null;
    if (tag === 'form') {
      visit(v.elements, v);
      return;
    }
    if (tag === 'button') {
      const action = v.form_action_type ?? v.action_type;
      if (inForm && action === 'reset') return;
      // Inside a form only the submit button sends a callback; other fields ride along with it.
      if (!inForm || action === 'submit' || action === 'form_submit') clicks.push({ node: v, form });
      return;
    }
    if (tag === 'interactive_container') {
      clicks.push({ node: v, form });
      visit(v.elements, form);
      return;
    }
    if (typeof tag === 'string' && (FORM_FIELD_TAGS.has(tag) || tag === 'overflow') && !inForm) {
      clicks.push({ node: v, form });
      return;
    }
    for (const [k, child] of Object.entries(v)) if (k !== 'config') visit(child, form);
  };
  if (isObject(card.body)) visit(card.body, null);
  else if (Array.isArray(card.elements)) visit(card.elements, null);
  else if (isObject(card.i18n_elements)) visit(Object.values(card.i18n_elements)[0], null);
  return clicks;
}

/** The callback body for one click, in the app's callback format (replay fills tokens and ids). */
export function clickPayload(format: CallbackFormat, ctx: DerivedContext, action: Record<string, unknown>): Record<string, unknown> {
  if (format === 'card.action.trigger_v1') {
    return { open_id: ctx.operator, ...(ctx.operatorUserId ? { user_id: ctx.operatorUserId } : {}), open_message_id: ctx.messageId, open_chat_id: ctx.chatId, tenant_key: ctx.tenantKey, token: '', action };
  }
  return {
    schema: '2.0',
    header: { event_id: '', token: '', create_time: '', event_type: 'card.action.trigger', tenant_key: ctx.tenantKey, app_id: ctx.appId },
    event: {
      operator: {
        tenant_key: ctx.tenantKey,
        ...(ctx.operatorUserId ? { user_id: ctx.operatorUserId } : {}),
        open_id: ctx.operator,
        ...(ctx.operatorUnionId ? { union_id: ctx.operatorUnionId } : {}),
      },
      token: '',
      action,
      host: 'im_message',
      context: { open_message_id: ctx.messageId, open_chat_id: ctx.chatId },
    },
  };
}

/**
 * One fixture per interactive element of a card, so every button can be clicked in one run.
 * `format` picks the callback the app subscribes to: the new card.action.trigger (default) or
 * the legacy one.
 */
export function fixturesFromCard(card: CardObject, source: string, format: CallbackFormat = 'card.action.trigger', ctx = DEFAULT_DERIVED_CONTEXT): Fixture[] {
  const schema = cardSchemaOf(card);
  const seen = new Map<string, number>();
  const fixtures: Fixture[] = [];
  for (const { node, form } of findClicks(card)) {
    const { has, value } = callbackValue(node);
    if (!has) continue; // open_url-only elements never call the server
    const tag = String(node.tag);
    const label = String(node.name ?? node.element_id ?? tag);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    const name = `${tag}:${label}${count > 1 ? `#${count}` : ''}`;
    const action: Record<string, unknown> = { value, tag };
    if (typeof node.name === 'string') action.name = node.name;
    Object.assign(action, actionExtras(node, ctx));
    if (form) action.form_value = collectFormFields(form, ctx);
    const payload = clickPayload(format, ctx, action);
    fixtures.push({ name, path: null, format, cardSchema: schema, encrypt: false, description: `derived from ${source}`, payload });
  }
  return fixtures;
}
