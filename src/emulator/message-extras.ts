import { randomBytes } from 'node:crypto';
import { PlatformError } from './http.js';
import type { MessageExtra, MessageRecord, Store } from './store.js';

export type { MessageExtra, EphemeralRecord, BatchRecord } from './store.js';

const NO_EXTRA: Readonly<MessageExtra> = Object.freeze({ parent_id: '', root_id: '', thread_id: '', batch_id: null, edits: 0 });

/** A message's extras, ready to be written. */
export function extraOf(m: MessageRecord): MessageExtra {
  return (m.extra ??= { parent_id: '', root_id: '', thread_id: '', batch_id: null, edits: 0 });
}

/** A message's extras for reading: one shared empty record for the many messages that have none. */
export function peekExtra(m: MessageRecord): Readonly<MessageExtra> {
  return m.extra ?? NO_EXTRA;
}

export { capMap } from './store.js';

export const newExtraId = {
  thread: () => `omt_${randomBytes(8).toString('hex')}`,
  batch: () => `bm-${randomBytes(16).toString('hex')}`,
};

/** 230001 in the platform's own form: the reason follows `ext=`. */
export function invalidParam(ext: string): PlatformError {
  return new PlatformError(400, 230001, `Your request contains an invalid request parameter, ext=${ext}`);
}

/**
 * 230001 for a message id the store does not hold; when the cap dropped it (--max-messages), the
 * answer says so, to tell a bounded emulator from a wrong id.
 */
export function unknownMessage(store: Store, messageId: string): PlatformError {
  const note = store.droppedNote(messageId);
  return invalidParam(note ? `message_id does not exist.${note}` : 'message_id does not exist');
}
