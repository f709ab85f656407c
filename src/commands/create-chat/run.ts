import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { addChatMembers, batchGetUserIds, createChat } from '../../feishu/api.js';
import { clientFromContext } from '../../feishu/client.js';
import { shapeOf } from '../../feishu/receivers.js';
import { CliError, usageError } from '../../output/errors.js';
import { plural } from '../../output/words.js';

interface CreateChatOptions {
  name: string;
  owner?: string;
  users?: string[];
  bots?: string[];
  description?: string;
  setBotManager?: boolean;
  uuid?: string;
}

const USERS_PER_CALL = 50;
const BOTS_PER_CALL = 5;

export const splitList = (values: string[] = []) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function run(ctx: Context, opts: CreateChatOptions): Promise<void> {
  const users = splitList(opts.users);
  const bots = splitList(opts.bots);
  const people = opts.owner ? [opts.owner, ...users] : users;
  for (const p of people) {
    const shape = shapeOf(p);
    if (shape !== 'open_id' && shape !== 'email' && shape !== 'mobile') {
      throw usageError(`user "${p}" is not an open_id (ou_…), email or mobile number`);
    }
  }
  for (const b of bots) if (!/^cli_\w+$/.test(b)) throw usageError(`bot "${b}" is not an app id (cli_…)`);
  if (opts.setBotManager && !opts.owner) throw usageError('--set-bot-manager needs --owner: the bot is made a manager of a chat a user owns');
  if (opts.uuid !== undefined && !opts.uuid.trim()) throw usageError('--uuid must not be empty: it is what makes a retried command create one chat', { hint: 'Leave it out to have one made for you.' });
  if (opts.uuid && opts.uuid.length > 50) throw usageError('--uuid may be at most 50 characters');

  const client = await clientFromContext(ctx);
  try {
    // Resolve everyone first: an unknown person stops the command before the chat exists.
    const lookups = [...new Set(people.filter((p) => shapeOf(p) !== 'open_id'))];
    const openIds = new Map<string, string>();
    for (const batch of chunks(lookups, USERS_PER_CALL)) {
      const entries = await batchGetUserIds(client, {
        emails: batch.filter((p) => shapeOf(p) === 'email'),
        mobiles: batch.filter((p) => shapeOf(p) === 'mobile'),
      });
      for (const e of entries) if (e.user_id) openIds.set((e.email ?? e.mobile)!, e.user_id);
    }
    const missing = lookups.filter((p) => !openIds.has(p));
    if (missing.length) {
      throw new CliError('api', `no user found for ${missing.map((m) => `"${m}"`).join(', ')}`, {
        code: 'user_not_found',
        hint: 'No chat was created.',
        details: { missing },
      });
    }
    const idOf = (p: string) => openIds.get(p) ?? p;
    const ownerId = opts.owner ? idOf(opts.owner) : undefined;
    const memberIds = [...new Set(users.map(idOf))].filter((id) => id !== ownerId);
    // The create call takes 50 users and 5 bots; the rest are added right after.
    const [firstUsers = [], ...moreUsers] = chunks(memberIds, USERS_PER_CALL);
    const [firstBots = [], ...moreBots] = chunks(bots, BOTS_PER_CALL);
    const chat = await createChat(client, {
      name: opts.name,
      description: opts.description,
      ownerId,
      userIds: firstUsers,
      botIds: firstBots,
      setBotManager: opts.setBotManager,
      // Always a uuid, so a create retried after a lost answer still makes one chat.
      uuid: opts.uuid ?? randomUUID(),
    });
    const invalid: string[] = [];
    const notExisted: string[] = [];
    let addedLater = 0;
    for (const batch of moreUsers) {
      const r = await addChatMembers(client, chat.chat_id, batch, 'open_id');
      invalid.push(...(r.invalid_id_list ?? []));
      notExisted.push(...(r.not_existed_id_list ?? []));
      addedLater += batch.length - (r.invalid_id_list?.length ?? 0) - (r.not_existed_id_list?.length ?? 0);
    }
    for (const batch of moreBots) {
      const r = await addChatMembers(client, chat.chat_id, batch, 'app_id');
      invalid.push(...(r.invalid_id_list ?? []));
      notExisted.push(...(r.not_existed_id_list ?? []));
      addedLater += batch.length - (r.invalid_id_list?.length ?? 0) - (r.not_existed_id_list?.length ?? 0);
    }
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
  } finally {
    await client.close();
  }
}
