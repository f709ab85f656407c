import { Writable } from 'node:stream';

/**
 * Terminal safety for text that may hold untrusted parts (card files, CSV cells, --to values,
 * remote callbacks). A control character reaching a terminal can retitle it (OSC), clear it,
 * move the cursor or rewrite a line (\r) to spoof output. Everything but newline and tab is
 * shown as an escape (`\u001b`), as printable.ts does for the text commands quote, so it stays
 * visible that something was there; so are bidi controls, which reorder what is shown. With
 * colour on, the few SGR sequences card's own styles use pass (not, say, "conceal").
 */

// card's own styles (chalk at level 1: bold, dim, normal intensity, red, green, yellow, cyan,
// default colour), else C0 (but \t and \n), DEL, C1, and the bidi marks and controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL = /(\u001b\[(?:1|2|22|31|32|33|36|39)m)|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControls(text: string, keepOwnStyles = false): string {
  return text.replace(TERMINAL, (match, ownStyle: string | undefined) => {
    if (ownStyle && keepOwnStyles) return match;
    // A control character alone, or the ESC that starts a style we do not pass.
    return escape(match[0]!) + match.slice(1);
  });
}

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON that a terminal shows as written: JSON.stringify escapes C0 controls but leaves DEL, C1
 * and bidi controls raw. Escaping them keeps the document valid and its values the same.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, escape);
}

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
