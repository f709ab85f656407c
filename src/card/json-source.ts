import { escapePointer } from './inspect.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * Where each value of a JSON text starts, by JSON pointer (`/body/elements/0/tag`), so a
 * problem found in the parsed card can be shown at its line and column. Expects valid JSON.
 * With `wanted`, only those pointers and their ancestors are recorded, and every other value
 * is skipped without building its pointer: a large card with a few problems maps quickly.
 */
export function jsonPointerPositions(text: string, wanted?: Iterable<string>): Map<string, Position> {
  let needed: Set<string> | null = null;
  if (wanted) {
    needed = new Set(['']);
    for (const w of wanted) for (let p = w; p && !needed.has(p); p = p.slice(0, p.lastIndexOf('/'))) needed.add(p);
  }
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r\ufeff'.includes(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    let escaped = false;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        escaped = true;
        i++;
      }
      i++;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  /** Steps over one value, strings and brackets included, without looking inside. */
  const skip = () => {
    const ch = text[i];
    if (ch === '"') return void readString();
    if (ch !== '{' && ch !== '[') {
      while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
      return;
    }
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        readString();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return void i++;
      i++;
    }
  };
  const value = (pointer: string): void => {
    ws();
    if (needed && !needed.has(pointer)) return skip();
    offsets.set(pointer, i);
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const key = readString();
        ws();
        i++; // colon
        value(`${pointer}/${escapePointer(key)}`);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${pointer}/${n}`);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (ch === '"') return void readString();
    while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
  };
  value('');
  const positions = new Map<string, Position>();
  // One pass over the text turns offsets into lines and columns.
  const sorted = [...offsets].sort((a, b) => a[1] - b[1]);
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const [pointer, offset] of sorted) {
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 10) {
        line++;
        lineStart = at + 1;
      }
    }
    positions.set(pointer, { line, column: offset - lineStart + 1 });
  }
  return positions;
}

/** The position of a pointer, or of its nearest ancestor that exists in the text. */
export function positionOf(positions: Map<string, Position>, pointer: string): Position | null {
  let p = pointer;
  for (;;) {
    const found = positions.get(p);
    if (found) return found;
    if (!p) return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

