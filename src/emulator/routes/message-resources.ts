import type { Route } from '../core.js';
import { openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';
import type { MessageRecord } from '../store.js';
import { download, MIME } from './media.js';

type ResourceType = 'image' | 'file';

/** Merged messages (and the copies in them) and cards carry no resource the API hands out. */
const UNSUPPORTED = new Set(['merge_forward', 'interactive', 'sticker']);

/**
 * The keys a message carries, with the `type` each is downloaded as: an image message's image; a
 * file's, audio's or video's file (a video's cover is an image); in rich text, every `img` and
 * `media` tag, whether the content is as sent (per language) or as received (one post).
 */
export function messageResources(m: MessageRecord): Map<string, ResourceType> {
  const keys = new Map<string, ResourceType>();
  let content: unknown;
  try {
    content = JSON.parse(m.versions[m.versions.length - 1]!.content);
  } catch {
    return keys;
  }
  const take = (o: Record<string, unknown>) => {
    if (typeof o.image_key === 'string' && o.image_key) keys.set(o.image_key, 'image');
    if (typeof o.file_key === 'string' && o.file_key) keys.set(o.file_key, 'file');
  };
  if (m.msg_type === 'image' || m.msg_type === 'file' || m.msg_type === 'audio' || m.msg_type === 'media') {
    if (content && typeof content === 'object') take(content as Record<string, unknown>);
  } else if (m.msg_type === 'post') {
    // Bounded: a post's content was bounded when it was sent, and only objects are walked.
    const walk = (v: unknown, depth: number): void => {
      if (depth > 8 || !v || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
      const o = v as Record<string, unknown>;
      if (o.tag === 'img' || o.tag === 'media') take(o);
      else for (const k in o) walk(o[k], depth + 1);
    };
    walk(content, 0);
  }
  return keys;
}

export const messageResourceRoutes: Route[] = [
  openApi({
    method: 'GET',
    path: '/open-apis/im/v1/messages/:message_id/resources/:file_key',
    title: '获取消息中的资源文件',
    tokens: ['tenant'],
    scopes: ['im:message', 'im:message:readonly', 'im:message.history:readonly'],
    params: s.object({ message_id: s.string(), file_key: s.string() }),
    query: s.object({ type: s.string() }),
    errors: [230110, 234001, 234003, 234004, 234005, 234043],
    notes: '`type` `image` or `file` (audio and video are `file`), matching what the key is in the message; downloads an image, file, audio or video in the message, also images and videos inside `post` content, with `Content-Type` and `Content-Disposition` as file downloads have them. The bot must be in the chat; the message may not be recalled, and a key the message does not hold is refused.',
    coverage: { partial: 'no Range requests (the whole file answers 200); no restricted mode (234038) or external groups (234009)' },
    handle({ params, query, app, core }) {
      const store = core.store;
      if (query.type !== 'image' && query.type !== 'file') throw fail(234001, 'type must be image or file');
      const m = store.messages.get(params.message_id);
      if (!m) {
        if (store.mergedChild(params.message_id)) throw fail(234043, 'resources of the messages inside a merged message cannot be downloaded');
        throw fail(234001, `no message ${params.message_id}.${store.droppedNote(params.message_id)}`);
      }
      const chat = store.chats.get(m.chat_id);
      if (!chat || !chat.bots.has(app.app_id)) throw fail(234004);
      if (m.deleted) throw fail(230110);
      if (UNSUPPORTED.has(m.msg_type)) throw fail(234043, `a ${m.msg_type} message has no resource to download`);
      const kind = messageResources(m).get(params.file_key);
      if (!kind) throw fail(234003);
      if (kind !== query.type) throw fail(234001, `${params.file_key} is ${kind === 'image' ? 'an image' : 'a file'} in this message: ask with type=${kind}`);
      const media = core.media.get(params.file_key);
      if (!media) {
        if (core.media.wasDropped(params.file_key)) throw fail(234005, `the emulator dropped ${params.file_key} to stay within its storage bound`);
        throw fail(234001, `${params.file_key} was never uploaded to the emulator`);
      }
      return download(media, media.kind === 'image' ? (MIME[media.format] ?? 'application/octet-stream') : 'application/octet-stream');
    },
  }),
];
