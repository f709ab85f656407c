import { usageError } from '../output/errors.js';

export interface ReceiverRow {
  /** 1-based line of the row in its file, for messages and the results file. */
  line: number;
  to: string;
  /** The row's to_type, as written: checked against the receive_id_types before anything is sent. */
  receiveIdType: string | null;
  /** Template variables for this row. */
  vars: Record<string, unknown>;
}

const TO_COLUMNS = ['to', 'receiver', 'receive_id'];

/** A value as --var reads it: JSON when it parses, text otherwise. */
function cellValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** RFC 4180: commas, quoted fields with doubled quotes and line breaks, CRLF or LF. */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    rowLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else cell += ch;
  }
  if (quoted) throw usageError(`an unclosed quote starts on line ${rowLine}`);
  if (cell !== '' || cells.length) endRow();
  return rows;
}

/**
 * Receivers for a bulk send, one per row: CSV with a header (`to`, optional `to_type`, every
 * other column a template variable), or NDJSON (`{"to": …, "to_type"?: …, "vars"?: {…}}`,
 * other keys are variables too).
 */
export function parseReceiverFile(text: string, name: string): ReceiverRow[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const ndjson = /\.(nd)?jsonl?$/i.test(name) || body.trimStart().startsWith('{');
  const rows: ReceiverRow[] = [];
  if (ndjson) {
    body.split('\n').forEach((raw, i) => {
      const lineText = raw.trim();
      if (!lineText) return;
      let obj: unknown;
      try {
        obj = JSON.parse(lineText);
      } catch (err) {
        throw usageError(`${name}:${i + 1}: not valid JSON: ${(err as Error).message}`);
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw usageError(`${name}:${i + 1}: each line must be a JSON object`);
      const { to, to_type, vars, ...rest } = obj as Record<string, unknown>;
      if (typeof to !== 'string' || !to) throw usageError(`${name}:${i + 1}: "to" is missing (the receiver: open_id, chat_id, email or mobile)`);
      if (vars !== undefined && (typeof vars !== 'object' || vars === null || Array.isArray(vars))) throw usageError(`${name}:${i + 1}: "vars" must be an object`);
      rows.push({ line: i + 1, to, receiveIdType: typeof to_type === 'string' ? to_type : null, vars: { ...rest, ...(vars as object) } });
    });
  } else {
    let parsed;
    try {
      parsed = parseCsv(body);
    } catch (err) {
      throw usageError(`${name}: ${(err as Error).message}`);
    }
    const [header, ...data] = parsed;
    if (!header) throw usageError(`${name} is empty`);
    const names = header.cells.map((c) => c.trim());
    const toIndex = names.findIndex((n) => TO_COLUMNS.includes(n.toLowerCase()));
    if (toIndex < 0) throw usageError(`${name}:1: the header needs a "to" column (the receiver); it has ${names.map((n) => `"${n}"`).join(', ')}`);
    const typeIndex = names.findIndex((n) => n.toLowerCase() === 'to_type');
    for (const { line, cells } of data) {
      if (cells.length !== names.length) throw usageError(`${name}:${line}: ${cells.length} fields, but the header has ${names.length}`);
      const to = cells[toIndex]!.trim();
      if (!to) throw usageError(`${name}:${line}: the "to" field is empty`);
      const vars: Record<string, unknown> = {};
      names.forEach((n, i) => {
        if (i !== toIndex && i !== typeIndex && n) vars[n] = cellValue(cells[i]!);
      });
      rows.push({ line, to, receiveIdType: typeIndex >= 0 && cells[typeIndex]!.trim() ? cells[typeIndex]!.trim() : null, vars });
    }
  }
  if (!rows.length) throw usageError(`${name} holds no receivers`);
  return rows;
}
