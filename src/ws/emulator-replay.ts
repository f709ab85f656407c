import type { WsAnswer, WsSend } from '../callback/replay-ws.js';
import type { FeishuClient } from '../feishu/client.js';
import { CliError } from '../output/errors.js';

/** The emulator's control-API code for "the app has no long-connection client". */
const NO_WS_CLIENT_CODE = 10404;

/**
 * `replay-callback --ws`: the emulator is asked, as the app (its tenant token), to push each
 * payload to one of the app's connected long-connection clients and to hand back the ack.
 * Only the emulator can do this; the platform has no API that pushes to your own connection.
 */
export function emulatorWsSender(client: FeishuClient, frameType: 'event' | 'card'): WsSend {
  return async (payload) => {
    try {
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
