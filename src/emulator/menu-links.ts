import { isObject, type CardObject } from '../card/inspect.js';
import type { Fixture } from '../callback/fixtures.js';
import { botMenuPressed } from '../callback/menu-events.js';
import { urlPreviewGet } from '../callback/url-preview.js';
import { messageReceived, type UserIds } from '../callback/events.js';
import { resolveCard } from './card-content.js';
import type { EmulatorCore } from './core.js';
import { deliverEvent, deliverRecorded } from './delivery.js';
import { PlatformError } from './http.js';
import { menuKeyProblem, ruleMatches } from './seed-menu-links.js';
import { capMap, type AppRecord, type ChatRecord, type DeliveryRecord, type LinkPreviewContent, type MessageRecord, type UrlPreviewRecord, type UserRecord } from './store.js';
import { fieldViolation } from './validate.js';

/**
 * A person's bot-menu presses and pasted links: the event or callback each causes, sent where the
 * app receives them, and what the app's answers leave behind (a link's previews on its message).
 */

const userIds = (u: UserRecord): UserIds => ({ open_id: u.open_id, union_id: u.union_id, user_id: u.user_id });

/** Links a person may paste: an http(s) URL of the length browsers keep. */
export const MAX_LINK_LENGTH = 2048;
/** Pasted links the recorder can tell from messages; past this the oldest are forgotten. */
const MAX_PASTED_LINKS = 10_000;
/**
 * Why an answer was refused, as a preview keeps it: the first few (a card of thousands of bad
 * elements would otherwise keep thousands on each of thousands of previews); the delivery log has them all.
 */
const MAX_KEPT_PROBLEMS = 20;

/** Whether the app's bot serves this person at all (its availability; nobody who resigned). */
function reaches(app: AppRecord, user: UserRecord): boolean {
  return !user.resigned && (!app.availability || app.availability.has(user.open_id));
}

/**
 * A person presses an item of the app's bot menu: the app gets `application.bot.menu_v6` with the
 * item's event_key. Only someone the app is available to sees its menu; only a leaf's key exists.
 */
export async function pressMenu(core: EmulatorCore, user: UserRecord, app: AppRecord, eventKey: string): Promise<DeliveryRecord[]> {
  if (!reaches(app, user)) throw new PlatformError(403, 230013, `${user.name} is outside ${app.name}'s availability: only people the app is available to see its bot menu`);
  const unknown = menuKeyProblem(app, eventKey);
  if (unknown) throw fieldViolation('event_key', unknown, eventKey);
  core.events.emit('menu', { open_id: user.open_id, app_id: app.app_id, event_key: eventKey });
  const payload = botMenuPressed({ app_id: app.app_id, tenant_key: core.store.tenantKey, now: core.now() }, { operator: userIds(user), operator_name: user.name, event_key: eventKey });
  return [await deliverEvent(core, app, payload)];
}

/** The apps in the chat whose URL rules match the link and that serve this person, in the order they joined. */
function previewingApps(core: EmulatorCore, chat: ChatRecord, url: string, user: UserRecord): AppRecord[] {
  return [...chat.bots]
    .map((id) => core.store.apps.get(id))
    .filter((a): a is AppRecord => !!a && reaches(a, user) && a.url_previews.some((r) => ruleMatches(r.pattern, url)));
}

export interface PulledPreview {
  app_id: string;
  preview_token: string;
  inline: LinkPreviewContent['inline'] | null;
  card: LinkPreviewContent['card'];
  /** The answer was accepted; else `problems` say why (or `delivery` why nothing came back). */
  ok: boolean;
  problems: Array<{ path: string; message: string }>;
  delivery: DeliveryRecord;
}

/**
 * Asks the app for the preview of a link (the url.preview.get callback, sent as its card callbacks
 * are), judges the answer, and keeps an accepted one on the preview (a refused one leaves the last
 * accepted preview in place). The inbox is told the message changed.
 */
export async function pullPreview(core: EmulatorCore, app: AppRecord, p: UrlPreviewRecord, operator: UserRecord): Promise<PulledPreview> {
  const store = core.store;
  const payload = urlPreviewGet({ app_id: app.app_id, tenant_key: store.tenantKey, now: core.now(), operator: userIds(operator), url: p.url, preview_token: p.token, message_id: p.message_id, chat_id: p.chat_id });
  const fixture: Fixture = { name: 'url.preview.get', path: null, format: 'url.preview.get', cardSchema: null, encrypt: false, description: `a link ${operator.name} sent in ${p.chat_id}`, payload };
  // Callbacks are sent once: the platform never re-sends them.
  const { result, record } = await deliverRecorded(core, app, fixture, { category: 'callback', attempt: 1, maxAttempts: 1 });
  p.pulls = (p.pulls ?? 0) + 1;
  const problems = [...result.problems];
  let content: LinkPreviewContent | null = null;
  if (result.ok && isObject(result.answer) && isObject(result.answer.inline)) {
    const answer = result.answer;
    const card = isObject(answer.card) ? (answer.card as LinkPreviewContent['card']) : null;
    let shown: CardObject | null = null;
    if (card) {
      try {
        shown = card.type === 'template' ? resolveCard(store, app, { type: 'template', data: card.data }) : (card.data as CardObject);
      } catch (err) {
        problems.push({ path: '$.card.data', message: `the template could not be built: ${(err as Error).message}` });
      }
    }
    if (!problems.length) content = { inline: answer.inline as LinkPreviewContent['inline'], card, shown_card: shown, at: core.now() };
  }
  const ok = content !== null;
  if (ok) p.content = content;
  if (!ok && !problems.length && record.reason) problems.push({ path: '$', message: record.reason });
  if (!ok && record.verdict === 'ok') {
    // Judged ok as a callback yet not kept (a template that could not be built): the log says so too.
    record.verdict = 'failed';
    record.ok = false;
    record.reason = `the answer was refused: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`;
    record.error = record.reason;
    record.problems = problems;
  }
  p.problems = ok ? [] : problems.length > MAX_KEPT_PROBLEMS ? [...problems.slice(0, MAX_KEPT_PROBLEMS), { path: '$', message: `and ${problems.length - MAX_KEPT_PROBLEMS} more problems (the delivery log lists them all)` }] : problems;
  const m = store.messages.get(p.message_id);
  if (m) core.events.emit('update', m);
  const kept = p.content ?? null;
  return { app_id: app.app_id, preview_token: p.token, inline: kept?.inline ?? null, card: kept?.card ?? null, ok, problems: p.problems, delivery: record };
}

export interface PastedLink {
  message: MessageRecord;
  previews: PulledPreview[];
  deliveries: DeliveryRecord[];
}

/** Stores a person's message in a chat; the emulator's one way of doing it (routes/events.ts). */
export type PostUserMessage = (chat: ChatRecord, user: UserRecord, m: { msgType: string; content: string; mentions: MessageRecord['mentions']; now: number }) => MessageRecord;

/**
 * A person sends a link in a chat: their text message holding it is stored; in a one-to-one chat
 * the bot gets the message (`im.message.receive_v1`), as it gets any; and every bot in the chat
 * whose URL rules match is asked for a preview (url.preview.get) with a preview token of its own.
 */
export async function pasteLink(core: EmulatorCore, user: UserRecord, chat: ChatRecord, url: string, post: PostUserMessage): Promise<PastedLink> {
  if (url.length > MAX_LINK_LENGTH || !/^https?:\/\/[^\s/]+\S*$/i.test(url)) throw fieldViolation('url', `url must be an http(s) URL of at most ${MAX_LINK_LENGTH} characters, without spaces`, url.slice(0, 200));
  const store = core.store;
  const now = core.now();
  const content = JSON.stringify({ text: url });
  const message = post(chat, user, { msgType: 'text', content, mentions: [], now });
  store.pastedLinks.set(message.message_id, url);
  capMap(store.pastedLinks, MAX_PASTED_LINKS);
  core.events.emit('message', message);
  const deliveries: DeliveryRecord[] = [];
  if (chat.chat_mode === 'p2p') {
    for (const app of [...chat.bots].map((id) => store.apps.get(id)).filter((a): a is AppRecord => !!a)) {
      const payload = messageReceived({ app_id: app.app_id, tenant_key: store.tenantKey, now }, { sender: userIds(user), message_id: message.message_id, chat_id: chat.chat_id, chat_type: 'p2p', text: url, content, mentions: [], create_time: now });
      deliveries.push(await deliverEvent(core, app, payload));
    }
  }
  const previews: PulledPreview[] = [];
  for (const app of previewingApps(core, chat, url, user)) {
    const p = store.registerUrlPreview(message, url, app.app_id, now);
    const pulled = await pullPreview(core, app, p, user);
    previews.push(pulled);
    deliveries.push(pulled.delivery);
  }
  core.events.emit('linkPreviews', { message_id: message.message_id, previews: previews.map((x) => ({ app_id: x.app_id, ok: x.ok, title: x.inline?.title ?? null })) });
  return { message, previews, deliveries };
}

/**
 * batch_update: the clients of the users asked for (or of every member) fetch the previews again,
 * so the app gets url.preview.get for each token once more, as one of those users.
 */
export async function repullPreviews(core: EmulatorCore, app: AppRecord, previews: UrlPreviewRecord[]): Promise<PulledPreview[]> {
  const store = core.store;
  const out: PulledPreview[] = [];
  for (const p of previews) {
    const m = store.messages.get(p.message_id);
    const members = [...(store.chats.get(p.chat_id)?.members ?? [])];
    const candidates = [...(p.last_open_ids ?? []), ...(m?.sender_open_id ? [m.sender_open_id] : []), ...members];
    const operator = candidates.map((id) => store.findUser('open_id', id)).find((u): u is UserRecord => !!u);
    if (!operator) continue;
    out.push(await pullPreview(core, app, p, operator));
  }
  return out;
}

/** A message's previews as the inbox shows them: the inline title, and the card under the link. */
export function previewsOf(core: EmulatorCore, messageId: string, renderCard: (card: CardObject) => string) {
  const store = core.store;
  const out = [];
  if (!store.urlPreviews.size) return [];
  for (const p of store.urlPreviews.values()) {
    if (p.message_id !== messageId) continue;
    const c = p.content ?? null;
    out.push({
      app_id: p.app_id,
      app_name: store.apps.get(p.app_id)?.name ?? p.app_id,
      url: p.url,
      preview_token: p.token,
      pulls: p.pulls ?? 0,
      refreshes: p.refreshes,
      inline: c?.inline ?? null,
      card_html: c?.shown_card ? renderCard(c.shown_card) : null,
      problems: p.problems ?? [],
    });
  }
  return out;
}
