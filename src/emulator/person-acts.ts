/**
 * What a person did to a message or a chat through the control API (the inbox and the testing
 * library act there), announced on the core's `act` event once the action is checked and done and
 * before the bots are told, so what the bots answer comes after it (the recorder reads it).
 */
export type PersonAct =
  | { kind: 'react' | 'unreact'; open_id: string; message_id: string; emoji_type: string }
  | { kind: 'read'; open_id: string; message_id: string }
  /** The sender took a message back (POST /_emulator/messages/:id/recall). */
  | { kind: 'recall'; message_id: string }
  | { kind: 'createGroup'; open_id: string; chat_id: string; name: string; bots: string[]; users: string[] }
  | { kind: 'addMembers'; open_id: string; chat_id: string; bots: string[]; users: string[] }
  /** A bot (app_id) or a person taken out; the person acting themself is leaving. */
  | { kind: 'removeMember'; open_id: string; chat_id: string; member_id: string }
  | { kind: 'withdraw'; open_id: string; chat_id: string; users: string[] }
  /** The chat's name as it now stands (given or kept) and the description when given. */
  | { kind: 'editChat'; open_id: string; chat_id: string; name: string; description?: string }
  | { kind: 'disband'; open_id: string; chat_id: string }
  | { kind: 'openChat'; open_id: string; app_id: string; chat_id: string };
