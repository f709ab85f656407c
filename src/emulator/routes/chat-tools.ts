import { fail } from '../catalogue/errors.js';
import type { AppRecord, ChatRecord, Store } from '../store.js';

/**
 * What the tab, menu and top-notice routes share: the chat the bot acts in (unknown is 232006,
 * dissolved 232009, the bot outside it 232011) and the platform's rule for links.
 */
export function chatOfBot(store: Store, app: AppRecord, chatId: string): ChatRecord {
  const chat = store.botChat(app, chatId, 'chat');
  if (!chat) throw fail(232006);
  return chat;
}

/** Links in tabs and menus must be http or https addresses. */
export function isHttpUrl(value: string | undefined): value is string {
  if (!value || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Length as a person counts it: characters, not UTF-16 units. */
export function charCount(value: string): number {
  return [...value].length;
}
