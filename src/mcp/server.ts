import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CommandContext } from '../commands/declare.js';
import { untilStopped } from '../io.js';
import { registerCallbackTools } from './callback-tools.js';
import { registerCardTools } from './card-tools.js';
import { registerEmulatorTools } from './emulator-tools.js';
import { registerInboxTools } from './inbox-tools.js';
import { registerPersonTools } from './person-tools.js';
import { registerResources } from './resources.js';
import { McpSession } from './session.js';

const INSTRUCTIONS = `card builds, checks and tests Feishu / Lark interactive cards and the bots that answer them.
The loop: lint_card and preview_card while writing a card; start_emulator, point the bot's SDK at its url (domain) with the app credentials it returns, run the bot;
send_card; inbox_show (or inbox_screenshot) to look; inbox_click / inbox_choose / inbox_fill / inbox_say to act as a person; read the bot's answer (toast, updated card, why it failed); fix and repeat.
A person's other actions cause the events a bot handles: inbox_react, inbox_read, inbox_recall, inbox_send (pictures, files, posts, locations …), inbox_menu, inbox_paste_link and inbox_chat (create a group, add or remove the bot or people, rename, disband, open the one-to-one chat); each answers with every delivery and how the bot answered it.`;

/** The MCP server with every tool and resource, over one session's state. */
export function createCardMcpServer(session: McpSession, version: string): McpServer {
  const server = new McpServer({ name: 'card', title: 'card: Feishu / Lark cards and their bots', version }, { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } });
  registerCardTools(server, session);
  registerEmulatorTools(server, session);
  registerInboxTools(server, session);
  registerPersonTools(server, session);
  registerCallbackTools(server, session);
  registerResources(server);
  return server;
}

/**
 * Serves on the run's stdin and stdout until the client closes stdin or a stop signal comes, then
 * stops the emulator and the browser it started. stdout carries the protocol only: notes go to stderr.
 */
export async function serveStdio(ctx: CommandContext, opts: { realSends: boolean; version: string }): Promise<void> {
  const session = new McpSession(ctx, opts.realSends);
  // The keys the server holds are hidden from every answer, whichever tool would quote them.
  const creds = await ctx.credentials().catch(() => null);
  session.secrets.add(creds?.appSecret?.value, creds?.encryptKey?.value, creds?.verificationToken?.value);
  const server = createCardMcpServer(session, opts.version);
  const transport = new StdioServerTransport(ctx.io.stdin, ctx.io.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    ctx.io.stdin.once('end', () => resolve());
    ctx.io.stdin.once('close', () => resolve());
  });
  await server.connect(transport);
  try {
    await Promise.race([closed, untilStopped(ctx.io)]);
  } finally {
    await server.close().catch(() => {});
    await session.close();
  }
}
