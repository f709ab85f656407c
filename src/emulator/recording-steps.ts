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
    };
