import { basename } from 'node:path';
import { MEDIA_LIMITS } from '../emulator/media.js';
import { readUserFile } from '../input/user-file.js';

/**
 * What {@link TestUser.send} sends, turned into the control API's body
 * (`POST /_emulator/users/:open_id/messages`): files are read (a path) or taken (a Buffer) and sent
 * base64; names are written the way the platform's content writes them.
 */

/** A file's bytes: a path to read, or the bytes. */
export type FileInput = string | Buffer;

/** A rich text post, as the control API takes it: `{ title?, content: [[{ tag, … }]] }` or per language (`{ zh_cn: { … } }`). */
export type PostInput = Record<string, unknown>;

/**
 * One kind of message a person sends. In a post, a picture may be given as
 * `{ tag: 'img', image: path | Buffer }` and a video as `{ tag: 'media', video: path | Buffer, cover?: path | Buffer }`;
 * `{ tag: 'at', user_id }` @mentions a person (open_id) or a bot (app_id).
 */
export interface SendContent {
  text?: string;
  post?: PostInput;
  image?: FileInput;
  file?: FileInput | { data: FileInput; fileName?: string };
  /** Ogg Opus; the duration (ms) is read from the file unless given. */
  audio?: FileInput | { data: FileInput; fileName?: string; duration?: number };
  /** MP4; the duration (ms) is read from the file unless given; without a cover the emulator draws a plain one. */
  media?: FileInput | { data: FileInput; fileName?: string; duration?: number; cover?: FileInput };
  /** `true` for a sticker from the person's collection, or a sticker's file_key (one a message carried). */
  sticker?: true | string;
  /** A group (chat_id) to share as a card. */
  shareChat?: string;
  /** A person to share as a contact card: an open_id, or a TestUser. */
  shareUser?: string | { openId: string };
  location?: { name: string; longitude: number | string; latitude: number | string };
  /** A task: its summary, and when it is due. */
  todo?: string | { summary: string; dueTime?: number | Date };
  /** Messages (ids, or what `send` and `waitForMessage` returned) of one chat the user is in, merged into one. */
  mergeForward?: Array<string | { messageId: string }>;
  /** In a group, @mention every bot in the chat (text and post). */
  mention?: boolean;
  /** The app whose one-to-one chat `'p2p'` means (default: the first). */
  app?: string;
}

const KINDS = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'shareChat', 'shareUser', 'location', 'todo', 'mergeForward'] as const;

/** Something wrong with what a test asked to send, found before anything was sent. */
export class SendInputError extends Error {}

/** The kind of message `content` is, for messages that say what was being done. */
export function sendKind(content: SendContent): string {
  return KINDS.find((k) => content[k] !== undefined) ?? 'nothing';
}

async function fileOf(input: FileInput, what: string): Promise<{ data: string; name: string | null }> {
  if (Buffer.isBuffer(input)) return { data: input.toString('base64'), name: null };
  if (typeof input !== 'string' || !input) throw new SendInputError(`${what} must be a file path or a Buffer`);
  // Read as the CLI reads a file it is given: a regular file only (a FIFO or /dev/zero would never
  // end), and no more than the emulator takes, so an oversized file is refused before it is read.
  try {
    const { bytes } = await readUserFile(input, { what, maxBytes: MEDIA_LIMITS.fileMaxBytes });
    return { data: bytes.toString('base64'), name: basename(input) };
  } catch (err) {
    throw new SendInputError((err as Error).message);
  }
}

function parts<T extends object>(v: FileInput | (T & { data: FileInput })): { data: FileInput; rest: Partial<T> } {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return { data: v, rest: {} };
  const { data, ...rest } = v;
  return { data, rest: rest as unknown as Partial<T> };
}

/** Post elements with files (`image`, `video`, `cover`) read and put in as base64 `data`. */
async function postWithFiles(post: PostInput): Promise<PostInput> {
  const rowsOf = async (rows: unknown): Promise<unknown> => {
    if (!Array.isArray(rows)) return rows;
    return Promise.all(rows.map(async (row, i) => {
      if (!Array.isArray(row)) return row;
      return Promise.all(row.map(async (el, j) => {
        if (!el || typeof el !== 'object') return el;
        const { image, video, cover, ...rest } = el as Record<string, unknown>;
        const out: Record<string, unknown> = { ...rest };
        if (image !== undefined) {
          const f = await fileOf(image as FileInput, `post row ${i} element ${j} image`);
          Object.assign(out, { data: f.data, ...(f.name ? { file_name: f.name } : {}) });
        }
        if (video !== undefined) {
          const f = await fileOf(video as FileInput, `post row ${i} element ${j} video`);
          Object.assign(out, { data: f.data, file_name: out.file_name ?? f.name ?? 'video.mp4' });
        }
        if (cover !== undefined) out.cover = { data: (await fileOf(cover as FileInput, `post row ${i} element ${j} cover`)).data };
        return out;
      }));
    }));
  };
  if ('content' in post || 'title' in post) return { ...post, content: await rowsOf(post.content) };
  const out: PostInput = {};
  for (const [lang, body] of Object.entries(post)) {
    out[lang] = body && typeof body === 'object' && !Array.isArray(body) ? { ...body, content: await rowsOf((body as Record<string, unknown>).content) } : body;
  }
  return out;
}

/** The control API's body for `content` sent to `chat` (an `oc_…` id, or `'p2p'`). */
export async function personMessageBody(chat: string, content: SendContent): Promise<Record<string, unknown>> {
  if (!content || typeof content !== 'object') throw new SendInputError('send(chat, content): content must be an object such as { text: "hi" }');
  const given = KINDS.filter((k) => content[k] !== undefined);
  if (given.length !== 1) throw new SendInputError(`send(chat, content): give exactly one of ${KINDS.join(', ')}${given.length ? ` (given: ${given.join(', ')})` : ''}`);
  const body: Record<string, unknown> = { chat_id: chat === 'p2p' ? null : chat, app_id: content.app ?? null, mention_bot: !!content.mention };
  const kind = given[0]!;
  switch (kind) {
    case 'text':
      body.text = content.text;
      break;
    case 'post':
      body.post = await postWithFiles(content.post!);
      break;
    case 'image': {
      const f = await fileOf(content.image!, 'image');
      body.image = { data: f.data, ...(f.name ? { file_name: f.name } : {}) };
      break;
    }
    case 'file': {
      const { data, rest } = parts<{ fileName?: string }>(content.file!);
      const f = await fileOf(data, 'file');
      const name = rest.fileName ?? f.name;
      if (!name) throw new SendInputError('send(chat, { file }): a file given as a Buffer needs a name: { file: { data, fileName } }');
      body.file = { data: f.data, file_name: name };
      break;
    }
    case 'audio': {
      const { data, rest } = parts<{ fileName?: string; duration?: number }>(content.audio!);
      const f = await fileOf(data, 'audio');
      body.audio = { data: f.data, ...(rest.fileName ?? f.name ? { file_name: rest.fileName ?? f.name } : {}), ...(rest.duration !== undefined ? { duration: rest.duration } : {}) };
      break;
    }
    case 'media': {
      const { data, rest } = parts<{ fileName?: string; duration?: number; cover?: FileInput }>(content.media!);
      const f = await fileOf(data, 'media');
      body.media = {
        data: f.data,
        file_name: rest.fileName ?? f.name ?? 'video.mp4',
        ...(rest.duration !== undefined ? { duration: rest.duration } : {}),
        ...(rest.cover !== undefined ? { cover: { data: (await fileOf(rest.cover, 'media cover')).data } } : {}),
      };
      break;
    }
    case 'sticker':
      body.sticker = typeof content.sticker === 'string' ? { file_key: content.sticker } : {};
      break;
    case 'shareChat':
      body.share_chat = { chat_id: content.shareChat };
      break;
    case 'shareUser':
      body.share_user = { open_id: typeof content.shareUser === 'string' ? content.shareUser : content.shareUser!.openId };
      break;
    case 'location':
      body.location = content.location;
      break;
    case 'todo': {
      const todo = typeof content.todo === 'string' ? { summary: content.todo } : content.todo!;
      const due = todo.dueTime instanceof Date ? todo.dueTime.getTime() : todo.dueTime;
      body.todo = { summary: todo.summary, ...(due !== undefined ? { due_time: due } : {}) };
      break;
    }
    case 'mergeForward':
      if (!Array.isArray(content.mergeForward)) throw new SendInputError('send(chat, { mergeForward }): give the messages to merge, as a list');
      body.merge_forward = { message_ids: content.mergeForward.map((m) => (typeof m === 'string' ? m : m.messageId)) };
      break;
  }
  return body;
}
