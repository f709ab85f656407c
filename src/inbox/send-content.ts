import { basename } from 'node:path';
import { parseJsonWithPosition } from '../card/load.js';
import { isObject } from '../card/inspect.js';
import { MEDIA_LIMITS } from '../emulator/media.js';
import { readUserFile } from '../input/user-file.js';
import { usageError } from '../output/errors.js';
import type { SendContent } from '../testing/user-messages.js';

/**
 * What `card inbox send` and the MCP `inbox_send` tool take, turned into the testing library's
 * SendContent: every file named is read with the bounded reader (a regular file, under the
 * platform's size for its kind) and only its base name travels, so no path leaves this machine.
 */

export interface SendSpec {
  image?: string;
  file?: string;
  audio?: string;
  video?: string;
  /** A cover picture for the video. */
  cover?: string;
  /** A post: a JSON file's path (CLI) or the post itself (MCP). Pictures in it as `{ tag: 'img', image: "path" }`. */
  post?: string | Record<string, unknown>;
  sticker?: true | string;
  shareChat?: string;
  shareUser?: string;
  location?: { name: string; latitude: number; longitude: number };
  todo?: string;
  mergeForward?: string[];
}

export const SEND_KINDS = ['image', 'file', 'audio', 'video', 'post', 'sticker', 'shareChat', 'shareUser', 'location', 'todo', 'mergeForward'] as const;

/** How a caller names each kind in its messages: `--share-chat` for the CLI, `share_chat` for MCP. */
export type KindNamer = (kind: (typeof SEND_KINDS)[number] | 'cover') => string;

export const cliFlag: KindNamer = (k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A post holds at most this many pictures and videos read from files (the emulator's own bound). */
const MAX_POST_FILES = 20;
/** A post file is text: bounded as a card file is. */
const MAX_POST_BYTES = 2 * 1024 * 1024;

async function bytesOf(path: string, what: string, flag: string, maxBytes: number, cwd: string | undefined, where?: string): Promise<{ data: Buffer; fileName: string }> {
  const { bytes } = await readUserFile(path, { what, flag, maxBytes, cwd, where });
  return { data: bytes, fileName: basename(path) };
}

/** Pictures and videos named by path inside a post's rows, read and put in as bytes. */
async function postFiles(post: Record<string, unknown>, flag: string, cwd: string | undefined): Promise<Record<string, unknown>> {
  let files = 0;
  const readRows = async (rows: unknown, lang: string): Promise<unknown> => {
    if (!Array.isArray(rows)) return rows;
    const out: unknown[] = [];
    for (const [i, row] of rows.entries()) {
      if (!Array.isArray(row)) {
        out.push(row);
        continue;
      }
      const els: unknown[] = [];
      for (const [j, el] of row.entries()) {
        if (!isObject(el)) {
          els.push(el);
          continue;
        }
        const copy: Record<string, unknown> = { ...el };
        for (const key of ['image', 'video', 'cover'] as const) {
          const v = el[key];
          if (v === undefined) continue;
          const at = `${lang}content/${i}/${j}/${key}`;
          if (typeof v !== 'string' || !v) throw usageError(`${flag}: ${at} must be a file path`);
          if (++files > MAX_POST_FILES) throw usageError(`${flag}: a post carries at most ${MAX_POST_FILES} pictures and videos`);
          const f = await bytesOf(v, key === 'video' ? 'video' : 'picture', flag, key === 'video' ? MEDIA_LIMITS.fileMaxBytes : MEDIA_LIMITS.imageMaxBytes, cwd, `at /${at}`);
          copy[key] = f.data;
          if (key === 'video' && copy.file_name === undefined) copy.file_name = f.fileName;
        }
        els.push(copy);
      }
      out.push(els);
    }
    return out;
  };
  if ('content' in post || 'title' in post) return { ...post, content: await readRows(post.content, '') };
  const out: Record<string, unknown> = {};
  for (const [lang, body] of Object.entries(post)) out[lang] = isObject(body) ? { ...body, content: await readRows(body.content, `${lang}/`) } : body;
  return out;
}

/** Exactly one kind, its files read: the content TestUser.send takes (a video's cover goes with --video only). */
export async function sendContentOf(spec: SendSpec, name: KindNamer, cwd: string | undefined, textHint: string): Promise<SendContent> {
  const given = SEND_KINDS.filter((k) => spec[k] !== undefined);
  if (given.length !== 1) {
    const all = SEND_KINDS.map(name).join(', ');
    throw usageError(given.length ? `give one kind of message, not ${given.map(name).join(' and ')}` : `say what to send: one of ${all}`, { hint: `${textHint}`, details: { kinds: SEND_KINDS.map(name) } });
  }
  if (spec.cover !== undefined && spec.video === undefined) throw usageError(`${name('cover')} goes with ${name('video')}`);
  const kind = given[0]!;
  switch (kind) {
    case 'image':
      return { image: (await bytesOf(spec.image!, 'picture', name('image'), MEDIA_LIMITS.imageMaxBytes, cwd)).data };
    case 'file':
      return { file: await bytesOf(spec.file!, 'file', name('file'), MEDIA_LIMITS.fileMaxBytes, cwd) };
    case 'audio':
      return { audio: await bytesOf(spec.audio!, 'voice message', name('audio'), MEDIA_LIMITS.fileMaxBytes, cwd) };
    case 'video': {
      const video = await bytesOf(spec.video!, 'video', name('video'), MEDIA_LIMITS.fileMaxBytes, cwd);
      const cover = spec.cover === undefined ? undefined : (await bytesOf(spec.cover, 'cover picture', name('cover'), MEDIA_LIMITS.imageMaxBytes, cwd)).data;
      return { media: { ...video, ...(cover ? { cover } : {}) } };
    }
    case 'post': {
      let post: unknown = spec.post;
      if (typeof post === 'string') {
        const { bytes } = await readUserFile(post, { what: 'post file', flag: name('post'), maxBytes: MAX_POST_BYTES, cwd });
        post = parseJsonWithPosition(bytes.toString('utf8'), post);
      }
      if (!isObject(post)) throw usageError(`${name('post')}: a post is an object: { "title": "…", "content": [[{ "tag": "text", "text": "…" }]] }`);
      return { post: await postFiles(post, name('post'), cwd) };
    }
    case 'sticker':
      return { sticker: spec.sticker! };
    case 'shareChat':
      return { shareChat: spec.shareChat! };
    case 'shareUser':
      return { shareUser: spec.shareUser! };
    case 'location':
      return { location: spec.location! };
    case 'todo':
      return { todo: spec.todo! };
    case 'mergeForward':
      return { mergeForward: spec.mergeForward! };
  }
}
