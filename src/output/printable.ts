/**
 * Text from outside (a card, a fixture's name, a handler's answer) on its way to a terminal:
 * control characters and bidi overrides are shown as escapes instead of being obeyed, so nothing
 * can move the cursor, rewrite earlier lines, set the window title or reorder what the developer
 * reads. JSON output needs none of this: JSON.stringify escapes.
 */
// C0 controls, DEL, C1 controls (U+009B is a one-byte CSI on many terminals), and bidi controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, keepNewlines = false): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (keepNewlines && (c === '\n' || c === '\t')) return c;
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The same, one character for one, for a source line shown above a caret: columns stay aligned. */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => (ch === '\t' ? ' ' : '·'));
}
