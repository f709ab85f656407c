import { envelope, type EnvelopeParts, type UserIds } from './events.js';

/**
 * The events of a chat's life, in the platform's 2.0 envelope, with the fields its event pages give
 * (im.chat.member.bot.added_v1 / deleted_v1, im.chat.member.user.added_v1 / deleted_v1 /
 * withdrawn_v1, im.chat.updated_v1, im.chat.disbanded_v1,
 * im.chat.access_event.bot_p2p_chat_entered_v1). The operator is named by user ids; when an app
 * acted, by its bot's ids.
 */

export interface I18nNames {
  zh_cn: string;
  en_us: string;
  ja_jp: string;
}

/** The chat an event is about, and who acted on it. */
export interface ChatEventParts {
  chat_id: string;
  operator: UserIds;
  name: string;
  /** The chat's names by language; each defaults to `name`. */
  i18n_names?: Partial<I18nNames>;
}

/** A person an event about members lists. */
export interface MemberUser {
  name: string;
  ids: UserIds;
}

/** The fields im.chat.updated_v1 reports of a chat, before and after a change (all optional). */
export type ChatChange = Partial<{
  avatar: string;
  name: string;
  description: string;
  i18n_names: Partial<I18nNames>;
  add_member_permission: string;
  share_card_permission: string;
  at_all_permission: string;
  edit_permission: string;
  membership_approval: string;
  join_message_visibility: string;
  leave_message_visibility: string;
  moderation_permission: string;
  owner_id: UserIds;
  restricted_mode_setting: Record<string, unknown>;
  group_message_type: string;
}>;

const names = (e: ChatEventParts): I18nNames => ({ zh_cn: e.i18n_names?.zh_cn || e.name, en_us: e.i18n_names?.en_us || e.name, ja_jp: e.i18n_names?.ja_jp || e.name });

/** chat_id, operator_id, external, operator_tenant_key: the head every group event shares. */
function about(p: EnvelopeParts, e: ChatEventParts): Record<string, unknown> {
  return { chat_id: e.chat_id, operator_id: e.operator, external: false, operator_tenant_key: p.tenant_key };
}

/** The bot was added to a group: sent to the bot added, not to the bots already there. */
export function botAdded(p: EnvelopeParts, e: ChatEventParts): Record<string, unknown> {
  return envelope('im.chat.member.bot.added_v1', p, { ...about(p, e), name: e.name, i18n_names: names(e) });
}

/** The bot was removed from a group (or left it): sent to that bot only. */
export function botDeleted(p: EnvelopeParts, e: ChatEventParts): Record<string, unknown> {
  return envelope('im.chat.member.bot.deleted_v1', p, { ...about(p, e), name: e.name, i18n_names: names(e) });
}

/**
 * People joined a group (`added`), left or were removed (`deleted`), or had their invitation
 * withdrawn (`withdrawn`): sent to the bots in the group.
 */
export function membersChanged(p: EnvelopeParts, change: 'added' | 'deleted' | 'withdrawn', e: ChatEventParts & { users: MemberUser[] }): Record<string, unknown> {
  return envelope(`im.chat.member.user.${change}_v1`, p, {
    ...about(p, e),
    users: e.users.map((u) => ({ name: u.name, tenant_key: p.tenant_key, user_id: u.ids })),
    name: e.name,
    i18n_names: names(e),
  });
}

/**
 * A group's settings changed: what changed, before and after, and for a change of who may speak,
 * the people added to and removed from the list.
 */
export function chatUpdated(
  p: EnvelopeParts,
  e: { chat_id: string; operator: UserIds; after: ChatChange; before: ChatChange; moderators?: { added: UserIds[]; removed: UserIds[] } },
): Record<string, unknown> {
  const event: Record<string, unknown> = { ...about(p, { ...e, name: '' }), after_change: e.after, before_change: e.before };
  if (e.moderators) {
    const listed = (ids: UserIds[]) => ids.map((user_id) => ({ tenant_key: p.tenant_key, user_id }));
    event.moderator_list = { added_member_list: listed(e.moderators.added), removed_member_list: listed(e.moderators.removed) };
  }
  return envelope('im.chat.updated_v1', p, event);
}

/** A group was disbanded: sent to the bots that were in it. */
export function chatDisbanded(p: EnvelopeParts, e: ChatEventParts): Record<string, unknown> {
  return envelope('im.chat.disbanded_v1', p, { ...about(p, e), name: e.name, i18n_names: names(e) });
}

/** A person opened their one-to-one chat with the bot; the newest message they see in it, if any. */
export function p2pChatEntered(p: EnvelopeParts, e: { chat_id: string; operator: UserIds; last_message_id: string; last_message_create_time: string }): Record<string, unknown> {
  return envelope('im.chat.access_event.bot_p2p_chat_entered_v1', p, {
    chat_id: e.chat_id,
    operator_id: e.operator,
    last_message_id: e.last_message_id,
    last_message_create_time: e.last_message_create_time,
  });
}
