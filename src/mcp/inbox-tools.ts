import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ActionOutcome } from './inbox-actions.js';
import type { McpSession } from './session.js';
import { tool, type ToolAnswer } from './tool-kit.js';

const messageId = z.string().regex(/^om_[\w-]{1,120}$/, 'a message id (om_…)').describe('the message, as inbox_list or send_card gave it');
const target = z.string().min(1).max(500).describe('the element: its text (a button\'s label), its element_id, or #N as inbox_show numbers it');
const person = z.string().min(1).max(200).optional().describe('the seeded person who acts, by email, name or open_id (default: the first)');
const chat = z.string().regex(/^oc_[\w-]{1,120}$/, 'a chat id (oc_…)');

/** An action's outcome: a tool error when the bot's answer breaks the platform's rules, naming why. */
const judged = (o: ActionOutcome): ToolAnswer => ({ data: o, failed: !o.ok });

export function registerInboxTools(server: McpServer, session: McpSession): void {
  const secrets = session.secrets;
  server.registerTool(
    'inbox_list',
    {
      title: 'List inbox messages',
      description: 'Messages in the emulator this server started, newest last: id, chat, sender, type and one line of text.',
      inputSchema: { chat: chat.optional().describe('only this chat'), limit: z.number().int().min(1).max(200).optional().describe('at most this many, the newest (default 20)') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(secrets, async ({ chat, limit }) => ({ data: { messages: session.inbox().list({ chat, limit: limit ?? 20 }) } })),
  );

  server.registerTool(
    'inbox_show',
    {
      title: 'Read a message',
      description: 'A message as a person reads it: the card\'s title and text (mentions by name, images by alt), its interactive elements numbered (#N) with their text, element_id, kind and value, and the last toast.',
      inputSchema: { message_id: messageId, as: person },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(secrets, async ({ message_id, as }) => ({ data: session.inbox().show(message_id, as) })),
  );

  server.registerTool(
    'inbox_click',
    {
      title: 'Click a button',
      description: 'Clicks a button (or toggles a checker, or clicks an interactive container) as a person; the bot gets the callback. Returns its answer judged by the platform\'s rules: the toast, whether the card changed and how it reads now, new messages. A tool error when the answer breaks the rules (HTTP 500, 200671, no answer in 3 s), saying why.',
      inputSchema: { message_id: messageId, target, as: person },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async ({ message_id, target, as }) => judged(await session.inbox().click(message_id, target, as))),
  );

  server.registerTool(
    'inbox_choose',
    {
      title: 'Pick an option',
      description: 'Picks an option in a select, multi-select, person picker or overflow menu, as a person; judged like inbox_click.',
      inputSchema: {
        message_id: messageId,
        target,
        option: z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1).max(50)]).describe('the option\'s value or text (an array for multi-selects; people by email or open_id)'),
        as: person,
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async ({ message_id, target, option, as }) => judged(await session.inbox().choose(message_id, target, option, as))),
  );

  server.registerTool(
    'inbox_fill',
    {
      title: 'Fill and submit a form',
      description: 'Fills a form\'s fields by name and presses its submit button, as a person; the client\'s own checks apply (required fields, unknown names). Judged like inbox_click.',
      inputSchema: {
        message_id: messageId,
        values: z.record(z.string().min(1).max(200), z.union([z.string().max(5000), z.boolean(), z.array(z.string().max(500)).max(50)])).describe('field name → text, option value, YYYY-MM-DD / HH:mm for pickers, true/false for checkers, an array for multi-selects'),
        submit: target.optional().describe('the submit button, if the form has several'),
        as: person,
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async ({ message_id, values, submit, as }) => judged(await session.inbox().fill(message_id, values, submit, as))),
  );

  server.registerTool(
    'inbox_say',
    {
      title: 'Write to the bot',
      description: 'A person writes a text message: in a group chat (oc_…, the bot gets im.message.receive_v1), or, given a person, to the bot one to one. Waits for the bot\'s reply in that chat; a tool error if none comes.',
      inputSchema: {
        to: z.string().min(1).max(200).describe('a chat_id (oc_…), or the person who writes to the bot directly'),
        text: z.string().min(1).max(5000),
        as: person.describe('who writes in a group chat (default: the first seeded person)'),
        mention: z.boolean().optional().describe('@mention the bot (group chats)'),
        reply_timeout_ms: z.number().int().min(0).max(60_000).optional().describe('how long to wait for the bot\'s reply (default 3000)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async ({ to, text, as, mention, reply_timeout_ms }) => {
      const o = await session.inbox().say(to, text, { as, mention, replyTimeoutMs: reply_timeout_ms ?? 3000 });
      return { data: o, failed: !o.ok };
    }),
  );

  server.registerTool(
    'inbox_wait',
    {
      title: 'Wait for a message',
      description: 'The first message or card update that matches and that no earlier action or wait reported (e.g. a bot that answers after its callback), or the next one to come.',
      inputSchema: {
        chat: chat.optional().describe('only in this chat'),
        from_bot: z.boolean().optional().describe('only messages the bot sends (default true)'),
        timeout_ms: z.number().int().min(1).max(120_000).optional().describe('give up after this long (default 10000)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(secrets, async ({ chat, from_bot, timeout_ms }) => ({ data: await session.inbox().wait({ chat, fromBot: from_bot ?? true, timeoutMs: timeout_ms ?? 10_000 }) })),
  );

  server.registerTool(
    'inbox_screenshot',
    {
      title: 'Screenshot the inbox',
      description: 'A PNG of the emulator\'s inbox as a person sees it, drawn by the same browser and fonts as preview_card: one message, or a whole conversation.',
      inputSchema: { message_id: messageId.optional().describe('just this message (default: the whole inbox)'), chat: chat.optional().describe('the conversation to show (default: the message\'s, else the first)') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(secrets, async ({ message_id, chat }) => {
      const inbox = session.inbox();
      const chatId = message_id ? inbox.chatOf(message_id) : (chat ?? null);
      if (chat && !message_id) inbox.list({ chat, limit: 1 });
      const png = await session.browser.inboxPng(inbox.url, { chatId, messageId: message_id ?? null });
      return { data: { message_id: message_id ?? null, chat_id: chatId }, png };
    }),
  );
}
