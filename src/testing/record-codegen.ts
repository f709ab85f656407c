import type { RecordedCall, RecordedStep, RecordedUser } from '../emulator/recordings.js';
import type { RecordingRecord } from '../emulator/store.js';
import { menuLinkLines } from './record-codegen-menu-links.js';
import { namedMessages, personActionLines, type PersonActionCode } from './record-codegen-person-actions.js';

/**
 * A recorded session (src/emulator/recordings.ts) as a vitest file on `feishu-card-cli/testing`:
 * the same person does the same things, and the test expects what was seen then (the bot's
 * messages read as `cardAsText` reads them, toasts, card changes). Every string in the file that
 * came from a card, a person or the seed is a JSON literal: card text is untrusted.
 */

export interface RecordedTestOptions {
  /** Emit TypeScript (types on the variables, `!` where the card is known to be there); else plain JavaScript. */
  typescript?: boolean;
  /**
   * A module whose default export starts the bot under test: `(emu) => Promise<{ close() }>`, calling
   * `emu.setCallbackUrl(...)` for a webhook bot. Without it the file holds a `startBot` to fill in.
   */
  setup?: string;
  /** The package the test imports (default `feishu-card-cli/testing`). */
  from?: string;
}

/**
 * A value as a JavaScript literal: strings through JSON.stringify (quotes, backslashes and line
 * breaks escaped, so no card text ends a string or a comment), object keys bare when they are
 * plain identifiers.
 */
function lit(v: unknown, special?: (v: unknown) => string | null): string {
  const own = special?.(v);
  if (own) return own;
  if (Array.isArray(v)) return `[${v.map((x) => lit(x, special)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${lit(x, special)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(v) ?? 'undefined';
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async of emu bot expect test beforeAll afterAll cardAsText startEmulator startBot firstLine m'.split(' '),
);

/** A variable name for a person: their email's local part or name in ASCII letters, else `userN`. */
function nameFor(u: RecordedUser, taken: Set<string>): string {
  const base = (u.email?.split('@')[0] ?? u.name).toLowerCase().replace(/[^a-z0-9]/g, '');
  // Not a name the test gives its messages, results, links and chats (m1, r1, link1, chat1).
  let name = /^[a-z][a-z0-9]{0,30}$/.test(base) && !RESERVED.has(base) && !/^(m|r|link|chat)\d+$/.test(base) ? base : 'user';
  if (taken.has(name) || name === 'user') {
    let n = 1;
    while (taken.has(`${name}${n}`)) n++;
    name = `${name}${n}`;
  }
  taken.add(name);
  return name;
}

function callText(call: RecordedCall, message: string): string {
  switch (call.verb) {
    case 'click':
      return `click(${message}, ${lit(call.target)})`;
    case 'choose':
      return `choose(${message}, ${lit(call.target)}, ${lit(call.option)})`;
    case 'pick':
      return `pick(${message}, ${lit(call.target)}, ${lit(call.value)})`;
    case 'type':
      return `type(${message}, ${lit(call.target)}, ${lit(call.text)})`;
    case 'submitForm':
      return `submitForm(${message}, ${lit(call.values)}${call.button ? `, { button: ${lit(call.button)} }` : ''})`;
  }
}

/** The body of the test: one statement (or a few) per step; `readsFiles` when an upload is read from beside the test. */
function testBody(rec: RecordingRecord, ts: boolean): { lines: string[]; readsFiles: boolean } {
  const bang = ts ? '!' : '';
  const out: string[] = [];
  const people = new Map<string, string>();
  const taken = new Set<string>();
  const messages = new Map<string, string>();
  let results = 0;
  const person = (u: RecordedUser) => {
    let v = people.get(u.open_id);
    if (!v) {
      v = nameFor(u, taken);
      people.set(u.open_id, v);
      out.push(`const ${v} = emu.user(${lit(u.email ?? u.open_id)});`);
    }
    return v;
  };
  const messageVar = (id: string) => {
    const known = messages.get(id);
    if (known) return known;
    const v = `m${messages.size + 1}`;
    messages.set(id, v);
    return v;
  };
  // ── h24-recorder ──
  // Messages later steps name, and chats made in the recording (replayed, they get new ids).
  const named = namedMessages(rec.steps);
  const chats = new Map<string, string>();
  const chatId = (id: string) => (chats.has(id) ? `${chats.get(id)}.chatId` : lit(id));
  const code: PersonActionCode = {
    lit,
    person,
    messageVar: (id) => messages.get(id) ?? null,
    newMessageVar: (id) => (named.has(id) ? messageVar(id) : null),
    newChatVar: (id) => {
      const v = `chat${chats.size + 1}`;
      chats.set(id, v);
      return v;
    },
    chatRef: (id) => chats.get(id) ?? lit(id),
    chatId,
    defaultApp: rec.transport.app_id,
    readsFiles: false,
    bang,
  };
  // Set by a person's step the test leaves out (it named a message from before the recording).
  let leftOut = false;
  for (const step of rec.steps) {
    if (step.kind !== 'message' && step.kind !== 'update' && step.kind !== 'recalled') leftOut = false;
    switch (step.kind) {
      case 'say': {
        const who = person(step.user);
        const opts: string[] = [];
        if (step.chat.mode === 'group' && step.mention) opts.push('mention: true');
        if (step.chat.mode === 'p2p' && step.app_id && step.app_id !== rec.transport.app_id) opts.push(`appId: ${lit(step.app_id)}`);
        const v = named.has(step.message_id) ? messageVar(step.message_id) : null;
        out.push(`${v ? `const ${v} = ` : ''}await ${who}.sendText(${step.chat.mode === 'p2p' ? lit('p2p') : chatId(step.chat.id)}, ${lit(step.text)}${opts.length ? `, { ${opts.join(', ')} }` : ''});`);
        break;
      }
      case 'message': {
        // What the bot sent in answer to a step the test leaves out will not come when it runs.
        if (leftOut) {
          out.push(`// (the bot answered it with a ${step.msg_type === 'interactive' ? 'card' : lit(step.msg_type)} message, left out with it)`);
          break;
        }
        const v = messageVar(step.message_id);
        if (step.first_line !== null) {
          out.push(`const ${v} = await emu.waitForMessage((m) => m.card !== null && firstLine(m.card) === ${lit(step.first_line)});`);
          out.push(`expect(cardAsText(${v}.card${bang})).toBe(${lit(step.text)});`);
        } else if (step.text !== null) {
          out.push(`const ${v} = await emu.waitForMessage((m) => m.msgType === ${lit(step.msg_type)});`);
          out.push(`expect(${v}.text).toBe(${lit(step.text)});`);
        } else {
          out.push(`const ${v} = await emu.waitForMessage((m) => m.msgType === ${lit(step.msg_type)});`);
        }
        break;
      }
      case 'update': {
        const v = messages.get(step.message_id);
        if (!v) {
          out.push('// A message sent before the recording began was updated here.');
          break;
        }
        if (step.text === null) break;
        out.push(step.first_line !== null
          ? `await expect.poll(() => cardAsText(emu.message(${v}.messageId).card${bang})).toBe(${lit(step.text)});`
          : `await expect.poll(() => emu.message(${v}.messageId).text).toBe(${lit(step.text)});`);
        break;
      }
      case 'click': {
        if (!messages.has(step.message_id)) {
          out.push('// This card was sent before the recording began: the bot must send it again for this test.');
          out.push(`const ${messageVar(step.message_id)} = await emu.waitForMessage((m) => m.card !== null);`);
        }
        const v = messages.get(step.message_id)!;
        const who = person(step.user);
        if (!step.call) {
          out.push(`// A ${lit(String(step.action.tag ?? 'click'))} here sent an action no element of the card names; it is left out.`);
          break;
        }
        const call = `${who}.${callText(step.call, `${v}.messageId`)}`;
        const a = step.answer;
        if (a && !a.ok && a.error) {
          out.push(`await expect(${call}).rejects.toThrow();`);
          break;
        }
        const r = `r${++results}`;
        out.push(`const ${r} = await ${call};`);
        if (!a) break;
        out.push(a.toast ? `expect(${r}.toast).toEqual(${lit(a.toast)});` : `expect(${r}.toast).toBeNull();`);
        if (!a.ok) out.push(`expect(${r}.problems).not.toEqual([]);`);
        if (a.applied && a.card_text !== null) out.push(`expect(cardAsText(${r}.card${bang})).toBe(${lit(a.card_text)});`);
        break;
      }
      // ── h24-menu-links ──
      case 'menu':
      case 'link':
        out.push(...menuLinkLines(step, person(step.user), step.kind === 'link' && step.previews ? `link${++results}` : '', lit, rec.transport.app_id, step.kind === 'link' ? chatId(step.chat.id) : ''));
        break;
      // ── h24-recorder ──
      case 'send':
      case 'react':
      case 'unreact':
      case 'read':
      case 'recall':
      case 'recalled':
      case 'chat': {
        const lines = personActionLines(step, code);
        out.push(...lines);
        if (step.kind !== 'recalled') leftOut = lines.length > 0 && lines.every((l) => l.startsWith('//'));
        break;
      }
    }
  }
  if (!rec.steps.length) out.push('// Nothing was recorded: write to the bot or click a card while recording.');
  if (rec.truncated) out.push('// The recording held its limit of steps: what came after was not kept.');
  return { lines: out, readsFiles: code.readsFiles };
}

/** The vitest file for a recording. */
export function recordedTest(rec: RecordingRecord, opts: RecordedTestOptions = {}): string {
  const ts = !!opts.typescript;
  const from = opts.from ?? 'feishu-card-cli/testing';
  const started = new Date(rec.started_at).toISOString();
  const steps: RecordedStep[] = rec.steps;
  const ws = rec.transport.mode === 'ws';
  const body = testBody(rec, ts);
  const lines = [
    `// Recorded in the card emulator's inbox ("Record a test" / card inbox record), ${started}: ${steps.length} step${steps.length === 1 ? '' : 's'}.`,
    '// What people did and what the bot answered, with what was seen then as the assertions.',
    '// Edit freely: it is an ordinary test on feishu-card-cli/testing.',
    ...(body.readsFiles ? [`import { readFileSync } from ${lit('node:fs')};`] : []),
    `import { afterAll, beforeAll, expect, test } from ${lit('vitest')};`,
    `import { cardAsText, startEmulator } from ${lit(from)};`,
  ];
  if (ts) lines.push(`import type { Card, TestEmulator } from ${lit(from)};`);
  if (opts.setup) lines.push(`import startBot from ${lit(opts.setup)};`);
  lines.push(
    '',
    ts ? 'let emu: TestEmulator;' : 'let emu;',
    ts ? 'let bot: { close(): unknown } | undefined;' : 'let bot;',
    'beforeAll(async () => {',
    `  emu = await startEmulator(${ws ? '{ longConnection: true }' : ''});${ws ? ' // the bot was reached over the long connection' : ''}`,
    '  bot = await startBot(emu);',
    '});',
    'afterAll(async () => {',
    '  await bot?.close();',
    '  await emu?.close();',
    '});',
    '',
    `test(${lit(`recorded session: ${steps.length} step${steps.length === 1 ? '' : 's'}`)}, async () => {`,
    ...body.lines.map((l) => `  ${l}`),
    '});',
    '',
    '/** The first line of a card as a person reads it (its title, when it has a header). */',
    ts ? 'function firstLine(card: Card): string {' : 'function firstLine(card) {',
    "  return cardAsText(card).split('\\n')[0] ?? '';",
    '}',
  );
  if (!opts.setup) {
    const where = ws
      ? '// When recorded, the bot was reached over the long connection: connect its WSClient with domain emu.url.'
      : `// When recorded, the bot answered callbacks at ${lit(rec.transport.url ?? '(no URL)')}: start it, then call emu.setCallbackUrl(<its URL>).`;
    lines.push(
      '',
      '/** Starts the bot under test against the emulator: its SDK gets domain emu.url and the credentials of emu.app(). Fill this in. */',
      ts ? 'async function startBot(emu: TestEmulator): Promise<{ close(): unknown }> {' : 'async function startBot(emu) {',
      `  ${where}`,
      "  throw new Error(`start the bot under test in startBot() (the emulator is at ${emu.url})`);",
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}
