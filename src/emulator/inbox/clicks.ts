import { cardSchemaOf, isObject, type CardObject } from '../../card/inspect.js';
import { returnedCard } from '../../callback/check-answer.js';
import type { Fixture } from '../../callback/fixtures.js';
import { clickPayload } from '../../callback/from-card.js';
import { resolveCard } from '../card-content.js';
import { extraOf } from '../message-extras.js';
import type { EmulatorCore } from '../core.js';
import { deliverRecorded, routeFor } from '../delivery.js';
import type { Interaction } from '../interactions.js';
import { PlatformError } from '../http.js';
import { newId } from '../ids.js';
import { beginClick, entityOfMessage, streamingModeOf } from '../cardkit-store.js';

export interface ClickInput {
  message_id: string;
  open_id?: string;
  action: Record<string, unknown>;
}

export type { Interaction };

/**
 * What the client does when someone clicks: build the callback the platform would send (the
 * same code as replay-callback), with a card token the emulator honours for delayed updates,
 * send it to the app's callback URL, check the answer, and apply it to the card.
 */
export async function handleClick(core: EmulatorCore, input: ClickInput): Promise<Interaction> {
  const store = core.store;
  const message = clickTarget(core, input);
  if (!isObject(input.action) || typeof input.action.tag !== 'string') throw new PlatformError(400, 99992402, 'action.tag is required');
  const app = store.apps.get(message.app_id)!;
  const chat = store.chats.get(message.chat_id);
  const operator = input.open_id ?? [...(chat?.members ?? [])][0] ?? store.users[0]?.open_id ?? 'ou_unknown';
  const clicker = store.users.find((u) => u.open_id === operator);
  const current = message.card;
  core.events.emit('clicking', { message_id: message.message_id, open_id: operator, action: input.action, card: current });
  const id = core.nextInteractionId();
  const base: Interaction = {
    id,
    time: new Date(core.now()).toISOString(),
    message_id: message.message_id,
    app_id: app.app_id,
    url: routeFor(app, 'callback').target,
    format: app.callback_format,
    operator,
    card_token: null,
    status: null,
    ms: null,
    ok: false,
    problems: [],
    error: null,
    toast: null,
    applied: null,
    request: null,
    answer: null,
    channel: routeFor(app, 'callback').channel,
    device_id: null,
    frame_type: null,
  };
  const route = routeFor(app, 'callback');
  if (route.channel === 'http' && !route.target) {
    const error = `${app.name} has no callback URL: start the emulator with --callback-url (or --ws for the long connection), or set callback_url for the app in the seed`;
    const unsent: Fixture = { name: `inbox-${id}`, path: null, format: app.callback_format, cardSchema: null, encrypt: false, description: null, payload: {} };
    await deliverRecorded(core, app, unsent, { category: 'callback', attempt: 1, maxAttempts: 1, interactionId: id, notSent: error });
    return core.recordInteraction({ ...base, error });
  }
  const token = newId.cardToken();
  store.cardTokens.set(token, { token, app_id: app.app_id, message_id: message.message_id, open_id: operator, issued_at: core.now(), uses: 0 });
  // Until the answer is in, CardKit refuses updates to this card (200810).
  const endClick = beginClick(core, message.message_id);
  const fixture: Fixture = {
    name: `inbox-${id}`,
    path: null,
    format: app.callback_format,
    cardSchema: current ? cardSchemaOf(current) : null,
    encrypt: false,
    description: `clicked in the emulator inbox on ${message.message_id}`,
    payload: clickPayload(app.callback_format, { operator, operatorUnionId: clicker?.union_id, operatorUserId: clicker?.user_id, messageId: message.message_id, chatId: message.chat_id, tenantKey: store.tenantKey, appId: app.app_id }, input.action),
  };
  // Callbacks are sent once: the platform never re-sends them, the client shows the failure.
  const { result } = await deliverRecorded(core, app, fixture, { category: 'callback', attempt: 1, maxAttempts: 1, interactionId: id, opts: { cardToken: token } });
  const interaction: Interaction = {
    ...base,
    card_token: token,
    status: result.status,
    ms: result.ms,
    ok: result.ok,
    problems: result.problems,
    error: result.error ?? result.network_error?.message ?? null,
    request: result.error ? null : result.sent,
    answer: result.answer,
    device_id: result.device_id,
    frame_type: result.frame_type,
  };
  if (result.ok && isObject(result.answer)) {
    if (isObject(result.answer.toast)) interaction.toast = result.answer.toast;
    applyAnswer(core, message, result.answer, interaction);
  }
  endClick();
  return core.recordInteraction(interaction);
}

/** What was clicked: a message, or an ephemeral card (clickable only by the member who sees it). */
interface ClickTarget {
  message_id: string;
  app_id: string;
  chat_id: string;
  card: CardObject | null;
  replace(card: CardObject, now: number): void;
}

function clickTarget(core: EmulatorCore, input: ClickInput): ClickTarget {
  const store = core.store;
  const message = store.messages.get(input.message_id);
  if (message) {
    // The platform sends no callback for a card that batch_send delivered.
    if (extraOf(message).batch_id) throw new PlatformError(409, 409, `${input.message_id} was sent with message/v4/batch_send: its card cannot be clicked`);
    if (message.sender_open_id) throw new PlatformError(400, 99992402, `${input.message_id} is a message a user wrote: there is no card to click`);
    // Nor for a recalled one: the client shows "message recalled" in its place.
    if (message.deleted) throw new PlatformError(409, 230011, `${input.message_id} was recalled: its card cannot be clicked`);
    return {
      message_id: message.message_id,
      app_id: message.app_id,
      chat_id: message.chat_id,
      card: message.versions[message.versions.length - 1]!.card,
      replace(card, now) {
        message.versions.push({ content: JSON.stringify(card), card, at: now, via: 'callback' });
        message.updated = true;
        message.update_time = now;
        core.events.emit('update', message);
      },
    };
  }
  const eph = store.ephemeral.get(input.message_id);
  if (!eph || eph.deleted) throw new PlatformError(404, 404, `no message ${input.message_id}.${store.droppedNote(input.message_id)}`);
  if (input.open_id !== eph.open_id) throw new PlatformError(403, 403, `${input.message_id} is an ephemeral card: only ${eph.open_id} sees it, so only they can click it`);
  return {
    message_id: eph.message_id,
    app_id: eph.app_id,
    chat_id: eph.chat_id,
    card: eph.card,
    replace(card) {
      // What the clicking user sees changes; the card still cannot be updated through the API.
      eph.card = card;
    },
  };
}

/** The answer's card replaces the clicked one, as the client does. */
function applyAnswer(core: EmulatorCore, message: ClickTarget, answer: Record<string, unknown>, interaction: Interaction): void {
  const app = core.store.apps.get(message.app_id)!;
  let card: CardObject | null = null;
  const raw = returnedCard(answer, interaction.format);
  if (raw) {
    card = raw.card;
    interaction.applied = 'card';
  } else {
    const template = interaction.format === 'card.action.trigger' ? (isObject(answer.card) && answer.card.type === 'template' ? answer.card : null) : answer.type === 'template' ? answer : null;
    if (template) {
      try {
        card = resolveCard(core.store, app, { type: 'template', data: template.data });
        interaction.applied = 'template';
      } catch (err) {
        interaction.ok = false;
        interaction.problems.push({ path: '$.card.data', message: `the template could not be built: ${(err as Error).message}` });
      }
    }
  }
  if (card && refusedWhileStreaming(core, interaction)) return;
  if (!card) return;
  message.replace(card, core.now());
}

/** The client ignores a callback's card while the card streams: streaming must be closed first. */
function refusedWhileStreaming(core: EmulatorCore, interaction: Interaction): boolean {
  const entity = entityOfMessage(core, interaction.message_id);
  if (!entity || !streamingModeOf(entity.card)) return false;
  interaction.ok = false;
  interaction.applied = null;
  interaction.problems.push({ path: '$.card', message: 'the card is in streaming mode, so a callback answer cannot update it: close streaming (settings streaming_mode false) first' });
  return true;
}
