import { isObject } from '../card/inspect.js';
import type { EmulatorCore } from './core.js';
import type { PersonAct } from './person-acts.js';
import type { PersonActionStep, RecordedChatVerb, RecordedContent, RecordedFile, RecordedStep, RecordedUser } from './recording-steps.js';
import type { MessageRecord, RecordingRecord } from './store.js';

/**
 * The recorder's part for what a person does beyond text, clicks, menus and links: a message of
 * another type (post, image, file, audio, video, sticker, shared chat or person, location, task,
 * merged messages) becomes a `send` step holding what sends it again; reactions, reads, recalls and
 * chat actions (the core's `act` event) become steps of their own; a bot taking back its message
 * is an expectation.
 */

/** Bytes of one upload written into the generated test; larger ones are named for a file beside it. */
export const EMBED_FILE_BYTES = 64 * 1024;
/** Bytes one recording embeds in all; uploads past it are named for files beside the test too. */
export const EMBED_RECORDING_BYTES = 1024 * 1024;

type Push = (rec: RecordingRecord, step: RecordedStep) => void;

const parse = (s: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(s);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
};

export function listenPersonActions(
  core: EmulatorCore,
  active: () => RecordingRecord | null,
  push: Push,
  userOf: (openId: string) => RecordedUser,
): { took(m: MessageRecord): boolean; off(): void } {
  const embedded = new WeakMap<RecordingRecord, number>();

  const fileOf = (rec: RecordingRecord, key: unknown): RecordedFile => {
    const media = typeof key === 'string' ? core.media.get(key) : undefined;
    const bytes = media?.bytes ?? null;
    const size = bytes?.length ?? media?.size ?? 0;
    const used = embedded.get(rec) ?? 0;
    const fits = bytes !== null && size <= EMBED_FILE_BYTES && used + size <= EMBED_RECORDING_BYTES;
    if (fits) embedded.set(rec, used + size);
    return { recorded_file: true, name: media?.file_name ?? null, size, base64: fits ? bytes.toString('base64') : null };
  };

  /** The ids the post's `@_user_N` keys stand for: an app's id for a bot, else the person's open_id. */
  const mentioned = (m: MessageRecord): Map<string, string> => {
    const byKey = new Map<string, string>();
    for (const x of m.mentions ?? []) {
      const app = [...core.store.apps.values()].find((a) => a.bot_open_id === x.id);
      byKey.set(x.key, app?.app_id ?? x.id);
    }
    return byKey;
  };

  const postOf = (rec: RecordingRecord, m: MessageRecord, c: Record<string, unknown>): RecordedContent => {
    const ids = mentioned(m);
    const rows = Array.isArray(c.content) ? c.content : [];
    const content = rows.map((row) => (Array.isArray(row) ? row : []).map((el: unknown) => {
      if (!isObject(el)) return el;
      if (el.tag === 'at') return { tag: 'at', user_id: ids.get(String(el.user_id)) ?? String(el.user_id), ...(Array.isArray(el.style) && el.style.length ? { style: el.style } : {}) };
      if (el.tag === 'img') return { tag: 'img', image: fileOf(rec, el.image_key) };
      if (el.tag === 'media') return { tag: 'media', video: fileOf(rec, el.file_key), cover: fileOf(rec, el.image_key) };
      const out = { ...el };
      if (Array.isArray(out.style) && !out.style.length) delete out.style;
      return out;
    }));
    return { post: { title: typeof c.title === 'string' ? c.title : '', content } };
  };

  /** The messages a merge_forward copied, found by what a copy keeps of its source. */
  const sourcesOf = (m: MessageRecord): Array<string | null> =>
    core.store.mergedCopies(m).map((copy) => {
      const content = copy.versions[0]?.content;
      for (const x of core.store.messages.values()) {
        if (x !== m && x.chat_id === copy.chat_id && x.create_time === copy.create_time && x.sender_open_id === copy.sender_open_id && x.app_id === copy.app_id && x.versions[x.versions.length - 1]?.content === content) return x.message_id;
      }
      return null;
    });

  const contentOf = (rec: RecordingRecord, m: MessageRecord): RecordedContent | null => {
    const c = parse(m.versions[0]?.content ?? '');
    const num = (v: unknown) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
    switch (m.msg_type) {
      case 'post':
        return postOf(rec, m, c);
      case 'image':
        return { image: fileOf(rec, c.image_key) };
      case 'file':
        return { file: { ...fileOf(rec, c.file_key), name: typeof c.file_name === 'string' ? c.file_name : null } };
      case 'audio':
        return { audio: fileOf(rec, c.file_key), duration: num(c.duration) };
      case 'media':
        return { media: { ...fileOf(rec, c.file_key), name: typeof c.file_name === 'string' ? c.file_name : null }, cover: c.image_key ? fileOf(rec, c.image_key) : null, duration: num(c.duration) };
      case 'sticker':
        return { sticker: String(c.file_key ?? '') };
      case 'share_chat':
        return { shareChat: String(c.chat_id ?? '') };
      case 'share_user':
        return { shareUser: String(c.user_id ?? '') };
      case 'location':
        return { location: { name: String(c.name ?? ''), longitude: String(c.longitude ?? ''), latitude: String(c.latitude ?? '') } };
      case 'todo': {
        const summary = isObject(c.summary) && Array.isArray(c.summary.content)
          ? c.summary.content.flat().map((el: unknown) => (isObject(el) && typeof el.text === 'string' ? el.text : '')).join('')
          : '';
        const due = num(c.due_time);
        return { todo: { summary, ...(due === null ? {} : { dueTime: due }) } };
      }
      case 'merge_forward':
        return { mergeForward: sourcesOf(m) };
      default:
        return null;
    }
  };

  const onAct = (act: PersonAct) => {
    const rec = active();
    if (!rec) return;
    const at = core.now();
    for (const step of stepsOf(core, act, at, userOf)) push(rec, step);
  };
  const onUpdate = (m: MessageRecord) => {
    const rec = active();
    if (rec && m.deleted && !m.sender_open_id) push(rec, { kind: 'recalled', at: m.update_time, message_id: m.message_id });
  };
  core.events.on('act', onAct);
  core.events.on('update', onUpdate);
  return {
    took(m) {
      if (!m.sender_open_id || m.msg_type === 'text' || core.store.pastedLinks.has(m.message_id)) return false;
      const rec = active();
      if (!rec) return true;
      const content = contentOf(rec, m);
      if (!content) return false;
      const chat = core.store.chats.get(m.chat_id);
      const p2p = chat?.chat_mode !== 'group';
      push(rec, { kind: 'send', at: m.create_time, message_id: m.message_id, user: userOf(m.sender_open_id), chat: { id: m.chat_id, mode: p2p ? 'p2p' : 'group' }, app_id: p2p ? ([...(chat?.bots ?? [])][0] ?? null) : null, msg_type: m.msg_type, content });
      return true;
    },
    off() {
      core.events.off('act', onAct);
      core.events.off('update', onUpdate);
    },
  };
}

/** A person's act as the steps that do it again (one, or none for a recall of a bot's message). */
function stepsOf(core: EmulatorCore, act: PersonAct, at: number, userOf: (openId: string) => RecordedUser): PersonActionStep[] {
  const chat = (verb: RecordedChatVerb, chatId: string, rest: Partial<Extract<PersonActionStep, { kind: 'chat' }>> = {}): PersonActionStep[] => [
    { kind: 'chat', at, user: userOf('open_id' in act ? act.open_id : ''), verb, chat_id: chatId, ...rest },
  ];
  switch (act.kind) {
    case 'react':
    case 'unreact':
      return [{ kind: act.kind, at, user: userOf(act.open_id), message_id: act.message_id, emoji_type: act.emoji_type }];
    case 'read':
      return [{ kind: 'read', at, user: userOf(act.open_id), message_id: act.message_id }];
    case 'recall': {
      const sender = core.store.messages.get(act.message_id)?.sender_open_id;
      // A bot's message taken back is the bot's doing: the `update` it causes records it.
      return sender ? [{ kind: 'recall', at, user: userOf(sender), message_id: act.message_id }] : [];
    }
    case 'createGroup':
      return chat('createGroup', act.chat_id, { name: act.name, bots: act.bots, members: act.users.map(userOf) });
    case 'addMembers':
      // The library adds people in one call and bots one at a time; a mixed add is split that way.
      return [...(act.users.length ? chat('addMember', act.chat_id, { members: act.users.map(userOf) }) : []), ...act.bots.flatMap((b) => chat('addBot', act.chat_id, { bots: [b] }))];
    case 'removeMember':
      if (core.store.apps.has(act.member_id)) return chat('removeBot', act.chat_id, { bots: [act.member_id] });
      if (act.member_id === act.open_id) return chat('leave', act.chat_id);
      return chat('removeMember', act.chat_id, { members: [userOf(act.member_id)] });
    case 'withdraw':
      return chat('withdraw', act.chat_id, { members: act.users.map(userOf) });
    case 'editChat':
      return chat('renameChat', act.chat_id, { name: act.name, ...(act.description !== undefined ? { description: act.description } : {}) });
    case 'disband':
      return chat('disband', act.chat_id);
    case 'openChat':
      return chat('openChat', act.chat_id, { bots: [act.app_id] });
  }
}
