import { openEventStream } from '../http/event-stream.js';
import type { Clock } from '../io.js';
import { CliError } from '../output/errors.js';
import type { InboxClient } from './client.js';
import { namesOf, rowOf, unknownChat, type MessageRow } from './read.js';

export interface WaitFilter {
  chat?: string;
  fromBot?: boolean;
}

export interface Arrival {
  /** `message`: a new message; `update`: a message that changed (edited, answered, streamed into). */
  event: 'message' | 'update';
  message: MessageRow;
}

/**
 * The next message or update in a running emulator that matches, read from its inbox event stream
 * (what the inbox page listens to), so nothing is asked again and again. Gives up after `timeoutMs`
 * on the given clock with a timeout (exit 4).
 */
export async function waitForArrival(client: InboxClient, filter: WaitFilter, timeoutMs: number, clock: Clock, onStop: (stop: () => void) => () => void, onOpen: () => void = () => {}): Promise<Arrival> {
  const state = await client.state();
  if (filter.chat && !state.chats.some((c) => c.chat_id === filter.chat)) throw unknownChat(filter.chat, state);
  const names = namesOf(state);
  return new Promise<Arrival>((resolve, reject) => {
    let done = false;
    // Events are looked at one at a time, in the order they came.
    let queue = Promise.resolve();
    const finish = (err: Error | null, value?: Arrival) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      stream.close();
      unhook();
      if (err) reject(err);
      else resolve(value!);
    };
    const stream = openEventStream(`${client.baseUrl}/_emulator/inbox/events`, {
      connectTimeoutMs: Math.min(timeoutMs, 10_000),
      onEvent: (e) => {
        if (e.type !== 'message' && e.type !== 'update') return;
        let id: unknown;
        try {
          id = (JSON.parse(e.data) as { message_id?: unknown }).message_id;
        } catch {
          return;
        }
        if (typeof id !== 'string') return;
        queue = queue.then(async () => {
          if (done) return;
          const m = await client.message(id as string);
          if (!m || (filter.chat && m.chat_id !== filter.chat) || (filter.fromBot && m.sender.type !== 'app')) return;
          finish(null, { event: e.type as 'message' | 'update', message: rowOf(m, names) });
        }).catch((err: Error) => finish(err));
      },
      onEnd: (err) => finish(new CliError('network', `the emulator's event stream ended${err ? `: ${err.message}` : ''} before anything matched`, { code: 'stream_ended' })),
    });
    const timer = clock.setTimeout(() => {
      const what = [filter.fromBot ? 'from a bot' : null, filter.chat ? `in ${filter.chat}` : null].filter(Boolean).join(' ');
      finish(new CliError('network', `no message or update${what ? ` ${what}` : ''} within ${timeoutMs} ms`, { code: 'timeout', hint: 'Raise --timeout, or check that the bot is running and connected to this emulator.' }));
    }, timeoutMs);
    const unhook = onStop(() => finish(new CliError('usage', 'stopped before anything matched', { code: 'interrupted' })));
    stream.opened.then(() => {
      if (!done) onOpen();
    }, (err: Error) => finish(err));
  });
}
