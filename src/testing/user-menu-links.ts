import { botFailed } from '../emulator/delivery-log.js';
import type { DeliveryRecord, LinkPreviewContent } from '../emulator/store.js';
import { idSegment } from './path-segment.js';

/**
 * What the testing library's `pressMenu` and `pasteLink` ask of the control API, and how their
 * answers read in the library's terms. TestUser holds only thin methods over these.
 */

/** One app's preview of a pasted link: what its answer to url.preview.get gave the client. */
export interface TestLinkPreview {
  appId: string;
  /** The token the app names in `im.v2.urlPreview.batchUpdate` to have it fetched again. */
  previewToken: string;
  /** The inline preview (its title shows in place of the link); null when no answer was accepted. */
  inline: LinkPreviewContent['inline'] | null;
  /** The card under the link, as answered (`card_json` or `template`), or null. */
  card: LinkPreviewContent['card'];
  /** Whether the client accepted the answer; else `problems` say why. */
  ok: boolean;
  problems: Array<{ path: string; message: string }>;
}

/** What `pasteLink` resolves with: the person's message holding the link, and each app's preview. */
export interface PastedLinkResult<M> {
  message: M;
  previews: TestLinkPreview[];
}

export interface ControlCall {
  path: string;
  body: Record<string, unknown>;
  doing: string;
}

export function menuCall(openId: string, eventKey: string, appId: string): ControlCall {
  return { path: `/_emulator/users/${idSegment(openId, 'open_id')}/menu`, body: { app_id: appId, event_key: eventKey }, doing: `pressing ${JSON.stringify(eventKey)} in the bot menu of ${appId}` };
}

/** `chat` is an `oc_…` chat id, or `'p2p'` for the one-to-one chat with `appId`. */
export function linkCall(openId: string, chat: string, url: string, appId: string): ControlCall {
  const where = chat === 'p2p' ? { app_id: appId } : { chat_id: chat };
  return { path: `/_emulator/users/${idSegment(openId, 'open_id')}/links`, body: { ...where, url }, doing: `sending the link ${url}` };
}

export interface LinkAnswer {
  message_id: string;
  previews: Array<{ app_id: string; preview_token: string; inline: TestLinkPreview['inline']; card: TestLinkPreview['card']; ok: boolean; problems: TestLinkPreview['problems'] }>;
  deliveries: DeliveryRecord[];
}

export function linkPreviews(answer: LinkAnswer): TestLinkPreview[] {
  return answer.previews.map((p) => ({ appId: p.app_id, previewToken: p.preview_token, inline: p.inline, card: p.card, ok: p.ok, problems: p.problems }));
}

/**
 * The deliveries the bot failed: an event it did not take (it is re-sent), a callback it did not
 * answer with 200. An answer in JSON the client refused is the preview's `problems`, not a failure.
 */
export function botFailures(deliveries: DeliveryRecord[]): DeliveryRecord[] {
  return deliveries.filter((d) => (d.category === 'event' ? d.verdict === 'failed' : botFailed(d)));
}
