/**
 * Text from a card (keys, values, tags) shown on a terminal: control characters and bidi
 * overrides become visible escapes, so a card cannot move the cursor, clear the screen or
 * reorder what the developer reads. JSON output needs none of this; JSON.stringify escapes.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same, one character for one, for a source line shown above a caret: columns stay aligned. */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => (ch === '\t' ? ' ' : '·'));
}
