import type { Readable } from 'node:stream';
import { usageError } from '../output/errors.js';
import { readUserFile } from '../input/user-file.js';
import { describeType, isObject, type CardObject } from './inspect.js';
import { findTooDeep, INPUT_LIMITS, invalidUtf8Offset } from './json-limits.js';
import { jsonErrorOffset } from './json-position.js';
import { printable, printableLine } from '../output/printable.js';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Parses JSON, and on failure says where: `card.json:3:14: …`. Too deep a nesting is refused before parsing. */
export function parseJsonWithPosition(text: string, name: string): unknown {
  const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const deep = findTooDeep(stripped);
  if (deep) {
    const { line, column } = lineColumn(stripped, deep.offset);
    const at = printable(deep.pointer).length > 100 ? `${printable(deep.pointer).slice(0, 60)}/…${printable(deep.pointer).slice(-30)}` : printable(deep.pointer) || '/';
    throw usageError(`${name}:${line}:${column}: the JSON nests deeper than ${INPUT_LIMITS.maxDepth} levels (at ${at}); no card is that deep`, {
      code: 'input_too_deep',
      details: { file: name, line, column, pointer: deep.pointer },
    });
  }
  try {
    return JSON.parse(stripped);
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonErrorOffset(stripped) ?? stripped.length;
    const { line, column } = lineColumn(stripped, offset);
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'the JSON ends too early');
    const lineText = stripped.split('\n')[line - 1] ?? '';
    throw usageError(`${name}:${line}:${column}: invalid JSON: ${printable(reason)}`, {
      hint: lineText.trim() ? `${line} | ${printableLine(lineText.slice(0, 160))}\n${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(0, column - 1))}^` : null,
      details: { file: name, line, column },
    });
  }
}

const tooLarge = (name: string, what: string) =>
  usageError(`${name} is larger than ${INPUT_LIMITS.maxFileBytes / 1024 / 1024} MB: no ${what} is that large (a card message is at most 30 KB)`, { code: 'input_too_large', details: { file: name } });

function readBytes(path: string, stdin: Readable, what: string, cwd?: string): Promise<{ bytes: Buffer; name: string }> {
  return readUserFile(path, { what, maxBytes: INPUT_LIMITS.maxFileBytes, stdin, cwd, tooLarge: (name) => tooLarge(name, what) });
}

/**
 * Reads a JSON file, or stdin for `-`, as strict UTF-8: a byte that is not UTF-8 would
 * otherwise become U+FFFD and be sent as part of the card. `what` names it in messages; a
 * relative path starts from `cwd` (the process's working directory without one).
 */
export async function readSource(path: string, stdin: Readable, what = 'card file', cwd?: string): Promise<{ text: string; name: string }> {
  const { bytes, name } = await readBytes(path, stdin, what, cwd);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), name };
  } catch {
    const offset = Math.max(0, invalidUtf8Offset(bytes));
    const before = bytes.subarray(0, offset).toString('utf8');
    const { line, column } = lineColumn(before, before.length);
    throw usageError(`${name}:${line}:${column}: not valid UTF-8 (byte 0x${bytes[offset]?.toString(16).padStart(2, '0')} at offset ${offset}); save the ${what} as UTF-8`, {
      code: 'invalid_utf8',
      details: { file: name, line, column },
    });
  }
}

/** A card JSON object from a file or stdin (`-`), as it is sent: without an editor's `$schema`. */
export async function loadCard(path: string, stdin: Readable, cwd?: string): Promise<{ card: CardObject; name: string; text: string }> {
  const { text, name } = await readSource(path, stdin, 'card file', cwd);
  if (!text.trim()) throw usageError(`${name} is empty: expected card JSON`);
  const value = parseJsonWithPosition(text, name);
  if (!isObject(value)) throw usageError(`${name}: a card must be a JSON object, not ${describeType(value)}`);
  // "$schema" points an editor at card's JSON Schema; the platform does not know it, so it is never
  // sent. Any other value is left for lint to report.
  if (typeof value.$schema === 'string') delete value.$schema;
  return { card: value, name, text };
}

/**
 * `--var k=v`: the value is JSON when it parses as JSON (numbers, booleans, lists, objects),
 * a plain string otherwise. `--var 'id="007"'` forces a string.
 */
export function parseVarFlags(pairs: string[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--var "${pair}" must be name=value`);
    const name = pair.slice(0, eq);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw usageError(`--var "${pair}": variable names start with a letter and hold letters, digits and _`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: the text itself.
    }
    vars[name] = value;
  }
  return vars;
}

export async function loadVarsFile(path: string, stdin: Readable, cwd?: string): Promise<Record<string, unknown>> {
  const { text, name } = await readSource(path, stdin, 'variables file', cwd);
  const value = parseJsonWithPosition(text, name);
  if (!isObject(value)) throw usageError(`${name}: template variables must be a JSON object of name: value, not ${describeType(value)}`);
  return value;
}
