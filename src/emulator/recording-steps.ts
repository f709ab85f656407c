import type { ElementTarget } from '../testing/elements.js';

/** What a recording holds (src/emulator/recordings.ts records it; src/testing/record-codegen.ts writes it as a test). */

export interface RecordedUser {
  open_id: string;
  email: string | null;
  name: string;
}

/** The testing library's verb for an action, and its argument. */
export type RecordedCall =
  | { verb: 'click'; target: ElementTarget }
  | { verb: 'choose'; target: ElementTarget; option: string | string[] }
  | { verb: 'pick'; target: ElementTarget; value: string }
  | { verb: 'type'; target: ElementTarget; text: string }
  | { verb: 'submitForm'; values: Record<string, unknown>; button: ElementTarget | null };

export type RecordedStep =
  | { kind: 'say'; at: number; message_id: string; user: RecordedUser; chat: { id: string; mode: 'p2p' | 'group' }; app_id: string | null; mention: boolean; text: string }
  | { kind: 'message'; at: number; message_id: string; app_id: string; msg_type: string; first_line: string | null; text: string | null }
  | { kind: 'update'; at: number; message_id: string; first_line: string | null; text: string | null }
  | {
      kind: 'click';
      at: number;
      message_id: string;
      user: RecordedUser;
      /** Null when no element of the card sends this action (the step is kept as a comment). */
      call: RecordedCall | null;
      action: Record<string, unknown>;
      /** Filled in when the answer is in. */
      answer: { ok: boolean; error: string | null; toast: { type: string; content: string } | null; card_text: string | null; applied: boolean } | null;
    }
  // ── h24-menu-links ──
  | { kind: 'menu'; at: number; user: RecordedUser; app_id: string; event_key: string }
  | {
      kind: 'link';
      at: number;
      message_id: string;
      user: RecordedUser;
      chat: { id: string; mode: 'p2p' | 'group' };
      /** The app of a one-to-one chat. */
      app_id: string | null;
      url: string;
      /** Each app's preview once the answers are in: accepted or not, and its inline title. */
      previews: Array<{ app_id: string; ok: boolean; title: string | null }> | null;
    }
  // ── h24-recorder ──
  | PersonActionStep;

// ── h24-recorder ──
/**
 * An uploaded file as the recording keeps it: its bytes (base64) when small enough to write into
 * the generated test, else only its name and size (the test then reads it from a file beside it).
 */
export interface RecordedFile {
  recorded_file: true;
  name: string | null;
  size: number;
  base64: string | null;
}

/** What a person's message held, in the terms of the testing library's `send` (src/testing/user-messages.ts). */
export type RecordedContent =
  | { post: { title: string; content: unknown[][] } }
  | { image: RecordedFile }
  | { file: RecordedFile }
  | { audio: RecordedFile; duration: number | null }
  | { media: RecordedFile; cover: RecordedFile | null; duration: number | null }
  | { sticker: string }
  | { shareChat: string }
  | { shareUser: string }
  | { location: { name: string; longitude: string; latitude: string } }
  | { todo: { summary: string; dueTime?: number } }
  /** The merged messages' ids as they were when recorded (null where a copy's source is gone). */
  | { mergeForward: Array<string | null> };

/** A person's action on a chat, as the TestUser method that does it again. */
export type RecordedChatVerb = 'createGroup' | 'addBot' | 'removeBot' | 'addMember' | 'removeMember' | 'withdraw' | 'leave' | 'openChat' | 'renameChat' | 'disband';

export type PersonActionStep =
  | { kind: 'send'; at: number; message_id: string; user: RecordedUser; chat: { id: string; mode: 'p2p' | 'group' }; app_id: string | null; msg_type: string; content: RecordedContent }
  | { kind: 'react' | 'unreact'; at: number; user: RecordedUser; message_id: string; emoji_type: string }
  | { kind: 'read' | 'recall'; at: number; user: RecordedUser; message_id: string }
  /** The bot took back one of its messages. */
  | { kind: 'recalled'; at: number; message_id: string }
  | {
      kind: 'chat';
      at: number;
      user: RecordedUser;
      verb: RecordedChatVerb;
      chat_id: string;
      /** createGroup, renameChat */
      name?: string;
      description?: string;
      /** createGroup; addBot/removeBot/openChat name one app */
      bots?: string[];
      /** createGroup, addMember, removeMember, withdraw */
      members?: RecordedUser[];
    };
