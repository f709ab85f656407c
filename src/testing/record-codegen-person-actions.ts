import type { PersonActionStep, RecordedContent, RecordedFile, RecordedUser } from '../emulator/recording-steps.js';

/**
 * The test lines for what a person did beyond text, clicks, menus and links (src/emulator/
 * recording-person-actions.ts): `send` with the message's content, `react`, `unreact`, `read`,
 * `recall` and the chat actions, each as the TestUser call that does it again. Messages and chats
 * made during the recording are named by the variables the test got them from; uploads small
 * enough are written in as base64, larger ones are read from a file beside the test.
 */

export interface PersonActionCode {
  /** A value as a JavaScript literal; `special` writes the values it knows (uploads) as code. */
  lit: (v: unknown, special?: (v: unknown) => string | null) => string;
  /** The variable for a person, declared on first use. */
  person: (u: RecordedUser) => string;
  /** The variable a message was got into, or null when the test has none (made before the recording). */
  messageVar: (id: string) => string | null;
  /** Declares a variable for a message the next statement gets (when later steps name it), else null. */
  newMessageVar: (id: string) => string | null;
  /** A new variable for a chat the next statement makes. */
  newChatVar: (id: string) => string;
  /** What the library takes as the chat: its variable (made in the recording) or its id. */
  chatRef: (id: string) => string;
  /** The chat's id as code: `chat1.chatId` or the id. */
  chatId: (id: string) => string;
  /** The app the test's `emu.app()` names, left out of calls. */
  defaultApp: string;
  /** Set when a statement reads an upload from a file beside the test (the file then imports readFileSync). */
  readsFiles: boolean;
  /** `!` in TypeScript, where a value is known to be there. */
  bang: string;
}

const isFile = (v: unknown): v is RecordedFile => typeof v === 'object' && v !== null && (v as RecordedFile).recorded_file === true;

/** A file name safe to stand beside the test: letters, digits, dot, dash and underscore, no leading dot, bounded. */
export function besideName(name: string | null, n: number): string {
  const safe = (name ?? '').replace(/[^\w.-]/g, '_').replace(/^[.]+/, '').slice(-100);
  return safe && safe !== '.' ? safe : `upload-${n}.bin`;
}

function sendLines(step: Extract<PersonActionStep, { kind: 'send' }>, who: string, c: PersonActionCode): string[] {
  const notes: string[] = [];
  let uploads = 0;
  const file = (f: RecordedFile) => {
    uploads++;
    if (f.base64 !== null) return `Buffer.from(${JSON.stringify(f.base64)}, "base64")`;
    const name = besideName(f.name, uploads);
    c.readsFiles = true;
    notes.push(`// ${name} (${f.size} bytes) is larger than the recorder writes into a test: put the file next to this test as ${name}.`);
    return `readFileSync(new URL(${JSON.stringify(`./${name}`)}, import.meta.url))`;
  };
  const code = (v: unknown) => c.lit(v, (x) => (isFile(x) ? file(x) : null));
  const content: RecordedContent = step.content;
  let body: string;
  if ('post' in content) body = `{ post: ${code(content.post)} }`;
  else if ('image' in content) body = `{ image: ${file(content.image)} }`;
  else if ('file' in content) body = `{ file: { data: ${file(content.file)}, fileName: ${c.lit(content.file.name ?? 'file')} } }`;
  else if ('audio' in content) {
    body = `{ audio: { data: ${file(content.audio)}${content.audio.name ? `, fileName: ${c.lit(content.audio.name)}` : ''}${content.duration !== null ? `, duration: ${content.duration}` : ''} } }`;
  } else if ('media' in content) {
    const parts = [`data: ${file(content.media)}`, `fileName: ${c.lit(content.media.name ?? 'video.mp4')}`];
    if (content.duration !== null) parts.push(`duration: ${content.duration}`);
    if (content.cover) parts.push(`cover: ${file(content.cover)}`);
    body = `{ media: { ${parts.join(', ')} } }`;
  } else if ('sticker' in content) body = `{ sticker: ${c.lit(content.sticker)} }`;
  else if ('shareChat' in content) body = `{ shareChat: ${c.chatId(content.shareChat)} }`;
  else if ('shareUser' in content) body = `{ shareUser: ${c.lit(content.shareUser)} }`;
  else if ('location' in content) body = `{ location: ${c.lit(content.location)} }`;
  else if ('todo' in content) body = `{ todo: ${c.lit(content.todo)} }`;
  else {
    const vars = content.mergeForward.map((id) => (id === null ? null : c.messageVar(id)));
    if (vars.some((v) => v === null)) return [`// ${who} merged messages sent before the recording began (or since gone) into one: left out.`];
    body = `{ mergeForward: [${vars.join(', ')}] }`;
  }
  const p2p = step.chat.mode === 'p2p';
  const opts = p2p && step.app_id && step.app_id !== c.defaultApp ? `, app: ${c.lit(step.app_id)} }` : ' }';
  const call = `${who}.send(${p2p ? c.lit('p2p') : c.chatId(step.chat.id)}, ${body.replace(/ }$/, opts)})`;
  const v = c.newMessageVar(step.message_id);
  return [...notes, v ? `const ${v} = await ${call};` : `await ${call};`];
}

const people = (c: PersonActionCode, us: RecordedUser[] | undefined) => (us ?? []).map((u) => u.email ?? u.open_id);

/** The lines for one step. */
export function personActionLines(step: PersonActionStep, c: PersonActionCode): string[] {
  if (step.kind === 'recalled') {
    const v = c.messageVar(step.message_id);
    return v ? [`await expect.poll(() => emu.message(${v}.messageId).recalled).toBe(true);`] : [];
  }
  const who = c.person(step.user);
  switch (step.kind) {
    case 'send':
      return sendLines(step, who, c);
    case 'react':
    case 'unreact':
    case 'read':
    case 'recall': {
      const v = c.messageVar(step.message_id);
      const emoji = 'emoji_type' in step ? step.emoji_type : null;
      if (!v) return [`// ${who} ${emoji === null ? (step.kind === 'read' ? 'read' : 'recalled') : `${step.kind}ed with ${c.lit(emoji)}`} a message from before the recording began: left out.`];
      return [`await ${who}.${step.kind}(${v}${emoji === null ? '' : `, ${c.lit(emoji)}`});`];
    }
    case 'chat': {
      const app = step.bots?.[0];
      const appArg = app && app !== c.defaultApp ? c.lit(app) : null;
      const members = people(c, step.members);
      const list = members.length === 1 ? c.lit(members[0]) : c.lit(members);
      switch (step.verb) {
        case 'createGroup': {
          const opts: string[] = [];
          if (step.bots?.length) opts.push(`bots: ${c.lit(step.bots)}`);
          if (members.length) opts.push(`members: ${c.lit(members)}`);
          return [`const ${c.newChatVar(step.chat_id)} = await ${who}.createGroup(${c.lit(step.name ?? '')}${opts.length ? `, { ${opts.join(', ')} }` : ''});`];
        }
        case 'addBot':
        case 'removeBot':
          return [`await ${who}.${step.verb}(${c.chatRef(step.chat_id)}${appArg ? `, ${appArg}` : ''});`];
        case 'openChat':
          return [`await ${who}.openChat(${appArg ?? ''});`];
        case 'addMember':
        case 'withdraw':
        case 'removeMember':
          return [`await ${who}.${step.verb}(${c.chatRef(step.chat_id)}, ${list});`];
        case 'renameChat':
          return [`await ${who}.renameChat(${c.chatRef(step.chat_id)}, ${c.lit(step.name ?? '')}${step.description !== undefined ? `, ${c.lit(step.description)}` : ''});`];
        case 'leave':
        case 'disband':
          return [`await ${who}.${step.verb}(${c.chatRef(step.chat_id)});`];
      }
    }
  }
}

/** The messages later steps name (reacted to, read, recalled, merged), so the steps that get them keep them in a variable. */
export function namedMessages(steps: ReadonlyArray<{ kind: string }>): Set<string> {
  const ids = new Set<string>();
  for (const s of steps as PersonActionStep[]) {
    if (s.kind === 'react' || s.kind === 'unreact' || s.kind === 'read' || s.kind === 'recall' || s.kind === 'recalled') ids.add(s.message_id);
    if (s.kind === 'send' && 'mergeForward' in s.content) for (const id of s.content.mergeForward) if (id) ids.add(id);
  }
  return ids;
}
