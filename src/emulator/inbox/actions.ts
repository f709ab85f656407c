import type { Route } from '../core.js';

/**
 * What a person may do from the inbox page, each named for the page and tied to the control
 * route(s) it calls. The page offers an action only when the emulator serves its routes, so a
 * build that lacks one (a part not yet merged) shows no button that would answer 404.
 */
export const INBOX_ACTIONS = {
  send: [['POST', '/_emulator/users/:open_id/messages']],
  // The same route, with its `post` field (one content field per kind a person sends).
  send_post: [['POST', '/_emulator/users/:open_id/messages']],
  // The same route again, with the other kinds (voice, video, sticker, shared chat or person,
  // location, task, merged messages): the composer's More menu.
  send_more: [['POST', '/_emulator/users/:open_id/messages']],
  react: [['POST', '/_emulator/users/:open_id/reactions']],
  unreact: [['DELETE', '/_emulator/users/:open_id/reactions/:reaction_id']],
  read: [['POST', '/_emulator/messages/:message_id/read']],
  recall: [['POST', '/_emulator/messages/:message_id/recall']],
  paste_link: [['POST', '/_emulator/users/:open_id/links']],
  create_group: [['POST', '/_emulator/users/:open_id/chats']],
  add_members: [['POST', '/_emulator/users/:open_id/chats/:chat_id/members']],
  // Removing a member, and leaving (removing oneself).
  remove_member: [['DELETE', '/_emulator/users/:open_id/chats/:chat_id/members/:member_id']],
  // Taking back an invitation: the people this person added leave.
  withdraw_members: [['POST', '/_emulator/users/:open_id/chats/:chat_id/members/withdraw']],
  rename_chat: [['PATCH', '/_emulator/users/:open_id/chats/:chat_id']],
  disband_chat: [['DELETE', '/_emulator/users/:open_id/chats/:chat_id']],
  open_p2p: [['POST', '/_emulator/users/:open_id/p2p']],
  bot_menu: [
    ['GET', '/_emulator/apps/:app_id/menu'],
    ['POST', '/_emulator/users/:open_id/menu'],
  ],
  deliveries: [['GET', '/_emulator/deliveries']],
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>;

export type InboxAction = keyof typeof INBOX_ACTIONS;

/** A pattern with its parameters' names dropped: `:chat_id` and `:id` name the same place. */
const shape = (method: string, pattern: string) => `${method} ${pattern.replace(/:[A-Za-z_]+/g, ':')}`;

/** Worked out once per list of routes: the page asks for the conversations on every arrival. */
const known = new WeakMap<readonly Route[], InboxAction[]>();

/** The actions whose every route is among `routes`, in the table's order. */
export function supportedActions(routes: readonly Route[]): InboxAction[] {
  let actions = known.get(routes);
  if (!actions) {
    const served = new Set(routes.map((r) => shape(r.method, r.pattern)));
    actions = (Object.keys(INBOX_ACTIONS) as InboxAction[]).filter((name) => INBOX_ACTIONS[name].every(([method, pattern]) => served.has(shape(method, pattern))));
    known.set(routes, actions);
  }
  return [...actions];
}
