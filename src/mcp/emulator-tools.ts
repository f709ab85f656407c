import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { lintText } from '../card/lint.js';
import { sendMessage } from '../feishu/api.js';
import type { FeishuClient } from '../feishu/client.js';
import { RECEIVE_ID_TYPES } from '../feishu/receive-id-type.js';
import { resolveReceivers } from '../feishu/receivers.js';
import { isLoopback } from '../http/loopback.js';
import { send } from '../http/request.js';
import { cardArg, cardObject, cardText } from './card-arg.js';
import { lintReport } from './card-tools.js';
import type { McpSession } from './session.js';
import { tool, ToolInputError } from './tool-kit.js';

const httpUrl = (field: string) =>
  z.string().max(2000).regex(/^https?:\/\/\S+$/, `${field} must be an http(s) URL`);

export function registerEmulatorTools(server: McpServer, session: McpSession): void {
  server.registerTool(
    'start_emulator',
    {
      title: 'Start the emulator',
      description:
        'Starts the Feishu Open API emulator inside this server, on a free loopback port, with the default seed (a demo app, people, chats). Returns its URL (point your bot\'s SDK `domain` at it) and the demo app\'s made-up credentials. ' +
        'Callbacks and events go to callback_url / event_url over HTTP, else to the bot\'s long connection (the official SDK\'s WSClient). Calling it again returns the running one.',
      inputSchema: {
        callback_url: httpUrl('callback_url').optional().describe('where card callbacks are POSTed (default: the bot\'s long connection)'),
        event_url: httpUrl('event_url').optional().describe('where events are POSTed (default: callback_url, else the long connection)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(session.secrets, async ({ callback_url, event_url }) => {
      const already = session.embedded !== null;
      const { running } = await session.startEmulator({ callbackUrl: callback_url, eventUrl: event_url });
      const state = running.state();
      return {
        data: {
          url: running.url,
          inbox: `${running.url}/`,
          already_running: already,
          apps: state.apps.map((a) => ({ app_id: a.app_id, app_secret: a.app_secret, name: a.name, bot_open_id: a.bot_open_id, encrypt_key: a.encrypt_key, verification_token: a.verification_token, callback: a.callback_mode === 'http' ? a.callback_url : 'long connection', events: a.event_mode === 'http' ? a.event_url : 'long connection' })),
          people: state.users.map((u) => ({ name: u.name, open_id: u.open_id, email: u.email, mobile: u.mobile })),
          chats: state.chats.map((c) => ({ chat_id: c.chat_id, name: c.name, mode: c.chat_mode })),
          note: 'Made-up credentials of the emulator\'s seed: give them to your bot (domain = url). Nothing here reaches the real platform.',
        },
      };
    }),
  );

  server.registerTool(
    'stop_emulator',
    {
      title: 'Stop the emulator',
      description: 'Stops the emulator start_emulator started; its messages are gone.',
      inputSchema: {},
      annotations: { destructiveHint: true, openWorldHint: false },
    },
    tool(session.secrets, async () => ({ data: { stopped: await session.stopEmulator() } })),
  );

  server.registerTool(
    'send_card',
    {
      title: 'Send a card',
      description:
        'Sends a card as the bot (im/v1/messages), linted first as `card send` does. By default to the emulator this server started; emulator_url names another running emulator. ' +
        'The real platform only when this server was started with a profile and --allow-real-sends (platform: true).',
      inputSchema: {
        card: cardArg,
        to: z.string().min(1).max(200).describe('a chat_id (oc_…), open_id (ou_…), union_id (on_…), email or mobile of a person'),
        to_type: z.enum(RECEIVE_ID_TYPES).optional().describe('how `to` is addressed, when its shape does not say (e.g. user_id)'),
        app: z.string().max(200).optional().describe('the emulator app to send as, by app_id or name (default: the first)'),
        emulator_url: httpUrl('emulator_url').optional().describe('another emulator on this machine (http://127.0.0.1:PORT), instead of the one this server started'),
        platform: z.boolean().optional().describe('send to the real Feishu/Lark platform with the server\'s profile (needs --allow-real-sends)'),
        lint: z.boolean().optional().describe('lint before sending (default true): a card with errors is not sent'),
        uuid: z.string().min(1).max(50).optional().describe('idempotency key: the same uuid within an hour sends once'),
      },
      annotations: { openWorldHint: true },
    },
    tool(session.secrets, async (args) => {
      const text = cardText(args.card);
      if (args.lint !== false) {
        const report = await lintText(text, 'card');
        if (report.errors) return { data: { sent: false, why: `lint found ${report.errors} error${report.errors === 1 ? '' : 's'}: fix them, or send with lint: false to let the platform judge`, lint: lintReport(report) }, failed: true };
      }
      const card = cardObject(text);
      const { client, where } = await clientFor(session, args);
      const [receiver] = await resolveReceivers([args.to], { receiveIdType: args.to_type, client: async () => client });
      const sent = await sendMessage(client, { receiveIdType: receiver!.receiveIdType, receiveId: receiver!.receiveId, msgType: 'interactive', content: JSON.stringify(card), uuid: args.uuid });
      // The agent knows of its own card: a wait looks past it.
      if (session.embedded && where === session.embedded.running.url) session.embedded.inbox.markSeen();
      return { data: { sent: true, message_id: sent.message_id, chat_id: sent.chat_id, to: args.to, where } };
    }),
  );
}

async function clientFor(session: McpSession, args: { app?: string; emulator_url?: string; platform?: boolean }): Promise<{ client: FeishuClient; where: string }> {
  if (args.platform) {
    if (args.emulator_url) throw new ToolInputError('platform', 'give platform or emulator_url, not both');
    return { client: await session.platformClient(), where: 'the real platform (the server\'s profile)' };
  }
  if (args.emulator_url) {
    const url = new URL(args.emulator_url);
    if (!isLoopback(url.hostname)) throw new ToolInputError('emulator_url', `${url.host} is not on this machine: an emulator is reached on 127.0.0.1 or localhost`);
    const base = url.origin;
    const res = await send({ method: 'GET', url: `${base}/_emulator/state`, timeoutMs: session.ctx.timeoutMs });
    let apps: Array<{ app_id: string; app_secret: string; name: string }>;
    try {
      apps = (JSON.parse(res.body.toString('utf8')) as { data: { apps: typeof apps } }).data.apps;
      if (!Array.isArray(apps)) throw new Error('no apps');
    } catch {
      throw new ToolInputError('emulator_url', `${base} did not answer as a card emulator (GET /_emulator/state, HTTP ${res.status})`);
    }
    return { client: await session.emulatorClient(base, pickApp(apps, args.app)), where: base };
  }
  if (!session.embedded) throw new ToolInputError('emulator_url', 'no emulator is running in this server: call start_emulator first, or name one with emulator_url');
  const apps = session.embedded.running.state().apps;
  return { client: await session.emulatorClient(session.embedded.running.url, pickApp(apps, args.app)), where: session.embedded.running.url };
}

function pickApp<A extends { app_id: string; name: string }>(apps: A[], wanted: string | undefined): A {
  const app = wanted === undefined ? apps[0] : apps.find((a) => a.app_id === wanted || a.name === wanted);
  if (!app) throw new ToolInputError('app', `no app ${JSON.stringify(wanted ?? '')} in the emulator; its apps: ${apps.map((a) => `${a.app_id} (${a.name})`).join(', ') || '(none)'}`);
  return app;
}
