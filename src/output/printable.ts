/**
 * Text from outside (a fixture's name, a handler's answer, a card) on its way to a terminal:
 * control characters are shown as escapes instead of being obeyed, so nothing can move the
 * cursor, rewrite earlier lines or set the window title. Tabs and newlines are kept where asked.
 */
export function printable(text: string, keepNewlines = false): string {
  // C0 controls, DEL and C1 controls (U+009B is a one-byte CSI on many terminals).
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (keepNewlines && (c === '\n' || c === '\t')) return c;
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
