import type { Fixture } from '../callback/fixtures.js';
import type { WsAnswer, WsSend } from '../callback/replay-ws.js';
import { isLoopback } from '../http/loopback.js';
import type { FeishuClient } from '../feishu/client.js';
import { isObject } from '../card/inspect.js';
import { CliError } from '../output/errors.js';

/** The emulator's control-API code for "the app has no long-connection client". */
const NO_WS_CLIENT_CODE = 10404;

/**
 * `replay-callback --ws`: the emulator is asked, as the app (its tenant token), to push each
 * payload to one of the app's connected long-connection clients and to hand back the ack.
 * Only the emulator can do this; the platform has no API that pushes to your own connection.
 */
export function emulatorWsSender(client: FeishuClient, frameType: 'event' | 'card'): WsSend {
  return async (sent) => {
    try {
      const payload = isMessageEvent(sent) ? await materializeMessage(client, sent, true) : sent;
      const { data } = await client.call<WsAnswer>({ method: 'POST', path: '/_emulator/ws/deliver', body: { payload, frame_type: frameType } });
      return data;
    } catch (err) {
      if (err instanceof CliError && Number(err.code) === NO_WS_CLIENT_CODE) {
        throw new CliError('network', err.message, { code: 'no_ws_client', hint: 'Start your bot (its WSClient with domain set to the emulator URL) and run this again.' });
      }
      if (err instanceof CliError && (Number(err.code) === 404 || err.type === 'api')) {
        throw new CliError('usage', `--ws replays through the card emulator, and ${client.baseUrl} did not accept it: ${err.message}`, {
          hint: 'Point --base-url (or CARD_BASE_URL) at a running `card emulator`. Against the real platform, use card listen --ws to receive real clicks.',
        });
      }
      throw err;
    }
  };
}

/** Whether a payload is a message event, whose message the emulator can make exist. */
export function isMessageEvent(payload: Record<string, unknown>): boolean {
  return isObject(payload.header) && payload.header.event_type === 'im.message.receive_v1';
}

/**
 * Makes the message (and chat) a message event names exist in the emulator, as the app, and
 * returns the payload pointing at them: a bot that replies to the replayed event then replies
 * to a real message instead of getting 230001. `strict`: an emulator that does not know the
 * route is an error (for --ws, which only an emulator serves); otherwise the payload is kept.
 */
export async function materializeMessage(client: FeishuClient, payload: Record<string, unknown>, strict: boolean): Promise<Record<string, unknown>> {
  try {
    const { data } = await client.call<{ payload: Record<string, unknown> }>({ method: 'POST', path: '/_emulator/event-messages', body: { payload } });
    return data.payload;
  } catch (err) {
    // Over a webhook this is a courtesy: not an emulator, an older one, or a sender it does not
    // know, and the event goes out as the fixture says.
    if (!strict && err instanceof CliError) return payload;
    throw err;
  }
}

/**
 * Over a webhook, the handler's bot talks to whatever base URL it was given; when this replay's
 * base URL is a local emulator, message events are made real there first (same as over --ws),
 * so the bot's reply finds the message. Against the platform nothing is asked.
 */
export async function withEmulatorMessages(fixtures: Fixture[], baseUrl: string, makeClient: () => Promise<FeishuClient>): Promise<Fixture[]> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fixtures;
  }
  if (url.protocol !== 'http:' || !isLoopback(url.hostname)) return fixtures;
  if (!fixtures.some((f) => f.format === 'event' && isMessageEvent(f.payload))) return fixtures;
  const client = await makeClient();
  try {
    const out: Fixture[] = [];
    for (const f of fixtures) out.push(f.format === 'event' && isMessageEvent(f.payload) ? { ...f, payload: await materializeMessage(client, f.payload, false) } : f);
    return out;
  } finally {
    await client.close();
  }
}
