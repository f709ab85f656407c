import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { InboxClient } from '../inbox/client.js';
import type { ChatVerb, PersonOutcome } from '../inbox/person.js';
import type { SendSpec } from '../inbox/send-content.js';
import { CliError } from '../output/errors.js';
import type { McpSession } from './session.js';
import { tool, ToolInputError, type ToolAnswer } from './tool-kit.js';

/**
 * A person's actions besides clicking, as tools: the same code as `card inbox react | read |
 * recall | send | chat` (src/inbox/person.ts), against the emulator this server started, through
 * its control API. Each answers with the events the action caused and how the bot answered each;
 * a tool error when a bot failed one.
 */

const messageId = z.string().regex(/^om_[\w-]{1,120}$/, 'a message id (om_…)').describe('the message, as inbox_list gave it');
const chatId = z.string().regex(/^oc_[\w-]{1,120}$/, 'a chat id (oc_…)');
const person = z.string().min(1).max(200);
const as = person.optional().describe('the seeded person who acts, by email, name or open_id (default: the first person in the chat)');
const bot = z.string().min(1).max(200).describe('a bot by app_id or name');
const path = z.string().min(1).max(4096);

/** The actions of inbox_chat, by the name an agent gives; the event each causes is in the tool's description. */
const CHAT_ACTIONS = { create: 'create', add_bot: 'add-bot', remove_bot: 'remove-bot', add: 'add', remove: 'remove', withdraw: 'withdraw', leave: 'leave', rename: 'rename', disband: 'disband', open: 'open' } as const satisfies Record<string, ChatVerb>;

/** The shared code names CLI flags and arguments (`--as: …`, `person: …`); a tool's caller knows them as fields (`as: …`, `people: …`). */
const FIELDS: Record<string, string> = { '--as': 'as', '--share-user': 'share_user', '--bot': 'bots', bot: 'bots', person: 'people', event_key: 'event_key' };

function asFields(err: unknown): never {
  const named = err instanceof CliError ? /^(--[a-z-]+|bot|person|event_key):/.exec(err.message) : null;
  if (err instanceof CliError && named && FIELDS[named[1]!]) {
    throw new CliError(err.type, `${FIELDS[named[1]!]}:${err.message.slice(named[1]!.length + 1)}`, { code: err.code, hint: err.hint, details: err.details });
  }
  throw err;
}

export function registerPersonTools(server: McpServer, session: McpSession): void {
  const secrets = session.secrets;
  /** Runs an action against the session's emulator; later waits look past what it reported. */
  const act = async (go: (client: InboxClient) => Promise<PersonOutcome>): Promise<ToolAnswer> => {
    const inbox = session.inbox();
    let outcome: PersonOutcome;
    try {
      outcome = await go(new InboxClient(inbox.url, session.ctx.timeoutMs));
    } catch (err) {
      asFields(err);
    }
    inbox.markSeen();
    return { data: outcome, failed: !outcome.ok };
  };
  const person_ = () => import('../inbox/person.js');

  server.registerTool(
    'inbox_react',
    {
      title: 'React to a message',
      description: 'A person reacts to a message with an emoji (the bots in its chat get im.message.reaction.created_v1), or with undo: true takes their reaction back (im.message.reaction.deleted_v1). Returns each event\'s delivery and how the bot answered; a tool error when the bot failed it.',
      inputSchema: {
        message_id: messageId,
        emoji_type: z.string().regex(/^[A-Za-z]\w{0,63}$/, 'an emoji key such as THUMBSUP').describe('the platform\'s emoji key, case-sensitive: THUMBSUP, DONE, OK, SMILE …'),
        undo: z.boolean().optional().describe('take the person\'s reaction with this emoji back instead'),
        as,
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => act(async (c) => (a.undo ? (await person_()).unreact(c, a.message_id, a.emoji_type, a.as) : (await person_()).react(c, a.message_id, a.emoji_type, a.as)))),
  );

  server.registerTool(
    'inbox_read',
    {
      title: 'Read a message',
      description: 'A person reads a message: the bot that sent it to them one to one gets im.message.message_read_v1 (the first read only).',
      inputSchema: { message_id: messageId, as },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => act(async (c) => (await person_()).read(c, a.message_id, a.as))),
  );

  server.registerTool(
    'inbox_recall',
    {
      title: 'Recall a message',
      description: 'A person recalls a message they sent (only their own; as defaults to its sender): the bots in the chat get im.message.recalled_v1.',
      inputSchema: { message_id: messageId, as: person.optional().describe('the sender (the default)') },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => act(async (c) => (await person_()).recall(c, a.message_id, a.as))),
  );

  server.registerTool(
    'inbox_send',
    {
      title: 'Send a message of any kind',
      description:
        'A person sends a message other than plain text (for text: inbox_say): give exactly one of image, file, audio, video, post, sticker, share_chat, share_user, location, todo, merge_forward. ' +
        'Files are paths on this machine (relative to the server\'s directory). The bot gets im.message.receive_v1: one to one always; in a group only a post (which @mentions the chat\'s bots), as on the platform. Returns the delivery.',
      inputSchema: {
        to: z.string().min(1).max(200).describe('a chat_id (oc_…), a bot (app_id or name), or a person (their one-to-one chat with the first bot)'),
        image: path.optional().describe('a picture file (at most 10 MB)'),
        file: path.optional().describe('a file (at most 30 MB)'),
        audio: path.optional().describe('a voice message file (Ogg Opus)'),
        video: path.optional().describe('a video file (MP4)'),
        cover: path.optional().describe('with video: its cover picture'),
        post: z.record(z.string(), z.unknown()).optional().describe('a rich text post: { title, content: [[{ tag: "text", text }, { tag: "at", user_id }, { tag: "img", image: "path" }]] }'),
        sticker: z.union([z.literal(true), z.string().min(1).max(200)]).optional().describe('true for one of the person\'s stickers, or a sticker\'s file_key a message carried'),
        share_chat: chatId.optional().describe('a group to share as a card'),
        share_user: person.optional().describe('a person to share as a contact card'),
        location: z.object({ name: z.string().min(1).max(255), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
        todo: z.string().min(1).max(3000).optional().describe('a task\'s summary'),
        merge_forward: z.array(messageId).min(1).max(100).optional().describe('messages of one chat the person is in, merged into one'),
        as: as.describe('who sends, in a chat or to a bot (default: the first person there)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => {
      const { sendContentOf } = await import('../inbox/send-content.js');
      const spec: SendSpec = { image: a.image, file: a.file, audio: a.audio, video: a.video, cover: a.cover, post: a.post, sticker: a.sticker, shareChat: a.share_chat, shareUser: a.share_user, location: a.location, todo: a.todo, mergeForward: a.merge_forward };
      const field = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const content = await sendContentOf(spec, field, session.ctx.cwd, 'For plain text use inbox_say.').catch(asFields);
      return act(async (c) => (await person_()).sendAs(c, a.to, content, a.as, 'share_user'));
    }),
  );

  server.registerTool(
    'inbox_menu',
    {
      title: 'Press a bot menu item',
      description: 'A person presses an item of a bot\'s menu (the seed\'s bot_menu) by its event_key: the app gets application.bot.menu_v6. A wrong event_key lists the menu.',
      inputSchema: {
        event_key: z.string().min(1).max(100).describe('the item\'s event_key'),
        bot: bot.optional().describe('whose menu (default: the first app)'),
        as: person.optional().describe('who presses it (default: the first person)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => act(async (c) => (await person_()).pressMenu(c, a.bot, a.event_key, a.as))),
  );

  server.registerTool(
    'inbox_paste_link',
    {
      title: 'Paste a link',
      description: 'A person sends a link: each bot there whose URL rules match is asked for a preview (the url.preview.get callback). Returns each preview (its title, whether a card shows, or why the client refused it) and the deliveries; a tool error when a bot failed to answer or its preview was refused.',
      inputSchema: {
        to: z.string().min(1).max(200).describe('a chat_id (oc_…), a bot (app_id or name), or a person (their one-to-one chat with the first bot)'),
        url: z.string().url().max(4096).regex(/^https?:\/\//i, 'an http(s) link').describe('the link'),
        as: as.describe('who sends it, in a chat or to a bot (default: the first person there)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => act(async (c) => (await person_()).pasteLink(c, a.to, a.url, a.as))),
  );

  server.registerTool(
    'inbox_chat',
    {
      title: 'Act on a chat',
      description:
        'What a person does to chats, by action: create (a group they own, with bots and people: each bot gets im.chat.member.bot.added_v1), add_bot / remove_bot (im.chat.member.bot.added_v1 / deleted_v1), ' +
        'add / remove / withdraw people (im.chat.member.user.added_v1 / deleted_v1 / withdrawn_v1), leave (deleted_v1), rename (name and/or description: im.chat.updated_v1), disband (owner only: im.chat.disbanded_v1), ' +
        'open (the one-to-one chat with a bot: im.chat.access_event.bot_p2p_chat_entered_v1). Returns the chat as it is now and each delivery; a tool error when a bot failed its event, or when the platform\'s rules refuse the action (with the code).',
      inputSchema: {
        action: z.enum(Object.keys(CHAT_ACTIONS) as [keyof typeof CHAT_ACTIONS, ...Array<keyof typeof CHAT_ACTIONS>]),
        chat: chatId.optional().describe('the group (every action but create and open)'),
        name: z.string().min(1).max(100).optional().describe('the group\'s name (create, rename)'),
        description: z.string().max(1000).optional().describe('the group\'s description (rename)'),
        bots: z.array(bot).max(50).optional().describe('create: the bots to add; add_bot, remove_bot, open: one bot (default: the first app)'),
        people: z.array(person).max(50).optional().describe('create: people to add; add, withdraw: the people; remove: one person'),
        as: as.describe('who acts (default: the first person in the chat; for create and open, the first person)'),
      },
      annotations: { openWorldHint: false },
    },
    tool(secrets, async (a) => {
      const needsChat = a.action !== 'create' && a.action !== 'open';
      if (needsChat && !a.chat) throw new ToolInputError('chat', `${a.action} needs the group's chat_id (oc_…)`);
      if (!needsChat && a.chat) throw new ToolInputError('chat', `${a.action} takes no chat`);
      if (a.action === 'create' && !a.name) throw new ToolInputError('name', 'create needs the group\'s name');
      if (a.action === 'rename' && a.name === undefined && a.description === undefined) throw new ToolInputError('name', 'rename needs a name or a description');
      if (['add', 'remove', 'withdraw'].includes(a.action) && !a.people?.length) throw new ToolInputError('people', `${a.action} needs the people`);
      if (a.action === 'remove' && a.people!.length > 1) throw new ToolInputError('people', 'remove takes one person at a time');
      if (['add_bot', 'remove_bot', 'open'].includes(a.action) && (a.bots?.length ?? 0) > 1) throw new ToolInputError('bots', `${a.action} takes one bot`);
      if (a.action === 'leave' && a.as === undefined) throw new ToolInputError('as', 'leave needs who leaves');
      return act(async (c) => (await person_()).chatAction(c, { verb: CHAT_ACTIONS[a.action], chat: a.chat, name: a.name, description: a.description, bots: a.bots, people: a.people, as: a.as }));
    }),
  );
}
