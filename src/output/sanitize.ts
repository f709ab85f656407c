import { Writable } from 'node:stream';
import { BIDI_CONTROLS, escapeChar, UNPRINTABLE_CHARS } from './printable.js';

/**
 * Terminal safety for text that may hold untrusted parts (card files, CSV cells, --to values,
 * remote callbacks). A control character reaching a terminal can retitle it (OSC), clear it,
 * move the cursor or rewrite a line (\r) to spoof output. Everything but newline and tab is
 * shown as an escape (`\u001b`), as printable.ts does for the text commands quote, so it stays
 * visible that something was there; so are bidi controls, which reorder what is shown. With
 * colour on, the few SGR sequences card's own styles use pass (not, say, "conceal").
 */

// card's own styles (chalk at level 1: bold, dim, normal intensity, red, green, yellow, cyan,
// default colour), else what printable.ts escapes (but \t and \n, let through below).
const TERMINAL = new RegExp(`(\\u001b\\[(?:1|2|22|31|32|33|36|39)m)|[${UNPRINTABLE_CHARS}]`, 'g');

export function stripControls(text: string, keepOwnStyles = false): string {
  return text.replace(TERMINAL, (match, ownStyle: string | undefined) => {
    if (ownStyle && keepOwnStyles) return match;
    if (match === '\n' || match === '\t') return match;
    // A control character alone, or the ESC that starts a style we do not pass.
    return escapeChar(match[0]!) + match.slice(1);
  });
}

/**
 * JSON that a terminal shows as written: JSON.stringify escapes C0 controls but leaves DEL, C1
 * and bidi controls raw. Escaping them keeps the document valid and its values the same.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, escapeChar);
}

const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f${BIDI_CONTROLS}\\u2028\\u2029]`, 'g');

type Terminalish = Writable & { isTTY?: boolean; columns?: number };

/**
 * A stream that cleans text on its way to a terminal. `always` cleans even when the target is
 * not a terminal (stderr: it is for people, and logs are read in terminals too).
 */
export class SafeStream extends Writable {
  constructor(
    readonly raw: Terminalish,
    private readonly opts: { always: boolean; keepOwnStyles: boolean },
  ) {
    super({ decodeStrings: false });
    // Errors of the real stream (EPIPE) surface there; this one only passes text on.
  }

  get isTTY(): boolean | undefined {
    return this.raw.isTTY;
  }

  get columns(): number | undefined {
    return this.raw.columns;
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const clean = this.opts.always || this.raw.isTTY;
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (!clean) this.raw.write(chunk, encoding);
    else this.raw.write(stripControls(text, this.opts.keepOwnStyles));
    // Done at once: the real stream buffers, and the CLI flushes it before exiting. Waiting for
    // its callback would hold later writes here, where that flush cannot see them.
    done();
  }
}
