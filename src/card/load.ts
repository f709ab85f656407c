import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { usageError } from '../output/errors.js';
import { isObject, type CardObject } from './inspect.js';
import { jsonErrorOffset } from './json-position.js';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Parses JSON, and on failure says where: `card.json:3:14: …`. */
export function parseJsonWithPosition(text: string, name: string): unknown {
  const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    throw usageError(`${name}:${line}:${column}: invalid JSON: ${reason}`, {
      hint: lineText.trim() ? `${line} | ${lineText.slice(0, 160)}\n${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(0, column - 1))}^` : null,
      details: { file: name, line, column },
    });
  }
}

export async function readSource(path: string, stdin: Readable): Promise<{ text: string; name: string }> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
  }
  try {
    return { text: await readFile(path, 'utf8'), name: path };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(code === 'ENOENT' ? `card file ${path} does not exist` : `cannot read ${path}: ${(err as Error).message}`);
  }
}

/** A card JSON object from a file or stdin (`-`). */
export async function loadCard(path: string, stdin: Readable): Promise<{ card: CardObject; name: string; text: string }> {
  const { text, name } = await readSource(path, stdin);
  if (!text.trim()) throw usageError(`${name} is empty: expected card JSON`);
  const value = parseJsonWithPosition(text, name);
  if (!isObject(value)) throw usageError(`${name}: a card must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}`);
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

export async function loadVarsFile(path: string, stdin: Readable): Promise<Record<string, unknown>> {
  const { text, name } = await readSource(path, stdin);
  const value = parseJsonWithPosition(text, name);
  if (!isObject(value)) throw usageError(`${name}: template variables must be a JSON object of name: value`);
  return value;
}
