import { sha256Hex } from './sha256.js';
import { CliError, toCliError } from '../output/errors.js';
import { sendMessage } from './api.js';
import type { FeishuClient } from './client.js';
import type { Receiver } from './receivers.js';

/** A card sent to one receiver of `card send --to`. */
export interface Sent {
  to: string;
  receive_id_type: string;
  receive_id: string;
  message_id: string;
  chat_id: string;
  uuid: string;
  /** The platform answered with a message made earlier under the same uuid. */
  already_sent: boolean;
}

/** The platform keeps one message per uuid, and takes uuids of at most this many characters. */
export const MAX_UUID = 50;

/** What the per-receiver suffix adds to the base: "-" and 8 hex digits. */
export const UUID_SUFFIX = 9;

/** Clocks differ a little: a message is only called earlier when it clearly predates the request. */
const CLOCK_SLACK_MS = 2000;

/** Whether the platform's create_time (ms) says the message existed before we asked. */
export function sentBefore(createTime: string | undefined, askedAt: number): boolean {
  const t = Number(createTime);
  return Number.isFinite(t) && t > 0 && t < askedAt - CLOCK_SLACK_MS;
}

/**
 * One uuid per receiver, derived from one base, so re-running the same command never doubles a
 * message. With several receivers each gets base-<8 hex of who it is>: the same receivers in
 * another order, or one of them named another way, still map to the same uuids.
 */
export function uuidsFor(base: string, receivers: Receiver[]): string[] {
  if (receivers.length === 1) return [base];
  return receivers.map((r) => `${base}-${sha256Hex(`${r.receiveIdType}:${r.receiveId}`).slice(0, 8)}`);
}

/**
 * Sends the card to each receiver in turn, each under its own uuid. A failure after the first
 * says who got it and how to finish: a re-run with the same base uuid sends nobody twice.
 */
export async function sendToReceivers(
  client: FeishuClient,
  receivers: Receiver[],
  card: { content: string; baseUuid: string; uuidGiven: boolean },
  opts: { now: () => number; onSent: (sent: Sent, createTime: string | undefined) => void },
): Promise<Sent[]> {
  const uuids = uuidsFor(card.baseUuid, receivers);
  const sent: Sent[] = [];
  for (const [i, r] of receivers.entries()) {
    try {
      const asked = opts.now();
      const msg = await sendMessage(client, { receiveIdType: r.receiveIdType, receiveId: r.receiveId, msgType: 'interactive', content: card.content, uuid: uuids[i] });
      const s: Sent = { to: r.input, receive_id_type: r.receiveIdType, receive_id: r.receiveId, message_id: msg.message_id, chat_id: msg.chat_id, uuid: uuids[i]!, already_sent: card.uuidGiven && sentBefore(msg.create_time, asked) };
      sent.push(s);
      opts.onSent(s, msg.create_time);
    } catch (err) {
      const e = toCliError(err);
      if (!sent.length && receivers.length === 1) throw e;
      // Later receivers were not tried; a re-run with the same uuid skips those already sent.
      throw new CliError(e.type, `sending to ${r.input} failed: ${e.message}`, {
        code: e.code,
        logId: e.logId,
        hint: [e.hint, `${sent.length} of ${receivers.length} sent. Re-run with --uuid ${card.baseUuid} to finish: those already sent will not be sent twice.`].filter(Boolean).join('\n'),
        details: { sent, failed: { to: r.input, code: e.code, message: e.message }, uuid: card.baseUuid },
        cause: err,
      });
    }
  }
  return sent;
}
