import { randomBytes, randomUUID } from 'node:crypto';
import type { UserIds } from '../callback/events.js';
import { stableId } from '../callback/seeded-ids.js';
import { isObject } from '../card/inspect.js';
import { MEDIA_LIMITS, type MediaStore } from './media.js';
import { isMp4, isOggOpus, mp4DurationMs, oggOpusDurationMs, plainVideoCover } from './media-sniff.js';
import { peekExtra } from './message-extras.js';
import { mergedCopiesOf, MERGED_CONTENT, NOT_FORWARDABLE } from './routes/forward.js';
import { sniffImage } from './routes/media.js';
import type { AppRecord, ChatRecord, MessageRecord, Store, UserRecord } from './store.js';
import { fieldViolation } from './validate.js';

/**
 * What a person sends, as the platform stores it and tells bots of it: the control API's body
 * (one content field) is checked whole first, naming the field of anything wrong by its JSON path,
 * and only then are its uploads stored, so a refused message leaves nothing behind.
 */

/** The content fields of `POST /_emulator/users/:open_id/messages`: exactly one per message. */
export const CONTENT_FIELDS = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'merge_forward', 'share_chat', 'share_user', 'location', 'todo'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

/** The largest text, and the largest stored post, a person may send (the text message bound). */
export const MAX_TEXT = 150 * 1024;
const MAX_POST_ROWS = 500;
const MAX_POST_ELEMENTS = 5000;
/** Pictures and videos uploaded inside one post. */
const MAX_POST_UPLOADS = 20;
const MAX_MERGE = 100;
const MAX_NAME = 255;
const MAX_TODO = 3000;
const MAX_DURATION_MS = 24 * 3600 * 1000;
/** A video and its cover, base64 (4/3 of the bytes), and room for the rest of the body. */
export const PERSON_MESSAGE_MAX_BODY = Math.ceil(((MEDIA_LIMITS.fileMaxBytes + MEDIA_LIMITS.imageMaxBytes) * 4) / 3) + 1024 * 1024;

const TEXT_STYLES = new Set(['bold', 'underline', 'lineThrough', 'italic']);
const POST_TAGS = 'text, a, at, img, media, emotion, hr and code_block';

export interface Mention {
  key: string;
  id: string;
  id_type: 'open_id';
  name: string;
  /** The app, when a bot was @mentioned. */
  app: AppRecord | null;
  ids: UserIds;
}

/** A checked message, ready to store. */
export interface PersonMessage {
  msgType: string;
  mentions: Mention[];
  /** The copies a merge_forward carries. */
  merged: MessageRecord[] | null;
  /** Stores the uploads the message carries and answers its content; nothing in it can fail. */
  commit(media: MediaStore, now: number): string;
}

export const userIds = (u: UserRecord): UserIds => ({ open_id: u.open_id, union_id: u.union_id, user_id: u.user_id });
export const botIds = (a: AppRecord): UserIds => ({ open_id: a.bot_open_id, union_id: stableId('on_', `bot:${a.app_id}`), user_id: '' });

/** An upload checked and held until the message is stored. */
interface Staged {
  kind: 'image' | 'file';
  type: string;
  format: string;
  file_name: string | null;
  width: number | null;
  height: number | null;
  bytes: Buffer;
}

const put = (media: MediaStore, s: Staged, now: number): string => media.add({ ...s, app_id: '', created_at: now }).key;

function objectAt(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) throw fieldViolation(path, `${path} must be a JSON object`);
  return v;
}

function stringAt(v: unknown, path: string, opts: { max: number; required?: boolean }): string | null {
  if (v === undefined || v === null) {
    if (opts.required) throw fieldViolation(path, `${path} is required`);
    return null;
  }
  if (typeof v !== 'string') throw fieldViolation(path, `${path} must be a string`, typeof v);
  if (opts.required && !v.trim()) throw fieldViolation(path, `${path} must not be empty`);
  if (v.length > opts.max) throw fieldViolation(path, `${path} is longer than ${opts.max} characters`, v.length);
  return v;
}

/** Base64 bytes (a `data:…;base64,` URL as a browser reads a file is taken too), within `limit`. */
function bytesAt(v: unknown, path: string, limit: number): Buffer {
  if (typeof v !== 'string' || !v) throw fieldViolation(path, `${path} is required: the bytes, base64`);
  const b64 = v.startsWith('data:') ? v.slice(v.indexOf(',') + 1) : v;
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(b64)) throw fieldViolation(path, `${path} is not base64`);
  // Counted in place: a body of millions of line breaks must not become an array of millions of matches.
  let filler = 0;
  for (let i = 0; i < b64.length; i++) {
    const c = b64.charCodeAt(i);
    if (c === 10 || c === 13 || c === 61) filler++;
  }
  const size = Math.floor((b64.length - filler) * 0.75);
  if (size > limit) throw fieldViolation(path, `${path} is ${size} bytes, at most ${limit}`, size);
  const bytes = Buffer.from(b64, 'base64');
  if (!bytes.length) throw fieldViolation(path, `${path} is empty`);
  return bytes;
}

function fileNameAt(v: unknown, path: string, required: boolean): string | null {
  const name = stringAt(v, path, { max: MAX_NAME, required });
  if (name === null || name === '') return null;
  // The name is shown and sent back in download headers: no control characters, no folders.
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) throw fieldViolation(path, `${path} must be a plain file name (no folders or control characters)`, name);
  return name;
}

/** Milliseconds: a whole number, or its digits as a string. */
function msAt(v: unknown, path: string, max: number): number | null {
  if (v === undefined || v === null) return null;
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw fieldViolation(path, `${path} must be a whole number of milliseconds from 0 to ${max}`, String(v));
  return n;
}

/** A length read from a file's headers, kept only when believable: the headers are the sender's to forge. */
const believable = (ms: number | null): number | null => (ms !== null && Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : null);

async function imageAt(v: unknown, path: string): Promise<Staged> {
  const o = objectAt(v, path);
  const bytes = bytesAt(o.data, `${path}.data`, MEDIA_LIMITS.imageMaxBytes);
  const sniffed = await sniffImage(bytes);
  if (!sniffed) throw fieldViolation(`${path}.data`, `${path}.data is not an image the platform reads (png, jpg, gif, webp…)`);
  return { kind: 'image', type: 'message', format: sniffed.type, file_name: fileNameAt(o.file_name, `${path}.file_name`, false), width: sniffed.width, height: sniffed.height, bytes };
}

/** A video (MP4) with its cover: the one given, else a plain one (the platform takes a frame). */
async function videoAt(o: Record<string, unknown>, path: string): Promise<{ video: Staged; cover: Staged; duration: number; fileName: string }> {
  const bytes = bytesAt(o.data, `${path}.data`, MEDIA_LIMITS.fileMaxBytes);
  if (!isMp4(bytes)) throw fieldViolation(`${path}.data`, `${path}.data is not an MP4 video (the platform's video messages are mp4)`);
  const fileName = fileNameAt(o.file_name, `${path}.file_name`, true)!;
  const duration = msAt(o.duration, `${path}.duration`, MAX_DURATION_MS) ?? believable(mp4DurationMs(bytes));
  if (duration === null) throw fieldViolation(`${path}.duration`, `give ${path}.duration (ms): the video's movie header does not say how long it is (or says more than ${MAX_DURATION_MS / 3600_000} hours)`);
  let cover: Staged;
  if (o.cover !== undefined && o.cover !== null) cover = await imageAt(o.cover, `${path}.cover`);
  else {
    const plain = plainVideoCover();
    cover = { kind: 'image', type: 'message', format: 'png', file_name: null, width: plain.width, height: plain.height, bytes: plain.bytes };
  }
  return { video: { kind: 'file', type: 'mp4', format: 'mp4', file_name: fileName, width: null, height: null, bytes }, cover, duration, fileName };
}

/** Who an @ names: an app (app_id or its bot's open_id) or a person (open_id or user_id). */
export function mentionOf(store: Store, id: string, key: string, path: string): Mention {
  const app = store.apps.get(id) ?? [...store.apps.values()].find((a) => a.bot_open_id === id);
  if (app) return { key, id: app.bot_open_id, id_type: 'open_id', name: app.name, app, ids: botIds(app) };
  const u = store.findUser('open_id', id) ?? store.findUser('user_id', id);
  if (!u) throw fieldViolation(path, `${id} is neither an app nor a user`, id);
  return { key, id: u.open_id, id_type: 'open_id', name: u.name, app: null, ids: userIds(u) };
}

export interface PersonMessageBody {
  text?: string;
  mentions?: string[];
  mention_bot?: boolean;
  [field: string]: unknown;
}

/** Checks the body against the chat and the sender; throws a field violation for anything wrong. */
export async function readPersonMessage(store: Store, chat: ChatRecord, user: UserRecord, body: PersonMessageBody): Promise<PersonMessage> {
  const given = CONTENT_FIELDS.filter((f) => body[f] !== undefined && body[f] !== null);
  if (given.length !== 1) {
    throw fieldViolation(given[1] ?? 'text', `give exactly one of ${CONTENT_FIELDS.join(', ')}${given.length ? ` (given: ${given.join(', ')})` : ''}`);
  }
  const field = given[0]!;
  const botsToMention = body.mention_bot && chat.chat_mode === 'group' ? [...chat.bots] : [];
  if (field !== 'text' && body.mentions?.length) {
    throw fieldViolation('mentions', field === 'post' ? 'a post @mentions with its at elements ({"tag":"at","user_id":…})' : `mentions go with text or post: a ${field} message cannot @mention`);
  }
  if (field !== 'text' && field !== 'post' && botsToMention.length) throw fieldViolation('mention_bot', `mention_bot goes with text or post: a ${field} message cannot @mention`);
  const plain = (msgType: string, content: Record<string, unknown>): PersonMessage => ({ msgType, mentions: [], merged: null, commit: () => JSON.stringify(content) });
  const v = body[field];
  switch (field) {
    case 'text': {
      let text = body.text!;
      const ids = [...(body.mentions ?? []), ...botsToMention.filter((b) => !body.mentions?.includes(b))];
      const mentions = ids.map((id, i) => mentionOf(store, id, `@_user_${i + 1}`, 'mentions'));
      for (const m of mentions) if (!text.includes(m.key)) text = `${m.key} ${text}`;
      return { msgType: 'text', mentions, merged: null, commit: () => JSON.stringify({ text }) };
    }
    case 'post':
      return readPost(store, v, botsToMention);
    case 'image': {
      const staged = await imageAt(v, 'image');
      return { msgType: 'image', mentions: [], merged: null, commit: (media, now) => JSON.stringify({ image_key: put(media, staged, now) }) };
    }
    case 'file': {
      const o = objectAt(v, 'file');
      const bytes = bytesAt(o.data, 'file.data', MEDIA_LIMITS.fileMaxBytes);
      const fileName = fileNameAt(o.file_name, 'file.file_name', true)!;
      const staged: Staged = { kind: 'file', type: 'stream', format: 'stream', file_name: fileName, width: null, height: null, bytes };
      return { msgType: 'file', mentions: [], merged: null, commit: (media, now) => JSON.stringify({ file_key: put(media, staged, now), file_name: fileName }) };
    }
    case 'audio': {
      const o = objectAt(v, 'audio');
      const bytes = bytesAt(o.data, 'audio.data', MEDIA_LIMITS.fileMaxBytes);
      if (!isOggOpus(bytes)) throw fieldViolation('audio.data', "audio.data is not Ogg Opus audio (the platform's voice messages are opus)");
      const fileName = fileNameAt(o.file_name, 'audio.file_name', false);
      const duration = msAt(o.duration, 'audio.duration', MAX_DURATION_MS) ?? believable(oggOpusDurationMs(bytes));
      if (duration === null) throw fieldViolation('audio.duration', `give audio.duration (ms): the Ogg pages do not say how long it is (or say more than ${MAX_DURATION_MS / 3600_000} hours)`);
      const staged: Staged = { kind: 'file', type: 'opus', format: 'opus', file_name: fileName, width: null, height: null, bytes };
      return { msgType: 'audio', mentions: [], merged: null, commit: (media, now) => JSON.stringify({ file_key: put(media, staged, now), duration }) };
    }
    case 'media': {
      const { video, cover, duration, fileName } = await videoAt(objectAt(v, 'media'), 'media');
      return {
        msgType: 'media',
        mentions: [],
        merged: null,
        commit: (media, now) => JSON.stringify({ file_key: put(media, video, now), image_key: put(media, cover, now), file_name: fileName, duration }),
      };
    }
    case 'sticker': {
      const o = objectAt(v, 'sticker');
      const given = stringAt(o.file_key, 'sticker.file_key', { max: 200 });
      if (given !== null && !/^[\w-]+$/.test(given)) throw fieldViolation('sticker.file_key', 'sticker.file_key must be a sticker key as a message carries it', given);
      // A sticker from the person's own collection when none is named; stickers cannot be downloaded, so no bytes are kept.
      const key = given || `file_v3_${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;
      return plain('sticker', { file_key: key });
    }
    case 'merge_forward':
      return readMergeForward(store, user, objectAt(v, 'merge_forward'));
    case 'share_chat': {
      const id = stringAt(objectAt(v, 'share_chat').chat_id, 'share_chat.chat_id', { max: 100, required: true })!;
      const shared = store.chats.get(id);
      if (!shared || shared.dissolved) throw fieldViolation('share_chat.chat_id', 'no such chat', id);
      if (shared.chat_mode !== 'group') throw fieldViolation('share_chat.chat_id', 'only a group can be shared as a card, not a one-to-one chat', id);
      if (!shared.members.has(user.open_id)) throw fieldViolation('share_chat.chat_id', `${user.name} is not a member of ${id}`, id);
      return plain('share_chat', { chat_id: id });
    }
    case 'share_user': {
      const id = stringAt(objectAt(v, 'share_user').open_id, 'share_user.open_id', { max: 100, required: true })!;
      const shared = store.findUser('open_id', id);
      if (!shared) throw fieldViolation('share_user.open_id', 'no such user', id);
      return plain('share_user', { user_id: shared.open_id });
    }
    case 'location': {
      const o = objectAt(v, 'location');
      const name = stringAt(o.name, 'location.name', { max: 500, required: true })!;
      return plain('location', { name, longitude: coordinate(o.longitude, 'location.longitude', 180), latitude: coordinate(o.latitude, 'location.latitude', 90) });
    }
    case 'todo': {
      const o = objectAt(v, 'todo');
      const summary = stringAt(o.summary, 'todo.summary', { max: MAX_TODO, required: true })!;
      const due = msAt(o.due_time, 'todo.due_time', 9_999_999_999_999);
      return plain('todo', {
        task_id: randomUUID(),
        summary: { title: '', content: [[{ tag: 'text', text: summary }]] },
        ...(due === null ? {} : { due_time: String(due) }),
      });
    }
  }
}

/** Degrees as the platform writes them (a string); a number or a numeric string is taken. */
function coordinate(v: unknown, path: string, bound: number): string {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : null;
  const n = text !== null && /^-?\d{1,3}(\.\d{1,15})?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > bound) throw fieldViolation(path, `${path} must be a number of degrees from -${bound} to ${bound}`, v === undefined ? undefined : String(v));
  return text!;
}

function readMergeForward(store: Store, user: UserRecord, o: Record<string, unknown>): PersonMessage {
  const ids = o.message_ids;
  if (!Array.isArray(ids) || !ids.length) throw fieldViolation('merge_forward.message_ids', 'merge_forward.message_ids is required: the ids of the messages to merge');
  if (ids.length > MAX_MERGE) throw fieldViolation('merge_forward.message_ids', `at most ${MAX_MERGE} messages can be merged`, ids.length);
  const sources: MessageRecord[] = [];
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const path = `merge_forward.message_ids[${i}]`;
    if (typeof id !== 'string') throw fieldViolation(path, `${path} must be a message id`);
    if (seen.has(id)) return;
    seen.add(id);
    const m = store.messages.get(id);
    if (!m) throw fieldViolation(path, store.mergedChild(id) ? 'a message inside a merged message cannot be merged again' : 'no such message', id);
    if (m.deleted) throw fieldViolation(path, 'the message was recalled', id);
    if (NOT_FORWARDABLE.has(m.msg_type)) throw fieldViolation(path, `a ${m.msg_type} message cannot be forwarded`, id);
    if (!store.chats.get(m.chat_id)?.members.has(user.open_id)) throw fieldViolation(path, `${user.name} is not in the chat of this message`, id);
    if (sources.length && m.chat_id !== sources[0]!.chat_id) throw fieldViolation(path, 'the messages to merge must come from one chat', id);
    sources.push(m);
  });
  if (new Set(sources.map((m) => peekExtra(m).thread_id)).size > 1) throw fieldViolation('merge_forward.message_ids', 'the messages to merge must come from one thread, or none');
  sources.sort((a, b) => a.create_time - b.create_time);
  return { msgType: 'merge_forward', mentions: [], merged: mergedCopiesOf(sources), commit: () => MERGED_CONTENT };
}

/** The post's one language: `{title, content}` as given, or the first language of the per-language form. */
function postLanguage(v: unknown): { o: Record<string, unknown>; path: string } {
  const o = objectAt(v, 'post');
  if ('content' in o || 'title' in o) return { o, path: 'post' };
  const langs = Object.keys(o);
  if (!langs.length) throw fieldViolation('post.content', 'post.content is required: rows of elements ([[{"tag":"text","text":…}]])');
  const lang = langs[0]!;
  if (!/^[a-z]{2}_[a-z]{2}$/.test(lang)) throw fieldViolation(`post.${lang}`, `give {title, content} or per-language posts under keys like zh_cn and en_us, not ${lang}`);
  return { o: objectAt(o[lang], `post.${lang}`), path: `post.${lang}` };
}

function styleAt(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > TEXT_STYLES.size || !v.every((s) => typeof s === 'string' && TEXT_STYLES.has(s))) {
    throw fieldViolation(path, `${path} must be a list of ${[...TEXT_STYLES].join(', ')}`);
  }
  return [...new Set(v as string[])];
}

/**
 * A rich text post as received: one language, `at` elements pointing at `@_user_N` keys of the
 * event's mentions (in the order they first appear), pictures and videos by key.
 */
async function readPost(store: Store, v: unknown, botsToMention: string[]): Promise<PersonMessage> {
  const { o, path } = postLanguage(v);
  const title = stringAt(o.title, `${path}.title`, { max: MAX_TEXT }) ?? '';
  const rows = o.content;
  if (!Array.isArray(rows)) throw fieldViolation(`${path}.content`, `${path}.content must be rows of elements ([[{"tag":"text","text":…}]])`);
  if (rows.length > MAX_POST_ROWS) throw fieldViolation(`${path}.content`, `a post has at most ${MAX_POST_ROWS} rows`, rows.length);
  const fills: Array<(media: MediaStore, now: number) => void> = [];
  const ats: Array<{ out: Record<string, unknown>; mention: Mention }> = [];
  let elements = 0;
  const out: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw fieldViolation(`${path}.content[${i}]`, `${path}.content[${i}] must be a row: a list of elements`);
    const line: Array<Record<string, unknown>> = [];
    for (let j = 0; j < row.length; j++) {
      if (++elements > MAX_POST_ELEMENTS) throw fieldViolation(`${path}.content`, `a post has at most ${MAX_POST_ELEMENTS} elements`);
      const at = `${path}.content[${i}][${j}]`;
      const el = objectAt(row[j], at);
      line.push(await readPostElement(store, el, at, { fills, ats }));
    }
    out.push(line);
  }
  if (fills.length > MAX_POST_UPLOADS) throw fieldViolation(`${path}.content`, `a post carries at most ${MAX_POST_UPLOADS} uploaded pictures and videos`, fills.length);
  // The testing library's shorthand: the chat's bots @mentioned at the start of the post.
  const named = new Set(ats.map((a) => a.mention.id));
  const leading = botsToMention.map((id) => mentionOf(store, id, '', 'mention_bot')).filter((m) => !named.has(m.id));
  if (leading.length) {
    const first = leading.map((mention) => {
      const el: Record<string, unknown> = { tag: 'at', user_id: '', user_name: mention.name, style: [] };
      ats.unshift({ out: el, mention });
      return el;
    });
    if (out.length) out[0]!.unshift(...first);
    else out.push(first);
  }
  // Keys in the order the people first appear; an @ of someone already named reuses their key.
  const mentions: Mention[] = [];
  const keyOf = new Map<string, string>();
  for (const a of ordered(out, ats)) {
    let key = keyOf.get(a.mention.id);
    if (!key) {
      key = `@_user_${keyOf.size + 1}`;
      keyOf.set(a.mention.id, key);
      mentions.push({ ...a.mention, key });
    }
    a.out.user_id = key;
  }
  const post = { title, content: out };
  // Keys are filled in on commit; the bound counts them at their longest.
  if (JSON.stringify(post).length + fills.length * 2 * 48 > MAX_TEXT) throw fieldViolation(`${path}.content`, `the post is longer than ${MAX_TEXT} characters`);
  return {
    msgType: 'post',
    mentions,
    merged: null,
    commit(media, now) {
      for (const fill of fills) fill(media, now);
      return JSON.stringify(post);
    },
  };
}

/** The `at` elements in the order they stand in the post. */
function ordered(rows: Array<Array<Record<string, unknown>>>, ats: Array<{ out: Record<string, unknown>; mention: Mention }>) {
  const byElement = new Map(ats.map((a) => [a.out, a]));
  return rows.flat().flatMap((el) => byElement.get(el) ?? []);
}

async function readPostElement(
  store: Store,
  el: Record<string, unknown>,
  at: string,
  acc: { fills: Array<(media: MediaStore, now: number) => void>; ats: Array<{ out: Record<string, unknown>; mention: Mention }> },
): Promise<Record<string, unknown>> {
  const tag = el.tag;
  if (typeof tag !== 'string' || !tag) throw fieldViolation(`${at}.tag`, `${at}.tag is required: one of ${POST_TAGS}`);
  switch (tag) {
    case 'text': {
      const text = stringAt(el.text, `${at}.text`, { max: MAX_TEXT, required: true })!;
      const out: Record<string, unknown> = { tag, text, style: styleAt(el.style, `${at}.style`) };
      if (el.un_escape === true) out.un_escape = true;
      return out;
    }
    case 'a': {
      const href = stringAt(el.href, `${at}.href`, { max: 4096, required: true })!;
      if (!/^(https?:\/\/|mailto:)\S+$/i.test(href)) throw fieldViolation(`${at}.href`, `${at}.href must be an http(s) or mailto link`, href);
      return { tag, href, text: stringAt(el.text, `${at}.text`, { max: MAX_TEXT }) || href, style: styleAt(el.style, `${at}.style`) };
    }
    case 'at': {
      const idPath = el.user_id !== undefined ? `${at}.user_id` : `${at}.open_id`;
      const id = stringAt(el.user_id ?? el.open_id, idPath, { max: 100, required: true })!;
      if (id === 'all') throw fieldViolation(idPath, '@all is not emulated: @mention the bot or people by id');
      const mention = mentionOf(store, id, '', idPath);
      const out: Record<string, unknown> = { tag, user_id: '', user_name: mention.name, style: styleAt(el.style, `${at}.style`) };
      acc.ats.push({ out, mention });
      return out;
    }
    case 'img': {
      if (el.image_key !== undefined) {
        const key = stringAt(el.image_key, `${at}.image_key`, { max: 200, required: true })!;
        if (store.media.get(key)?.kind !== 'image') throw fieldViolation(`${at}.image_key`, 'no such image: give an image_key the emulator holds, or the picture as data (base64)', key);
        return { tag, image_key: key };
      }
      const staged = await imageAt(el, at);
      const out: Record<string, unknown> = { tag, image_key: '' };
      acc.fills.push((media, now) => (out.image_key = put(media, staged, now)));
      return out;
    }
    case 'media': {
      if (el.file_key !== undefined) {
        const fileKey = stringAt(el.file_key, `${at}.file_key`, { max: 200, required: true })!;
        const imageKey = stringAt(el.image_key, `${at}.image_key`, { max: 200, required: true })!;
        if (store.media.get(fileKey)?.kind !== 'file') throw fieldViolation(`${at}.file_key`, 'no such file: give a file_key the emulator holds, or the video as data (base64)', fileKey);
        if (store.media.get(imageKey)?.kind !== 'image') throw fieldViolation(`${at}.image_key`, 'no such image', imageKey);
        return { tag, file_key: fileKey, image_key: imageKey };
      }
      const { video, cover } = await videoAt(el, at);
      const out: Record<string, unknown> = { tag, file_key: '', image_key: '' };
      acc.fills.push((media, now) => {
        out.file_key = put(media, video, now);
        out.image_key = put(media, cover, now);
      });
      return out;
    }
    case 'emotion': {
      const emoji = stringAt(el.emoji_type, `${at}.emoji_type`, { max: 64, required: true })!;
      if (!store.isEmojiType(emoji)) throw fieldViolation(`${at}.emoji_type`, `${emoji} is not an emoji_type the platform knows (SMILE, THUMBSUP…)`, emoji);
      return { tag, emoji_type: emoji };
    }
    case 'hr':
      return { tag };
    case 'code_block': {
      const language = stringAt(el.language, `${at}.language`, { max: 32 }) ?? '';
      return { tag, language: language.toUpperCase(), text: stringAt(el.text, `${at}.text`, { max: MAX_TEXT, required: true })! };
    }
    case 'md':
      throw fieldViolation(`${at}.tag`, `md is a tag bots send; a person's post holds ${POST_TAGS}`, tag);
    default:
      throw fieldViolation(`${at}.tag`, `${at}.tag must be one of ${POST_TAGS}`, tag);
  }
}
