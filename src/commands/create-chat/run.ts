import { randomUUID } from 'node:crypto';
import { createChatWithMembers } from '../../feishu/chats.js';
import { lookupOpenIds, planReceiver, receiversNotFound, receiveIdTypeOf } from '../../feishu/receivers.js';
import { usageError } from '../../output/errors.js';
import { plural } from '../../output/words.js';
import type { CommandContext } from '../declare.js';

interface CreateChatOptions {
  name: string;
  owner?: string;
  users?: string[];
  bots?: string[];
  description?: string;
  setBotManager?: boolean;
  uuid?: string;
}

export const splitList = (values: string[] = []) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export async function run(ctx: CommandContext, opts: CreateChatOptions): Promise<void> {
  const users = splitList(opts.users);
  const bots = splitList(opts.bots);
  const people = opts.owner ? [opts.owner, ...users] : users;
  for (const p of people) {
    const type = receiveIdTypeOf(p);
    if (type !== 'open_id' && type !== 'email' && type !== 'mobile') throw usageError(`user "${p}" is not an open_id (ou_…), email or mobile number`);
  }
  for (const b of bots) if (!/^cli_\w+$/.test(b)) throw usageError(`bot "${b}" is not an app id (cli_…)`);
  if (opts.setBotManager && !opts.owner) throw usageError('--set-bot-manager needs --owner: the bot is made a manager of a chat a user owns');
  if (opts.uuid !== undefined && !opts.uuid.trim()) throw usageError('--uuid must not be empty: it is what makes a retried command create one chat', { hint: 'Leave it out to have one made for you.' });
  if (opts.uuid && opts.uuid.length > 50) throw usageError('--uuid may be at most 50 characters');

  const client = await ctx.client();
  // Resolve everyone first: an unknown person stops the command before the chat exists.
  const planned = [...new Set(people)].map((p) => planReceiver(p, null, true)!);
  const openIds = await lookupOpenIds(client, planned);
  const missing = planned.filter((p) => p.lookup && !openIds.has(p.input)).map((p) => p.input);
  if (missing.length) throw receiversNotFound(missing, 'user_not_found', 'No chat was created.');
  const idOf = (p: string) => openIds.get(p) ?? p;
  const ownerId = opts.owner ? idOf(opts.owner) : undefined;
  const memberIds = [...new Set(users.map(idOf))].filter((id) => id !== ownerId);
  const made = await createChatWithMembers(client, {
    name: opts.name,
    description: opts.description,
    ownerId,
    userIds: memberIds,
    botIds: bots,
    setBotManager: opts.setBotManager,
    // Always a uuid, so a create retried after a lost answer still makes one chat.
    uuid: opts.uuid ?? randomUUID(),
  });
  const { chat, addedLater, invalid, notExisted } = made;
  ctx.out.print(chat.chat_id);
  // With a caller's --uuid the platform answers a repeat with the chat made before, and its
  // answer does not say which happened: the message says both are possible.
  const verb = opts.uuid ? `Chat "${chat.name ?? opts.name}" is there (made now, or earlier with --uuid ${opts.uuid})` : `Created chat "${chat.name ?? opts.name}"`;
  ctx.out.success(`${verb} with ${plural(memberIds.length + (ownerId ? 1 : 0), 'user')} and ${plural(bots.length + 1, 'bot')} (the calling bot included)`);
  if (addedLater) ctx.out.info(`  ${addedLater} added after creation (over the 50-user / 5-bot limit of the create call)`);
  if (invalid.length || notExisted.length) ctx.out.warn(`not added: ${[...invalid, ...notExisted].join(', ')}`);
  ctx.out.info(`Send it a card: card send card.json --to ${chat.chat_id}`);
  ctx.out.result({
    chat_id: chat.chat_id,
    name: chat.name ?? opts.name,
    owner_id: chat.owner_id ?? null,
    users: memberIds.length + (ownerId ? 1 : 0),
    bots: bots.length + 1,
    added_after_create: addedLater,
    invalid_ids: invalid,
    not_existed_ids: notExisted,
  });
}
