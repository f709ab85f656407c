/**
 * Text from outside (a card, a fixture's name, a handler's answer) on its way to a terminal:
 * control characters and bidi overrides are shown as escapes instead of being obeyed, so nothing
 * can move the cursor, rewrite earlier lines, set the window title or reorder what the developer
 * reads. JSON output needs none of this: JSON.stringify escapes.
 */
// The one definition of what a terminal must not be handed raw (sanitize.ts builds on it):
// bidi controls, which reorder what is shown; then C0 controls, DEL, C1 controls (U+009B is a
// one-byte CSI on many terminals) and those. Sources for RegExp character classes.
export const BIDI_CONTROLS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
export const UNPRINTABLE_CHARS = `\\u0000-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}`;
const UNPRINTABLE = new RegExp(`[${UNPRINTABLE_CHARS}]`, 'g');

/** One character as the escape shown in its place (`\u001b`). */
export const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export function printable(text: string, keepNewlines = false): string {
  return text.replace(UNPRINTABLE, (c) => (keepNewlines && (c === '\n' || c === '\t') ? c : escapeChar(c)));
}

/** The same, one character for one, for a source line shown above a caret: columns stay aligned. */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => (ch === '\t' ? ' ' : '·'));
}
