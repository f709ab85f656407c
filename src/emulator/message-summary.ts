import { isObject } from '../card/inspect.js';
import type { MessageRecord, Store } from './store.js';

/** A post's text as a person reads it: the title, then each row, with @names and markers for pictures. */
function postText(post: Record<string, unknown>): string {
  const lines: string[] = [];
  if (typeof post.title === 'string' && post.title) lines.push(post.title);
  const rows = Array.isArray(post.content) ? post.content : [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    lines.push(row.filter(isObject).map((el) => {
      switch (el.tag) {
        case 'text': case 'code_block': return String(el.text ?? '');
        case 'a': return String(el.text ?? el.href ?? '');
        case 'at': return `@${String(el.user_name ?? '')}`;
        case 'img': return '[Image]';
        case 'media': return '[Video]';
        case 'emotion': return `[${String(el.emoji_type ?? '')}]`;
        case 'hr': return '---';
        default: return '';
      }
    }).join(''));
  }
  return lines.join('\n');
}

/** A task's due time as words; nothing when it is not a time (a replayed message's content is anyone's). */
function dueText(due: unknown): string {
  const at = typeof due === 'string' && due ? new Date(Number(due)) : null;
  return at && Number.isFinite(at.getTime()) ? ` · due ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

const seconds = (ms: unknown) => `${Math.round(Number(ms) / 1000) || 0}s`;

/**
 * What the inbox shows for the kinds of message a person sends that are neither text nor a card:
 * readable words in place of their JSON. Null for the other kinds.
 */
export function readableContent(store: Store, m: MessageRecord): string | null {
  const raw = m.versions[m.versions.length - 1]!.content;
  if (m.msg_type === 'merge_forward') return `[Merged and forwarded: ${store.mergedCopies(m).length} messages]`;
  let c: unknown;
  try {
    c = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(c)) return null;
  switch (m.msg_type) {
    case 'post': return postText(c);
    case 'audio': return `[Voice ${seconds(c.duration)}]`;
    case 'media': return `[Video ${seconds(c.duration)}] ${String(c.file_name ?? '')}`.trim();
    case 'sticker': return '[Sticker]';
    case 'share_chat': return `[Group card] ${store.chats.get(String(c.chat_id))?.name ?? String(c.chat_id)}`;
    case 'share_user': return `[Contact card] ${store.users.find((u) => u.open_id === c.user_id)?.name ?? String(c.user_id)}`;
    case 'location': return `[Location] ${String(c.name ?? '')} (${String(c.latitude)}, ${String(c.longitude)})`;
    case 'todo': return `[Task] ${isObject(c.summary) ? postText(c.summary) : ''}${dueText(c.due_time)}`;
    default: return null;
  }
}
